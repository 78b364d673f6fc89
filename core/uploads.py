"""Checking an uploaded document before anything is stored (suppliers' and tenders' alike).

The type is decided by the file's content (its magic number), never by its
name or the browser's word; the name is kept only as data, after refusing
names that hide their real extension or try to leave the upload folder. Each
app passes its limits and the `UploadRejected` subclass its refusals carry
(`supplier.document_rejected`, `tender.document_rejected`).
"""

import hashlib
import unicodedata
from dataclasses import dataclass

import filetype
from django.utils.translation import gettext as _

from .exceptions import UploadRejected
from .templatetags.panjere import filesize

# Bidirectional controls let "invoice‮fdp.exe" display as "invoice.exe.pdf".
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)}


@dataclass(frozen=True)
class CheckedUpload:
    name: str
    content_type: str
    size: int
    sha256: str


def clean_file_name(name: str, *, error: type[UploadRejected] = UploadRejected) -> str:
    """Return a displayable file name, or refuse one that is unsafe (raising `error`)."""
    normalised = unicodedata.normalize("NFC", name or "").strip()
    if not normalised:
        raise error(_("The file has no name."), field="file")
    if (
        "/" in normalised
        or "\\" in normalised
        or normalised in {".", ".."}
        or normalised.startswith(".")
        or "\x00" in normalised
    ):
        raise error(_("The file name must not contain a folder path."), field="file")
    if any(ch in BIDI_CONTROLS or unicodedata.category(ch) in {"Cc", "Cf"} for ch in normalised):
        raise error(
            _("The file name contains invisible or direction-changing characters."), field="file"
        )
    if len(normalised) > 200:
        raise error(_("The file name is too long (200 characters at most)."), field="file")
    return normalised


def check_upload(
    uploaded, *, max_bytes: int, types, error: type[UploadRejected] = UploadRejected
) -> CheckedUpload:
    """Check size (at most `max_bytes`), name and content type (one of the MIME `types`).

    Hash the content. Nothing is stored here. A refusal raises `error`, tied to
    the field "file".
    """
    name = clean_file_name(getattr(uploaded, "name", ""), error=error)
    size = uploaded.size
    if size == 0:
        raise error(_("The file is empty."), field="file")
    limit = max_bytes
    if size > limit:
        raise error(
            _("The file is too large: %(size)s; the limit is %(limit)s.")
            % {"size": filesize(size), "limit": filesize(limit)},
            field="file",
            params={"size": size, "limit": limit},
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in types:
        raise error(
            _("This type of file is not accepted. Upload a PDF, PNG or JPEG document."),
            field="file",
            params={"detected": kind.mime if kind else None},
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedUpload(name=name, content_type=kind.mime, size=size, sha256=digest.hexdigest())
