"""The skills framework, roles and Brussels geography load from the committed data files."""

import pytest

from college.models import Commune, Language, PoliceZone, Role, RoleRequirement, Skill
from college.reference.loader import load_reference_data

pytestmark = pytest.mark.django_db


def test_brussels_has_19_communes_in_6_police_zones(reference_data):
    assert Commune.objects.count() == 19
    assert PoliceZone.objects.count() == 6
    schaerbeek = Commune.objects.get(name_fr="Schaerbeek")
    assert schaerbeek.name_nl == "Schaarbeek"
    assert "1030" in schaerbeek.postcode_list
    assert schaerbeek.police_zone.number == 5344


def test_every_skill_has_an_esco_uri_and_labels_in_three_languages(reference_data):
    skills = Skill.objects.all()
    assert skills.count() >= 150
    for skill in skills:
        assert skill.esco_uri.startswith("http://data.europa.eu/esco/skill/")
        assert skill.label_fr and skill.label_nl and skill.label_en, skill.esco_uri


def test_every_role_has_a_requirement_profile_and_titles_in_three_languages(reference_data):
    roles = Role.objects.all()
    assert roles.count() == 18  # 12 prevention and security roles, 6 of the digital and cyber track
    for role in roles:
        assert role.title_fr and role.title_nl and role.title_en
        assert role.requirements.filter(importance="essential").exists(), role.slug
        assert role.esco_uri.startswith("http://data.europa.eu/esco/occupation/")


def test_a_diploma_is_required_only_where_the_law_says_so_with_the_alternative_route(
    reference_data,
):
    with_diploma = Role.objects.filter(diploma_required_by_law=True)
    assert set(with_diploma.values_list("slug", flat=True)) == {
        "police-inspector",
        "sac-officer",
        "emergency-dispatcher",
    }
    for role in with_diploma:
        assert role.required_diploma != "none"
        assert role.alternative_route_fr and role.alternative_route_nl and role.alternative_route_en
    assert not Role.objects.get(slug="police-agent").diploma_required_by_law
    assert not Role.objects.get(slug="peace-guard").diploma_required_by_law


def reference_counts():
    models = (Skill, Role, RoleRequirement, Language, Commune)
    return {model.__name__: model.objects.count() for model in models}


def test_loading_again_changes_nothing(reference_data):
    before = reference_counts()
    load_reference_data()
    assert reference_counts() == before


def test_loading_restores_a_label_changed_by_hand(reference_data):
    skill = Skill.objects.get(label_en="provide first aid")
    skill.label_nl = "broken"
    skill.save()
    load_reference_data()
    skill.refresh_from_db()
    assert skill.label_nl == "eerste hulp verlenen"


def test_labels_follow_the_active_language(reference_data):
    from django.utils import translation

    skill = Skill.objects.get(label_en="provide first aid")
    role = Role.objects.get(slug="peace-guard")
    with translation.override("nl"):
        assert skill.label == "eerste hulp verlenen"
        assert role.title == "Gemeenschapswacht"
    with translation.override("fr"):
        assert role.title == "Gardien de la paix"
    with translation.override("en"):
        assert skill.label == "provide first aid"
