"""The DigComp self-assessment: one page per area, resumable, every level, hostile input refused,
self-declared skills on the profile without ever lowering stronger evidence, a profile by area."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates.digital.selectors import area_results
from candidates.digital.services import digital_self_assessment_save
from candidates.models import CandidateSkill, DigitalSelfAssessment, Evidence
from college.models import Skill
from college.reference.digital import (
    DIGCOMP_TO_PROFILE_LEVEL,
    digcomp_areas,
    digcomp_codes,
    digcomp_competences,
)

pytestmark = pytest.mark.django_db


def area_post(area, level):
    return {item.field_name: str(level) for item in area.competences}


def skill_of(code):
    uri = next(item.esco_uri for item in digcomp_competences() if item.code == code)
    return Skill.objects.get(esco_uri=uri)


def test_the_reference_has_21_competences_in_5_areas_with_known_skills(reference_data):
    assert [area.slug for area in digcomp_areas()] == [
        "information",
        "communication",
        "content",
        "safety",
        "problem_solving",
    ]
    assert len(digcomp_codes()) == 21
    uris = [item.esco_uri for item in digcomp_competences()]
    assert Skill.objects.filter(esco_uri__in=uris).count() == 21
    for item in digcomp_competences():
        assert all(item.titles[code] and item.descriptions[code] for code in ("fr", "nl", "en"))


def test_the_whole_flow_at_every_level_records_self_declared_skills(client, cast, reference_data):
    client.force_login(cast.candidate)
    areas = digcomp_areas()
    # Area i gets level i+1 (1–5); the last area 6: every DigComp level is used.
    levels = [1, 2, 3, 4, 6]
    page = client.get("/me/digital/", headers={"accept-language": "fr"})
    assert page.status_code == 200 and "Commencer" in page.content.decode()
    for index, (area, level) in enumerate(zip(areas, levels, strict=True)):
        form = client.get(f"/me/digital/{area.slug}/")
        assert form.status_code == 200
        assert area.competences[0].title in form.content.decode()
        response = client.post(f"/me/digital/{area.slug}/", area_post(area, level))
        assert response.status_code == 302
        if index < len(areas) - 1:
            assert response["Location"] == f"/me/digital/{areas[index + 1].slug}/"
        else:
            assert response["Location"] == "/me/digital/profile/"
    take = DigitalSelfAssessment.objects.get(profile=cast.candidate.candidate_profile)
    assert take.completed_at is not None
    skills = {row.skill.esco_uri: row for row in CandidateSkill.objects.select_related("skill")}
    for area, level in zip(areas, levels, strict=True):
        for item in area.competences:
            row = skills[item.esco_uri]
            assert row.evidence == Evidence.SELF_DECLARED
            assert row.level == DIGCOMP_TO_PROFILE_LEVEL[level]
    profile_page = client.get("/me/digital/profile/", headers={"accept-language": "en"})
    text = profile_page.content.decode()
    assert 'role="img"' in text and "<title" in text and "<desc" in text
    assert "level 1.0 of 6 (foundation)" in text
    assert "level 6.0 of 6 (advanced)" in text


def test_level_5_and_not_done(cast, reference_data):
    profile = cast.candidate.candidate_profile
    answers = dict.fromkeys(digcomp_codes(), 5)
    answers["3.4"] = 0
    take = digital_self_assessment_save(profile=profile, answers=answers)
    assert take.completed_at is not None
    assert CandidateSkill.objects.get(profile=profile, skill=skill_of("1.1")).level == 4
    assert not CandidateSkill.objects.filter(profile=profile, skill=skill_of("3.4")).exists()


def test_progress_is_saved_per_area_and_resumes(client, cast, reference_data):
    client.force_login(cast.candidate)
    first, second = digcomp_areas()[:2]
    client.post(f"/me/digital/{first.slug}/", area_post(first, 3))
    take = DigitalSelfAssessment.objects.get()
    assert take.completed_at is None and len(take.answers) == len(first.competences)
    assert not CandidateSkill.objects.exists()  # nothing on the profile before the end
    # Back later: the saved area shows its answers, the overview says where to continue.
    page = client.get(f"/me/digital/{first.slug}/").content.decode()
    assert f'name="{first.competences[0].field_name}" value="3"' in page
    assert "checked" in page
    overview = client.get("/me/digital/", headers={"accept-language": "en"}).content.decode()
    assert "Continue" in overview and f"/me/digital/{second.slug}/" in overview
    # A wrong post in the second area loses nothing of the first.
    bad = client.post(f"/me/digital/{second.slug}/", {second.competences[0].field_name: "9"})
    assert bad.status_code == 400
    take.refresh_from_db()
    assert len(take.answers) == len(first.competences)


def test_a_missing_answer_is_named_at_its_field(client, cast, reference_data):
    client.force_login(cast.candidate)
    area = digcomp_areas()[3]
    data = area_post(area, 2)
    missing = area.competences[1].field_name
    del data[missing]
    response = client.post(f"/me/digital/{area.slug}/", data, headers={"accept-language": "nl"})
    assert response.status_code == 400
    assert "Kies de zin die het best bij je past." in response.content.decode()
    assert not DigitalSelfAssessment.objects.exists()


def test_an_unknown_area_is_a_404(client, cast, reference_data):
    client.force_login(cast.candidate)
    assert client.get("/me/digital/nowhere/").status_code == 404


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.one_of(st.text(max_size=30), st.integers(min_value=-(10**6), max_value=10**6)))
def test_hostile_values_through_the_form_never_save_or_fail(client, cast, reference_data, value):
    client.force_login(cast.candidate)
    area = digcomp_areas()[0]
    data = area_post(area, 1)
    posted = str(value).replace("\x00", "")
    data[area.competences[0].field_name] = posted
    response = client.post(f"/me/digital/{area.slug}/", data)
    valid = posted in {str(level) for level in range(7)}
    assert response.status_code == (302 if valid else 400)
    for take in DigitalSelfAssessment.objects.all():
        assert all(level in range(7) for level in take.answers.values())


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.dictionaries(
        st.one_of(st.sampled_from(["1.1", "4.2", "9.9", ""]), st.text(max_size=8)),
        st.one_of(
            st.integers(),
            st.text(max_size=5),
            st.none(),
            st.booleans(),
            st.floats(allow_nan=False, allow_infinity=False),
        ),
        max_size=5,
    )
)
def test_hostile_answers_through_the_api_are_400_never_500(
    api_client, cast, reference_data, answers
):
    api_client.force_authenticate(cast.candidate)
    response = api_client.put(
        "/api/v1/me/digital-self-assessment/", {"answers": answers}, format="json"
    )
    assert response.status_code in (200, 400)
    for take in DigitalSelfAssessment.objects.all():
        assert set(take.answers) <= set(digcomp_codes())
        assert all(level in range(7) for level in take.answers.values())


def test_the_api_reads_and_completes(api_client, cast, reference_data):
    api_client.force_authenticate(cast.candidate)
    empty = api_client.get("/api/v1/me/digital-self-assessment/").json()
    assert empty["open"] is None and empty["latest"] is None and empty["areas"] == []
    half = api_client.put(
        "/api/v1/me/digital-self-assessment/", {"answers": {"1.1": 3}}, format="json"
    ).json()
    assert half["open"]["answers"] == {"1.1": 3}
    done = api_client.put(
        "/api/v1/me/digital-self-assessment/",
        {"answers": dict.fromkeys(digcomp_codes(), 4)},
        format="json",
    ).json()
    assert done["open"] is None and done["latest"]["completed_at"]
    assert [area["mean"] for area in done["areas"]] == ["4.0"] * 5
    assert done["profile_levels"] == {"1": 1, "2": 1, "3": 2, "4": 3, "5": 4, "6": 4}


def test_stronger_evidence_is_never_lowered_and_retakes_keep_history(cast, reference_data):
    profile = cast.candidate.candidate_profile
    tested = CandidateSkill.objects.create(
        profile=profile,
        skill=skill_of("4.1"),
        level=2,
        evidence=Evidence.TEST_VERIFIED,
        evidence_note="Passed the safety check",
    )
    validated = CandidateSkill.objects.create(
        profile=profile, skill=skill_of("2.1"), level=3, evidence=Evidence.COUNSELLOR_VALIDATED
    )
    declared = CandidateSkill.objects.create(profile=profile, skill=skill_of("1.1"), level=4)
    digital_self_assessment_save(profile=profile, answers=dict.fromkeys(digcomp_codes(), 1))
    tested.refresh_from_db()
    validated.refresh_from_db()
    declared.refresh_from_db()
    assert (tested.level, tested.evidence, tested.evidence_note) == (
        2,
        Evidence.TEST_VERIFIED,
        "Passed the safety check",
    )
    assert (validated.level, validated.evidence) == (3, Evidence.COUNSELLOR_VALIDATED)
    assert (declared.level, declared.evidence) == (1, Evidence.SELF_DECLARED)  # own latest word
    digital_self_assessment_save(profile=profile, answers=dict.fromkeys(digcomp_codes(), 6))
    tested.refresh_from_db()
    assert (tested.level, tested.evidence) == (2, Evidence.TEST_VERIFIED)
    assert DigitalSelfAssessment.objects.filter(profile=profile).count() == 2


def test_area_results_count_not_done_as_zero():
    answers = dict.fromkeys(digcomp_codes(), 3)
    answers.update({"1.1": 0, "1.2": 0})
    first = area_results(answers)[0]
    assert (str(first.mean), first.answered, first.total) == ("1.0", 1, 3)
