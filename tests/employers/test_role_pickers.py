"""Each kind of organisation is offered its own jobs: a police zone police and civilian police
roles, a municipal prevention service prevention roles, a security company private-security
roles, STIB its own. The rule lives in `roles_for_employer`; the editor's picker, its
"new from a role" page, the API and the service all follow it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from college.models import Role, Sector
from employers.models import (
    EMPLOYER_KINDS_BY_ROLE,
    ROLE_SECTORS_BY_EMPLOYER_KIND,
    Employer,
    Vacancy,
    roles_for_employer,
)
from employers.services import vacancy_initial_from_role, vacancy_save
from tests import factories

pytestmark = pytest.mark.django_db

LIST = "/api/v1/vacancies/"
EXPECTED = {
    Employer.Kind.LOCAL_POLICE: {
        "police-agent",
        "police-inspector",
        "cctv-operator",
        "ict-support-technician",
    },
    Employer.Kind.MUNICIPAL_PREVENTION: {
        "peace-guard",
        "sac-officer",
        "street-educator",
        "neighbourhood-mediator",
        "cyber-awareness-trainer",
    },
    Employer.Kind.SECURITY_COMPANY: {"security-guard", "steward", "cctv-operator"},
    Employer.Kind.PUBLIC_TRANSPORT: {
        "transport-security-agent",
        "cctv-operator",
        "ict-support-technician",
    },
    Employer.Kind.FEDERAL_POLICE: {
        "police-agent",
        "police-inspector",
        "federal-security-agent",
        "cctv-operator",
        "emergency-dispatcher",
        "ict-support-technician",
        "soc-analyst",
        "digital-forensics-assistant",
    },
    Employer.Kind.EVENTS: {"steward"},
    # The digital and cyber track's employers.
    Employer.Kind.CYBER_AGENCY: {
        "cybersecurity-technician",
        "soc-analyst",
        "cyber-awareness-trainer",
    },
    Employer.Kind.PUBLIC_ICT: {
        "ict-support-technician",
        "cybersecurity-technician",
        "soc-analyst",
        "cyber-awareness-trainer",
    },
    Employer.Kind.SECURITY_OPERATIONS: {
        "ict-support-technician",
        "cybersecurity-technician",
        "soc-analyst",
        "digital-forensics-assistant",
        "cyber-awareness-trainer",
        "junior-penetration-tester",
    },
}


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def member_of(kind):
    member = factories.EmployerMemberFactory(membership__employer__kind=kind)
    return member, member.membership.employer


def slugs(queryset):
    return set(queryset.values_list("slug", flat=True))


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_each_kind_of_organisation_is_offered_exactly_its_own_roles(reference_data, kind):
    _member, employer = member_of(kind)
    assert slugs(roles_for_employer(employer=employer)) == EXPECTED[kind]


def test_every_kind_has_a_rule_and_every_role_some_organisation_that_recruits_for_it(
    reference_data,
):
    assert set(ROLE_SECTORS_BY_EMPLOYER_KIND) == set(Employer.Kind.values)
    assert set(EMPLOYER_KINDS_BY_ROLE) <= slugs(Role.objects.all())
    kinds_that_choose = [kind for kind in Employer.Kind.values if kind != Employer.Kind.OTHER]
    offered = set()
    for kind in kinds_that_choose:
        offered |= slugs(roles_for_employer(employer=Employer(kind=kind)))
    assert offered == slugs(Role.objects.all())
    # An organisation of no known kind is not held to one, except for the federal police's own.
    other = slugs(roles_for_employer(employer=Employer(kind=Employer.Kind.OTHER)))
    assert other == slugs(Role.objects.all()) - {"federal-security-agent"}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_the_role_picker_page_lists_only_the_organisations_roles(client, reference_data, kind):
    member, _employer = member_of(kind)
    client.force_login(member)
    page = client.get(reverse("employers:vacancy_new")).content.decode()
    for role in Role.objects.all():
        link = reverse("employers:vacancy_create", args=[role.slug])
        assert (f'href="{link}"' in page) == (role.slug in EXPECTED[kind]), role.slug


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_a_role_outside_the_organisations_kind_is_a_404_on_the_new_vacancy_page(
    client, reference_data, kind
):
    member, _employer = member_of(kind)
    client.force_login(member)
    for role in Role.objects.all():
        response = client.get(reverse("employers:vacancy_create", args=[role.slug]))
        assert response.status_code == (200 if role.slug in EXPECTED[kind] else 404), role.slug


def payload(role):
    return {
        "role": role,
        "title_fr": "Un poste à Schaerbeek",
        "title_nl": "Een functie in Schaarbeek",
        "description_fr": "Présence rassurante dans les quartiers.",
        "description_nl": "Geruststellende aanwezigheid in de wijken.",
        "commune": "1030",
        "contract": "permanent",
    }


def test_the_api_refuses_a_role_outside_the_organisations_kind_with_a_400_naming_it(
    api_client, reference_data
):
    member, employer = member_of(Employer.Kind.LOCAL_POLICE)
    api_client.force_authenticate(member)
    api_client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    refused = api_client.post(LIST, payload("peace-guard"), format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["role"]
    assert refused.json()["role"] == ["Your organisation does not recruit for this role."]
    assert not Vacancy.objects.filter(employer=employer).exists()
    accepted = api_client.post(LIST, payload("police-agent"), format="json")
    assert accepted.status_code == 201, accepted.json()


def test_the_api_refuses_changing_a_vacancy_to_a_role_outside_the_kind(api_client, reference_data):
    member, employer = member_of(Employer.Kind.MUNICIPAL_PREVENTION)
    vacancy = factories.VacancyFactory(employer=employer, role=Role.objects.get(slug="peace-guard"))
    api_client.force_authenticate(member)
    response = api_client.patch(f"{LIST}{vacancy.pk}/", {"role": "security-guard"}, format="json")
    assert response.status_code == 400 and "role" in response.json()
    vacancy.refresh_from_db()
    assert vacancy.role.slug == "peace-guard"


def test_the_service_refuses_a_role_outside_the_kind(reference_data):
    _member, employer = member_of(Employer.Kind.SECURITY_COMPANY)
    role = Role.objects.get(slug="police-inspector")
    fields, skills, languages = vacancy_initial_from_role(role=role, employer=employer)
    with pytest.raises(ValidationError) as error:
        vacancy_save(employer=employer, data=fields, skills=skills, languages=languages)
    assert "role" in error.value.message_dict
    assert not Vacancy.objects.filter(employer=employer).exists()


def test_sectors_of_the_rule_are_real_sectors():
    for sectors in ROLE_SECTORS_BY_EMPLOYER_KIND.values():
        assert set(sectors) <= set(Sector.values)
