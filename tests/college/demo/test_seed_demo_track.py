"""The demo's digital and cyber track: its employers and recruiters, at least a dozen
vacancies on the six roles, job-seekers on the track guided by counsellors, the 2027 groups,
one public service's staff awareness bookings; and a second run adds nothing."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from candidates.models import (
    CandidateProfile,
    CandidateSkill,
    DigitalSelfAssessment,
    Evidence,
    ExternalCertification,
)
from college.demo.track import (
    DIGITAL_PROFILES,
    DOMAIN,
    EMPLOYERS,
    PEOPLE,
    RECRUITERS,
    VACANCIES,
)
from college.models import Cohort, Guidance, User
from employers.models import (
    Employer,
    StaffAwarenessBooking,
    Vacancy,
    VacancyLanguage,
    roles_for_employer,
)
from tests.college.demo.support import PASSWORD, seed, undone_at_the_end
from tests.college.reference.test_digital_track import TRACK_ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with undone_at_the_end(django_db_blocker):
        yield seed()


def track_vacancies():
    return Vacancy.objects.filter(role__slug__in=TRACK_ROLES)


def test_the_track_employers_are_of_the_new_kinds_and_the_companies_are_marked_fictional(
    seeded,
):
    employers = {employer.slug: employer for employer in Employer.objects.all()}
    for slug, names, kind, _communes, _description in EMPLOYERS:
        assert employers[slug].kind == kind
        assert employers[slug].name_fr == names[0]
    kinds = {employer.kind for employer in employers.values()}
    assert {"cyber_agency", "public_ict", "security_operations"} <= kinds
    for employer in Employer.objects.filter(kind=Employer.Kind.SECURITY_OPERATIONS):
        assert "Fictional company" in employer.description
        assert not employer.name_nl  # a company keeps its one name
    assert employers["centre-cybersecurite-belgique-cert-be"].name_nl.startswith(
        "Centrum voor Cybersecurity België"
    )


def test_at_least_a_dozen_published_track_vacancies_cover_the_six_roles(seeded):
    published = track_vacancies().filter(status=Vacancy.Status.PUBLISHED)
    assert published.count() >= 12
    assert set(published.values_list("role__slug", flat=True)) == set(TRACK_ROLES)
    for vacancy in published:
        assert vacancy.title_fr and vacancy.title_nl and vacancy.description_nl
        assert not vacancy.diploma_required
        assert VacancyLanguage.objects.filter(vacancy=vacancy).exists()
    assert published.values("commune").distinct().count() >= 5


def test_each_track_vacancy_is_for_a_role_its_organisation_recruits_for(seeded):
    for vacancy in track_vacancies().select_related("employer", "role"):
        assert roles_for_employer(employer=vacancy.employer).filter(pk=vacancy.role_id).exists()
        if vacancy.employer.kind == Employer.Kind.LOCAL_POLICE:
            assert vacancy.commune.police_zone_id == vacancy.employer.police_zone_id
            assert "(" not in vacancy.title_fr


def test_local_public_employers_ask_for_the_other_language_at_article_8(seeded):
    local = track_vacancies().filter(
        employer__kind__in=[Employer.Kind.LOCAL_POLICE, Employer.Kind.PUBLIC_ICT],
        employer__slug__startswith="commune",
    ) | track_vacancies().filter(employer__kind=Employer.Kind.LOCAL_POLICE)
    assert local.exists()
    for vacancy in local:
        assert vacancy.language_requirements.filter(certificate="art8").exists(), vacancy


def test_recruiters_log_in_and_are_printed(seeded, client):
    for email, _name, slug, _description in RECRUITERS:
        assert client.login(username=email, password=PASSWORD), email
        assert email in seeded
        assert User.objects.get(email=email).membership.employer.slug == slug
    assert f"@{DOMAIN}" in seeded


def test_track_job_seekers_have_skills_with_evidence_languages_and_a_counsellor(seeded):
    profiles = CandidateProfile.objects.filter(user__email__endswith=f"@{DOMAIN}")
    assert profiles.count() == len(PEOPLE)
    assert profiles.values("commune").distinct().count() >= 6
    for profile in profiles:
        assert profile.languages.count() >= 3
        assert profile.target_roles.filter(slug__in=TRACK_ROLES).exists()
        assert Guidance.objects.active().filter(candidate=profile.user).exists()
        evidence = set(profile.skills.values_list("evidence", flat=True))
        assert Evidence.COUNSELLOR_VALIDATED in evidence
    validated = CandidateSkill.objects.filter(
        profile__in=profiles, evidence=Evidence.COUNSELLOR_VALIDATED
    )
    assert all(skill.validated_by_id for skill in validated)
    assert profiles.filter(user__attempts__isnull=False).distinct().count() >= 5


def test_the_track_has_training_groups_in_2027_at_college_sites(seeded):
    cohorts = Cohort.objects.filter(module__programme__slug="cyber-security-operator")
    assert cohorts.count() == 3  # foundations, monitoring, placement
    for cohort in Cohort.objects.filter(starts_on__year=2027):
        assert "Brusafe" in cohort.place
        assert cohort.sessions.exists()
        assert cohort.sessions.last().starts_at.date() <= cohort.ends_on


def test_one_public_service_follows_its_staff_awareness_in_counts(seeded, client):
    bookings = StaffAwarenessBooking.objects.filter(
        employer__slug="commune-dixelles-service-informatique"
    )
    assert bookings.count() == 4
    client.force_login(User.objects.get(email="employer-ixelles-ict@passerelle.example"))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("employers:staff_awareness"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "54" in text  # 24 + 12 + 18 seats in the staff module
    assert "fewer than 5" in text  # the 3 seats of the safety module
    assert "not shown (small group)" in text  # 33 of 36 completed: 3 would be singled out


def test_track_job_seekers_took_the_digital_self_assessment_and_record_certifications(seeded):
    takes = DigitalSelfAssessment.objects.filter(profile__user__email__endswith=f"@{DOMAIN}")
    assert takes.count() == len(DIGITAL_PROFILES)
    assert takes.filter(completed_at__isnull=True).count() == 1  # one still filling it in
    ines = CandidateProfile.objects.get(user__email=f"ines.el-khatib@{DOMAIN}")
    (certification,) = ines.external_certifications.all()
    assert certification.status == ExternalCertification.Status.VERIFIED
    # The checked certification certifies its skills, the self-assessment declares the rest.
    evidence = dict(ines.skills.values_list("skill__esco_uri", "evidence"))
    assert Evidence.TRAINING_CERTIFIED in evidence.values()
    assert Evidence.SELF_DECLARED in evidence.values()
    youssef = CandidateProfile.objects.get(user__email=f"youssef.amrani@{DOMAIN}")
    assert youssef.external_certifications.get().status == ExternalCertification.Status.PENDING


def test_a_second_run_adds_nothing(seeded):
    def counts():
        return (
            User.objects.count(),
            Employer.objects.count(),
            Vacancy.objects.count(),
            Cohort.objects.count(),
            CandidateSkill.objects.count(),
            StaffAwarenessBooking.objects.count(),
            Guidance.objects.count(),
            DigitalSelfAssessment.objects.count(),
            ExternalCertification.objects.count(),
        )

    before = counts()
    seed()
    assert counts() == before
    assert len(VACANCIES) >= 12
