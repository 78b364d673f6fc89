"""panjere-verify: check Panjere's audit trail, its checkpoints and proofs, independently.

Standard library and `cryptography` only; nothing here imports Django or
Panjere's own code, so anyone can read and run it against what the platform
publishes. See docs/verify.md.
"""

from .events import event_hash, event_leaf_hash
from .proofs import verify_checkpoint, verify_consistency_proof, verify_inclusion_proof
from .reports import Report, UnusableInput
from .signatures import KeySet, load_checkpoint, load_keys
from .trail import verify_trail

__all__ = [
    "KeySet",
    "Report",
    "UnusableInput",
    "event_hash",
    "event_leaf_hash",
    "load_checkpoint",
    "load_keys",
    "verify_checkpoint",
    "verify_consistency_proof",
    "verify_inclusion_proof",
    "verify_trail",
]
