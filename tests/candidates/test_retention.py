"""Retention: job-seekers inactive for RETENTION_MONTHS are erased, with a dry run first."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from candidates.models import CandidateProfile, ErasedProfileStatistic
from candidates.retention import purge_stale_candidates, retention_cutoff, stale_candidates
from college.models import AuditEvent, User
from tests import factories

pytestmark = pytest.mark.django_db


def years_ago(years):
    return timezone.now() - datetime.timedelta(days=365 * years)


def stale_candidate(**fields):
    user = factories.CandidateFactory(**fields)
    User.objects.filter(pk=user.pk).update(date_joined=years_ago(3), last_login=years_ago(3))
    CandidateProfile.objects.filter(user=user).update(updated_at=years_ago(3))
    return user


@pytest.fixture
def people(cast):
    return {
        "stale": stale_candidate(),
        "recent_login": factories.CandidateFactory(last_login=timezone.now()),
        "recent_attempt": stale_candidate(),
        "recent_application": stale_candidate(),
        "stale_counsellor": factories.CounsellorFactory(),
    }


def test_only_job_seekers_without_recent_activity_are_stale(people, item_bank):
    from assessments.models import Attempt, Battery

    battery = Battery.objects.first()
    Attempt.objects.create(
        battery=battery,
        user=people["recent_attempt"],
        mode="practice",
        language="fr",
        seed=1,
        deadline=timezone.now() + datetime.timedelta(hours=1),
    )
    factories.ApplicationFactory(profile=people["recent_application"].candidate_profile)
    User.objects.filter(pk=people["stale_counsellor"].pk).update(
        date_joined=years_ago(3), last_login=years_ago(3)
    )
    stale = set(stale_candidates(cutoff=retention_cutoff(months=24)))
    assert stale == {people["stale"]}


def test_a_dry_run_counts_and_erases_nothing(people, capsys):
    call_command("purge_stale_candidates", "--dry-run")
    assert "Dry run: 3 job-seeker(s)" in capsys.readouterr().out
    assert User.objects.filter(pk=people["stale"].pk).exists()
    assert not AuditEvent.objects.exists()


def test_the_purge_erases_through_the_erasure_service(people, capsys):
    call_command("purge_stale_candidates")
    assert "Erased 3 job-seeker(s)" in capsys.readouterr().out
    assert not User.objects.filter(pk=people["stale"].pk).exists()
    assert User.objects.filter(pk=people["recent_login"].pk).exists()
    assert ErasedProfileStatistic.objects.count() == 3
    erased = AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT_ERASED)
    assert erased.count() == 3
    assert {(event.actor_id, event.actor_role, event.detail) for event in erased} == {
        (None, "system", "retention")
    }


def test_the_period_is_a_setting_and_an_option(people, settings):
    settings.RETENTION_MONTHS = 48
    assert not stale_candidates(cutoff=retention_cutoff()).exists()
    call_command("purge_stale_candidates", "--months", "12")
    assert not User.objects.filter(pk=people["stale"].pk).exists()


def test_a_nonsense_period_is_refused(people):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("purge_stale_candidates", "--months", "0")
    assert User.objects.filter(pk=people["stale"].pk).exists()


def test_the_worker_task_purges_too(people):
    result = purge_stale_candidates.enqueue()
    assert result.return_value == 3
    assert not User.objects.filter(pk=people["stale"].pk).exists()


def test_the_purge_runs_a_bounded_number_of_queries_to_find_the_stale(
    people, django_assert_max_num_queries
):
    with django_assert_max_num_queries(1):
        list(stale_candidates(cutoff=retention_cutoff()))
