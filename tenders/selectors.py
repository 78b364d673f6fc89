"""Reads about tenders that views, the API and other apps use.

The public reads never return a draft, and never say who asked a question:
public clarifications come out as `PublicClarification`, which has no asker.
"""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from accounts.models import Role
from accounts.permissions import active_roles
from accounts.selectors import active_member_ids, organisation_ids_of
from core import cpv
from core.money import Money, format_money, totals

from .exceptions import TenderNotFound
from .models import (
    PUBLIC_STATES,
    SEARCH_CONFIG,
    Amendment,
    Clarification,
    CommitteeMembership,
    Invitation,
    Item,
    KeyShare,
    Lot,
    MemberKey,
    Release,
    ReleaseHead,
    Tender,
    TenderKey,
    TenderState,
)

# --- what a tender's state means for the pages ---------------------------------------------------

# The tone of a state's badge (Bootstrap's text-bg-*), the same on every page; other states "info".
STATE_TONES = {
    TenderState.DRAFT: "secondary",
    TenderState.AWAITING_APPROVAL: "warning",
    TenderState.PUBLISHED: "success",
    TenderState.CANCELLED: "danger",
    TenderState.UNSUCCESSFUL: "danger",
}


def state_tone(state: str) -> str:
    return STATE_TONES.get(state, "info")


def is_draft(tender: Tender) -> bool:
    """Whether the tender is still a draft: its content changes only then (after, by amendment)."""
    return tender.state == TenderState.DRAFT


def takes_bids(tender: Tender) -> bool:
    """Published: bids are taken until the submission deadline (closing after it is bookkeeping)."""
    return tender.state == TenderState.PUBLISHED


def bids_open(tender: Tender, *, now) -> bool:
    """Whether a bid would be accepted at `now` (the database time)."""
    return (
        takes_bids(tender)
        and tender.submission_deadline is not None
        and now < tender.submission_deadline
    )


def clarifications_open(tender: Tender, *, now) -> bool:
    """Whether a question would be accepted at `now` (the database time)."""
    return (
        takes_bids(tender)
        and tender.clarification_deadline is not None
        and now < tender.clarification_deadline
    )


def pending_return_reasons(tender: Tender) -> str:
    """The approver's reasons for returning the draft, while it is a draft again ("" else)."""
    return tender.return_reasons if is_draft(tender) else ""


@dataclass(frozen=True)
class NoticeStatus:
    """What a notice says about the tender at one moment, each fact named once."""

    bids_open: bool
    clarifications_open: bool
    # Published, but the clarification deadline has passed.
    clarifications_over: bool
    cancelled: bool
    unsuccessful: bool


def notice_status(tender: Tender, *, now) -> NoticeStatus:
    questions = clarifications_open(tender, now=now)
    return NoticeStatus(
        bids_open=bids_open(tender, now=now),
        clarifications_open=questions,
        clarifications_over=takes_bids(tender) and not questions,
        cancelled=tender.state == TenderState.CANCELLED,
        unsuccessful=tender.state == TenderState.UNSUCCESSFUL,
    )


@dataclass(frozen=True)
class PublicClarification:
    """A published question and its answer, as everyone may read them (no asker)."""

    number: int
    question: str
    question_fa: str
    asked_at: object
    answer: str
    answer_fa: str
    answered_at: object


PUBLIC_CLARIFICATION_FIELDS = (
    "pk",
    "tender_id",
    "number",
    "question",
    "question_fa",
    "asked_at",
    "answer",
    "answer_fa",
    "answered_at",
)


def public_tenders() -> QuerySet[Tender]:
    """Every tender that was ever published, newest publication first."""
    return (
        Tender.objects.filter(state__in=PUBLIC_STATES, published_at__isnull=False)
        .select_related("buyer")
        .defer("search_document")  # the search reads it in the database, nobody in Python
        .order_by("-published_at", "-pk")
    )


