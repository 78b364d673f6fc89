"""Validators shared by every app's forms and API fields."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Dates a person can mean on this platform: documents issued, deadlines, debarments. Outside
# them (year 1, year 9999) a date is a typo or a probe, and near the ends of Python's range
# converting it between time zones or adding a day to it overflows.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2999, 12, 31)


def validate_plausible_date(value) -> None:
    """Refuse a date or date-time outside EARLIEST_DATE … LATEST_DATE (read as written)."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between the years %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
        )
