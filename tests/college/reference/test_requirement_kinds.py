"""Requirements in two stages: what a role asks at entry, and what the employer teaches after.

A skill taught after hiring (stage `training`) is never missing, never lowers a score and is
shown as learned in training, on the role page, the gap page and the match explanation, in
SQL and in Python alike; the API says each requirement's stage.
"""

import csv
import datetime
import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates.models import CandidateProfile
from college import matching
from college.matching import Candidate, HeldSkill, SkillRequirement, Target, compute_score
from college.models import RequirementStage, Role, RoleRequirement, Skill
from employers.models import Vacancy, VacancyRanking
from employers.services import vacancy_initial_from_role
from tests import factories

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[3] / "college" / "reference" / "data"
CATALOGUE = Path(__file__).resolve().parents[3] / "college" / "training" / "data" / "catalogue.json"
ESCO = "http://data.europa.eu/esco/skill/"
TRAINING = RequirementStage.TRAINING
ENTRY = RequirementStage.ENTRY


def page_client(user, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


# The pure engine ------------------------------------------------------------------------------

SKILL_IDS = st.integers(min_value=1, max_value=10)
LEVELS = st.integers(min_value=1, max_value=4)
REQUIREMENTS = st.builds(
    SkillRequirement,
    skill_id=SKILL_IDS,
    importance=st.sampled_from(list(matching.IMPORTANCE_WEIGHTS)),
    level=LEVELS,
)
HELD = st.dictionaries(
    SKILL_IDS,
    st.builds(HeldSkill, LEVELS, st.sampled_from(list(matching.EVIDENCE_TENTHS))),
    max_size=8,
)


@settings(
    max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    entry=st.lists(REQUIREMENTS, max_size=6, unique_by=lambda item: item.skill_id),
    taught=st.lists(REQUIREMENTS, max_size=6, unique_by=lambda item: item.skill_id),
    held=HELD,
)
def test_a_skill_taught_after_hiring_never_changes_the_score_nor_appears_as_a_gap(
    entry, taught, held
):
    taught = [item for item in taught if item.skill_id not in {r.skill_id for r in entry}]
    candidate = Candidate(skills=held)
    plain = Target(skills=tuple(entry))
    with_training = Target(skills=tuple(entry), taught=tuple(taught))

    assert compute_score(candidate, with_training) == compute_score(candidate, plain)
    match = matching.build_match(candidate, with_training)
    taught_ids = {item.skill_id for item in taught}
    assert not taught_ids & {line.skill_id for line in match.skills}
    assert not taught_ids & {line.skill_id for line in match.missing + match.partial}
    assert [line.skill_id for line in match.taught] == [item.skill_id for item in taught]
    assert all(line.state == matching.TAUGHT for line in match.taught)
    # Holding a taught skill or not changes nothing either.
    for item in taught:
        without = Candidate(skills={k: v for k, v in held.items() if k != item.skill_id})
        assert compute_score(without, with_training) == compute_score(candidate, with_training)


def test_a_role_made_only_of_training_scores_like_a_role_without_skills():
    taught = (SkillRequirement(skill_id=1, importance="essential", level=3),)
    candidate = Candidate()
    assert compute_score(candidate, Target(kind="role", taught=taught)) == 100
    assert matching.build_match(candidate, Target(kind="role", taught=taught)).missing == []


# SQL and Python agree -------------------------------------------------------------------------


@pytest.fixture
def two_skills(reference_data):
    return list(Skill.objects.order_by("pk")[:2])


def test_sql_and_python_agree_with_training_requirements(reference_data, two_skills):
    asked, taught = two_skills
    holder = factories.CandidateFactory().candidate_profile
    holder.is_visible_in_shortlists = True
    holder.save()
    factories.CandidateSkillFactory(profile=holder, skill=asked, level=2)
    stranger = factories.CandidateFactory().candidate_profile
    stranger.is_visible_in_shortlists = True
    stranger.save()
    mixed = factories.VacancyFactory()
    factories.VacancySkillFactory(vacancy=mixed, skill=asked, min_level=2)
    factories.VacancySkillFactory(vacancy=mixed, skill=taught, min_level=4, stage=TRAINING)
    only_training = factories.VacancyFactory()
    factories.VacancySkillFactory(vacancy=only_training, skill=taught, stage=TRAINING)
    pool = CandidateProfile.objects.filter(pk__in=[holder.pk, stranger.pk])
    vacancies = Vacancy.objects.filter(pk__in=[mixed.pk, only_training.pk])

    for profile in (holder, stranger):
        candidate = matching.load_candidate(profile)
        expected = sorted(
            (
                (vacancy.pk, compute_score(candidate, matching.load_vacancy_target(vacancy)))
                for vacancy in vacancies
            ),
            key=lambda item: (-item[1], item[0]),
        )
        assert matching.matches_for(profile=profile, vacancies=vacancies) == expected
    for vacancy in vacancies:
        target = matching.load_vacancy_target(vacancy)
        expected = sorted(
            ((p.pk, compute_score(matching.load_candidate(p), target)) for p in pool),
            key=lambda item: (-item[1], item[0]),
        )
        assert matching.shortlist(vacancy=vacancy, limit=None, pool=pool) == expected
        assert matching.computed_shortlist(vacancy=vacancy, limit=1, pool=pool) == expected[:1]
    # The taught skill is not held by anyone and yet the stranger loses nothing for it.
    only = matching.evaluate(profile=stranger, vacancy=only_training)
    assert only.missing == []
    assert [line.skill_id for line in only.taught] == [taught.pk]


def test_changing_a_requirements_stage_drops_the_kept_ranking(reference_data, two_skills):
    asked, _other = two_skills
    profile = factories.CandidateFactory().candidate_profile
    profile.is_visible_in_shortlists = True
    profile.save()
    vacancy = factories.VacancyFactory()
    requirement = factories.VacancySkillFactory(vacancy=vacancy, skill=asked, min_level=3)
    before = dict(matching.shortlist(vacancy=vacancy, limit=50))
    assert VacancyRanking.objects.filter(vacancy=vacancy).exists()

    requirement.stage = TRAINING
    requirement.save()

    assert not VacancyRanking.objects.filter(vacancy=vacancy).exists()
    after = dict(matching.shortlist(vacancy=vacancy, limit=50))
    assert after[profile.pk] > before[profile.pk]
    assert after == dict(matching.computed_shortlist(vacancy=vacancy, limit=None))


# Pages, in French and Dutch -------------------------------------------------------------------


@pytest.fixture
def police_agent(reference_data):
    return Role.objects.get(slug="police-agent")


def taught_skill(role):
    return role.requirements.filter(stage=TRAINING).select_related("skill").first().skill


@pytest.mark.parametrize(
    ("language", "heading"),
    [("fr", "Appris en formation"), ("nl", "Geleerd in de opleiding")],
)
def test_the_role_page_shows_skills_learned_in_training_apart_with_their_source(
    client, police_agent, language, heading
):
    use_of_force = Skill.objects.get(esco_uri=ESCO + "42645b84-0699-4072-b9cf-335512434b67")
    requirement = police_agent.requirements.get(skill=use_of_force)
    assert requirement.stage == TRAINING

    response = client.get(
        reverse("role_detail", args=[police_agent.slug]), HTTP_ACCEPT_LANGUAGE=language
    )
    page = response.content.decode()

    assert response.status_code == 200
    assert heading in page
    training_part = page.split(heading, 1)[1]
    with_language(language)
    assert use_of_force.label in training_part
    translated_source = {"fr": requirement.source_fr, "nl": requirement.source_nl}[language]
    assert translated_source and translated_source != requirement.source
    assert escape(translated_source) in page
    assert escape(requirement.source) not in page


def with_language(language):
    translation.activate(language)


@pytest.mark.parametrize(
    ("language", "label"),
    [("fr", "Appris en formation"), ("nl", "Geleerd in de opleiding")],
)
def test_the_gap_page_never_lists_a_taught_skill_as_missing(cast, police_agent, language, label):
    skill = taught_skill(police_agent)
    response = page_client(cast.candidate, language).get(
        reverse("candidates:role_gap", args=[police_agent.slug])
    )
    page = response.content.decode()
    with_language(language)

    assert response.status_code == 200
    match = matching.evaluate_role(
        profile=CandidateProfile.objects.get(user=cast.candidate), role=police_agent
    )
    assert skill.pk not in {line.skill_id for line in match.missing}
    assert skill.pk in {line.skill_id for line in match.taught}
    assert label in page
    gaps_part, training_part = page.split(label, 1)
    assert skill.label in training_part
    assert f"<strong>{skill.label}</strong>" not in gaps_part


@pytest.mark.parametrize(
    ("language", "label"),
    [("fr", "Appris en formation"), ("nl", "Geleerd in de opleiding")],
)
def test_the_match_explanation_shows_the_taught_skill_as_learned_in_training(
    cast, reference_data, two_skills, language, label
):
    asked, taught = two_skills
    vacancy = factories.VacancyFactory()
    factories.VacancySkillFactory(vacancy=vacancy, skill=asked)
    factories.VacancySkillFactory(vacancy=vacancy, skill=taught, stage=TRAINING)

    page = page_client(cast.candidate, language).get(reverse("candidates:matches")).content.decode()
    with_language(language)

    gaps_part, training_part = page.split(label, 1)
    assert f"<strong>{asked.label}</strong>" in gaps_part
    assert taught.label in training_part
    assert f"<strong>{taught.label}</strong>" not in page


# Vacancies and the API ------------------------------------------------------------------------


def test_a_vacancy_made_from_a_role_copies_each_requirements_stage(cast, police_agent):
    employer = cast.employer_member.membership.employer
    _fields, skills, _languages = vacancy_initial_from_role(role=police_agent, employer=employer)
    expected = {item.skill_id: item.stage for item in police_agent.requirements.all()}

    assert {item["skill"].pk: item["stage"] for item in skills} == expected
    assert TRAINING in expected.values() and ENTRY in expected.values()


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_roles_api_says_each_requirements_stage_and_source(
    api_client, reference_data, language
):
    body = api_client.get(
        "/api/v1/roles/", {"page_size": 100}, HTTP_ACCEPT_LANGUAGE=language
    ).json()
    role = next(item for item in body["results"] if item["slug"] == "police-agent")
    stored = {
        item.skill_id: item for item in RoleRequirement.objects.filter(role__slug="police-agent")
    }

    assert {item["stage"] for item in role["requirements"]} == {"entry", "training"}
    for item in role["requirements"]:
        assert item["stage"] == stored[item["skill"]["id"]].stage
        requirement = stored[item["skill"]["id"]]
        sources = {
            "fr": requirement.source_fr,
            "nl": requirement.source_nl,
            "en": requirement.source,
        }
        assert item["sources"] == sources
        assert item["source"] == sources[language] != ""


def test_the_vacancy_api_reads_and_writes_the_stage(api_client, cast, reference_data, two_skills):
    asked, taught = two_skills
    api_client.force_authenticate(cast.employer_member)
    payload = {
        "role": "peace-guard",
        "title_fr": "Gardien·ne de la paix",
        "title_nl": "Gemeenschapswacht",
        "description_fr": "Présence rassurante dans les quartiers.",
        "description_nl": "Geruststellende aanwezigheid in de wijken.",
        "commune": "1030",
        "contract": "permanent",
        "closes_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "requirements": [
            {"skill": asked.pk, "importance": "essential", "min_level": 2},
            {"skill": taught.pk, "importance": "important", "min_level": 3, "stage": "training"},
        ],
    }
    response = api_client.post("/api/v1/vacancies/", payload, format="json")

    assert response.status_code == 201, response.content
    stages = {item["skill"]["id"]: item["stage"] for item in response.json()["requirements"]}
    assert stages == {asked.pk: "entry", taught.pk: "training"}
    bad = {**payload, "requirements": [{**payload["requirements"][0], "stage": "later"}]}
    refused = api_client.post("/api/v1/vacancies/", bad, format="json")
    assert refused.status_code == 400
    assert "stage" in str(refused.json()["requirements"])


