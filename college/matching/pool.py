"""A vacancy's pool: the job-seekers its blind shortlist ranks, and how many they are."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from candidates.models import CandidateProfile, ProfileChange
from college.core import cache_versions
from employers.models import Application


def default_pool(vacancy):
    """Job-seekers who opted in to blind shortlists, and those who applied to the vacancy.

    A withdrawn application no longer counts (the job-seeker was told the employer stops
    seeing their profile), nor does a deactivated account.
    """
    applied = Application.objects.filter(vacancy=vacancy, profile=OuterRef("pk")).exclude(
        reason=Application.Reason.WITHDRAWN
    )
    return CandidateProfile.objects.filter(
        Q(is_visible_in_shortlists=True) | Exists(applied), user__is_active=True
    )


POOL_COUNT_SECONDS = 300
POOL_GENERATION_KEY = "matching:pool-generation"


def default_pool_count(vacancy):
    """How many job-seekers `default_pool(vacancy)` holds, in two small queries.

    The opted-in job-seekers with an active account are the same for every vacancy and
    counting them reads every profile (over 0.1 s at 100,000), so their count is kept in the
    cache under the newest ProfileChange (any change of sharing or activity appends one) and
    a generation moved on when a profile or an account is deleted (:func:`pool_members_left`).
    The vacancy's applicants who did not opt in are counted each time: an application
    appends a ProfileChange too, but that count is one index lookup.
    """
    last_change = ProfileChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    generation = cache_versions.current(POOL_GENERATION_KEY)
    key = f"matching:opted-in-count:{last_change}:{generation}"
    opted_in = cache.get(key)
    if opted_in is None:
        opted_in = CandidateProfile.objects.filter(
            is_visible_in_shortlists=True, user__is_active=True
        ).count()
        cache.set(key, opted_in, POOL_COUNT_SECONDS)
    applied_only = (
        Application.objects.filter(
            vacancy=vacancy,
            profile__is_visible_in_shortlists=False,
            profile__user__is_active=True,
        )
        .exclude(reason=Application.Reason.WITHDRAWN)
        .count()
    )
    return opted_in + applied_only


def pool_members_left(**kwargs):
    """A profile or an account was deleted: the kept count of opted-in job-seekers is stale.

    Moved on at once and again after the commit: a count read in between, from the data before
    the deletion, is kept under the generation of the moment and must not outlive the commit.
    """
    cache_versions.move_on(POOL_GENERATION_KEY)
    transaction.on_commit(lambda: cache_versions.move_on(POOL_GENERATION_KEY), robust=True)
