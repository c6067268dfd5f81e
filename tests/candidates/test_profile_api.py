"""`/api/v1/me/profile/`: a job-seeker reads and edits their own profile, all or nothing."""

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from candidates.models import CandidateProfile, Evidence
from candidates.services import candidate_profile_update
from college.models import Commune, Language, Role, Skill
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/profile/"
# Messages are compared in English, whatever the catalogues say.
URL_IN_ENGLISH = f"{URL}?lang=en"
ONLY_OTHERS_CONFIRM = "Only a counsellor, a test or a completed training can confirm a skill."


def skills(count):
    return list(Skill.objects.order_by("id")[:count])


def snapshot(user):
    """Everything a profile update may change, to compare before and after a refused one."""
    user.refresh_from_db()
    profile = CandidateProfile.objects.get(user=user)
    return {
        "account": (user.full_name, user.preferred_language),
        "profile": CandidateProfile.objects.filter(pk=profile.pk).values().get(),
        "target_roles": sorted(profile.target_roles.values_list("pk", flat=True)),
        "skills": sorted(
            profile.skills.values_list(
                "skill_id", "level", "evidence", "evidence_note", "validated_by_id", "updated_at"
            )
        ),
        "languages": sorted(profile.languages.values_list("language__code", "cefr")),
    }


def error_at(body, path):
    for key in path:
        body = body[key]
    return body


@pytest.fixture
def profile(cast, reference_data):
    """Yasmine's profile, filled in, with one skill a counsellor validated."""
    profile = cast.candidate.candidate_profile
    profile.commune = Commune.objects.get(name_fr="Schaerbeek")
    profile.phone = "0470 11 22 33"
    profile.birth_year = 1994
    profile.gender = CandidateProfile.Gender.WOMAN
    profile.headline = "Steward à la recherche d’un poste de gardienne de la paix."
    profile.is_visible_in_shortlists = True
    profile.save()
    profile.target_roles.set([Role.objects.get(slug="peace-guard")])
    validated, declared, _unused = skills(3)
    factories.CandidateSkillFactory(
        profile=profile,
        skill=validated,
        level=3,
        evidence=Evidence.COUNSELLOR_VALIDATED,
        evidence_note="Seen during a placement.",
        validated_by=cast.counsellor,
    )
    factories.CandidateSkillFactory(profile=profile, skill=declared, level=1)
    factories.CandidateLanguageFactory(
        profile=profile, language=Language.objects.get(code="fr"), cefr="C2"
    )
    factories.CandidateLanguageFactory(
        profile=profile, language=Language.objects.get(code="nl"), cefr="A2"
    )
    return profile


@pytest.fixture
def candidate_client(api_client, cast):
    api_client.force_authenticate(cast.candidate)
    return api_client


def valid_payload():
    validated, declared, new = skills(3)
    return {
        "full_name": "Yasmine Exemple",
        "preferred_language": "nl",
        "commune": Commune.objects.get(name_fr="Ixelles").pk,
        "lives_outside_brussels": False,
        "phone": "+32 470 99 88 77",
        "birth_year": 1990,
        "gender": "other",
        "headline": "Gardienne de la paix en devenir.",
        "is_visible_in_shortlists": False,
        "target_roles": [Role.objects.get(slug="police-inspector").pk],
        "skills": [
            {"skill": declared.pk, "level": 1, "evidence": "self_declared"},
            {"skill": new.pk, "level": 2},
        ],
        "languages": [{"language": "fr", "cefr": "C1"}, {"language": "en", "cefr": "B1"}],
    }