# The reviewed profiles ------------------------------------------------------------------------

# Powers each role does not have (law of 15 May 2007 for gardiens de la paix, 24 June 2013 for
# SAC officers, 2 October 2017 for private security, royal decree of 25 May 1999 for stewards).
POWERS_A_ROLE_DOES_NOT_HAVE = {
    "peace-guard": {"arrest", "enforce law", "law enforcement", "use of force", "weapons",
                    "check documents", "body search", "restrain", "issue fines"},
    "sac-officer": {"arrest", "enforce law", "use of force", "weapons", "restrain",
                    "body search", "issue fines", "regulate traffic"},
    "security-guard": {"arrest", "enforce law", "law enforcement", "use of force", "weapons"},
    "steward": {"arrest", "enforce law", "law enforcement", "use of force", "weapons",
                "restrain"},
    "cctv-operator": {"arrest", "use of force", "weapons", "restrain"},
    "street-educator": {"arrest", "enforce law", "use of force", "weapons", "restrain"},
    "neighbourhood-mediator": {"arrest", "enforce law", "use of force", "weapons", "restrain"},
    "emergency-dispatcher": {"arrest", "enforce law", "use of force", "weapons", "restrain"},
    "transport-security-agent": {"arrest", "weapons"},
}  # fmt: skip
POWER_LABELS = {"arrest": "detain offenders", "enforce law": "ensure law application",
                "law enforcement": "law enforcement", "use of force": "legal use-of-force",
                "weapons": "ensure compliance with types of weapons",
                "restrain": "restrain individuals", "check documents": "check official documents",
                "body search": "perform body searches", "issue fines": "issue fines",
                "regulate traffic": "regulate traffic"}  # fmt: skip


