"""The digital and cyber track's roles: their requirement profiles, frameworks and
ladder as loaded from roles.json, and what the role API says about them."""

import json

import pytest

from college.models import RequirementStage, Role, Sector, Skill, Track
from college.reference import loader
from college.reference.loader import DATA_DIR, ReferenceDataError, load_roles
from tests.college.reference.test_languages import french_typography_faults

pytestmark = pytest.mark.django_db

# The six roles of the digital and cyber track (other tests read them from here).
TRACK_ROLES = {
    "ict-support-technician",
    "cybersecurity-technician",
    "soc-analyst",
    "digital-forensics-assistant",
    "cyber-awareness-trainer",
    "junior-penetration-tester",
}
# ICT support is the first rung, not a cyber-security role: ENISA's ECSF has no profile for it.
CYBER_ROLES = TRACK_ROLES - {"ict-support-technician"}


def roles_file():
    return json.loads((DATA_DIR / "roles.json").read_text(encoding="utf-8"))


def test_the_track_follows_from_the_sector_by_one_rule():
    assert Track.of(Sector.DIGITAL) == Track.DIGITAL
    for sector in Sector.values:
        if sector != Sector.DIGITAL:
            assert Track.of(sector) == Track.PREVENTION
    assert Track.sectors(Track.DIGITAL) == [Sector.DIGITAL]
    assert set(Track.sectors(Track.PREVENTION)) | {Sector.DIGITAL} == set(Sector.values)


def test_the_six_track_roles_are_the_digital_sector(reference_data):
    assert set(Role.objects.in_track(Track.DIGITAL).values_list("slug", flat=True)) == TRACK_ROLES
    assert Role.objects.in_track(Track.PREVENTION).count() == 12
    for role in Role.objects.all():
        assert role.track == (Track.DIGITAL if role.slug in TRACK_ROLES else Track.PREVENTION)


def test_each_track_role_asks_skills_at_entry_and_teaches_others_in_training(reference_data):
    for role in Role.objects.in_track(Track.DIGITAL):
        stages = {requirement.stage for requirement in role.requirements.all()}
        assert stages == {RequirementStage.ENTRY, RequirementStage.TRAINING}, role.slug
        entry = role.requirements.filter(stage=RequirementStage.ENTRY)
        assert entry.filter(importance="essential").count() >= 3, role.slug
        assert entry.filter(skill__is_transversal=True).exists(), role.slug
        for requirement in role.requirements.all():
            assert requirement.source and requirement.source_fr and requirement.source_nl
            assert 1 <= requirement.target_level <= 3, (role.slug, requirement.skill.label_en)


def test_track_roles_use_only_skills_of_skills_csv_with_three_labels(reference_data):
    known = set(Skill.objects.values_list("esco_uri", flat=True))
    for entry in roles_file():
        if entry["sector"] != Sector.DIGITAL:
            continue
        for requirement in entry["requirements"]:
            assert requirement["skill"] in known, (entry["slug"], requirement["skill"])
    for skill in Skill.objects.filter(roles__sector=Sector.DIGITAL).distinct():
        assert skill.label_fr and skill.label_nl and skill.label_en


def test_track_roles_speak_french_dutch_and_english_and_need_no_diploma(reference_data):
    for role in Role.objects.in_track(Track.DIGITAL):
        for field in ("title", "summary", "alternative_route", "selection", "training"):
            for code in ("fr", "nl", "en"):
                assert getattr(role, f"{field}_{code}").strip(), (role.slug, field, code)
        assert not role.diploma_required_by_law
        assert role.language_note_fr and role.language_note_nl and role.language_note_en
        assert "’" in role.summary_fr or "'" not in role.summary_fr  # typographic apostrophe
        assert role.language_requirements.filter(is_alternative=True).count() == 2
        # English reading is usual for tools, not a condition: the note says it, the
        # requirements (which the college's language courses must reach) do not.
        assert not role.language_requirements.filter(language__code="en").exists()
        assert "English reading" in role.language_note_en


def test_a_security_clearance_is_named_and_checked_at_selection_never_an_exclusion(
    reference_data,
):
    for slug in ("soc-analyst", "cybersecurity-technician", "junior-penetration-tester"):
        role = Role.objects.get(slug=slug)
        assert "law of 11 December 1998" in role.other_conditions_en
        assert "at selection" in role.other_conditions_en
        assert "loi du 11 décembre 1998" in role.other_conditions_fr
        assert "wet van 11 december 1998" in role.other_conditions_nl
    # Evidence handling for police units: a clean record, which matching only names as
    # "checked by the employer at selection".
    assert Role.objects.get(slug="digital-forensics-assistant").clean_record_required


def test_cyber_roles_map_to_their_ecsf_profile_and_e_cf_competences(reference_data):
    expected = {
        "cybersecurity-technician": "Cybersecurity Implementer",
        "soc-analyst": "Cyber Incident Responder",
        "digital-forensics-assistant": "Digital Forensics Investigator",
        "cyber-awareness-trainer": "Cybersecurity Educator",
        "junior-penetration-tester": "Penetration Tester",
    }
    for slug, profile in expected.items():
        role = Role.objects.get(slug=slug)
        stored = role.frameworks["ecsf"]
        assert stored["profile"] == profile
        assert all(stored["entry_variant"][code] for code in ("fr", "nl", "en"))
        assert role.ecf_competences, slug
        for competence in role.ecf_competences:
            assert competence["code"][0] in "ABCDE" and 1 <= competence["level"] <= 5
        assert role.frameworks["esco"]["uri"] == role.esco_uri
    soc = Role.objects.get(slug="soc-analyst")
    assert {"code": "B.2", "name": "Component Integration", "level": 2} in soc.ecf_competences
    support = Role.objects.get(slug="ict-support-technician")
    assert support.frameworks["ecsf"] is None and support.ecsf is None
    assert support.frameworks["esco"]["labels"]["en"] == "ICT technician"


