"""The public portal (list, notice) and the supplier's side (matching, following, questions).

Thin: parse, call one selector or service, render. A DomainError from a
service becomes a form error or a message, never a 500.
"""

import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.permissions import Perm, has_perm
from core import bilingual, cpv
from core.bilingual import local_text
from core.clock import db_now
from core.exceptions import DomainError
from core.forms import add_domain_error
from core.formtokens import once_per_form_token
from core.money import money_from_json
from core.templatetags.panjere import localdatetime, localnumber, money
from suppliers.selectors import document_kind_labels, suppliers_by_pks, suppliers_for_user

from . import selectors, services
from .exceptions import TenderNotFound
from .filters import PublicTenderFilter
from .forms import AskForm
from .models import MainCategory, ProcurementMethod, Tender, TenderState
from .pagination import BoundedPaginator, PageBeyondBound

PAGE_SIZE = 20
# The public list shows at most this many pages (10,000 tenders): narrower searches beyond.
MAX_PAGES = 500
DATE_FIELDS = {"clarification_deadline", "submission_deadline", "opening_at"}


# Literal ngettext calls, so that makemessages finds them.
UNITS = {
    "day": lambda n: ngettext("%(count)s day", "%(count)s days", n),
    "hour": lambda n: ngettext("%(count)s hour", "%(count)s hours", n),
    "minute": lambda n: ngettext("%(count)s minute", "%(count)s minutes", n),
}


def remaining_text(deadline, now) -> str:
    """What is left until `deadline`, as a reader says it: "12 days 4 hours left", or "Closed"."""
    if deadline is None:
        return ""
    if now >= deadline:
        return pgettext("countdown", "Closed")
    minutes = int((deadline - now).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)

    def unit(name, count):
        return UNITS[name](count) % {"count": localnumber(count)}

    if days:
        parts = [unit("day", days)]
        if hours:
            parts.append(unit("hour", hours))
    elif hours:
        parts = [unit("hour", hours)]
        if minutes:
            parts.append(unit("minute", minutes))
    else:
        parts = [unit("minute", max(minutes, 1))]
    return _("%(time)s left") % {"time": " ".join(parts)}


def countdown_words() -> dict:
    """The words of `remaining_text` for static/js/countdown.js, in the active language."""
    return {
        **{name: [forms(1), forms(2)] for name, forms in UNITS.items()},
        "left": _("%(time)s left"),
        "closed": pgettext("countdown", "Closed"),
    }


def cpv_label(code: str) -> str:
    try:
        return cpv.label(code)
    except KeyError:
        return ""