def roles_file():
    return json.loads((DATA / "roles.json").read_text(encoding="utf-8"))


def skills_file():
    with open(DATA / "skills.csv", newline="", encoding="utf-8") as handle:
        return {row["esco_uri"]: row for row in csv.DictReader(handle)}


def test_no_role_asks_for_a_power_it_does_not_have():
    skills = skills_file()
    by_label = {row["label_en"]: uri for uri, row in skills.items()}
    assert set(POWER_LABELS.values()) <= set(by_label)
    for role in roles_file():
        asked = {item["skill"] for item in role["requirements"]}
        for power in POWERS_A_ROLE_DOES_NOT_HAVE.get(role["slug"], ()):
            assert by_label[POWER_LABELS[power]] not in asked, (role["slug"], power)


def test_the_gardien_de_la_paix_has_no_arrest_identity_check_or_enforcement_skill(
    reference_data,
):
    asked = set(
        RoleRequirement.objects.filter(role__slug="peace-guard").values_list(
            "skill__label_en", flat=True
        )
    )
    for label in ("detain offenders", "ensure law application", "check official documents"):
        assert label not in asked


def test_police_school_skills_are_taught_after_hiring_not_asked_at_entry():
    skills = skills_file()
    for role in roles_file():
        if role["slug"] not in ("police-agent", "police-inspector"):
            continue
        stages = {skills[item["skill"]]["label_en"]: item["stage"] for item in role["requirements"]}
        for label in ("legal use-of-force", "handle case evidence", "ensure law application"):
            assert stages[label] == "training", (role["slug"], label)
        assert "entry" in stages.values()
    inspector = next(role for role in roles_file() if role["slug"] == "police-inspector")
    stages = {
        skills[item["skill"]]["label_en"]: item["stage"] for item in inspector["requirements"]
    }
    assert stages["criminology"] == stages["examine crime scenes"] == "training"


