"""Who may see which battery and attempt. Pages and API endpoints go through these helpers."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.bank_cache import bank_battery
from assessments.models import Attempt, Battery
from college.models import User
from college.models.slugs import get_by_any_slug


def batteries_visible_to(user):
    """The practice tests offered to a signed-in job-seeker; nothing for anyone else."""
    if not user.is_authenticated or user.role != User.Role.CANDIDATE:
        return Battery.objects.none()
    return Battery.objects.filter(is_active=True)


def get_battery_for(user, slug):
    """An offered battery; a 403 for other roles (they take no tests), a 404 for no such test."""
    if not user.is_authenticated or user.role != User.Role.CANDIDATE:
        raise PermissionDenied
    battery = get_by_any_slug(batteries_visible_to(user), slug)
    if battery is None:
        raise Http404
    return battery


def attempts_visible_to(user):
    """A job-seeker's own attempts. Attempts are personal: no other role sees them here."""
    if not user.is_authenticated or user.role != User.Role.CANDIDATE:
        return Attempt.objects.none()
    return Attempt.objects.filter(user=user)


def get_attempt_for(user, pk):
    """The attempt with this id if it is the user's own; a 404 otherwise, never a 403."""
    return get_object_or_404(attempts_visible_to(user).select_related("battery", "user"), pk=pk)


def get_attempt_step_for(user, pk):
    """`get_attempt_for` for the test runner's steps on the API: the attempt row alone, its
    battery from the bank kept in the process (`assessments.bank_cache`), its user the one
    given (the attempt is theirs)."""
    attempt = get_object_or_404(attempts_visible_to(user), pk=pk)
    attempt.battery = bank_battery(attempt.battery_id)
    attempt.user = user
    return attempt
