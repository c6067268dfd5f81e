"""The digital and cyber track's employers: which kind of organisation recruits for
which of the six roles, with the roles made by factories (the rule needs only their slugs and
sector), and a role of the digital sector added later reaching the track's kinds alone."""

import pytest
from django.utils import translation

from college.models import Role, Sector
from employers.models import (
    EMPLOYER_KINDS_BY_ROLE,
    ROLE_SECTORS_BY_EMPLOYER_KIND,
    Employer,
    roles_for_employer,
)
from tests import factories
from tests.college.reference.test_digital_track import TRACK_ROLES

pytestmark = pytest.mark.django_db

TRACK_KINDS = {
    Employer.Kind.CYBER_AGENCY,
    Employer.Kind.PUBLIC_ICT,
    Employer.Kind.SECURITY_OPERATIONS,
}


def offered(kind):
    return set(roles_for_employer(employer=Employer(kind=kind)).values_list("slug", flat=True))


@pytest.fixture
def track_roles(db):
    """The six roles: from roles.json when loaded, else made here (only slug and sector count)."""
    return [
        Role.objects.filter(slug=slug).first()
        or factories.RoleFactory(slug=slug, sector=Sector.DIGITAL)
        for slug in TRACK_ROLES
    ]


def test_every_track_role_has_its_kinds_and_each_track_kind_hires_on_the_digital_sector():
    assert set(TRACK_ROLES) <= set(EMPLOYER_KINDS_BY_ROLE)
    for kind in TRACK_KINDS:
        assert ROLE_SECTORS_BY_EMPLOYER_KIND[kind] == {Sector.DIGITAL}
    for slug in TRACK_ROLES:
        assert EMPLOYER_KINDS_BY_ROLE[slug] & TRACK_KINDS, slug


def test_police_zones_hire_ict_support_and_the_federal_police_its_computer_crime_roles(
    track_roles,
):
    local = offered(Employer.Kind.LOCAL_POLICE)
    federal = offered(Employer.Kind.FEDERAL_POLICE)
    assert {"ict-support-technician"} == local & set(TRACK_ROLES)
    assert {"ict-support-technician", "soc-analyst", "digital-forensics-assistant"} == (
        federal & set(TRACK_ROLES)
    )
    # Seized devices are analysed by the federal police's units, not by a zone.
    assert "digital-forensics-assistant" not in local


def test_municipal_prevention_services_may_hire_an_awareness_trainer_but_not_a_pentester(
    track_roles,
):
    prevention = offered(Employer.Kind.MUNICIPAL_PREVENTION)
    assert "cyber-awareness-trainer" in prevention
    assert not prevention & (set(TRACK_ROLES) - {"cyber-awareness-trainer"})


def test_only_security_firms_and_unclassified_organisations_recruit_pentesters(track_roles):
    hiring = {kind for kind in Employer.Kind.values if "junior-penetration-tester" in offered(kind)}
    assert hiring == {Employer.Kind.SECURITY_OPERATIONS, Employer.Kind.OTHER}


def test_a_new_digital_role_reaches_the_track_kinds_and_no_traditional_one(track_roles):
    newcomer = factories.RoleFactory(slug="cloud-support-associate", sector=Sector.DIGITAL)
    for kind in Employer.Kind.values:
        expected = kind in TRACK_KINDS or kind == Employer.Kind.OTHER
        assert (newcomer.slug in offered(kind)) == expected, kind


def test_the_traditional_kinds_keep_their_roles_beside_the_digital_ones(track_roles):
    prevention = factories.RoleFactory(sector=Sector.MUNICIPAL_PREVENTION)
    assert prevention.slug in offered(Employer.Kind.MUNICIPAL_PREVENTION)
    for kind in TRACK_KINDS:
        assert prevention.slug not in offered(kind)


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        (
            "fr",
            {
                "cyber_agency": "Centre national de cybersécurité",
                "public_ict": "Service public informatique",
                "security_operations": "Centre opérationnel de sécurité (entreprise)",
            },
        ),
        (
            "nl",
            {
                "cyber_agency": "Nationaal centrum voor cyberbeveiliging",
                "public_ict": "Openbare IT-dienst",
                "security_operations": "Security operations center (bedrijf)",
            },
        ),
    ],
)
def test_the_new_kinds_are_named_in_french_and_dutch(language, labels):
    with translation.override(language):
        for value, label in labels.items():
            assert str(Employer.Kind(value).label) == label