def test_every_requirement_has_a_stage_and_a_source():
    for role in roles_file():
        for item in role["requirements"]:
            assert item["stage"] in RequirementStage.values, role["slug"]
            for key in ("source", "source_fr", "source_nl"):
                assert item[key].strip(), (role["slug"], item["skill"], key)
            assert item["source_fr"] != item["source"] != item["source_nl"], item["source"]


# Near-duplicates merged -----------------------------------------------------------------------


def canonical(skills, uri):
    return skills[uri]["merged_into"] or uri


def test_no_two_skills_of_a_profile_share_a_canonical_concept():
    skills = skills_file()
    merged_away = {uri for uri, row in skills.items() if row["merged_into"]}
    assert len(merged_away) >= 4  # first aid ×2, conflict ×2
    for role in roles_file():
        asked = [item["skill"] for item in role["requirements"]]
        assert not merged_away & set(asked), role["slug"]
        concepts = [canonical(skills, uri) for uri in asked]
        assert len(concepts) == len(set(concepts)), role["slug"]
    catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    for module in catalogue["modules"]:
        taught = [item["skill"] for item in module["skills"]]
        assert not merged_away & set(taught), module["slug"]


def test_merged_away_skills_are_not_in_the_database(reference_data):
    merged_away = [uri for uri, row in skills_file().items() if row["merged_into"]]
    assert not Skill.objects.filter(esco_uri__in=merged_away).exists()


