"""E-mail alerts: a newly published vacancy that reaches a job-seeker's chosen threshold."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates.models import CandidateProfile
from college import matching
from employers.models import MatchAlert, Vacancy
from employers.services import vacancy_set_status
from employers.shortlists.alerts import match_alert_recipients, match_alerts_send
from tests import factories

pytestmark = pytest.mark.django_db


def job_seeker(*, threshold, evidence=None, skill=None, language="fr", email=None):
    """A job-seeker holding `skill` at level 2 with `evidence` (None: not held)."""
    user = factories.CandidateFactory(
        preferred_language=language, **({"email": email} if email else {})
    )
    profile = CandidateProfile.objects.get(user=user)
    profile.match_alert_threshold = threshold
    profile.save()
    if evidence is not None:
        factories.CandidateSkillFactory(profile=profile, skill=skill, level=2, evidence=evidence)
    return profile


@pytest.fixture
def draft(reference_data):
    """A draft vacancy asking one essential skill at level 2, nothing else (no commune fit:
    the job-seekers below have no commune, C = 0.5)."""
    vacancy = factories.VacancyFactory(status=Vacancy.Status.DRAFT, published_at=None)
    skill = factories.SkillFactory()
    factories.VacancySkillFactory(vacancy=vacancy, skill=skill, importance="essential", min_level=2)
    return vacancy, skill


@pytest.fixture
def people(draft):
    _vacancy, skill = draft
    # Training-certified: 70 + 20 + 5 + 2.5 = 97.5 → 98. Self-declared: 42 + 27.5 = 69.5 → 70.
    # Not held: 27.5 → 28.
    return {
        "certified_90": job_seeker(
            threshold=90, evidence="training_certified", skill=skill, email="a@example.org"
        ),
        "declared_70": job_seeker(
            threshold=70,
            evidence="self_declared",
            skill=skill,
            language="nl",
            email="b@example.org",
        ),
        "declared_80": job_seeker(threshold=80, evidence="self_declared", skill=skill),
        "none_60": job_seeker(threshold=60),
        "certified_off": job_seeker(threshold=None, evidence="training_certified", skill=skill),
    }


def publish(vacancy, capture):
    with capture(execute=True):
        vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.PUBLISHED)


def test_publishing_emails_exactly_those_at_or_above_their_threshold(
    draft, people, mailoutbox, django_capture_on_commit_callbacks
):
    vacancy, _skill = draft
    scores = {
        name: matching.evaluate(profile=profile, vacancy=vacancy).score
        for name, profile in people.items()
    }
    assert scores == {
        "certified_90": 98,
        "declared_70": 70,
        "declared_80": 70,
        "none_60": 28,
        "certified_off": 98,
    }
    assert mailoutbox == []

    publish(vacancy, django_capture_on_commit_callbacks)

    assert sorted(mail.to[0] for mail in mailoutbox) == ["a@example.org", "b@example.org"]
    alerts = {alert.profile_id: alert.score for alert in MatchAlert.objects.filter(vacancy=vacancy)}
    assert alerts == {people["certified_90"].pk: 98, people["declared_70"].pk: 70}


def test_the_email_names_the_vacancy_employer_score_and_link_in_the_persons_language(
    draft, people, mailoutbox, django_capture_on_commit_callbacks, settings
):
    vacancy, _skill = draft
    publish(vacancy, django_capture_on_commit_callbacks)

    by_address = {mail.to[0]: mail for mail in mailoutbox}
    french, dutch = by_address["a@example.org"], by_address["b@example.org"]
    link = f"{settings.SITE_URL}/vacancies/{vacancy.pk}/"
    assert vacancy.title_fr in french.subject and "98" in french.subject
    assert vacancy.title_fr in french.body and vacancy.employer.name in french.body
    assert "98" in french.body and link in french.body
    assert vacancy.title_nl in dutch.subject and vacancy.title_nl in dutch.body
    assert vacancy.title_fr not in dutch.body
    assert "70" in dutch.body and link in dutch.body


def test_each_person_hears_of_a_vacancy_once_even_if_published_again(
    draft, people, mailoutbox, django_capture_on_commit_callbacks
):
    vacancy, _skill = draft
    publish(vacancy, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.CLOSED)
    publish(vacancy, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 2
    assert MatchAlert.objects.filter(vacancy=vacancy).count() == 2
    assert match_alerts_send(vacancy=vacancy) == 0  # a task run twice sends nothing more
    assert len(mailoutbox) == 2


def test_a_person_who_lowers_the_threshold_later_hears_of_it_on_the_next_publication(
    draft, people, mailoutbox, django_capture_on_commit_callbacks
):
    vacancy, _skill = draft
    publish(vacancy, django_capture_on_commit_callbacks)
    late = people["declared_80"]
    late.match_alert_threshold = 60
    late.save()
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.CLOSED)
    publish(vacancy, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 3
    assert MatchAlert.objects.filter(vacancy=vacancy, profile=late).get().score == 70


def test_no_alert_for_a_vacancy_that_is_not_public(draft, people, mailoutbox):
    vacancy, _skill = draft
    assert match_alerts_send(vacancy=vacancy) == 0  # still a draft
    assert mailoutbox == [] and not MatchAlert.objects.exists()


def test_inactive_accounts_get_no_alert(
    draft, people, mailoutbox, django_capture_on_commit_callbacks
):
    vacancy, _skill = draft
    user = people["certified_90"].user
    user.is_active = False
    user.save()

    publish(vacancy, django_capture_on_commit_callbacks)

    assert [mail.to[0] for mail in mailoutbox] == ["b@example.org"]


def test_a_failed_publication_sends_nothing(
    draft, people, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    vacancy, _skill = draft
    employer = vacancy.employer
    employer.is_verified = False
    employer.save()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.PUBLISHED)
    assert mailoutbox == []


def test_scoring_the_pool_is_one_statement_whatever_its_size(draft, people):
    vacancy, skill = draft
    vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.PUBLISHED)

    def count():
        with CaptureQueriesContext(connection) as context:
            recipients = match_alert_recipients(vacancy)
        return len(context.captured_queries), recipients

    few, recipients = count()
    for _index in range(20):  # below their threshold: scored, never loaded one by one
        job_seeker(threshold=80, evidence="self_declared", skill=skill)
    many, more_recipients = count()

    assert few == many
    assert [profile.pk for profile, _score in recipients] == [
        profile.pk for profile, _score in more_recipients
    ]
    assert [score for _profile, score in recipients] == [98, 70]
