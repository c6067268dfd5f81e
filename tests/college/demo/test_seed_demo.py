"""`manage.py seed_demo`: realistic Brussels demo data, idempotent, never with DEBUG off."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.models import Attempt
from candidates.models import CandidateProfile, CandidateSkill
from candidates.selectors import candidate_profile_completeness
from college.models import Guidance, User
from employers.models import Application, Employer, Vacancy, VacancyLanguage
from tests.college.demo.support import seed, undone_at_the_end

pytestmark = pytest.mark.django_db

DEMO_EMAILS = [
    "candidate@passerelle.example",
    "counsellor@passerelle.example",
    "employer@passerelle.example",
    "employer2@passerelle.example",
    "staff@passerelle.example",
]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The seed's output; seeded once for the module, in a transaction undone at the end."""
    with undone_at_the_end(django_db_blocker):
        yield seed()


def test_the_five_demo_accounts_log_in_with_the_given_password(seeded, client):
    for email in DEMO_EMAILS:
        assert client.login(username=email, password="demo-password-2026"), email
        assert email in seeded  # printed for the person who ran it


def test_demo_accounts_have_their_roles_and_organisations(seeded):
    assert User.objects.get(email="candidate@passerelle.example").role == "candidate"
    assert User.objects.get(email="staff@passerelle.example").is_staff
    police = User.objects.get(email="employer@passerelle.example").membership.employer
    assert police.kind == Employer.Kind.LOCAL_POLICE and police.police_zone.number == 5339
    prevention = User.objects.get(email="employer2@passerelle.example").membership.employer
    assert prevention.kind == Employer.Kind.MUNICIPAL_PREVENTION


def test_the_demo_has_brussels_employers_and_at_least_200_varied_job_seekers(seeded):
    assert Employer.objects.filter(kind=Employer.Kind.LOCAL_POLICE, is_verified=True).count() == 6
    assert Employer.objects.filter(kind=Employer.Kind.MUNICIPAL_PREVENTION).count() >= 3
    profiles = CandidateProfile.objects.all()
    assert profiles.count() >= 200
    assert profiles.values("commune").distinct().count() >= 15
    evidence_kinds = set(CandidateSkill.objects.values_list("evidence", flat=True))
    assert evidence_kinds == {
        "self_declared",
        "counsellor_validated",
        "test_verified",
        "training_certified",
    }
    assert CandidateSkill.objects.values("skill").distinct().count() >= 100


def test_counsellors_have_caseloads(seeded):
    counsellor = User.objects.get(email="counsellor@passerelle.example")
    assert Guidance.objects.active().filter(counsellor=counsellor).count() >= 40
    assert Guidance.objects.filter(candidate__email="candidate@passerelle.example").exists()


def test_the_demo_candidate_shows_at_least_two_kinds_of_evidence(seeded):
    profile = CandidateProfile.objects.get(user__email="candidate@passerelle.example")
    assert profile.skills.values("evidence").distinct().count() >= 2
    assert profile.languages.count() >= 3
    assert profile.target_roles.exists()


def test_the_demo_candidate_has_a_complete_profile(seeded):
    profile = CandidateProfile.objects.get(user__email="candidate@passerelle.example")
    assert candidate_profile_completeness(profile=profile)["percent"] == 100
    assert profile.experiences.filter(skills__isnull=False).exists()
    assert profile.consents.get(purpose="shortlists").given and profile.is_visible_in_shortlists


def test_the_board_has_30_varied_vacancies_and_pipelines_move(seeded):
    published = Vacancy.objects.published()
    assert published.count() >= 30
    assert published.filter(diploma_required=False).count() >= 10
    assert published.filter(diploma_required=True).exists()
    needing_dutch = VacancyLanguage.objects.filter(
        vacancy__in=published, language__code="nl", is_alternative=False
    )
    assert needing_dutch.values("vacancy").distinct().count() >= 5
    kinds = set(published.values_list("employer__kind", flat=True))
    assert {"local_police", "municipal_prevention", "public_transport", "security_company"} <= kinds
    assert all(vacancy.skill_requirements.exists() for vacancy in published[:5])
    stages = set(Application.objects.values_list("stage", flat=True))
    assert {"received", "interview", "not_retained"} <= stages
    demo = Application.objects.filter(profile__user__email="candidate@passerelle.example")
    assert demo.count() == 2 and all(application.consent.given for application in demo)


def test_practice_tests_have_attempts_for_norms_and_statistics(seeded):
    finished = Attempt.objects.filter(status="finished")
    assert finished.values("battery").distinct().count() >= 6
    scored = finished.exclude(battery__slug="work-style")  # a profile, never a score
    assert scored.filter(percentile__isnull=False).count() == scored.count()
    assert finished.filter(battery__slug="work-style").exclude(trait_scores={}).exists()
    demo = finished.filter(user__email="candidate@passerelle.example").order_by("finished_at")
    assert demo.count() == 2 and demo[0].score_percent is not None


def test_running_it_twice_creates_nothing_more(seeded, settings):
    settings.DEBUG = True

    def counts():
        return (
            User.objects.count(),
            CandidateSkill.objects.count(),
            Guidance.objects.count(),
            Vacancy.objects.count(),
            Application.objects.count(),
            Attempt.objects.count(),
        )

    before = counts()
    call_command("seed_demo", "--password", "demo-password-2026", stdout=StringIO())
    assert counts() == before


def test_it_refuses_to_run_with_debug_off(settings, reference_data):
    settings.DEBUG = False
    before = User.objects.count()
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=StringIO())
    assert User.objects.count() == before
