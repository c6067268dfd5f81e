"""Who may see which battery and attempt. Pages and API endpoints go through these helpers."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.bank_cache import bank_battery
from assessments.models import Attempt, Battery
from college.core.compiled import Compiled, sentinel_uuid
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


# `attempts_visible_to` for one attempt of a job-seeker, compiled once (college.core.compiled).
_OWN_ATTEMPT = Compiled(
    "own attempt",
    lambda user_id, pk: (
        attempts_visible_to(User(pk=user_id, role=User.Role.CANDIDATE)).filter(pk=pk).order_by()
    ),
    user_id=-7_310_041,
    pk=sentinel_uuid(7_310_043),
)


def get_attempt_step_for(user, pk):
    """`get_attempt_for` for the test runner's steps on the API: the attempt row alone, its
    battery from the bank kept in the process (`assessments.bank_cache`), its user the one
    given (the attempt is theirs). A job-seeker's own attempt is read with the access helper's
    query compiled once; anyone else goes through the helper itself (a 404)."""
    if isinstance(pk, uuid.UUID) and user.is_authenticated and user.role == User.Role.CANDIDATE:
        attempt = _OWN_ATTEMPT.first(user_id=user.pk, pk=pk)
        if attempt is None:
            raise Http404
    else:
        attempt = get_object_or_404(attempts_visible_to(user), pk=pk)
    attempt.battery = bank_battery(attempt.battery_id)
    attempt.user = user
    return attempt
