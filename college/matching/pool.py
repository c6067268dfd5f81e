"""A vacancy's pool: the job-seekers its blind shortlist ranks, and how many they are."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from candidates.models import CandidateProfile, ProfileChange
from college.core import cache_versions
from college.models import User
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
    """How many job-seekers `default_pool(vacancy)` holds, in one small query.

    The opted-in job-seekers with an active account are the same for every vacancy and
    counting them reads every profile (over 0.1 s at 100,000), so their count is kept in the
    cache under the newest ProfileChange (any change of sharing or activity appends one) and
    a generation moved on when a profile or an account is deleted (:func:`pool_members_left`).
    The vacancy's applicants who did not opt in are counted each time: an application
    appends a ProfileChange too, but that count is one index lookup.
    """
    last_change, applied_only = _newest_change_and_applied_only(vacancy)
    generation = cache_versions.current(POOL_GENERATION_KEY)
    key = f"matching:opted-in-count:{last_change}:{generation}"
    opted_in = cache.get(key)
    if opted_in is None:
        opted_in = CandidateProfile.objects.filter(
            is_visible_in_shortlists=True, user__is_active=True
        ).count()
        cache.set(key, opted_in, POOL_COUNT_SECONDS)
    return opted_in + applied_only


def _quoted(model, field=None):
    name = model._meta.db_table if field is None else model._meta.get_field(field).column
    return connection.ops.quote_name(name)


def _newest_change_and_applied_only(vacancy):
    """The newest ProfileChange's id (None when none) and how many of the vacancy's applicants,
    their application not withdrawn and their account active, did not opt in: one statement.
    Written out: every shortlist read counts its pool, and the ORM's compilation of the count's
    joins cost more than running it."""
    application, profile, user = Application, CandidateProfile, User
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT MAX({_quoted(ProfileChange, 'id')}) FROM {_quoted(ProfileChange)}),"
            f" (SELECT COUNT(*) FROM {_quoted(application)} a"
            f" INNER JOIN {_quoted(profile)} p"
            f" ON p.{_quoted(profile, 'id')} = a.{_quoted(application, 'profile')}"
            f" INNER JOIN {_quoted(user)} u"
            f" ON u.{_quoted(user, 'id')} = p.{_quoted(profile, 'user')}"
            f" WHERE a.{_quoted(application, 'vacancy')} = %s"
            f" AND a.{_quoted(application, 'reason')} <> %s"
            f" AND NOT p.{_quoted(profile, 'is_visible_in_shortlists')}"
            f" AND u.{_quoted(user, 'is_active')})",
            [vacancy.pk, Application.Reason.WITHDRAWN.value],
        )
        return cursor.fetchone()


def pool_members_left(**kwargs):
    """A profile or an account was deleted: the kept count of opted-in job-seekers is stale.

    Moved on at once and again after the commit: a count read in between, from the data before
    the deletion, is kept under the generation of the moment and must not outlive the commit.
    """
    cache_versions.move_on(POOL_GENERATION_KEY)
    transaction.on_commit(lambda: cache_versions.move_on(POOL_GENERATION_KEY), robust=True)
