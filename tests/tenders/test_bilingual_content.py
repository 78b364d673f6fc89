# ruff: noqa: RUF001  (Persian text is meant to be Persian)
"""What buyers and suppliers write for the public, in English, in Persian or both.

Each text is kept in the language it was written in, shown in the reader's
language, and the other language is marked as such when only it exists.
"""

from decimal import Decimal
from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from audit.models import Event
from core.money import Money
from tenders import services
from tenders.exceptions import InvalidTenderField
from tenders.models import Clarification, Item, Lot
from tests.factories import login
from tests.suppliers.factories import PDF, supplier_in_state

from .factories import tender_in_state

pytestmark = pytest.mark.django_db


def _notice(client, tender, language):
    return client.get(
        reverse("tenders:notice", kwargs={"key": tender.pk}), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()


# --- lots and items --------------------------------------------------------------------------


def test_a_lot_may_be_titled_in_persian_only_and_its_items_described_in_persian():
    # given a draft
    tender, team = tender_in_state("draft")

    # when the officer writes the lot and its item in Persian only, the unit as people write it
    lot = services.lot_add(
        actor=team.officer,
        tender=tender,
        title_fa="پل‌ها",
        description_fa="تعمیر عرشهٔ سه پل",
        estimated_value=Money("1000", "IRR"),
        items=[{"description_fa": "تعمیر عرشه", "quantity": "3", "unit": "عدد"}],
    )

    # then the English variants stay empty, and the unit is its Recommendation 20 code
    lot.refresh_from_db()
    assert (lot.title, lot.title_fa, lot.description, lot.description_fa) == (
        "",
        "پل‌ها",
        "",
        "تعمیر عرشهٔ سه پل",
    )
    assert list(lot.items.values_list("description", "description_fa", "unit")) == [
        ("", "تعمیر عرشه", "H87")
    ]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (
            lambda team, tender, lot, item: services.lot_add(
                actor=team.officer, tender=tender, title=" ", estimated_value=Money("1", "IRR")
            ),
            "title",
        ),
        (
            lambda team, tender, lot, item: services.lot_update(
                actor=team.officer, lot=lot, title="", title_fa=""
            ),
            "title",
        ),
        (
            lambda team, tender, lot, item: services.item_add(
                actor=team.officer, lot=lot, description="", quantity="1", unit="KGM"
            ),
            "description",
        ),
        (
            lambda team, tender, lot, item: services.item_update(
                actor=team.officer, item=item, description=""
            ),
            "description",
        ),
        (
            lambda team, tender, lot, item: services.item_add(
                actor=team.officer, lot=lot, description="Sand", quantity="1", unit="bags"
            ),
            "unit",
        ),
    ],
)
def test_a_text_in_neither_language_or_a_unit_off_the_list_is_refused(call, field, nothing_written):
    # given a draft whose lot and items are in English only
    tender, team = tender_in_state("draft")
    lot = tender.lots.get()
    item = lot.items.order_by("pk").first()

    # when / then refused on the field, and nothing written
    with nothing_written(), pytest.raises(InvalidTenderField) as refused:
        call(team, tender, lot, item)
    assert refused.value.field == field