def test_the_ladder_starts_at_ict_support_and_every_rung_resolves(reference_data):
    support = Role.objects.get(slug="ict-support-technician")
    assert not support.previous_roles.filter(sector=Sector.DIGITAL).exists()
    assert set(support.next_roles.values_list("slug", flat=True)) == {
        "cybersecurity-technician",
        "cyber-awareness-trainer",
    }
    soc = Role.objects.get(slug="soc-analyst")
    assert soc.previous_roles.get().slug == "cybersecurity-technician"
    # Every track role is reachable from the first rung.
    reached, frontier = set(), [support]
    while frontier:
        role = frontier.pop()
        reached.add(role.slug)
        frontier += [rung for rung in role.next_roles.all() if rung.slug not in reached]
    assert reached == TRACK_ROLES
    # Prevention workers already do public-facing awareness work: a bridge into the track.
    assert Role.objects.get(slug="peace-guard").next_roles.get().slug == "cyber-awareness-trainer"


def _load_with(monkeypatch, entries):
    monkeypatch.setattr(loader.json, "load", lambda handle: entries)
    load_roles()


def test_the_loader_refuses_a_ladder_that_comes_back_and_writes_nothing(
    reference_data, monkeypatch
):
    entries = roles_file()
    by_slug = {entry["slug"]: entry for entry in entries}
    by_slug["junior-penetration-tester"]["next_roles"] = ["ict-support-technician"]
    with pytest.raises(ReferenceDataError, match="cycle"):
        _load_with(monkeypatch, entries)
    by_slug["junior-penetration-tester"]["next_roles"] = ["no-such-role"]
    with pytest.raises(ReferenceDataError, match="unknown next rung"):
        _load_with(monkeypatch, entries)
    assert not Role.objects.get(slug="junior-penetration-tester").next_roles.exists()


def test_the_loader_refuses_an_ecsf_profile_without_its_dutch_variant(reference_data, monkeypatch):
    entries = roles_file()
    soc = next(entry for entry in entries if entry["slug"] == "soc-analyst")
    soc["frameworks"]["ecsf"]["entry_variant"]["nl"] = ""
    with pytest.raises(ReferenceDataError, match="nl variant"):
        _load_with(monkeypatch, entries)


def test_the_role_api_names_the_track_frameworks_and_ladder(api_client, reference_data):
    body = api_client.get("/api/v1/roles/", {"page_size": 100, "lang": "nl"}).json()
    by_slug = {role["slug"]: role for role in body["results"]}
    soc = by_slug["soc-analyst"]
    assert soc["track"] == "digital"
    assert soc["frameworks"]["ecsf_profile"]["title"] == "Cyber Incident Responder"
    assert soc["frameworks"]["ecsf_profile"]["entry_variant"].startswith("Instapvariant")
    assert set(soc["frameworks"]["ecsf_profile"]["entry_variants"]) == {"fr", "nl", "en"}
    assert {"code": "B.3", "name": "Testing", "level": 3} in soc["frameworks"]["ecf"]
    assert soc["frameworks"]["esco_occupation"]["uri"].endswith(
        "0ce5a9f4-e00a-4bbe-b255-3c63407167a4"
    )
    assert soc["previous_roles"] == ["cybersecurity-technician"]
    assert set(soc["next_roles"]) == {"junior-penetration-tester", "digital-forensics-assistant"}
    guard = by_slug["peace-guard"]
    assert guard["track"] == "security"
    assert guard["frameworks"]["ecsf_profile"] is None and guard["frameworks"]["ecf"] == []
    assert guard["frameworks"]["esco_occupation"]["uri"] == guard["esco_uri"]


@pytest.mark.parametrize(("track", "count"), [("digital", 6), ("security", 12)])
def test_the_role_api_filters_by_track(api_client, reference_data, track, count):
    body = api_client.get("/api/v1/roles/", {"track": track, "page_size": 100}).json()
    assert body["count"] == count
    assert {role["track"] for role in body["results"]} == {track}


def test_an_unknown_track_is_a_400_that_names_the_field(api_client, reference_data):
    response = api_client.get("/api/v1/roles/", {"track": "cyber"})
    assert response.status_code == 400
    assert "track" in response.json()


def test_the_schema_documents_track_frameworks_and_ladder(api_client, reference_data):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    role = schema["components"]["schemas"]["Role"]["properties"]
    assert {"track", "frameworks", "next_roles", "previous_roles"} <= set(role)
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/roles/"]["get"]["parameters"]}
    assert set(parameters["track"]["schema"]["enum"]) == {"digital", "security"}


def test_the_track_roles_french_follows_french_typography(reference_data):
    fields = ("title", "summary", "alternative_route", "other_conditions", "selection")
    fields += ("training", "language_note")
    for role in Role.objects.in_track(Track.DIGITAL):
        texts = [getattr(role, f"{field}_fr") for field in fields]
        texts += [requirement.source_fr for requirement in role.requirements.all()]
        texts.append(role.frameworks["ecsf"]["entry_variant"]["fr"] if role.ecsf else "")
        for text in texts:
            assert french_typography_faults(text) == [], (role.slug, text[:80])
            assert "'" not in text, (role.slug, text[:80])
