"""Checks on what job-seekers say about themselves, shared by their pages and the API."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

MIN_AGE = 15
EARLIEST_BIRTH_YEAR = 1900


def validate_birth_year(value):
    """A birth year is optional; given, it makes its holder at least MIN_AGE this year."""
    if value is None:
        return
    this_year = timezone.localdate().year
    if value > this_year:
        message = _("A birth year cannot be in the future.")
    elif value < EARLIEST_BIRTH_YEAR:
        message = _("Enter a birth year from %(year)s on.") % {"year": EARLIEST_BIRTH_YEAR}
    elif value > this_year - MIN_AGE:
        message = _("Passerelle is for people aged %(age)s or more this year.") % {"age": MIN_AGE}
    else:
        return
    raise ValidationError(message, code="invalid_birth_year")