def _change_value(name: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if name in DATE_FIELDS and isinstance(value, str):
        moment = parse_datetime(value)
        return localdatetime(moment) if moment else value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return money(money_from_json(value))
    return str(value)


def _document_rows(entries: list[dict]) -> list[dict]:
    """An amendment's document changes as rows: the version before → after, with SHA-256."""

    def version(number):
        return _("version %(version)s") % {"version": localnumber(number)}

    rows = []
    for entry in entries:
        stamp = f"{version(entry['version'])} · SHA-256 {entry['sha256']}"
        if entry["change"] == "withdrawn":
            before, after = stamp, _("withdrawn")
        elif entry["change"] == "new_version":
            before, after = version(entry["version"] - 1), stamp
        else:
            before, after = "—", stamp
        rows.append(
            {
                "field": "documents",
                # The title isolated (FSI … PDI), so that an English title keeps its quotes
                # in Persian text, as <bdi> does in markup.
                "label": _("document “%(title)s”")
                % {"title": f"\u2068{local_text(_titles(entry), '')}\u2069"},
                "before": before,
                "after": after,
            }
        )
    return rows


def _titles(entry: dict) -> dict:
    english, persian = bilingual.pair(entry["title"], entry.get("title_fa", ""))
    return {"en": english, "fa": persian}


def amendment_changes(amendment) -> list[dict]:
    """Each changed field of an amendment with its label, before → after, ready to show.

    Of a bilingual pair (core.bilingual) that changed in both languages, only
    the reader's is shown; a change in one language only is shown as it is.
    """
    rows = []
    changes = amendment.changes or {}
    reader = bilingual.reader_language()
    for name, change in sorted(changes.items()):
        if name == "documents":
            rows.extend(_document_rows(change))
            continue
        if reader == "fa" and f"{name}_fa" in changes:
            continue
        if reader == "en" and name.endswith("_fa") and name.removesuffix("_fa") in changes:
            continue
        try:
            label = Tender._meta.get_field(name).verbose_name
        except Exception:  # a field renamed since: show its name
            label = name
        rows.append(
            {
                "field": name,
                "label": label,
                "before": _change_value(name, change.get("from")),
                "after": _change_value(name, change.get("to")),
            }
        )
    return rows


# --- the public list ------------------------------------------------------------------------------


def table_rows(tenders, now) -> list[dict]:
    """The rows of tenders/_tender_table.html: each tender with what its row shows.

    The labels of the choices are looked up here, once per page: `get_FOO_display`
    rebuilds (and translates) every choice of the field on each call, three times a row.
    """
    methods = dict(ProcurementMethod.choices)
    categories = dict(MainCategory.choices)
    states = dict(TenderState.choices)
    return [
        {
            "tender": tender,
            "cpv_label": cpv_label(tender.cpv_code),
            "method": methods.get(tender.procurement_method, tender.procurement_method),
            "category": categories.get(tender.main_category, tender.main_category),
            "state": states.get(tender.state, tender.state),
            "remaining": remaining_text(tender.submission_deadline, now)
            if selectors.takes_bids(tender)
            else "",
        }
        for tender in tenders
    ]


def _reused(key, render):
    """What `render()` returns, kept in the cache under `key()` for TENDER_PUBLIC_CACHE_SECONDS.

    With 0 seconds nothing is kept and `key` is not even computed (it may cost a
    query). What is kept holds SafeStrings, which the cache pickles as such.
    """
    seconds = settings.TENDER_PUBLIC_CACHE_SECONDS
    if not seconds:
        return render()
    return cache.get_or_set(key(), render, seconds)


def _list_cache_key(request, now) -> str:
    """The key of a rendered list: language, query, releases published and minute.

    Every change the list could show (publication, amendment, closing,
    cancellation) publishes an OCDS release in the transaction that makes it,
    and their count (`tenders.models.ReleaseHead`) grows in commit order; the
    minute bounds the time the "… left" texts and the states that depend on
    the clock are shown unchanged.
    """
    query = sorted((name, value) for name, values in request.GET.lists() for value in values)
    digest = hashlib.sha256(json.dumps(query, ensure_ascii=False).encode()).hexdigest()
    version = selectors.releases_published()
    return f"tenders:list:{get_language()}:{version}:{now:%Y%m%d%H%M}:{digest}"


def _list_results(request, now) -> tuple[str, int]:
    """The filter form and one page of results, rendered, and the page's status."""
    filterset = PublicTenderFilter(request.GET or None, queryset=selectors.public_tenders())
    queryset = filterset.qs if filterset.is_bound else selectors.public_tenders()
    # At most MAX_PAGES pages: the count stops there, and a deeper page is refused.
    paginator = BoundedPaginator(queryset, PAGE_SIZE, max_pages=MAX_PAGES)
    number = request.GET.get("page") or 1
    try:
        page_obj = paginator.page(number)
    except PageBeyondBound:
        page_obj = None
    except (PageNotAnInteger, EmptyPage):
        page_obj = paginator.get_page(number)
    context = {
        "filter": filterset,
        "form": filterset.form,
        "page_obj": page_obj,
        "rows": table_rows(page_obj, now) if page_obj is not None else [],
        "beyond_bound": page_obj is None,
        "max_count": paginator.max_count,
    }
    html = render_to_string("tenders/_list_results.html", context, request=request)
    return html, 404 if page_obj is None else 200


@require_safe
def tender_list(request):
    """The public list; its filter form and results are the same for every reader, and reused.

    They are rendered once per key (`_list_cache_key`) for at most
    TENDER_PUBLIC_CACHE_SECONDS; the rest of the page (header, the reader's own
    links) is rendered for each request.
    """
    now = db_now()
    html, status = _reused(
        lambda: _list_cache_key(request, now), lambda: _list_results(request, now)
    )
    return render(request, "tenders/list.html", {"results": html}, status=status)


# --- the notice -----------------------------------------------------------------------------------


# Persian and Arabic-Indic digits in a typed or shared address read as the Latin ones.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def _public_tender(key: str):
    """The public tender's row only: its sections are loaded when they are rendered.

    `key` is its number, its OCDS id or its reference (`/tenders/T-DEMO-001/`,
    in any case, Persian digits too): people quote a tender by its reference.
    """
    key = key.strip().translate(_DIGITS)
    try:
        if key.isdigit():
            return selectors.public_tender(pk=int(key))
        try:
            return selectors.public_tender(ocid=key)
        except TenderNotFound:
            return selectors.public_tender(reference=key)
    except TenderNotFound:
        raise Http404(_("No such tender.")) from None


def _askable_suppliers(user):
    """The user's companies for which the user may ask a question."""
    if not user.is_authenticated:
        return []
    return [
        supplier
        for supplier in suppliers_for_user(user).select_related("organisation").order_by("pk")
        if has_perm(user, Perm.ASK_CLARIFICATION, supplier)
    ]


NOTICE_SECTIONS = {
    "body": "tenders/_notice_body.html",
    "clarifications": "tenders/_notice_clarifications.html",
    "amendments": "tenders/_notice_amendments.html",
}


def notice_sections(request, tender) -> dict:
    """The notice's sections that are the same for every reader, rendered; reused per key.

    Facts, lots and items, requirements, documents, published clarifications
    and amendments: each change to them (a publication, amendment, answer,
    closing or cancellation) publishes a release of the tender, so they are
    kept for TENDER_PUBLIC_CACHE_SECONDS under a key of the language, the
    tender and its last release (`tender.last_release`, read with its row),
    and loaded from the database only when rendered.
    """
    return _reused(
        lambda: f"tenders:notice:{get_language()}:{tender.pk}:{tender.last_release}",
        lambda: _render_notice_sections(request, tender),
    )


def _render_notice_sections(request, tender) -> dict:
    selectors.public_tender_sections(tender)
    context = {
        "tender": tender,
        "lots": list(tender.lots.all()),
        "cpv_codes": [(code, cpv_label(code)) for code in tender.cpv_codes],
        "required_documents": document_kind_labels(tender.required_documents),
        "documents": list(selectors.public_tender_documents(tender)),
        "sealing_keys": list(tender.sealing_keys.all()),
        "clarifications": tender.public_clarifications,
        "amendments": [
            {"amendment": amendment, "changes": amendment_changes(amendment)}
            for amendment in tender.amendments.all()
        ],
    }
    return {
        name: render_to_string(template, context, request=request)
        for name, template in NOTICE_SECTIONS.items()
    }


def _notice(request, tender, *, ask_form=None, status=200):
    """The notice: the sections every reader shares (`notice_sections`), and the reader's own."""
    now = db_now()
    user = request.user
    status_now = selectors.notice_status(tender, now=now)
    clarification_open = status_now.clarifications_open
    suppliers = _askable_suppliers(user) if clarification_open or ask_form else []
    if ask_form is None and clarification_open and suppliers:
        ask_form = AskForm(suppliers=_supplier_queryset(suppliers))
    context = {
        "tender": tender,
        "sections": notice_sections(request, tender),
        # The time left while bids are taken; after, what became of the tender.
        "remaining": remaining_text(tender.submission_deadline, now)
        if selectors.takes_bids(tender)
        else tender.get_state_display(),
        "status": status_now,
        "is_open": status_now.bids_open,
        "now": now,
        "countdown_words": countdown_words(),
        "clarification_open": clarification_open,
        "may_follow": has_perm(user, Perm.FOLLOW_TENDERS),
        "following": has_perm(user, Perm.FOLLOW_TENDERS)
        and selectors.is_following(user=user, tender=tender),
        "ask_form": ask_form,
        "is_supplier_member": bool(suppliers) if user.is_authenticated else False,
    }
    return render(request, "tenders/notice.html", context, status=status)


def _supplier_queryset(suppliers):
    return suppliers_by_pks(supplier.pk for supplier in suppliers)


@require_safe
def notice(request, key: str):
    return _notice(request, _public_tender(key))


@login_required
@require_POST
def follow(request, pk: int):
    tender = get_object_or_404(Tender, pk=pk)
    try:
        services.tender_follow(actor=request.user, tender=tender)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc.message)) from None
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("You follow this tender: you will hear about every change."))
    return redirect("tenders:notice", key=pk)