def public_tender(*, pk=None, ocid: str | None = None, reference: str | None = None) -> Tender:
    """A public tender's row, with its buyer, `invited_count` and `last_release` (one query).

    `invited_count` is how many suppliers a restricted tender invited (0 for
    the others): the public notice says how many, never who. `last_release` is
    the sequence number of its last OCDS release, the version of its notice.
    """
    given = {"pk": pk, "ocid": ocid, "reference__iexact": reference}
    lookup = {key: value for key, value in given.items() if value is not None}
    if len(lookup) != 1:
        raise ValueError("Give exactly one of pk, ocid and reference.")
    try:
        # `get` drops the list's order: one row by its key has nothing to sort.
        return (
            public_tenders()
            .annotate(invited_count=_invited_count(), last_release=_last_release())
            .get(**lookup)
        )
    except Tender.DoesNotExist:
        raise TenderNotFound() from None


def public_tender_sections(tender: Tender) -> Tender:
    """Load what a public notice's sections show onto `tender` (five queries, whatever their size).

    Lots with their items, amendments, the sealing keys and published clarifications; the
    clarifications are on `tender.public_clarifications`, a list of
    `PublicClarification` in their order (never the asker).
    """
    prefetch_related_objects(
        [tender],
        Prefetch(
            "lots",
            queryset=Lot.objects.order_by("number").prefetch_related(
                Prefetch("items", queryset=Item.objects.order_by("pk"))
            ),
        ),
        Prefetch("amendments", queryset=Amendment.objects.order_by("number")),
        Prefetch("sealing_keys", queryset=sealing_keys_in_order()),
        Prefetch(
            "clarifications",
            queryset=Clarification.objects.filter(published=True)
            .order_by("number")
            .only(*PUBLIC_CLARIFICATION_FIELDS),
            to_attr="_published_clarifications",
        ),
    )
    tender.public_clarifications = [
        PublicClarification(
            number=c.number,
            question=c.question,
            question_fa=c.question_fa,
            asked_at=c.asked_at,
            answer=c.answer,
            answer_fa=c.answer_fa,
            answered_at=c.answered_at,
        )
        for c in tender._published_clarifications
    ]
    del tender._published_clarifications
    return tender


def public_tender_detail(*, pk=None, ocid: str | None = None) -> Tender:
    """A public tender with its lots and items, amendments and public clarifications.

    Six queries whatever the number of lots, items, amendments and questions,
    and whatever the procurement method (`public_tender`, then
    `public_tender_sections`).
    """
    return public_tender_sections(public_tender(pk=pk, ocid=ocid))


def releases_published() -> int:
    """How many OCDS releases are published (`ReleaseHead`, one indexed read).

    Every change the public sees publishes a release, and the count grows in
    commit order: it versions everything public, and nothing else moves it.
    """
    return ReleaseHead.objects.filter(pk=1).values_list("count", flat=True).first() or 0


def _last_release():
    """The outer tender's last release sequence number (0 before publication), as a subquery.

    A tender's releases are made under its row lock, so this grows in commit
    order for that tender: it versions the tender's public notice.
    """
    last = Release.objects.filter(tender=OuterRef("pk")).order_by("-sequence").values("sequence")
    return Coalesce(Subquery(last[:1], output_field=IntegerField()), 0)


