"""The online half of the client: submitting, withdrawing and fetching receipts over the API.

Standard library only (`urllib.request`, TLS verification on), with a personal
API token in the Authorization header. Every answer that carries a receipt is
verified before it is reported: its signature against the platform's key set
(pinned from a file, or fetched), and each envelope sent against the hashes
and sizes it lists. The routes are the bidding app's (docs/api.md, "Bids").

The committee's calls (registering a member key, fetching one's sealed shares)
are not in this client yet: members use the "My opening key" page or the API
(`/api/v1/tenders/opening-key/`, `/api/v1/tenders/<id>/key-shares/`, docs/sealing.md).
"""

import hashlib
import io
import json
import os
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from . import envelope, receipts
from .errors import PanjereClientError

BLOCK = 64 * 1024


class PlatformError(PanjereClientError):
    """The platform refused the request (its problem+json code and detail in the message)."""

    def __init__(self, status: int, problem: dict):
        self.status = status
        self.problem = problem
        code = problem.get("code", "")
        text = problem.get("detail") or problem.get("title") or ""
        super().__init__(f"{status} {code}: {text}".strip())


class _Multipart(io.RawIOBase):
    """A multipart/form-data body read part by part: files are streamed, never loaded whole."""

    def __init__(self, fields: dict[str, str], files: list[tuple[str, Path]]):
        self.boundary = "panjere-" + secrets.token_hex(16)
        pieces: list[bytes | Path] = []
        for name, value in fields.items():
            pieces.append(
                f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, path in files:
            pieces.append(
                f"--{self.boundary}\r\nContent-Disposition: form-data; "
                f'name="{name}"; filename="{name}.pje"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
            )
            pieces.append(path)
            pieces.append(b"\r\n")
        pieces.append(f"--{self.boundary}--\r\n".encode())
        self.length = sum(len(p) if isinstance(p, bytes) else p.stat().st_size for p in pieces)
        self._pieces = iter(pieces)
        self._current = None

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = BLOCK if size is None or size < 0 else size
        while True:
            if self._current is None:
                piece = next(self._pieces, None)
                if piece is None:
                    return b""
                self._current = piece.open("rb") if isinstance(piece, Path) else io.BytesIO(piece)
            data = self._current.read(size)
            if data:
                return data
            self._current.close()
            self._current = None


class PlatformClient:
    """The platform at `base_url`, acting with a personal API token."""

    def __init__(self, base_url: str, token: str, *, key_set=None, timeout: float = 300):
        if urllib.parse.urlsplit(base_url).scheme not in ("https", "http"):
            raise ValueError("the platform's address is an https:// (or local http://) URL")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._key_set = None if key_set is None else receipts.KeySet.load(key_set)

    # --- HTTP --------------------------------------------------------------------------

    def _request(self, method: str, path: str, *, body=None, headers=None, auth=True):
        request = urllib.request.Request(  # noqa: S310 (http(s) only: checked in __init__)
            self.base_url + path, data=body, method=method, headers=dict(headers or {})
        )
        request.add_header("Accept", "application/json")
        if auth:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            try:
                problem = json.loads(error.read())
            except ValueError:
                problem = {"title": error.reason}
            raise PlatformError(error.code, problem if isinstance(problem, dict) else {}) from None

    def fetch_key_set(self) -> dict:
        """The platform's key set (better pinned from the published notice: `key_set=`)."""
        return self._request("GET", "/api/v1/audit/keys/", auth=False)

    def _keys(self) -> receipts.KeySet:
        if self._key_set is None:
            self._key_set = receipts.KeySet.load(self.fetch_key_set())
        return self._key_set

    # --- bids ----------------------------------------------------------------------------

    def submit_envelopes(
        self,
        envelopes: Sequence[Path],
        *,
        supplier: str | None = None,
        idempotency_key: str | None = None,
    ) -> dict:
        """Submit the envelopes of one bid; return its receipt once verified against them.

        Each envelope is inspected first (the server would refuse what this
        refuses); all must be for one tender, lot, supplier and version. The
        idempotency key defaults to one made from the envelopes' hashes, so
        running the same command again after a dropped connection is a retry,
        never a second bid.
        """
        summaries = []
        for path in map(Path, envelopes):
            with path.open("rb") as file:
                summaries.append((path, envelope.inspect(file)))
        contexts = {
            (
                s.header.context.tender,
                s.header.context.lot,
                s.header.context.supplier,
                s.header.context.bid_version,
            )
            for _path, s in summaries
        }
        kinds = [s.header.context.kind for _path, s in summaries]
        if len(contexts) != 1 or len(set(kinds)) != len(kinds):
            raise envelope.ContextMismatch(
                "the envelopes of one bid share tender, lot, supplier and version, one per kind"
            )
        tender, lot, sealed_supplier, _version = contexts.pop()
        if idempotency_key is None:
            digest = hashlib.sha256("".join(sorted(s.sha256 for _p, s in summaries)).encode())
            idempotency_key = "cli-" + digest.hexdigest()[:48]
        body = _Multipart(
            {"supplier": supplier or sealed_supplier},
            [(s.header.context.kind, path) for path, s in summaries],
        )
        path = (
            f"/api/v1/tenders/{urllib.parse.quote(tender, safe='')}/lots/"
            f"{urllib.parse.quote(lot or '', safe='')}/bids/"
        )
        answer = self._request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": body.content_type,
                "Content-Length": str(body.length),
                "Idempotency-Key": idempotency_key,
            },
        )
        receipt = receipts.verify_receipt(answer["receipt"], self._keys())
        for _path, summary in summaries:
            receipt.check_envelope(
                kind=summary.header.context.kind,
                sha256=summary.sha256,
                size=summary.size,
                context=summary.header.context,
            )
        return receipt.document

    def withdraw_bid(self, bid: str) -> dict:
        """Withdraw the bid (before the deadline); return the platform's answer."""
        return self._request("POST", f"/api/v1/bids/{urllib.parse.quote(str(bid))}/withdraw/")

    def fetch_receipt(self, bid: str, version: int | None = None) -> dict:
        """The stored receipt of a bid, verified (and checked to be of `version`, if given)."""
        document = self._request("GET", f"/api/v1/bids/{urllib.parse.quote(str(bid))}/receipt/")
        receipt = receipts.verify_receipt(document, self._keys())
        if version is not None and receipt.bid_version != version:
            raise receipts.ReceiptMismatch(f"the receipt is of version {receipt.bid_version}")
        return receipt.document


def token_from(path: str | None) -> str:
    """The API token from a file, else from PANJERE_TOKEN."""
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    token = os.environ.get("PANJERE_TOKEN", "").strip()
    if not token:
        raise ValueError("give --token-file or set PANJERE_TOKEN")
    return token
