"""panjere-verify: check Panjere's audit trail, its checkpoints and proofs, independently."""
