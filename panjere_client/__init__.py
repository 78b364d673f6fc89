"""Panjere's sealing client: what suppliers, committee members and the server share.

Standard library and `cryptography` only, importing nothing of the Django
project, so that a supplier or a member can run it (`panjere`, or
`python -m panjere_client` from a copy of this folder) without trusting the
platform's code. The formats are in docs/sealing.md:

- `envelope`: the sealed envelope (HPKE-sealed content key, AES-256-GCM chunks);
- `bundle`: the named files inside an envelope, and the price schedule;
- `member_keys`: a committee member's key file (X25519, Argon2id, AES-256-GCM);
- `shares`: a tender key share sealed to a member;
- `receipts`: the platform's signed receipt of a submission;
- `cli`: the `panjere` command; `network` holds the online half, for the platform's API.
"""
