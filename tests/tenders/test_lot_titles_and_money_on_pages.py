# ruff: noqa: RUF001  (Persian text is meant to be Persian)
"""Lot titles in the reader's language, and money in its digits, on the buyer's page and notice."""

import pytest
from django.conf import settings
from django.urls import reverse

from tenders import services
from tests.factories import login

from .factories import tender_in_state

pytestmark = pytest.mark.django_db


def _published(*, title_fa: str):
    """A published one-lot tender whose lot has the Persian title `title_fa`."""
    tender, team = tender_in_state("draft")
    services.lot_update(actor=team.officer, lot=tender.lots.get(), title_fa=title_fa)
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)
    return tender, team


def _get(client, url, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _buyer_page(client, tender, team, language):
    login(client, team.officer)
    return _get(client, reverse("tender_admin:detail", args=[tender.pk]), language)


def _notice(client, tender, language):
    return _get(client, reverse("tenders:notice", kwargs={"key": tender.pk}), language)


def test_the_buyer_page_in_persian_shows_the_persian_lot_title_and_persian_money(client):
    # given a published tender whose lot has a Persian title
    tender, team = _published(title_fa="بخش راه")

    # when its officer reads its page in Persian
    html = _buyer_page(client, tender, team, "fa")

    # then the lot is titled in Persian and every amount has Persian digits and separators
    assert (
        '<h3 class="h6">بخش <bdi dir="ltr">۱</bdi>: <bdi>بخش راه</bdi> · '
        '<bdi dir="ltr">۶۰٬۰۰۰٬۰۰۰٬۰۰۰٫۰۰</bdi> <bdi>ریال</bdi></h3>'
    ) in html
    assert (
        '<dd class="col-sm-7"><bdi dir="ltr">۱۲۵٬۰۰۰٬۰۰۰٬۰۰۰٫۰۰</bdi> <bdi>ریال</bdi></dd>'
    ) in html
    assert '<dd class="col-sm-7"><bdi dir="ltr">۵٬۰۰۰٬۰۰۰٫۰۰</bdi> <bdi>ریال</bdi></dd>' in html
    assert "Section 1" not in html


def test_the_buyer_page_in_english_shows_the_english_lot_title(client):
    # given
    tender, team = _published(title_fa="بخش راه")

    # when
    html = _buyer_page(client, tender, team, "en")

    # then
    assert (
        '<h3 class="h6">Lot <bdi dir="ltr">1</bdi>: <bdi>Section 1</bdi> · '
        '<bdi dir="ltr">60,000,000,000.00</bdi> <bdi>IRR</bdi></h3>'
    ) in html
    assert '<dd class="col-sm-7"><bdi dir="ltr">125,000,000,000.00</bdi> <bdi>IRR</bdi></dd>' in (
        html
    )
    assert "بخش راه" not in html


def test_a_lot_without_a_persian_title_is_shown_in_english_in_persian(client):
    # given a lot with an English title only
    tender, team = _published(title_fa="")

    # when / then both pages fall back to the English title, marked as English
    english = (
        '<bdi><span lang="en" dir="ltr">Section 1</span> '
        '<small class="lang-marker">(به انگلیسی)</small></bdi>'
    )
    assert f'<bdi dir="ltr">۱</bdi>: {english} · ' in _buyer_page(client, tender, team, "fa")
    assert f'<h3 class="h6">بخش ۱: {english}</h3>' in _notice(client, tender, "fa")


def test_the_notice_in_persian_shows_the_persian_lot_title_and_persian_money(client):
    # given
    tender, _team = _published(title_fa="بخش راه")

    # when anyone reads the notice in Persian
    html = _notice(client, tender, "fa")

    # then
    assert '<h3 class="h6">بخش ۱: <bdi>بخش راه</bdi></h3>' in html
    assert (
        '<p class="mb-2">ارزش برآوردی: <bdi dir="ltr">۶۰٬۰۰۰٬۰۰۰٬۰۰۰٫۰۰</bdi> <bdi>ریال</bdi> · '
        'تضمین شرکت در مناقصه: <bdi dir="ltr">۱٬۲۰۰٬۰۰۰٬۰۰۰٫۰۰</bdi> <bdi>ریال</bdi></p>'
    ) in html
    assert (
        '<dd class="col-sm-8 estimated-value"><bdi dir="ltr">۱۲۵٬۰۰۰٬۰۰۰٬۰۰۰٫۰۰</bdi> '
        "<bdi>ریال</bdi></dd>"
    ) in html
    assert '<dd class="col-sm-8"><bdi dir="ltr">۵٬۰۰۰٬۰۰۰٫۰۰</bdi> <bdi>ریال</bdi></dd>' in html


def test_the_notice_in_english_shows_the_english_lot_title(client):
    # given
    tender, _team = _published(title_fa="بخش راه")

    # when
    html = _notice(client, tender, "en")

    # then
    assert '<h3 class="h6">Lot 1: <bdi>Section 1</bdi></h3>' in html
    assert (
        '<p class="mb-2">Estimated value: <bdi dir="ltr">60,000,000,000.00</bdi> <bdi>IRR</bdi> · '
        'Bid security: <bdi dir="ltr">1,200,000,000.00</bdi> <bdi>IRR</bdi></p>'
    ) in html


def test_the_public_list_shows_the_value_in_persian_digits(client):
    # given
    _published(title_fa="")

    # when
    html = _get(client, reverse("tenders:list"), "fa")

    # then
    assert (
        '<td class="text-nowrap" data-label="ارزش برآوردی">'
        '<bdi dir="ltr">۱۲۵٬۰۰۰٬۰۰۰٬۰۰۰٫۰۰</bdi> <bdi>ریال</bdi></td>'
    ) in html
