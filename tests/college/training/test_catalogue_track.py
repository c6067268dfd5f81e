"""The digital and cyber track's training: programmes, modules, prerequisites, skills taught and
the external certifications they prepare for."""

import csv
import json

import pytest
from django.conf import settings
from django.urls import reverse

from college.matching.steps import module_steps
from college.models import Module, Programme, Skill
from college.training.catalogue import CATALOGUE_FILE, CatalogueError, load_catalogue

pytestmark = pytest.mark.django_db

TRACK_PROGRAMMES = {
    "digital-foundations",
    "it-support",
    "networks-linux",
    "cyber-security-operator",
    "cyber-awareness",
    "digital-forensics",
    "penetration-testing",
}
CERTIFICATIONS = {
    "isc2-cc",
    "comptia-security-plus",
    "cisco-ccst-cybersecurity",
    "cisco-ccst-networking",
    "comptia-a-plus",
    "google-it-support",
}
SKILLS_FILE = CATALOGUE_FILE.parents[2] / "reference" / "data" / "skills.csv"


@pytest.fixture
def catalogue(reference_data):
    if not Module.objects.filter(slug="soc-monitoring").exists():
        load_catalogue()


def data():
    with open(CATALOGUE_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def track_modules(entries):
    return [entry for entry in entries["modules"] if entry["programme"] in TRACK_PROGRAMMES]


def write(tmp_path, entries):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def test_every_track_programme_and_its_modules_are_in_the_file():
    entries = data()
    assert TRACK_PROGRAMMES <= {entry["slug"] for entry in entries["programmes"]}
    modules = track_modules(entries)
    assert len(modules) == 13
    assert {entry["programme"] for entry in modules} == TRACK_PROGRAMMES


def test_track_modules_teach_only_esco_skills_of_the_reference_file():
    with open(SKILLS_FILE, encoding="utf-8") as handle:
        known = {row["esco_uri"] for row in csv.DictReader(handle)}
    for entry in track_modules(data()):
        assert entry["skills"], entry["slug"]
        for outcome in entry["skills"]:
            assert outcome["skill"] in known, (entry["slug"], outcome["skill"])
            assert outcome["skill"].startswith("http://data.europa.eu/esco/skill/")
            assert 1 <= outcome["level"] <= 4


def test_the_certifications_named_are_the_six_shared_slugs_with_three_names_each():
    certifications = data()["certifications"]
    assert set(certifications) == CERTIFICATIONS
    for entry in certifications.values():
        assert all(entry["name"][code] for code in ("fr", "nl", "en"))
    prepared = {slug for entry in data()["modules"] for slug in entry.get("certifications", [])}
    assert prepared == CERTIFICATIONS


def test_the_soc_path_lasts_months_ends_with_a_placement_and_says_what_it_is_modelled_on(
    catalogue,
):
    path = Module.objects.filter(programme__slug="cyber-security-operator")
    assert sum(path.values_list("hours", flat=True)) >= 500  # about 16 weeks of 35 hours
    placement = Module.objects.get(slug="soc-internship")
    assert "Evoliris" in placement.sources and "Bruxelles Formation" in placement.sources
    assert list(placement.prerequisites.values_list("slug", flat=True)) == ["soc-monitoring"]
    monitoring = Module.objects.get(slug="soc-monitoring")
    assert set(monitoring.prerequisites.values_list("slug", flat=True)) == {
        "cyber-security-foundations",
        "linux-admin-basics",
    }


def test_a_prerequisite_always_comes_earlier_in_the_catalogue_order(catalogue):
    """Next steps and paths list modules by position: a module never before what it needs."""
    for module in Module.objects.filter(programme__slug__in=TRACK_PROGRAMMES):
        for required in module.prerequisites.all():
            assert required.position < module.position, (module.slug, required.slug)


def test_the_digital_foundations_are_for_everyone_with_nothing_required_first(catalogue):
    foundations = Programme.objects.get(slug="digital-foundations")
    assert not foundations.roles.exists()
    for module in foundations.modules.all():
        assert not module.prerequisites.exists()


def test_only_awareness_modules_are_open_to_employers_staff(catalogue):
    assert set(Module.objects.filter(offered_to_employers=True).values_list("slug", flat=True)) == {
        "digital-safety",
        "cyber-awareness-staff",
    }


def test_the_loader_stores_the_certifications_names_in_three_languages(catalogue):
    module = Module.objects.get(slug="cyber-security-foundations")
    assert [entry["slug"] for entry in module.certifications] == [
        "isc2-cc",
        "cisco-ccst-cybersecurity",
    ]
    assert module.certifications[1]["fr"].endswith("Cybersécurité")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda entries: track_modules(entries)[0].update(certifications=["made-up-cert"]),
            "unknown certification",
        ),
        (
            lambda entries: track_modules(entries)[2].update(certifications=["isc2-cc"] * 2),
            "certification twice",
        ),
        (
            lambda entries: entries["certifications"]["isc2-cc"]["name"].update(nl=""),
            "certification isc2-cc has no nl name",
        ),
        (
            lambda entries: track_modules(entries)[0].update(offered_to_employers="yes"),
            "offered_to_employers",
        ),
        (
            lambda entries: track_modules(entries)[0]["skills"].append(
                {"skill": "http://data.europa.eu/esco/skill/not-in-the-file", "level": 1}
            ),
            "unknown skill",
        ),
        (
            lambda entries: next(
                entry for entry in entries["modules"] if entry["slug"] == "digital-basics"
            ).update(prerequisites=["soc-internship"]),
            "cycle",
        ),
    ],
)
def test_bad_track_data_is_rejected_with_a_clear_error(reference_data, tmp_path, change, message):
    entries = data()
    change(entries)
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(path=write(tmp_path, entries))


def test_a_module_page_shows_the_certifications_it_prepares_for_and_its_prerequisites(
    client, catalogue
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    module = Module.objects.get(slug="cyber-security-foundations")
    response = client.get(reverse("module_detail", args=[module.local_slug]))
    text = response.content.decode()
    assert "Cisco Certified Support Technician (CCST) Cybersecurity" in text
    assert "ISC2 Certified in Cybersecurity (CC)" in text
    assert Module.objects.get(slug="networks-basics").title_nl in text


def test_a_module_without_certifications_says_nothing_of_them(client, catalogue):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    module = Module.objects.get(slug="digital-forensics-assistant")
    response = client.get(reverse("module_detail", args=[module.local_slug]))
    assert response.status_code == 200
    assert "Prepares for the certifications" not in response.content.decode()
    assert "Federal police" in module.sources


def test_a_soc_gap_becomes_module_steps_listed_before_what_builds_on_them(catalogue):
    """Matching's next steps (catalogue order) for the SOC analyst's core skills: the
    foundations come before monitoring, monitoring before the placement."""
    uris = [
        "http://data.europa.eu/esco/skill/5898d99a",  # cyber attack counter-measures
        "http://data.europa.eu/esco/skill/501537a7",  # attack vectors
    ]
    skills = [Skill.objects.get(esco_uri__startswith=uri) for uri in uris]
    ids = [skill.pk for skill in skills]
    order = [step.slug for step in module_steps(required_skill_ids=ids, gap_skill_ids=ids)]
    for earlier, later in [
        ("cyber-security-foundations", "soc-monitoring"),
        ("soc-monitoring", "soc-internship"),
    ]:
        assert order.index(earlier) < order.index(later), order
