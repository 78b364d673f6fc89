"""The auditor's pages: the trail, one object's timeline, exports, verification."""

import json

from django.conf import settings
from django.core.paginator import Paginator
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import signing
from core.permissions import permission_required
from core.spreadsheets import CONTENT_TYPE as CSV_CONTENT_TYPE
from core.spreadsheets import csv_lines

from . import selectors
from .chain import RECORD_FIELDS, canonical_json, event_record
from .filters import EventSearch
from .permissions import VIEW_AUDIT
from .presentation import describe_object, present
from .verification import CheckpointCopy, verify_chain

PAGE_SIZE = 50


def auditor_required(view):
    """Anonymous users go to the login page; users who are not auditors get 403."""
    return require_safe(permission_required(VIEW_AUDIT)(view))


def _page(request, events):
    """One page of events, each presented for the reader (audit.presentation)."""
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = present(page.object_list)
    return page


@auditor_required
def event_list(request):
    filterset = EventSearch(request.GET or None, queryset=selectors.event_list())
    valid = filterset.is_valid() if filterset.is_bound else True
    events = filterset.qs.order_by("-seq") if valid else selectors.event_list().none()
    return render(
        request,
        "audit/event_list.html",
        {"filter": filterset, "page_obj": _page(request, events)},
        status=200 if valid else 400,
    )


@auditor_required
def object_timeline(request, object_type, object_id):
    events = selectors.object_timeline(object_type=object_type, object_id=object_id)
    kind, name = describe_object(object_type, object_id)
    return render(
        request,
        "audit/object_timeline.html",
        {
            "object_type": object_type,
            "object_id": object_id,
            "object_kind": kind,
            "object_name": name,
            "page_obj": _page(request, events),
        },
    )


def _chunks(events):
    """The events in chunks of EXPORT_CHUNK_SIZE, read with one cursor."""
    chunk = []
    for event in events.iterator(chunk_size=selectors.EXPORT_CHUNK_SIZE):
        chunk.append(event)
        if len(chunk) == selectors.EXPORT_CHUNK_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _csv_rows(events):
    """The header, then one row per event; the payload as its canonical JSON, null as empty.

    Every hashed field comes first, as recorded, then what people read: the
    action's sentence and the object's name today, in the reader's language
    (named a chunk at a time, so the queries grow with the chunks, not the rows).
    Written through core.spreadsheets: UTF-8 with a BOM, formula-leading text
    neutralised (`restore_cell` gives back the hashed text).
    """
    yield [*RECORD_FIELDS, _("What happened"), _("Object name")]
    for chunk in _chunks(events):
        for event in present(chunk):
            record = event_record(event)
            record["payload"] = canonical_json(record["payload"]).decode()
            yield [*(record[column] for column in RECORD_FIELDS), event.sentence, event.object_name]


def _in_language(language, lines):
    with translation.override(language):
        yield from lines


def _csv_lines(events):
    # The rows are written after the view returns: they keep the reader's language.
    return _in_language(translation.get_language(), csv_lines(_csv_rows(events)))


def _json_lines(events):
    yield "[\n"
    separator = ""
    for event in events.iterator(chunk_size=selectors.EXPORT_CHUNK_SIZE):
        yield separator + json.dumps(event_record(event), ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


EXPORT_FORMATS = {
    "csv": (CSV_CONTENT_TYPE, "csv", _csv_lines),
    "json": ("application/json", "json", _json_lines),
    # One record per line: what `panjere-verify trail` reads, in constant memory.
    "jsonl": ("application/jsonl; charset=utf-8", "jsonl", selectors.export_lines),
}


@auditor_required
def export(request):
    """The filtered events, oldest first, streamed as CSV or JSON.

    Every hashed field is exported with the hash, so an exported event can be
    checked again (`audit.verification.verify_records`); in CSV the payload is
    its canonical JSON and an empty cell stands for null.
    """
    kind = request.GET.get("format", "csv")
    filters = request.GET.copy()
    filters.pop("format", None)
    filters.pop("page", None)
    filterset = EventSearch(filters, queryset=selectors.event_list())
    if kind not in EXPORT_FORMATS or not filterset.is_valid():
        return render(
            request,
            "audit/event_list.html",
            {"filter": filterset, "page_obj": None, "bad_format": kind not in EXPORT_FORMATS},
            status=400,
        )
    content_type, extension, lines = EXPORT_FORMATS[kind]
    response = StreamingHttpResponse(lines(filterset.qs.order_by("seq")), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="audit-events.{extension}"'
    return response


@auditor_required
def verify(request):
    return render(
        request,
        "audit/verify.html",
        {"report": verify_chain(), "checkpoints": selectors.checkpoint_list()[:5]},
    )


# --- Public: the signed checkpoints anyone may keep --------------------------------------


@require_safe
def checkpoints(request):
    """The signed checkpoints, newest first, and how to check them: no account needed."""
    page = Paginator(selectors.checkpoint_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/checkpoints.html",
        {
            "page_obj": page,
            "keys": signing.public_keys(),
            "log": settings.AUDIT_LOG_ID,
            "keys_url": reverse("audit:keys"),
            "feed_url": reverse("audit:checkpoints_feed"),
        },
    )


@require_safe
def checkpoint_download(request, size: int):
    """One signed checkpoint as JSON, to keep outside the platform."""
    checkpoint = get_object_or_404(selectors.checkpoint_list(), size=size)
    response = JsonResponse(CheckpointCopy.from_model(checkpoint).as_json())
    response["Content-Disposition"] = f'attachment; filename="checkpoint-{size}.json"'
    return response


@require_safe
def keys(request):
    """The platform's public keys (the key set `panjere-verify --keys` reads)."""
    return JsonResponse(selectors.key_set())
