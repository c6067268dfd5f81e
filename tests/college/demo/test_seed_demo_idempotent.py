"""`seed_demo` completes after anything a demo user can do through the site, and the demo is
whole again: `make run` calls it on every start."""

import pytest

from candidates.models import CandidateProfile
from candidates.selectors import candidate_profile_completeness
from candidates.services import candidate_erase, candidate_shortlist_consent_set
from college.models import Guidance, User
from employers.models import Application, Vacancy
from employers.services import application_withdraw, vacancy_set_status
from tests.college.demo.support import PASSWORD, seed, undone_at_the_end

pytestmark = pytest.mark.django_db

DEMO_EMAILS = [
    "candidate@passerelle.example",
    "counsellor@passerelle.example",
    "employer@passerelle.example",
    "employer2@passerelle.example",
    "staff@passerelle.example",
]
CANDIDATE = "candidate@passerelle.example"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module, in a transaction undone at the end; each test's own
    changes are undone after it."""
    with undone_at_the_end(django_db_blocker):
        seed()
        yield {"published": Vacancy.objects.published().count()}


def demo_profile():
    return CandidateProfile.objects.get(user__email=CANDIDATE)


def assert_the_demo_is_whole(client, seeded):
    for email in DEMO_EMAILS:
        assert client.login(username=email, password=PASSWORD), email
    profile = demo_profile()
    assert candidate_profile_completeness(profile=profile)["percent"] == 100
    assert profile.skills.values("evidence").distinct().count() >= 2
    assert profile.languages.count() >= 3 and profile.target_roles.exists()
    assert profile.experiences.filter(skills__isnull=False).exists()
    assert profile.consents.filter(purpose="shortlists").first().given
    assert profile.is_visible_in_shortlists
    assert Guidance.objects.filter(
        candidate=profile.user, counsellor__email="counsellor@passerelle.example", ended_at=None
    ).exists()
    assert Vacancy.objects.published().count() >= seeded["published"]
    open_applications = Application.objects.filter(profile=profile).exclude(
        reason=Application.Reason.WITHDRAWN
    )
    assert open_applications.count() >= 2


def test_a_rerun_on_a_whole_demo_keeps_it_whole(seeded, client):
    seed()
    assert_the_demo_is_whole(client, seeded)


def test_a_rerun_after_the_demo_candidate_emptied_their_profile_restores_it(seeded, client):
    profile = demo_profile()
    profile.skills.all().delete()
    profile.languages.all().delete()
    profile.experiences.all().delete()
    profile.education.all().delete()
    profile.certificates.all().delete()
    profile.target_roles.clear()
    seed()
    assert_the_demo_is_whole(client, seeded)


def test_a_rerun_after_the_demo_candidate_withdrew_consent_restores_it(seeded, client):
    candidate_shortlist_consent_set(profile=demo_profile(), given=False)
    assert not demo_profile().is_visible_in_shortlists
    seed()
    assert_the_demo_is_whole(client, seeded)


def forget_applications():
    """Erasure keeps applications out of reach of the account (refused, or anonymised once the
    application history is kept); the demo must come back either way."""
    Application.objects.filter(profile=demo_profile()).delete()


def test_a_rerun_after_the_demo_candidate_erased_their_account_restores_it(seeded, client):
    forget_applications()
    candidate_erase(user=User.objects.get(email=CANDIDATE))
    assert not User.objects.filter(email=CANDIDATE).exists()
    seed()
    assert_the_demo_is_whole(client, seeded)


def test_a_rerun_after_the_demo_candidate_account_was_deleted_restores_it(seeded, client):
    forget_applications()
    User.objects.filter(email=CANDIDATE).delete()
    seed()
    assert_the_demo_is_whole(client, seeded)


def test_a_rerun_after_the_demo_candidate_withdrew_applications_restores_them(seeded, client):
    for application in Application.objects.filter(profile=demo_profile()):
        application_withdraw(application=application)
    seed()
    assert_the_demo_is_whole(client, seeded)


def test_a_rerun_after_the_employer_closed_or_deleted_vacancies_restores_the_board(seeded, client):
    employer = User.objects.get(email="employer@passerelle.example").membership.employer
    vacancies = list(employer.vacancies.published().order_by("pk"))
    vacancy_set_status(vacancy=vacancies[0], status=Vacancy.Status.CLOSED)
    for vacancy in vacancies[1:]:
        vacancy.delete()
    seed()
    # The closed one stays closed (the employer's choice); the deleted ones are back.
    assert_the_demo_is_whole(client, {"published": seeded["published"] - 1})


def test_a_rerun_after_every_change_at_once_restores_the_demo(seeded, client):
    for application in Application.objects.filter(profile=demo_profile()):
        application_withdraw(application=application)
    demo_profile().skills.all().delete()
    candidate_shortlist_consent_set(profile=demo_profile(), given=False)
    Vacancy.objects.filter(employer__slug="zone-5339").delete()
    seed()
    assert_the_demo_is_whole(client, seeded)