def test_the_buyers_lot_form_needs_a_title_in_one_language(client):
    # given an officer on the lots step
    tender, team = tender_in_state("draft")
    login(client, team.officer)
    url = reverse("tender_admin:step_lots", args=[tender.pk])
    lots = Lot.objects.count()

    # when the lot is sent without a title, then with a Persian one only
    empty = client.post(
        url,
        {"estimated_value_amount": "1000", "estimated_value_currency": "IRR"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    persian = client.post(
        url,
        {"title_fa": "پل‌ها", "estimated_value_amount": "1000", "estimated_value_currency": "IRR"},
    )

    # then the first is refused on the title, the second added
    assert empty.status_code == 400
    assert "Write it in English, in Persian or in both." in empty.content.decode()
    assert persian.status_code == 302
    assert Lot.objects.count() == lots + 1
    assert Lot.objects.order_by("-pk").first().title_fa == "پل‌ها"


def test_the_item_form_chooses_its_unit_from_the_list(client):
    # given an officer on the lots step
    tender, team = tender_in_state("draft")
    login(client, team.officer)
    lot = tender.lots.get()
    url = reverse("tender_admin:item_add", args=[tender.pk, lot.pk])
    items = Item.objects.count()

    # when an item is sent with a unit off the list, then with one on it
    off = client.post(url, {"description": "Sand", "quantity": "3", "unit": "bags"})
    on = client.post(url, {"description_fa": "ماسه", "quantity": "3", "unit": "MTQ"})

    # then
    assert off.status_code == 400
    assert Item.objects.count() == items + 1
    assert on.status_code == 302
    assert list(lot.items.order_by("-pk").values_list("description_fa", "unit")[:1]) == [
        ("ماسه", "MTQ")
    ]
    page = client.get(
        reverse("tender_admin:step_lots", args=[tender.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert '<option value="MTQ">cubic metre (MTQ)</option>' in page


# --- the public notice ----------------------------------------------------------------------


def test_the_notice_shows_the_readers_language_and_marks_the_other(client):
    # given a published tender whose lot has a Persian title only, and a Persian item
    tender, _team = tender_in_state("published")
    lot = tender.lots.get()
    Lot.objects.filter(pk=lot.pk).update(title="", title_fa="بخش راه")
    Item.objects.filter(lot=lot).update(description_fa="قلم فارسی")

    # when both readers open the notice
    english = _notice(client, tender, "en")
    persian = _notice(client, tender, "fa")

    # then the English reader sees the Persian title marked as Persian, the items in English
    assert (
        '<span lang="fa" dir="rtl">بخش راه</span> <small class="lang-marker">(in Persian)</small>'
        in english
    )
    assert "Asphalt milling" in english
    # and the Persian reader sees Persian unmarked, and the unit's Persian label with its code
    assert "بخش راه</bdi>" in persian
    assert "قلم فارسی" in persian
    assert "(به انگلیسی)" not in persian.split('id="lots-heading"')[1].split("</section>")[0]
    assert 'متر مربع</bdi> <small class="text-body-secondary"><bdi dir="ltr">MTK</bdi>' in persian


def test_a_question_and_answer_in_persian_are_kept_and_shown_as_persian(client):
    # given a published tender and a verified supplier
    tender, team = tender_in_state("published")
    supplier, admin, _reviewer = supplier_in_state("verified")

    # when the supplier asks in Persian, and the officer answers in both languages
    clarification = services.clarification_ask(
        actor=admin, tender=tender, supplier=supplier, question="آیا کار شبانه مجاز است؟"
    )
    services.clarification_answer(
        actor=team.officer,
        clarification=clarification,
        answer="Yes, from 22:00.",
        answer_fa="بله، از ساعت ۲۲.",
    )

    # then each text is in its language's field
    clarification = Clarification.objects.get(pk=clarification.pk)
    assert (
        clarification.question,
        clarification.question_fa,
        clarification.answer,
        clarification.answer_fa,
    ) == ("", "آیا کار شبانه مجاز است؟", "Yes, from 22:00.", "بله، از ساعت ۲۲.")
    # and the English reader sees the Persian question marked, the English answer
    english = _notice(client, tender, "en")
    assert (
        '<span lang="fa" dir="rtl">آیا کار شبانه مجاز است؟</span> '
        '<small class="lang-marker">(in Persian)</small>'
    ) in english
    assert "Yes, from 22:00." in english
    assert "بله، از ساعت ۲۲." in _notice(client, tender, "fa")


def test_a_cancellation_reason_in_persian_reads_in_persian(client):
    # given a published tender
    tender, team = tender_in_state("published")

    # when the officer cancels it with a Persian reason
    services.tender_cancel(actor=team.officer, tender=tender, reason="بودجه تأمین نشد.")

    # then it is kept as Persian, and the audit event carries it
    tender.refresh_from_db()
    assert (tender.cancellation_reason, tender.cancellation_reason_fa) == ("", "بودجه تأمین نشد.")
    assert Event.objects.get(action="tender.cancelled").reason == "بودجه تأمین نشد."
    assert "بودجه تأمین نشد." in _notice(client, tender, "fa")
    assert (
        '<span lang="fa" dir="rtl">بودجه تأمین نشد.</span> '
        '<small class="lang-marker">(in Persian)</small>'
    ) in _notice(client, tender, "en")


def test_a_new_version_of_a_document_keeps_its_persian_title(client):
    # given a draft with a document titled in both languages
    tender, team = tender_in_state("draft")
    services.tender_document_upload(
        actor=team.officer,
        tender=tender,
        title="Specs",
        title_fa="مشخصات فنی",
        uploaded=SimpleUploadedFile("specs.pdf", PDF, content_type="application/pdf"),
    )

    # when a new version comes under the same title, without a Persian one
    second = services.tender_document_upload(
        actor=team.officer,
        tender=tender,
        title="Specs",
        uploaded=SimpleUploadedFile("specs2.pdf", PDF + b"%", content_type="application/pdf"),
    )

    # then it keeps the Persian title, and says so in its audit event
    assert (second.version, second.title_fa) == (2, "مشخصات فنی")
    event = Event.objects.filter(action="tender.document_uploaded").order_by("-seq").first()
    assert (event.payload["title"], event.payload["title_fa"]) == ("Specs", "مشخصات فنی")


# --- existing texts move into the language they were written in ------------------------------


def test_the_data_migration_moves_persian_texts_and_maps_free_text_units():
    # given a lot and items written before the pairs and the unit list
    tender, _team = tender_in_state("draft")
    lot = tender.lots.get()
    Lot.objects.filter(pk=lot.pk).update(title="بخش یک", title_fa="", description="English note")
    first, second = lot.items.order_by("pk")
    Item.objects.filter(pk=first.pk).update(description="تراش آسفالت", unit="m2")
    Item.objects.filter(pk=second.pk).update(unit="bags")

    # when the migration's step runs
    migration = import_module("tenders.migrations.0013_bilingual_data")
    migration.forwards(apps, SimpleNamespace(connection=connection))

    # then each text is in its language, a known unit is its code, an unknown one is kept
    lot.refresh_from_db()
    assert (lot.title, lot.title_fa, lot.description) == ("", "بخش یک", "English note")
    assert list(lot.items.order_by("pk").values_list("description", "description_fa", "unit")) == [
        ("", "تراش آسفالت", "MTK"),
        ("Asphalt concrete", "", "bags"),
    ]
    # and an unknown unit is still shown, as written
    assert Item.objects.get(pk=second.pk).unit_label == "bags"
    assert Decimal(Item.objects.get(pk=second.pk).quantity) > 0