@login_required
@require_POST
def unfollow(request, pk: int):
    tender = get_object_or_404(Tender, pk=pk)
    try:
        services.tender_unfollow(actor=request.user, tender=tender)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied(str(exc.message)) from None
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("You no longer follow this tender."))
    return redirect("tenders:notice", key=pk)


@login_required
@require_POST
@once_per_form_token
def ask(request, pk: int):
    tender = _public_tender(str(pk))
    suppliers = _askable_suppliers(request.user)
    if not suppliers:
        raise PermissionDenied(_("Only a verified supplier's representatives may ask questions."))
    form = AskForm(request.POST, suppliers=_supplier_queryset(suppliers))
    if form.is_valid():
        try:
            clarification = services.clarification_ask(
                actor=request.user,
                tender=tender,
                supplier=form.cleaned_data["supplier"],
                question=form.cleaned_data["question"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Your question (number %(number)s) was sent to the buyer. The answer will be "
                    "published on this notice."
                )
                % {"number": localnumber(clarification.number)},
            )
            return redirect(reverse("tenders:notice", kwargs={"key": pk}) + "#clarifications")
    return _notice(request, tender, ask_form=form)


# --- the supplier's side --------------------------------------------------------------------------


def _tender_page(request, queryset, template, **context):
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = table_rows(page_obj, db_now())
    return render(request, template, {"page_obj": page_obj, "rows": rows, **context})


@login_required
@require_safe
def matching(request):
    if not selectors.uses_supplier_pages(request.user):
        raise PermissionDenied
    has_suppliers = suppliers_for_user(request.user).exists()
    return _tender_page(
        request,
        selectors.tenders_matching_user(user=request.user),
        "tenders/matching.html",
        has_suppliers=has_suppliers,
    )


@login_required
@require_safe
def following(request):
    return _tender_page(
        request, selectors.followed_tenders(user=request.user), "tenders/following.html"
    )


@login_required
@require_safe
def my_questions(request):
    if not selectors.uses_supplier_pages(request.user):
        raise PermissionDenied
    page_obj = Paginator(selectors.questions_of_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "tenders/questions.html", {"page_obj": page_obj})


@login_required
@require_safe
def invited(request):
    """The restricted tenders that the user's companies are invited to."""
    if not selectors.uses_supplier_pages(request.user):
        raise PermissionDenied
    has_suppliers = suppliers_for_user(request.user).exists()
    return _tender_page(
        request,
        selectors.invited_tenders(user=request.user),
        "tenders/invited.html",
        has_suppliers=has_suppliers,
    )