def _invited_count():
    """How many suppliers the outer tender invited, as a subquery (0 for none)."""
    counted = (
        Invitation.objects.filter(tender=OuterRef("pk"))
        .order_by()
        .values("tender")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def tender_for_buyer(*, pk) -> Tender:
    """Any tender (drafts too) with what its buyer's people work on; check access first."""
    tender = (
        Tender.objects.select_related("buyer", "approver", "created_by", "submitted_by")
        .prefetch_related(
            Prefetch(
                "lots",
                queryset=Lot.objects.order_by("number").prefetch_related(
                    Prefetch("items", queryset=Item.objects.order_by("pk"))
                ),
            ),
            Prefetch(
                "committee_memberships",
                queryset=CommitteeMembership.objects.select_related("user").order_by("kind", "pk"),
            ),
            Prefetch("amendments", queryset=Amendment.objects.order_by("number")),
            Prefetch("sealing_keys", queryset=sealing_keys_in_order()),
            Prefetch(
                "clarifications",
                queryset=Clarification.objects.select_related("asked_by_organisation").order_by(
                    "number"
                ),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if tender is None:
        raise TenderNotFound()
    return tender


def buyer_tender_groups(*, user) -> list[dict]:
    """`buyer_tenders` grouped by state, in the state machine's order (empty groups left out)."""
    tenders = list(buyer_tenders(user=user))
    groups = [
        {"state": state, "label": label, "tenders": [t for t in tenders if t.state == state]}
        for state, label in TenderState.choices
    ]
    return [group for group in groups if group["tenders"]]


def buyer_tenders(*, user) -> QuerySet[Tender]:
    """Tenders of every procuring entity in which `user` actively holds a role."""
    return (
        Tender.objects.filter(buyer_id__in=organisation_ids_of(user))
        .select_related("buyer")
        .order_by("-created_at", "-pk")
    )


def tenders_awaiting_approval(*, user) -> QuerySet[Tender]:
    """The tenders waiting for `user`'s approval, oldest submission first."""
    return (
        Tender.objects.filter(state=TenderState.AWAITING_APPROVAL, approver=user)
        .select_related("buyer")
        .order_by("submitted_at", "pk")
    )


def cpv_prefix(code: str) -> str:
    """The part of a CPV code that a match shares: its division, or its group when finer.

    "45000000-7" (a division) → "45"; "45233120-6" (finer than a group) → "452".
    """
    digits = code.split("-")[0].rstrip("0")
    return cpv.division(code) if len(digits) <= 2 else code[:3]


def tenders_matching_supplier(*, supplier) -> QuerySet[Tender]:
    """Published tenders in the supplier's CPV categories (same division, or same group).

    A tender matches when any of its codes (main or additional) starts with
    the prefix of one of the supplier's codes (`cpv_prefix`). Deadline first.
    """
    prefixes = sorted({cpv_prefix(code) for code in supplier.cpv_codes or []})
    if not prefixes:
        return Tender.objects.none()
    condition = Q()
    for prefix in prefixes:
        condition |= Q(cpv_index__contains=f" {prefix}")
    return (
        Tender.objects.filter(condition, state=TenderState.PUBLISHED)
        .select_related("buyer")
        .order_by("submission_deadline", "pk")
    )


def supplier_questions(*, supplier) -> QuerySet[Clarification]:
    """The questions the supplier's organisation asked, newest first, with their tenders."""
    return (
        Clarification.objects.filter(asked_by_organisation_id=supplier.organisation_id)
        .select_related("tender", "asked_by")
        .order_by("-asked_at", "-pk")
    )


def followed_tenders(*, user) -> QuerySet[Tender]:
    return (
        Tender.objects.filter(
            follows__user=user, state__in=PUBLIC_STATES, published_at__isnull=False
        )
        .select_related("buyer")
        .order_by("submission_deadline", "pk")
    )


def is_following(*, user, tender) -> bool:
    return user.is_authenticated and tender.follows.filter(user=user).exists()


# --- the public portal and the supplier side (tenders/views.py) ---------------------------------

SEARCH_FIELDS = ("title", "title_fa", "description", "description_fa")


def search_public_tenders(queryset: QuerySet[Tender], query: str) -> QuerySet[Tender]:
    """Tenders of `queryset` whose titles or descriptions (both languages) match `query`.

    PostgreSQL: full-text search on the stored `search_document` (kept by a trigger,
    titles weighted above descriptions, the "simple" configuration as Persian has no
    stemmer there; GIN index in migration 0005), annotated with `search_rank`.
    SQLite: every word of the query in one of the fields (icontains).
    """
    from django.db import connection

    query = " ".join(query.split())
    if not query:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        search = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        return queryset.filter(search_document=search).annotate(
            search_rank=SearchRank(F("search_document"), search)
        )
    for word in query.split():
        condition = Q()
        for name in SEARCH_FIELDS:
            condition |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset


def tenders_matching_user(*, user) -> QuerySet[Tender]:
    """Published tenders in the CPV categories of any of the user's companies."""
    from suppliers.selectors import suppliers_for_user

    condition = Q()
    for supplier in suppliers_for_user(user).only("pk", "cpv_codes"):
        for prefix in {cpv_prefix(code) for code in supplier.cpv_codes or []}:
            condition |= Q(cpv_index__contains=f" {prefix}")
    if not condition:
        return Tender.objects.none()
    return (
        Tender.objects.filter(condition, state=TenderState.PUBLISHED)
        .select_related("buyer")
        .order_by("submission_deadline", "pk")
    )


def questions_of_user(*, user) -> QuerySet[Clarification]:
    """The questions asked for the user's companies (by anyone in them), newest first."""
    from suppliers.selectors import suppliers_for_user

    organisations = suppliers_for_user(user).values("organisation_id")
    return (
        Clarification.objects.filter(asked_by_organisation_id__in=organisations)
        .select_related("tender", "asked_by")
        .order_by("-asked_at", "-pk")
    )


def followed_closing_within(*, user, now, within) -> QuerySet[Tender]:
    """Open tenders the user follows whose submission deadline is within `within` of `now`."""
    return followed_tenders(user=user).filter(
        state=TenderState.PUBLISHED,
        submission_deadline__gt=now,
        submission_deadline__lte=now + within,
    )


def tenders_due_for_reminder(*, now, start, end) -> QuerySet[Tender]:
    """Open tenders with followers whose deadline is in (now + start, now + end]."""
    return Tender.objects.filter(
        state=TenderState.PUBLISHED,
        submission_deadline__gt=now + start,
        submission_deadline__lte=now + end,
        follows__isnull=False,
    ).distinct()


def public_feed_entries(*, limit: int = 50) -> list[dict]:
    """What happened to public tenders, newest first (the Atom feed).

    One entry per publication, amendment, closing for bids and cancellation
    (`kind`: published, amended, closed, cancelled), four queries whatever the
    size: each kind's newest `limit`, merged.
    """
    public = public_tenders()
    publications = [
        {"kind": "published", "tender": tender, "amendment": None, "at": tender.published_at}
        for tender in public[:limit]
    ]
    closings = [
        {"kind": "closed", "tender": tender, "amendment": None, "at": tender.closed_at}
        for tender in public.filter(closed_at__isnull=False).order_by("-closed_at", "-pk")[:limit]
    ]
    cancellations = [
        {"kind": "cancelled", "tender": tender, "amendment": None, "at": tender.cancelled_at}
        for tender in public.filter(
            state=TenderState.CANCELLED, cancelled_at__isnull=False
        ).order_by("-cancelled_at", "-pk")[:limit]
    ]
    amendments = [
        {
            "kind": "amended",
            "tender": amendment.tender,
            "amendment": amendment,
            "at": amendment.created_at,
        }
        for amendment in Amendment.objects.filter(
            tender__state__in=PUBLIC_STATES, tender__published_at__isnull=False
        )
        .select_related("tender", "tender__buyer")
        .order_by("-created_at", "-pk")[:limit]
    ]
    order = {"published": 0, "amended": 1, "closed": 2, "cancelled": 3}
    entries = sorted(
        publications + amendments + closings + cancellations,
        key=lambda entry: (
            entry["at"],
            order[entry["kind"]],
            entry["amendment"].number if entry["amendment"] else 0,
        ),
        reverse=True,
    )
    return entries[:limit]


def public_tender_documents(tender: Tender):
    """Every version of a public tender's documents, each title's newest version first.

    With the amendment that published each version and the one that withdrew it.
    """
    from .models import TenderDocument

    return (
        TenderDocument.objects.filter(tender=tender)
        .select_related("amendment", "withdrawn_by_amendment")
        .order_by("title", "-version", "pk")
    )


# --- restricted tenders: invitations --------------------------------------------------------------


def supplier_may_take_part(*, tender: Tender, supplier) -> bool:
    """Whether `supplier` may take part (ask, bid): any for open and RFQ, the invited if restricted.

    Eligibility (verified, not debarred, documents valid) is a separate check:
    `suppliers.selectors.supplier_eligibility`.
    """
    from .models import Invitation, ProcurementMethod

    if tender.procurement_method != ProcurementMethod.RESTRICTED:
        return True
    return Invitation.objects.filter(tender=tender, supplier_id=supplier.pk).exists()


def invited_tenders(*, user) -> QuerySet[Tender]:
    """Public tenders that any of the user's companies is invited to, deadline first."""
    from suppliers.selectors import suppliers_for_user

    return (
        Tender.objects.filter(
            invitations__supplier__in=suppliers_for_user(user).values("pk"),
            state__in=PUBLIC_STATES,
            published_at__isnull=False,
        )
        .distinct()
        .select_related("buyer")
        .order_by("submission_deadline", "pk")
    )


def invited_tender_ids(*, user, tender_ids) -> set[int]:
    """Which of `tender_ids` any of the user's companies is invited to (one query)."""
    from suppliers.selectors import suppliers_for_user

    from .models import Invitation

    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Invitation.objects.filter(
            tender_id__in=list(tender_ids),
            supplier__in=suppliers_for_user(user).values("pk"),
        ).values_list("tender_id", flat=True)
    )


def tender_invitations(*, tender: Tender):
    """The tender's invitations with their suppliers, in the order they were made.

    For the buyer's people only: who is invited is never public.
    """
    from .models import Invitation

    return (
        Invitation.objects.filter(tender=tender)
        .select_related("supplier", "invited_by")
        .order_by("invited_at", "pk")
    )


def invited_supplier_people(*, tender: Tender) -> list[int]:
    """The active people of every supplier invited to `tender` (user ids, each once)."""
    from .models import Invitation

    organisations = Invitation.objects.filter(tender=tender).values("supplier__organisation_id")
    return active_member_ids(organisations)


def invitable_suppliers(*, tender: Tender, query: str = "", limit: int = 20):
    """Suppliers that may bid now, matching `query` (name or registration number), not invited.

    `suppliers.selectors.suppliers_eligible_now` (the eligibility rule in one
    query), less those this tender already invited.
    """
    from suppliers.selectors import suppliers_eligible_now

    return suppliers_eligible_now(query=query).exclude(tender_invitations__tender=tender)[:limit]


# --- amounts that must agree -----------------------------------------------------------


@dataclass(frozen=True)
class LotValues:
    """A tender's estimate beside the sum of its lots' estimated values, in each currency.

    Amounts in two currencies are never added: `totals` has one sum per
    currency the lots use. The lots agree with the estimate when they are all
    in its currency (`one_currency`) and add up to it (`agrees`).
    """

    estimate: Money
    totals: dict[str, Money]

    @property
    def one_currency(self) -> bool:
        return set(self.totals) <= {self.estimate.currency.code}

    @property
    def lots_total(self) -> Money | None:
        """The lots' sum in the estimate's currency (None when they use another one too)."""
        if not self.one_currency:
            return None
        return self.totals.get(self.estimate.currency.code, Money(0, self.estimate.currency))

    @property
    def agrees(self) -> bool:
        return self.lots_total == self.estimate

    @property
    def warning(self) -> str:
        """What the buyer should know when lots exist and do not add up to the estimate."""
        if not self.totals or self.agrees:
            return ""
        if not self.one_currency:
            return _(
                "Some lots are valued in another currency than the tender's estimate "
                "(%(currencies)s): their values cannot be added up and compared with it."
            ) % {"currencies": ", ".join(self.totals)}
        total, estimate = self.lots_total, self.estimate
        params = {
            "total": format_money(total),
            "estimate": format_money(estimate),
            "difference": format_money(abs(total - estimate)),
        }
        if total < estimate:
            return (
                _(
                    "The lots add up to %(total)s: %(difference)s less than the tender's "
                    "estimate of %(estimate)s."
                )
                % params
            )
        return (
            _(
                "The lots add up to %(total)s: %(difference)s more than the tender's "
                "estimate of %(estimate)s."
            )
            % params
        )


def lot_values(tender: Tender) -> LotValues:
    """The tender's estimate and its lots' sums per currency (prefetched lots are reused)."""
    return LotValues(
        estimate=tender.estimated_value,
        totals=totals(lot.estimated_value for lot in tender.lots.all()),
    )


def detail_actions(user, tender) -> dict[str, bool]:
    """What `user` may do now on the buyer's detail page of `tender`, action by action.

    The permission (its rule knows the per-tender conditions: four eyes, draft
    only, open for bids) and, for the workflow, whether the state machine
    allows the transition (`can_proceed`).
    """
    from accounts.permissions import Perm

    def may(perm):
        return user.has_perm(str(perm), tender)

    prepare = may(Perm.DRAFT_TENDER)
    decide = may(Perm.DECIDE_APPROVAL)
    cancel = may(Perm.CANCEL_TENDER)
    return {
        "submit": prepare and can_proceed(tender.submit_for_approval),
        "approve": decide and can_proceed(tender.approve_and_publish),
        "return": decide and can_proceed(tender.return_to_draft),
        "cancel": cancel and can_proceed(tender.cancel),
        "unsuccessful": cancel and can_proceed(tender.declare_unsuccessful),
        "amend": may(Perm.AMEND_TENDER),
        "answer": may(Perm.ANSWER_CLARIFICATIONS),
        "edit": may(Perm.EDIT_DRAFT_TENDER),
    }


# The roles whose holders use the supplier's and the buyer's tender pages.
SUPPLIER_SIDE_ROLES = {Role.SUPPLIER_ADMIN, Role.BIDDER}
BUYER_SIDE_ROLES = {
    Role.PROCUREMENT_OFFICER,
    Role.APPROVER,
    Role.COMMITTEE_MEMBER,
    Role.EVALUATOR,
    Role.CONTRACT_MANAGER,
}


def uses_supplier_pages(user) -> bool:
    """The supplier's tender pages (matching, invited, questions): a supplier's people, or
    someone who holds no role yet (who is shown how to register a company).

    A buyer's official or an auditor would only ever see an empty list there: they are
    refused instead, so that nobody mistakes an empty list for "nothing to do".
    """
    roles = active_roles(user)
    return not roles or bool(roles & SUPPLIER_SIDE_ROLES)


def uses_buyer_pages(user) -> bool:
    """The buyer's tender list: the people of a procuring entity."""
    return bool(active_roles(user) & BUYER_SIDE_ROLES)


def committee_members(tender: Tender) -> list:
    """The tender's opening committee, in the order they were named (share i is member i's)."""
    return [
        membership.user
        for membership in CommitteeMembership.objects.filter(tender=tender, kind="opening")
        .select_related("user")
        .order_by("pk")
    ]


def is_committee_member(user, tender: Tender) -> bool:
    """Whether `user` is on the tender's opening committee."""
    return (
        bool(getattr(user, "pk", None))
        and CommitteeMembership.objects.filter(
            tender=tender, kind="opening", user_id=user.pk
        ).exists()
    )


def current_member_key(user) -> MemberKey | None:
    """The member's current (not retired) opening key, if any."""
    return MemberKey.objects.filter(user_id=user.pk, retired_at__isnull=True).first()


def member_keys(user) -> QuerySet[MemberKey]:
    """Every opening key the member has had, the current first."""
    return MemberKey.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


def member_key_of_user(user, fingerprint: str) -> MemberKey | None:
    return MemberKey.objects.filter(user_id=user.pk, fingerprint=fingerprint).first()


def members_without_key(tender: Tender) -> list:
    """The opening committee members who have no current opening key."""
    members = committee_members(tender)
    holding = set(
        MemberKey.objects.filter(
            user_id__in=[member.pk for member in members], retired_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    return [member for member in members if member.pk not in holding]


def sealing_keys_in_order() -> QuerySet[TenderKey]:
    """Tender keys in the envelopes' order: single, or technical then financial."""
    return TenderKey.objects.order_by(
        Case(When(kind="technical", then=0), When(kind="financial", then=1), default=0), "pk"
    )


def tender_sealing_keys(tender: Tender) -> list[TenderKey]:
    """The tender's public keys, one per envelope kind (none before publication)."""
    return list(sealing_keys_in_order().filter(tender=tender))


def member_key_shares(*, user, tender: Tender) -> QuerySet[KeyShare]:
    """The member's sealed shares of the tender's keys."""
    return (
        KeyShare.objects.filter(tender_key__tender=tender, member_id=user.pk)
        .select_related("tender_key", "member_key")
        .order_by("tender_key__kind")
    )