def test_the_profile_has_the_promised_shape(candidate_client, cast, profile):
    response = candidate_client.get(URL, {"lang": "nl"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "id",
        "full_name",
        "email",
        "preferred_language",
        "commune",
        "lives_outside_brussels",
        "phone",
        "birth_year",
        "gender",
        "headline",
        "is_visible_in_shortlists",
        "target_roles",
        "skills",
        "languages",
        "certificates",
        "experiences",
        "education",
        "nationality",
        "has_no_diploma",
        "driving_licences",
        "full_time",
        "part_time",
        "shifts",
        "nights",
        "weekends",
        "max_travel_minutes",
        "available_from",
        "completeness",
        "updated_at",
    }
    assert body["id"] == profile.pk
    assert body["full_name"] == "Yasmine Test"
    assert body["email"] == "yasmine@example.org"
    assert body["preferred_language"] == "fr"
    assert body["commune"] == {"id": profile.commune_id, "nis_code": "21015", "name": "Schaarbeek"}
    assert body["lives_outside_brussels"] is False
    assert (body["phone"], body["birth_year"], body["gender"]) == ("0470 11 22 33", 1994, "woman")
    assert body["is_visible_in_shortlists"] is True
    assert [role["slug"] for role in body["target_roles"]] == ["peace-guard"]
    assert set(body["target_roles"][0]) == {"id", "slug", "title"}
    strongest = body["skills"][0]
    assert set(strongest) == {
        "skill",
        "level",
        "declared_level",
        "evidence",
        "evidence_note",
        "updated_at",
    }
    assert strongest["declared_level"] is None  # no counsellor chose another level
    assert set(strongest["skill"]) == {"id", "label", "esco_uri"}
    assert (strongest["level"], strongest["evidence"]) == (3, "counsellor_validated")
    assert strongest["evidence_note"] == "Seen during a placement."
    assert body["skills"][1]["evidence"] == "self_declared"
    assert body["languages"] == [
        {"language": "fr", "name": "Frans", "cefr": "C2"},
        {"language": "nl", "name": "Nederlands", "cefr": "A2"},
    ]


def test_a_candidate_without_a_profile_gets_an_empty_one(api_client, reference_data):
    user = factories.UserFactory()
    api_client.force_authenticate(user)
    body = api_client.get(URL).json()
    assert body["skills"] == [] and body["languages"] == [] and body["commune"] is None
    assert CandidateProfile.objects.filter(user=user).exists()


def test_a_token_opens_the_profile_and_a_wrong_one_is_a_401(api_client, cast, profile):
    token = Token.objects.create(user=cast.candidate)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.get(URL).json()["id"] == profile.pk
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert api_client.get(URL).status_code == 401


def test_the_browsable_api_shows_the_profile_too(candidate_client, profile):
    response = candidate_client.get(URL, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "Yasmine Test" in response.content.decode()


def test_put_replaces_the_profile_its_skills_and_its_languages(candidate_client, cast, profile):
    validated, declared, new = skills(3)
    declared_before = profile.skills.get(skill=declared)
    response = candidate_client.put(URL, valid_payload(), format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["full_name"] == "Yasmine Exemple" and body["preferred_language"] == "nl"
    assert body["commune"]["name"] == "Ixelles"
    assert body["phone"] == "+32 470 99 88 77" and body["birth_year"] == 1990
    assert body["is_visible_in_shortlists"] is False
    assert [role["slug"] for role in body["target_roles"]] == ["police-inspector"]
    assert [(item["skill"]["id"], item["level"], item["evidence"]) for item in body["skills"]] == [
        (new.pk, 2, "self_declared"),
        (declared.pk, 1, "self_declared"),
    ]
    assert body["languages"] == [
        {"language": "fr", "name": "français", "cefr": "C1"},
        {"language": "en", "name": "anglais", "cefr": "B1"},
    ]
    assert snapshot(cast.candidate) == {
        "account": ("Yasmine Exemple", "nl"),
        "profile": CandidateProfile.objects.filter(pk=profile.pk).values().get(),
        "target_roles": [Role.objects.get(slug="police-inspector").pk],
        "skills": sorted(
            [
                (declared.pk, 1, "self_declared", "", None, declared_before.updated_at),
                (new.pk, 2, "self_declared", "", None, profile.skills.get(skill=new).updated_at),
            ]
        ),
        "languages": [("en", "B1"), ("fr", "C1")],
    }
    assert not profile.skills.filter(skill=validated).exists()


def test_put_resets_the_fields_left_out_but_keeps_the_name_and_language(
    candidate_client, cast, profile
):
    response = candidate_client.put(URL, {"headline": "Only this."}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["headline"] == "Only this."
    assert body["commune"] is None and body["phone"] == "" and body["birth_year"] is None
    assert body["skills"] == [] and body["languages"] == [] and body["target_roles"] == []
    assert body["full_name"] == "Yasmine Test" and body["preferred_language"] == "fr"


def test_patch_of_one_field_leaves_the_rest_as_it_was(candidate_client, cast, profile):
    before = snapshot(cast.candidate)
    response = candidate_client.patch(URL, {"phone": "02 123 45 67"}, format="json")
    assert response.status_code == 200
    after = snapshot(cast.candidate)
    assert after["profile"].pop("phone") == "02 123 45 67"
    assert before["profile"].pop("phone") == "0470 11 22 33"
    assert after["profile"].pop("updated_at") > before["profile"].pop("updated_at")
    assert after == before


def test_patch_with_a_skills_list_replaces_the_skills_only(candidate_client, cast, profile):
    before = snapshot(cast.candidate)
    new = skills(3)[2]
    payload = {"skills": [{"skill": new.pk, "level": 4}]}
    response = candidate_client.patch(URL, payload, format="json")
    assert response.status_code == 200
    assert [(item["skill"]["id"], item["level"]) for item in response.json()["skills"]] == [
        (new.pk, 4)
    ]
    after = snapshot(cast.candidate)
    assert after["languages"] == before["languages"]
    assert after["target_roles"] == before["target_roles"]
    assert after["account"] == before["account"]


def test_patch_changes_the_accounts_name_and_language(candidate_client, cast, profile):
    payload = {"full_name": "Yasmine B.", "preferred_language": "en"}
    assert candidate_client.patch(URL, payload, format="json").json()["full_name"] == "Yasmine B."
    cast.candidate.refresh_from_db()
    assert (cast.candidate.full_name, cast.candidate.preferred_language) == ("Yasmine B.", "en")


def test_moving_out_of_brussels_takes_clearing_the_commune(candidate_client, cast, profile):
    refused = candidate_client.patch(URL, {"lives_outside_brussels": True}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"lives_outside_brussels"}
    payload = {"lives_outside_brussels": True, "commune": None}
    body = candidate_client.patch(URL, payload, format="json").json()
    assert body["lives_outside_brussels"] is True and body["commune"] is None


def test_the_oldest_and_youngest_possible_birth_years_are_accepted(candidate_client, profile):
    youngest = timezone.localdate().year - 15
    for year in (1900, youngest):
        response = candidate_client.patch(URL, {"birth_year": year}, format="json")
        assert response.status_code == 200
        assert response.json()["birth_year"] == year


def test_language_codes_are_read_in_any_case(candidate_client, profile):
    payload = {"languages": [{"language": "NL", "cefr": "B2"}]}
    body = candidate_client.patch(URL, payload, format="json").json()
    assert [(item["language"], item["cefr"]) for item in body["languages"]] == [("nl", "B2")]


def test_the_same_role_twice_is_kept_once(candidate_client, profile):
    role = Role.objects.get(slug="steward")
    payload = {"target_roles": [role.pk, role.pk]}
    body = candidate_client.patch(URL, payload, format="json").json()
    assert [item["id"] for item in body["target_roles"]] == [role.pk]


def set_skill(payload, index, **fields):
    payload["skills"][index].update(fields)


def duplicate_first_skill(payload):
    payload["skills"].append(dict(payload["skills"][0], level=3))


def duplicate_first_language(payload):
    payload["languages"].append({"language": "fr", "cefr": "A1"})


def this_year():
    return timezone.localdate().year


INVALID_CHANGES = {
    "an unknown skill": (
        lambda p: set_skill(p, 1, skill=999_999_999),
        ("skills", "1", "skill"),
    ),
    "a skill id beyond any database integer": (
        lambda p: set_skill(p, 1, skill=10**30),
        ("skills", "1", "skill"),
    ),
    "a skill id that is text": (
        lambda p: set_skill(p, 0, skill="first aid"),
        ("skills", "0", "skill"),
    ),
    "level 0": (lambda p: set_skill(p, 0, level=0), ("skills", "0", "level")),
    "level 5": (lambda p: set_skill(p, 1, level=5), ("skills", "1", "level")),
    "a level that is a word": (lambda p: set_skill(p, 1, level="high"), ("skills", "1", "level")),
    "a level that is true": (lambda p: set_skill(p, 1, level=True), ("skills", "1", "level")),
    "a level left out": (lambda p: p["skills"][1].pop("level"), ("skills", "1", "level")),
    "a skill left out": (lambda p: p["skills"][1].pop("skill"), ("skills", "1", "skill")),
    "a duplicate skill": (duplicate_first_skill, ("skills", "2", "skill")),
    "an unknown evidence": (
        lambda p: set_skill(p, 0, evidence="expert"),
        ("skills", "0", "evidence"),
    ),
    "evidence claimed for a new skill": (
        lambda p: set_skill(p, 1, evidence="test_verified"),
        ("skills", "1", "evidence"),
    ),
    "a skill that is a number": (
        lambda p: p["skills"].append(7),
        ("skills", "2", "non_field_errors"),
    ),
    "skills that are text": (
        lambda p: p.update(skills="first aid"),
        ("skills", "non_field_errors"),
    ),
    "skills that are an object": (
        lambda p: p.update(skills={"skill": 1, "level": 2}),
        ("skills", "non_field_errors"),
    ),
    "a CEFR level D1": (
        lambda p: p["languages"][0].update(cefr="D1"),
        ("languages", "0", "cefr"),
    ),
    "a CEFR level in lower case": (
        lambda p: p["languages"][0].update(cefr="b2"),
        ("languages", "0", "cefr"),
    ),
    "an unknown language code": (
        lambda p: p["languages"][1].update(language="xx"),
        ("languages", "1", "language"),
    ),
    "a language given by name": (
        lambda p: p["languages"][1].update(language="English"),
        ("languages", "1", "language"),
    ),
    "a language left out": (
        lambda p: p["languages"][1].pop("language"),
        ("languages", "1", "language"),
    ),
    "a duplicate language": (duplicate_first_language, ("languages", "2", "language")),
    "languages that are text": (
        lambda p: p.update(languages="fr"),
        ("languages", "non_field_errors"),
    ),
    "an unknown commune": (lambda p: p.update(commune=999_999), ("commune",)),
    "a commune beyond any database integer": (lambda p: p.update(commune=10**30), ("commune",)),
    "a commune that is true": (lambda p: p.update(commune=True), ("commune",)),
    "a commune by name": (lambda p: p.update(commune="Ixelles"), ("commune",)),
    "a commune while living outside Brussels": (
        lambda p: p.update(lives_outside_brussels=True),
        ("commune",),
    ),
    "an unknown role": (lambda p: p["target_roles"].append(999_999), ("target_roles",)),
    "roles that are a number": (lambda p: p.update(target_roles=3), ("target_roles",)),
    "roles that are an object": (lambda p: p.update(target_roles={"1": True}), ("target_roles",)),
    "a birth year before 1900": (lambda p: p.update(birth_year=1899), ("birth_year",)),
    "a birth year making a 14-year-old": (
        lambda p: p.update(birth_year=this_year() - 14),
        ("birth_year",),
    ),
    "a birth year in the future": (lambda p: p.update(birth_year=this_year() + 1), ("birth_year",)),
    "a huge birth year": (lambda p: p.update(birth_year=10**30), ("birth_year",)),
    "a birth year in words": (lambda p: p.update(birth_year="nineteen ninety"), ("birth_year",)),
    "a yes-or-no that is neither": (
        lambda p: p.update(is_visible_in_shortlists="maybe"),
        ("is_visible_in_shortlists",),
    ),
    "a yes-or-no that is a list": (
        lambda p: p.update(lives_outside_brussels=[True]),
        ("lives_outside_brussels",),
    ),
    "a phone number that is a list": (lambda p: p.update(phone=["0470"]), ("phone",)),
    "a phone number too long": (lambda p: p.update(phone="0" * 31), ("phone",)),
    "an unknown gender": (lambda p: p.update(gender="robot"), ("gender",)),
    "a headline too long": (lambda p: p.update(headline="x" * 201), ("headline",)),
    "an empty name": (lambda p: p.update(full_name=""), ("full_name",)),
    "a name that is an object": (lambda p: p.update(full_name={"first": "Y"}), ("full_name",)),
    "an unsupported interface language": (
        lambda p: p.update(preferred_language="de"),
        ("preferred_language",),
    ),
}


def test_the_shared_payload_is_valid(candidate_client, profile):
    """The refusals below change one thing in it; so each is refused for that thing alone."""
    for method in (candidate_client.put, candidate_client.patch):
        assert method(URL, valid_payload(), format="json").status_code == 200


@pytest.mark.parametrize("method", ["put", "patch"])
@pytest.mark.parametrize("change", INVALID_CHANGES, ids=str)
def test_an_invalid_value_is_a_400_naming_it_and_nothing_is_saved(
    candidate_client, cast, profile, method, change
):
    apply_change, path = INVALID_CHANGES[change]
    payload = valid_payload()
    apply_change(payload)
    before = snapshot(cast.candidate)
    response = getattr(candidate_client, method)(URL, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {path[0]}
    messages = error_at(body, path)
    assert messages and all(isinstance(message, str) for message in messages)
    assert snapshot(cast.candidate) == before


@pytest.mark.parametrize(
    "content",
    ["[]", "null", '"profile"', "42", '{"phone": ', "not json at all"],
    ids=["a list", "null", "a string", "a number", "cut-off JSON", "not JSON"],
)
def test_a_body_that_is_not_an_object_is_a_400_and_nothing_is_saved(
    candidate_client, cast, profile, content
):
    before = snapshot(cast.candidate)
    for method in (candidate_client.put, candidate_client.patch):
        response = method(URL, content, content_type="application/json")
        assert response.status_code == 400
    assert snapshot(cast.candidate) == before


def test_a_form_encoded_body_is_refused_with_a_415(candidate_client, cast, profile):
    before = snapshot(cast.candidate)
    response = candidate_client.put(URL, {"phone": "02 000 00 00"})
    assert response.status_code == 415
    assert snapshot(cast.candidate) == before


def test_an_invalid_item_among_valid_changes_saves_none_of_them(candidate_client, cast, profile):
    before = snapshot(cast.candidate)
    payload = valid_payload()
    payload["languages"][1]["cefr"] = "C3"
    response = candidate_client.put(URL_IN_ENGLISH, payload, format="json")
    assert response.json() == {"languages": {"1": {"cefr": ['"C3" is not a valid choice.']}}}
    assert snapshot(cast.candidate) == before


# Evidence: a job-seeker never raises it themself.


def stored_skill(profile, skill):
    return profile.skills.get(skill=skill)


def test_keeping_the_level_keeps_the_counsellors_validation(candidate_client, cast, profile):
    validated = skills(1)[0]
    before = stored_skill(profile, validated)
    payload = {"skills": [{"skill": validated.pk, "level": 3, "evidence": "counsellor_validated"}]}
    response = candidate_client.patch(URL, payload, format="json")
    assert response.status_code == 200
    after = stored_skill(profile, validated)
    assert after.evidence == Evidence.COUNSELLOR_VALIDATED
    assert after.validated_by == cast.counsellor
    assert after.evidence_note == "Seen during a placement."
    assert after.updated_at == before.updated_at


def test_lowering_the_level_keeps_the_evidence(candidate_client, cast, profile):
    validated = skills(1)[0]
    payload = {"skills": [{"skill": validated.pk, "level": 2}]}
    assert candidate_client.patch(URL, payload, format="json").status_code == 200
    after = stored_skill(profile, validated)
    assert (after.level, after.evidence) == (2, Evidence.COUNSELLOR_VALIDATED)
    assert after.validated_by == cast.counsellor
    assert after.evidence_note == "Seen during a placement."


def test_raising_the_level_makes_the_skill_self_declared_again(candidate_client, profile):
    validated = skills(1)[0]
    payload = {"skills": [{"skill": validated.pk, "level": 4}]}
    body = candidate_client.patch(URL, payload, format="json").json()
    assert (body["skills"][0]["level"], body["skills"][0]["evidence"]) == (4, "self_declared")
    after = stored_skill(profile, validated)
    assert (after.level, after.evidence) == (4, Evidence.SELF_DECLARED)
    assert after.validated_by is None and after.evidence_note == ""


def test_raising_the_level_while_keeping_the_old_evidence_is_a_400(candidate_client, cast, profile):
    validated = skills(1)[0]
    before = snapshot(cast.candidate)
    payload = {"skills": [{"skill": validated.pk, "level": 4, "evidence": "counsellor_validated"}]}
    response = candidate_client.patch(URL_IN_ENGLISH, payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"skills": {"0": {"evidence": [ONLY_OTHERS_CONFIRM]}}}
    assert snapshot(cast.candidate) == before


@pytest.mark.parametrize("evidence", ["test_verified", "training_certified"])
def test_claiming_stronger_evidence_than_stored_is_a_400(candidate_client, cast, profile, evidence):
    validated = skills(1)[0]
    before = snapshot(cast.candidate)
    payload = {"skills": [{"skill": validated.pk, "level": 3, "evidence": evidence}]}
    response = candidate_client.patch(URL_IN_ENGLISH, payload, format="json")
    assert response.json() == {"skills": {"0": {"evidence": [ONLY_OTHERS_CONFIRM]}}}
    assert snapshot(cast.candidate) == before


def test_a_self_declared_skill_cannot_be_declared_validated(candidate_client, cast, profile):
    declared = skills(2)[1]
    payload = {"skills": [{"skill": declared.pk, "level": 1, "evidence": "counsellor_validated"}]}
    response = candidate_client.patch(URL, payload, format="json")
    assert response.status_code == 400
    assert stored_skill(profile, declared).evidence == Evidence.SELF_DECLARED


def test_sending_weaker_evidence_keeps_the_stored_one(candidate_client, cast, profile):
    """Evidence is not the job-seeker's to set, in either direction: it is checked, not stored."""
    validated = skills(1)[0]
    payload = {"skills": [{"skill": validated.pk, "level": 3, "evidence": "self_declared"}]}
    body = candidate_client.patch(URL, payload, format="json").json()
    assert body["skills"][0]["evidence"] == "counsellor_validated"


def test_the_service_applies_the_evidence_rule_to_the_rows_as_stored_when_writing(cast, profile):
    """A counsellor's validation landing between a request's validation and its write stays."""
    declared = skills(2)[1]
    profile.skills.filter(skill=declared).update(
        evidence=Evidence.COUNSELLOR_VALIDATED, validated_by=cast.counsellor
    )
    items = [{"skill": declared, "level": 1, "evidence": Evidence.TRAINING_CERTIFIED}]
    candidate_profile_update(profile=profile, data={"skills": items})
    kept = stored_skill(profile, declared)
    assert (kept.evidence, kept.validated_by) == (Evidence.COUNSELLOR_VALIDATED, cast.counsellor)
    candidate_profile_update(profile=profile, data={"skills": [dict(items[0], level=2)]})
    raised = stored_skill(profile, declared)
    assert (raised.evidence, raised.validated_by) == (Evidence.SELF_DECLARED, None)


# Access.


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_anonymous_callers_get_a_401(api_client, cast, profile, method):
    before = snapshot(cast.candidate)
    response = getattr(api_client, method)(URL, valid_payload(), format="json")
    assert response.status_code == 401
    assert response.has_header("WWW-Authenticate")
    assert snapshot(cast.candidate) == before


@pytest.mark.parametrize("method", ["get", "put", "patch"])
@pytest.mark.parametrize("role", ["counsellor", "employer_member", "staff"])
def test_other_roles_get_a_403_and_no_profile(api_client, cast, profile, role, method):
    before = snapshot(cast.candidate)
    api_client.force_authenticate(getattr(cast, role))
    response = getattr(api_client, method)(URL, valid_payload(), format="json")
    assert response.status_code == 403
    assert not CandidateProfile.objects.filter(user=getattr(cast, role)).exists()
    assert snapshot(cast.candidate) == before


def test_another_candidates_data_never_appears_or_changes(candidate_client, cast, profile):
    others = cast.other_candidate.candidate_profile
    others.phone = "0499 00 00 00"
    others.headline = "Someone else's headline"
    others.save()
    factories.CandidateSkillFactory(profile=others, skill__label_fr="compétence d’un autre")
    factories.CandidateLanguageFactory(
        profile=others, language=Language.objects.get(code="ar"), cefr="C2"
    )
    others_before = snapshot(cast.other_candidate)
    page = candidate_client.get(URL).content.decode()
    for foreign in ("0499 00 00 00", "Someone else", "compétence d’un autre", '"ar"', "Other Test"):
        assert foreign not in page
    assert candidate_client.put(URL, valid_payload(), format="json").status_code == 200
    assert snapshot(cast.other_candidate) == others_before


def test_reading_the_profile_takes_as_many_queries_for_20_skills_as_for_2(
    candidate_client, cast, profile, django_assert_max_num_queries
):
    profile.skills.all().delete()
    profile.languages.all().delete()
    many_skills = skills(20)
    languages = list(Language.objects.order_by("position")[:10])
    roles = list(Role.objects.order_by("slug")[:6])
    for skill in many_skills[:2]:
        factories.CandidateSkillFactory(profile=profile, skill=skill, validated_by=cast.counsellor)
    for language in languages[:2]:
        factories.CandidateLanguageFactory(profile=profile, language=language)
    profile.target_roles.set(roles[:1])
    with django_assert_max_num_queries(10) as few:
        assert len(candidate_client.get(URL).json()["skills"]) == 2
    for skill in many_skills[2:]:
        factories.CandidateSkillFactory(profile=profile, skill=skill, validated_by=cast.counsellor)
    for language in languages[2:]:
        factories.CandidateLanguageFactory(profile=profile, language=language)
    profile.target_roles.set(roles)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = candidate_client.get(URL).json()
    assert (len(body["skills"]), len(body["languages"]), len(body["target_roles"])) == (20, 10, 6)
