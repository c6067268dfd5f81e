"""A role's title names the job, in each language; who recruits for it is said in its summary.
A title that names employers ("Opérateur de salle caméras (CALOG police / B-Security)") reads
as two unrelated organisations' job on the role pages."""

import re

import pytest

from college.models import Role
from college.reference.loader import load_reference_data
from employers.models import Employer, roles_for_employer

pytestmark = pytest.mark.django_db

# Organisations, and the civilian police staff's name, as a title could mention them ("police"
# is left out: it names the job of a police officer, whom both kinds of police recruit).
ORGANISATIONS = re.compile(
    r"\b(calog|b-security|sncb|nmbs|securail|stib|mivb|polbru|safe\.brussels)\b", re.IGNORECASE
)
LANGUAGES = ("fr", "nl", "en")


def kinds_recruiting(role):
    kinds = [kind for kind in Employer.Kind.values if kind != Employer.Kind.OTHER]
    return {
        kind
        for kind in kinds
        if roles_for_employer(employer=Employer(kind=kind)).filter(pk=role.pk).exists()
    }


def test_a_title_of_a_role_several_kinds_of_organisation_recruit_for_names_none_of_them(
    reference_data,
):
    shared = [role for role in Role.objects.all() if len(kinds_recruiting(role)) > 1]
    assert any(role.slug == "cctv-operator" for role in shared)
    for role in shared:
        for code in LANGUAGES:
            title = getattr(role, f"title_{code}")
            assert not ORGANISATIONS.search(title), (role.slug, title)


def test_the_camera_room_operator_is_titled_as_the_job_in_each_language(reference_data):
    role = Role.objects.get(slug="cctv-operator")
    assert (role.title_fr, role.title_nl, role.title_en) == (
        "Opérateur de salle caméras",
        "Operator camerabewaking",
        "CCTV camera-room operator",
    )
    # Who recruits for it stays said, in the summary.
    assert "B-Security" in role.summary_fr and "CALOG" in role.summary_nl


def test_reloading_the_reference_data_retitles_a_role_in_place_by_its_slug(reference_data):
    role = Role.objects.get(slug="cctv-operator")
    Role.objects.filter(pk=role.pk).update(
        title_fr="Opérateur de salle caméras (CALOG police / B-Security)",
        title_nl="Camera-operator (CALOG politie / B-Security)",
    )
    load_reference_data()
    again = Role.objects.get(slug="cctv-operator")
    assert again.pk == role.pk
    assert (again.title_fr, again.title_nl) == (
        "Opérateur de salle caméras",
        "Operator camerabewaking",
    )
