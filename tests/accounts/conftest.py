"""Helpers for the accounts tests: codes an authenticator app would show, counts of rows."""

import datetime

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Event
from core.models import OutboxMessage


def current_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code an app holding `device`'s secret shows now (or `offset_steps` later)."""
    code = totp(
        device.bin_key,
        step=device.step,
        t0=device.t0,
        digits=device.digits,
        drift=device.drift + offset_steps,
    )
    return f"{code:0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """A 6-digit code that is none of the codes the device accepts now."""
    accepted = {current_code(device, offset_steps=step) for step in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in accepted)


def give_recovery_codes(user, codes=("aaaa2222", "bbbb3333", "cccc4444")) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return device


def event_actions() -> list[str]:
    return list(Event.objects.order_by("seq").values_list("action", flat=True))


def outbox_topics() -> list[str]:
    return list(OutboxMessage.objects.order_by("pk").values_list("topic", flat=True))


@pytest.fixture
def no_otp_throttle(settings):
    """Several codes in a row within one second, as a test does: no back-off wait."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def opened_enrolment(user):
    """The second proof a user holds once they opened an enrolment link (no events written).

    The tests of the enrolment itself go through the services and pages instead.
    """
    from django.utils import timezone

    from accounts.models import EnrolmentMethod, TwoFactorEnrolment

    now = timezone.now()
    return TwoFactorEnrolment.objects.create(
        user=user,
        method=EnrolmentMethod.EMAIL,
        expires_at=now + datetime.timedelta(hours=1),
        opened_at=now,
    )


def enable_two_factor(user):
    """Set up an authenticator for `user` through the services; its device and codes."""
    from accounts.services import two_factor_enable, two_factor_start_setup

    enrolment = opened_enrolment(user)
    device = two_factor_start_setup(user=user, enrolment=enrolment)
    return two_factor_enable(user=user, token=current_code(device), enrolment=enrolment)
