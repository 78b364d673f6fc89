# ruff: noqa: RUF001  (Persian text is meant to be Persian)
"""Words in their context and messages in the reader's units: file sizes, states, countdowns."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.exceptions import UploadRejected
from core.templatetags.panjere import filesize
from core.uploads import check_upload
from suppliers.models import SupplierState
from tenders.models import ProcurementMethod, TenderState
from tenders.views import remaining_text

MB = 1024 * 1024
PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.mark.parametrize(
    ("size", "english", "persian"),
    [
        (1, "1 byte", "۱ بایت"),
        (64, "64 bytes", "۶۴ بایت"),
        (2048, "2 kB", "۲ کیلوبایت"),
        (1536, "1.5 kB", "۱٫۵ کیلوبایت"),
        (5 * MB + 200_000, "5.2 MB", "۵٫۲ مگابایت"),
        (10 * MB, "10 MB", "۱۰ مگابایت"),
        (3 * 1024 * MB, "3 GB", "۳ گیگابایت"),
    ],
)
def test_a_file_size_reads_in_the_readers_units_and_digits(size, english, persian):
    with translation.override("en"):
        assert filesize(size) == english
    with translation.override("fa"):
        assert filesize(size) == persian


class _Big(SimpleUploadedFile):
    """A PDF that says it is `size` bytes long, without holding them."""

    def __init__(self, size):
        super().__init__("big.pdf", PDF, content_type="application/pdf")
        self.size = size


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "The file is too large: 6 MB; the limit is 5 MB."),
        ("fa", "پرونده بیش از اندازه بزرگ است: ۶ مگابایت؛ بیشینهٔ مجاز ۵ مگابایت است."),
    ],
)
def test_a_file_too_large_is_refused_in_megabytes_not_bytes(language, message):
    with translation.override(language), pytest.raises(UploadRejected) as raised:
        check_upload(_Big(6 * MB), max_bytes=5 * MB, types={"application/pdf"})

    assert str(raised.value) == message
    # the API still carries the exact numbers
    assert raised.value.params == {"size": 6 * MB, "limit": 5 * MB}


def test_a_file_within_the_limit_passes():
    checked = check_upload(
        SimpleUploadedFile("ok.pdf", PDF), max_bytes=5 * MB, types={"application/pdf"}
    )
    assert (checked.size, checked.content_type) == (len(PDF), "application/pdf")


def test_the_open_procedure_is_an_adjective_not_the_verb():
    with translation.override("fa"):
        assert str(ProcurementMethod.OPEN.label) == "باز"
        assert str(ProcurementMethod.RESTRICTED.label) == "محدود"
        assert translation.pgettext("verb: open a notification", "Open") == "باز کردن"


@pytest.mark.parametrize(
    ("label", "persian"),
    [
        (TenderState.DRAFT.label, "پیش‌نویس"),
        (TenderState.AWAITING_APPROVAL.label, "در انتظار تأیید"),
        (TenderState.PUBLISHED.label, "منتشرشده"),
        (TenderState.CLOSED.label, "بسته‌شده"),
        (TenderState.CANCELLED.label, "لغوشده"),
        (TenderState.UNSUCCESSFUL.label, "ناموفق"),
        (SupplierState.VERIFIED.label, "تأییدشده"),
        (SupplierState.SUSPENDED.label, "تعلیق‌شده"),
        (SupplierState.CHANGES_REQUESTED.label, "نیازمند اصلاح"),
    ],
)
def test_states_read_as_states(label, persian):
    with translation.override("fa"):
        assert str(label) == persian
    with translation.override("en"):
        assert str(label) != persian


def test_a_countdown_that_ran_out_says_the_deadline_has_passed():
    deadline = datetime.datetime(2029, 7, 6, 9, 0, tzinfo=datetime.UTC)
    with translation.override("fa"):
        assert remaining_text(deadline, deadline) == "مهلت به پایان رسید"
    with translation.override("en"):
        assert remaining_text(deadline, deadline) == "Closed"


@pytest.mark.parametrize(
    ("template", "context", "english", "persian"),
    [
        (
            "accounts/email/password_reset.txt",
            {"timeout_hours": 24},
            "expires after 24 hours.",
            "پس از ۲۴ ساعت منقضی می‌شود.",
        ),
        (
            "accounts/email/verify_email.txt",
            {"max_age_days": 3},
            "expires after 3 days.",
            "پس از ۳ روز منقضی می‌شود.",
        ),
        (
            "accounts/email/two_factor_enrolment.txt",
            {"max_age_minutes": 60},
            "expires after 60 minutes.",
            "پس از ۶۰ دقیقه منقضی می‌شود.",
        ),
    ],
)
def test_an_emails_expiry_is_in_the_readers_digits(template, context, english, persian):
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    context = {**context, "user": SimpleNamespace(name="Leila"), "link": "https://x.example/"}
    with translation.override("en"):
        assert english in render_to_string(template, context)
    with translation.override("fa"):
        assert persian in render_to_string(template, context)
