"""The online half of the client: talking to the platform. Left for the bidding app's API.

Everything here needs routes, authentication and answers that the platform's
API (the `bidding` app) defines; none is invented here. Each function says
what it must do with the offline pieces, so that wiring it is plumbing:

- `submit_envelopes`: `envelope.inspect` each file first (the server refuses
  what this would), upload them in one submission, then
  `receipts.verify_receipt` the answer and `Receipt.check_envelope` each
  envelope against it before reporting success; keep the receipt.
- `withdraw_bid`: ask for the withdrawal before the deadline; verify the
  signed answer as a receipt.
- `fetch_receipt`: fetch a stored receipt by bid and version; verify it.
- `fetch_key_set`: the platform's key set (the format of docs/verify.md),
  which should also be pinned from the published notice, not only fetched.
- `fetch_tender_key`: the public key of a tender and kind, compared with the
  fingerprint printed on the notice.
- `upload_member_key`: send a member key file (`MemberKeyFile.dumps()`);
  never the passphrase or the private key.
- `fetch_sealed_share` / `send_share`: fetch the member's sealed share
  document, open it with `shares.open_share`, send the share to the opening
  session over the authenticated channel.

The HTTP itself should be the standard library's `urllib.request` (the
package depends on nothing but `cryptography`), with TLS verification on and
a personal API token in the Authorization header.
"""

from collections.abc import Sequence
from pathlib import Path

_WHY = "the platform's API for this is not defined yet: see panjere_client/network.py"


class PlatformClient:
    """The platform at `base_url`, acting with a personal API token."""

    def __init__(self, base_url: str, token: str):
        self.base_url = base_url
        self.token = token

    def submit_envelopes(self, bid: str, envelopes: Sequence[Path]) -> dict:
        raise NotImplementedError(_WHY)

    def withdraw_bid(self, bid: str) -> dict:
        raise NotImplementedError(_WHY)

    def fetch_receipt(self, bid: str, version: int) -> dict:
        raise NotImplementedError(_WHY)

    def fetch_key_set(self) -> dict:
        raise NotImplementedError(_WHY)

    def fetch_tender_key(self, tender: str, kind: str) -> dict:
        raise NotImplementedError(_WHY)

    def upload_member_key(self, key_file_text: str) -> None:
        raise NotImplementedError(_WHY)

    def fetch_sealed_share(self, tender: str, kind: str) -> dict:
        raise NotImplementedError(_WHY)

    def send_share(self, tender: str, kind: str, share: bytes) -> None:
        raise NotImplementedError(_WHY)