@pytest.mark.parametrize(
    ("query", "language", "canonical_uri"),
    [
        ("premiers secours", "fr", ESCO + "1d21f6ad-340f-45da-a0a3-4e83867f47a6"),
        ("apply first response", "en", ESCO + "1d21f6ad-340f-45da-a0a3-4e83867f47a6"),
        ("eerstehulpverlening", "nl", ESCO + "1d21f6ad-340f-45da-a0a3-4e83867f47a6"),
        ("resolve conflicts", "en", ESCO + "0ee94af1-b445-4973-9c3f-459fab250342"),
        ("gérer les conflits", "fr", ESCO + "0ee94af1-b445-4973-9c3f-459fab250342"),
        ("adviseren over conflictbeheersing", "nl", ESCO + "0ee94af1-b445-4973-9c3f-459fab250342"),
    ],
)
def test_a_synonym_of_a_merged_skill_finds_the_canonical_skill(
    api_client, reference_data, query, language, canonical_uri
):
    results = api_client.get("/api/v1/skills/", {"q": query, "lang": language}).json()["results"]
    assert canonical_uri in [item["esco_uri"] for item in results]
    assert canonical_uri in Skill.objects.search(query, language).values_list("esco_uri", flat=True)


def test_merging_moves_holdings_and_requirements_to_the_canonical_skill_once(reference_data):
    from candidates.models import CandidateSkill, ProfileChange
    from college.reference.loader import merge_skills
    from employers.models import VacancySkill

    first_aid = Skill.objects.get(esco_uri=ESCO + "1d21f6ad-340f-45da-a0a3-4e83867f47a6")
    row = skills_file()[ESCO + "eaa4cdc0-43e0-4388-9b8a-e2779218d10e"]
    duplicate = Skill.objects.create(
        esco_uri=row["esco_uri"],
        skill_type="knowledge",
        label_fr=row["label_fr"],
        label_nl=row["label_nl"],
        label_en=row["label_en"],
    )
    both = factories.CandidateFactory().candidate_profile
    factories.CandidateSkillFactory(
        profile=both, skill=duplicate, level=3, evidence="training_certified"
    )
    factories.CandidateSkillFactory(profile=both, skill=first_aid, level=4)
    only_old = factories.CandidateFactory().candidate_profile
    factories.CandidateSkillFactory(profile=only_old, skill=duplicate, level=2)
    vacancy = factories.VacancyFactory()
    factories.VacancySkillFactory(vacancy=vacancy, skill=duplicate, min_level=3)
    factories.VacancySkillFactory(vacancy=vacancy, skill=first_aid, min_level=2, stage=TRAINING)
    matching.shortlist(vacancy=vacancy, limit=10)
    changes = ProfileChange.objects.count()

    assert merge_skills() == 1

    assert not Skill.objects.filter(pk=duplicate.pk).exists()
    kept = CandidateSkill.objects.get(profile=both)
    # The stronger evidence wins as it is: no level is claimed that the evidence did not back.
    assert (kept.skill_id, kept.level, kept.evidence) == (first_aid.pk, 3, "training_certified")
    assert CandidateSkill.objects.get(profile=only_old).skill_id == first_aid.pk
    requirement = VacancySkill.objects.get(vacancy=vacancy)
    assert (requirement.skill_id, requirement.stage, requirement.min_level) == (
        first_aid.pk,
        ENTRY,
        3,
    )
    assert not VacancyRanking.objects.filter(vacancy=vacancy).exists()
    assert ProfileChange.objects.count() > changes
    assert merge_skills() == 0


