"""The one base of every refusal this package makes.

Each module refines it (`EnvelopeError`, `BundleError`, `MemberKeyError`,
`ShareError`, `ReceiptError`), and each of those has one subclass per reason,
so that a caller, or a test, can tell exactly why something was refused.
"""


class PanjereClientError(ValueError):
    """Something given to panjere_client is refused; the message says what and why."""
