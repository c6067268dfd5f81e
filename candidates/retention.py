"""Retention: job-seekers inactive for RETENTION_MONTHS are erased, as if they asked for it.

Inactive means nothing dated after the cutoff: no login, no profile change, no practice test
started, no application made or moved, no enrolment asked. Erasure goes through
`candidates.services.candidate_erase`, which keeps the anonymous statistics and records the
erasure in the audit log under the system's name.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from candidates.services import candidate_erase
from college.models import User


def retention_cutoff(*, months=None, now=None):
    months = settings.RETENTION_MONTHS if months is None else months
    now = now or timezone.now()
    # A month counted as 30.44 days: a day either way does not matter at this scale.
    return now - datetime.timedelta(days=round(months * 30.44))


def stale_candidates(*, cutoff):
    """Job-seekers with no activity since `cutoff` (see the module docstring)."""
    recent = (
        Q(date_joined__gte=cutoff)
        | Q(last_login__gte=cutoff)
        | Q(candidate_profile__updated_at__gte=cutoff)
        | Q(attempts__started_at__gte=cutoff)
        | Q(candidate_profile__applications__created_at__gte=cutoff)
        | Q(candidate_profile__applications__stage_changed_at__gte=cutoff)
        | Q(enrolments__created_at__gte=cutoff)
        | Q(enrolments__result_recorded_at__gte=cutoff)
    )
    active_ids = User.objects.filter(role=User.Role.CANDIDATE).filter(recent).values("pk")
    return (
        User.objects.filter(role=User.Role.CANDIDATE, is_staff=False, is_superuser=False)
        .exclude(pk__in=active_ids)
        .order_by("pk")
    )


def stale_candidates_purge(*, months=None, dry_run=False, batch_size=100):
    """Erases the stale job-seekers one by one; returns how many (or would be, in a dry run)."""
    cutoff = retention_cutoff(months=months)
    stale = stale_candidates(cutoff=cutoff)
    if dry_run:
        return stale.count()
    erased = 0
    while True:
        batch = list(stale[:batch_size])
        if not batch:
            return erased
        for user in batch:
            # One transaction per person: a failure leaves the others erased and itself intact.
            candidate_erase(user=user, erased_by=None, reason="retention")
            erased += 1


@task()
def purge_stale_candidates(months=None):
    """The retention job for the task worker; schedule it daily (see deploy/)."""
    return stale_candidates_purge(months=months)