@pytest.mark.parametrize(
    ("language", "label"),
    [("fr", "Appris en formation"), ("nl", "Geleerd in de opleiding")],
)
def test_the_public_vacancy_page_lists_taught_skills_apart(
    client, reference_data, two_skills, language, label
):
    asked, taught = two_skills
    vacancy = factories.VacancyFactory()
    factories.VacancySkillFactory(vacancy=vacancy, skill=asked)
    factories.VacancySkillFactory(vacancy=vacancy, skill=taught, stage=TRAINING)

    page = client.get(
        reverse("employers:vacancy_detail", args=[vacancy.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    with_language(language)

    asked_part, training_part = page.split(f">{label}<", 1)
    assert asked.label.capitalize() in asked_part
    assert taught.label.capitalize() not in asked_part
    assert taught.label.capitalize() in training_part


def test_the_target_role_checklist_never_counts_a_taught_skill(cast, police_agent):
    from candidates.matches.selectors import candidate_role_fit

    profile = CandidateProfile.objects.get(user=cast.candidate)
    (fit,) = candidate_role_fit(profile=profile, roles=[police_agent])
    entry = police_agent.requirements.filter(stage=ENTRY).count()

    assert fit["skills_total"] == entry
    assert {row["state"] for row in fit["skills"]} == {"missing"}
    assert {item.stage for item in fit["taught"]} == {TRAINING}
    assert len(fit["taught"]) == police_agent.requirements.count() - entry


@pytest.mark.parametrize(
    ("query", "language", "canonical_label"),
    [
        ("dispenser des premiers secours", "fr", "prodiguer les premiers soins"),
        ("conflicten oplossen", "nl", "conflictbeheersing toepassen"),
    ],
)
def test_the_profile_builder_finds_the_canonical_skill_by_a_merged_synonym(
    cast, reference_data, query, language, canonical_label
):
    response = page_client(cast.candidate, language).get(
        reverse("candidates:profile_skills"), {"q": query, "lang": language}
    )

    assert response.status_code == 200
    assert canonical_label in [row["skill"].label for row in response.context["results"]]


def test_my_matches_api_lists_skills_learned_in_training_apart_with_their_stage(
    cast, api_client, reference_data, two_skills
):
    asked, taught = two_skills
    profile = CandidateProfile.objects.get(user=cast.candidate)
    factories.CandidateSkillFactory(profile=profile, skill=taught, level=1)
    vacancy = factories.VacancyFactory()
    factories.VacancySkillFactory(vacancy=vacancy, skill=asked, min_level=2)
    factories.VacancySkillFactory(vacancy=vacancy, skill=taught, min_level=3, stage=TRAINING)
    api_client.force_authenticate(cast.candidate)

    row = next(
        item
        for item in api_client.get("/api/v1/me/matches/").json()["results"]
        if item["vacancy"]["id"] == vacancy.pk
    )

    assert [item["skill"]["id"] for item in row["missing"]] == [asked.pk]
    assert [item["stage"] for item in row["missing"]] == ["entry"]
    assert all(item["skill"]["id"] != taught.pk for item in row["matched"] + row["partial"])
    [learned] = row["learned_in_training"]
    assert learned["skill"] == {"id": taught.pk, "label": taught.label, "esco_uri": taught.esco_uri}
    assert (learned["stage"], learned["required_level"], learned["held_level"]) == (
        "training",
        3,
        1,
    )
    assert "state" not in learned
