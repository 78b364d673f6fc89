"""The tenders API's output shapes, shared by its public, buyer and supplier endpoints."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from core import units
from core.api import MoneyField

# An error answer's schema in an endpoint's documentation.
PROBLEM = OpenApiResponse(OpenApiTypes.OBJECT, description="problem+json")


class BuyerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_fa = serializers.CharField()

    class Meta:
        ref_name = "TenderBuyer"


class ItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField(help_text="In English; empty if written only in Persian.")
    description_fa = serializers.CharField(
        help_text="In Persian; empty if written only in English."
    )
    quantity = serializers.DecimalField(max_digits=18, decimal_places=3)
    unit = serializers.CharField(
        help_text=(
            "A UN/ECE Recommendation 20 code (such as KGM); an item written before the "
            "list may keep its free text (then unit_scheme is empty)."
        )
    )
    unit_scheme = serializers.SerializerMethodField(help_text="UNCEFACT, or empty for free text.")
    unit_name = serializers.SerializerMethodField(help_text="The unit's name in English.")
    unit_name_fa = serializers.SerializerMethodField(help_text="The unit's name in Persian.")
    cpv_code = serializers.CharField()

    def get_unit_scheme(self, item) -> str:
        return units.SCHEME if units.is_valid(item.unit) else ""

    def get_unit_name(self, item) -> str:
        return units.label(item.unit, "en")

    def get_unit_name_fa(self, item) -> str:
        return units.label(item.unit, "fa")

    class Meta:
        ref_name = "TenderItem"


class LotOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    title_fa = serializers.CharField()
    description = serializers.CharField()
    description_fa = serializers.CharField()
    estimated_value = MoneyField()
    bid_security = MoneyField()
    items = ItemOutputSerializer(many=True, source="items.all")

    class Meta:
        ref_name = "TenderLot"


class TenderSummaryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    ocid = serializers.CharField()
    title = serializers.CharField()
    title_fa = serializers.CharField()
    buyer = BuyerOutputSerializer()
    procurement_method = serializers.CharField()
    main_category = serializers.CharField()
    cpv_codes = serializers.ListField(child=serializers.CharField())
    estimated_value = MoneyField()
    state = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    submission_deadline = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "TenderSummary"


class SealingKeyOutputSerializer(serializers.Serializer):
    """A tender public key: what a bidder's client seals an envelope of that kind to."""

    kind = serializers.CharField()
    public_key = serializers.CharField()
    fingerprint = serializers.CharField()

    class Meta:
        ref_name = "SealingKey"


class TenderOutputSerializer(TenderSummaryOutputSerializer):
    description = serializers.CharField()
    description_fa = serializers.CharField()
    document_fee = MoneyField()
    envelope_scheme = serializers.CharField()
    evaluation_method = serializers.CharField()
    required_documents = serializers.ListField(child=serializers.CharField())
    required_declarations = serializers.ListField(child=serializers.CharField())
    required_declarations_fa = serializers.ListField(child=serializers.CharField())
    clarification_deadline = serializers.DateTimeField(allow_null=True)
    opening_at = serializers.DateTimeField(allow_null=True)
    cancellation_reason = serializers.CharField()
    cancellation_reason_fa = serializers.CharField()
    lots = LotOutputSerializer(many=True, source="lots.all")
    sealing_keys = SealingKeyOutputSerializer(many=True, source="sealing_keys.all")
    ocds_record_url = serializers.SerializerMethodField()

    class Meta:
        ref_name = "Tender"

    def get_ocds_record_url(self, tender) -> str | None:
        if tender.published_at is None:
            return None
        return reverse("ocds-record", args=[tender.ocid])


class ClarificationOutputSerializer(serializers.Serializer):
    """A question and its answer, without who asked (never public)."""

    number = serializers.IntegerField()
    question = serializers.CharField(help_text="In English; empty if asked in Persian.")
    question_fa = serializers.CharField(help_text="In Persian; empty if asked in English.")
    asked_at = serializers.DateTimeField()
    answer = serializers.CharField(help_text="In English; empty if answered in Persian.")
    answer_fa = serializers.CharField(help_text="In Persian; empty if answered in English.")
    answered_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "TenderClarification"


class AmendmentOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    summary = serializers.CharField()
    summary_fa = serializers.CharField()
    material = serializers.BooleanField()
    changes = serializers.DictField(
        help_text=(
            "{field: {from, to}}, an amount as {amount, currency} (the Money schema); and "
            "under `documents`, a list of "
            "{change: added|new_version|withdrawn, title, [title_fa,] version, original_name, "
            "size, sha256}"
        )
    )
    notice = serializers.CharField()
    notice_fa = serializers.CharField()

    class Meta:
        ref_name = "TenderAmendment"


class DocumentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(help_text="Names the document across its versions.")
    title_fa = serializers.CharField(help_text="Its Persian beside an English title, or empty.")
    version = serializers.IntegerField()
    is_current = serializers.BooleanField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()
    amendment = serializers.SerializerMethodField(
        help_text="The number of the amendment that published this version; null before."
    )
    withdrawn_by_amendment = serializers.SerializerMethodField(
        help_text="The number of the amendment that withdrew this version, if one did."
    )

    class Meta:
        ref_name = "TenderDocument"

    def get_download_url(self, document) -> str:
        return reverse("tender_admin:document_download", args=[document.tender_id, document.pk])

    def get_amendment(self, document) -> int | None:
        return document.amendment.number if document.amendment_id else None

    def get_withdrawn_by_amendment(self, document) -> int | None:
        withdrawn = document.withdrawn_by_amendment_id
        return document.withdrawn_by_amendment.number if withdrawn else None


class InvitationOutputSerializer(serializers.Serializer):
    """An invited supplier: for the buyer's people only (who is invited is never public)."""

    class SupplierOutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "InvitedSupplier"

        id = serializers.IntegerField()
        legal_name = serializers.CharField()
        legal_name_fa = serializers.CharField()
        registration_number = serializers.CharField()
        country = serializers.CharField()

    supplier = SupplierOutputSerializer()
    invited_at = serializers.DateTimeField()
    invited_by = serializers.IntegerField(source="invited_by_id")

    class Meta:
        ref_name = "TenderInvitation"


class MyQuestionOutputSerializer(ClarificationOutputSerializer):
    class TenderOutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MyQuestionTender"

        id = serializers.IntegerField()
        reference = serializers.CharField()
        title = serializers.CharField()
        title_fa = serializers.CharField()

    tender = TenderOutputSerializer()

    class Meta:
        ref_name = "MyQuestion"
