"""A counsellor sees the profiles of the people they guide and validates skills, with a note."""

import pytest

from candidates.models import CandidateSkill, Evidence
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def skill(cast, reference_data):
    return factories.CandidateSkillFactory(profile=cast.candidate.candidate_profile, level=3)


def validate_url(skill):
    return f"/caseload/{skill.profile_id}/skills/{skill.skill_id}/validate/"


def prefixed(skill, note, level=3):
    return {f"validate-{skill.skill_id}-note": note, f"validate-{skill.skill_id}-level": level}


def test_the_counsellor_sees_the_whole_profile(client, cast, skill):
    factories.CandidateLanguageFactory(profile=skill.profile, cefr="B2")
    client.force_login(cast.counsellor)
    response = client.get(f"/caseload/{skill.profile_id}/", headers={"accept-language": "en"})
    assert response.status_code == 200
    page = response.content.decode()
    assert cast.candidate.full_name in page and skill.skill.label_en in page
    assert "B2" in page and "Profile complete" in page


def test_the_caseload_links_to_each_profile(client, cast, skill):
    client.force_login(cast.counsellor)
    page = client.get("/caseload/").content.decode()
    assert f'href="/caseload/{skill.profile_id}/"' in page


def test_validating_sets_evidence_counsellor_and_note(client, cast, skill):
    client.force_login(cast.counsellor)
    response = client.post(validate_url(skill), prefixed(skill, "Seen during a role play"))
    assert response.status_code == 302
    skill.refresh_from_db()
    assert skill.evidence == Evidence.COUNSELLOR_VALIDATED
    assert skill.validated_by == cast.counsellor
    assert skill.evidence_note == "Seen during a role play"
    assert skill.level == 3


def test_a_validation_needs_a_note(client, cast, skill):
    client.force_login(cast.counsellor)
    response = client.post(
        validate_url(skill), prefixed(skill, "  "), headers={"accept-language": "en"}
    )
    assert response.status_code == 400
    assert "Say how you know" in response.content.decode()
    skill.refresh_from_db()
    assert skill.evidence == Evidence.SELF_DECLARED and skill.validated_by is None


@pytest.mark.parametrize("evidence", [Evidence.TEST_VERIFIED, Evidence.TRAINING_CERTIFIED])
def test_stronger_evidence_is_never_lowered(client, cast, skill, evidence):
    CandidateSkill.objects.filter(pk=skill.pk).update(evidence=evidence)
    client.force_login(cast.counsellor)
    response = client.post(validate_url(skill), prefixed(skill, "Seen it"))
    assert response.status_code == 400
    skill.refresh_from_db()
    assert skill.evidence == evidence and skill.validated_by is None


def test_the_job_seeker_then_sees_who_validated_and_why(client, cast, skill):
    client.force_login(cast.counsellor)
    client.post(validate_url(skill), prefixed(skill, "Observed at the youth centre"))
    client.force_login(cast.candidate)
    page = client.get("/me/", headers={"accept-language": "en"}).content.decode()
    assert "Validated by a counsellor" in page


def test_another_counsellor_gets_a_404_and_changes_nothing(client, cast, skill):
    client.force_login(cast.other_counsellor)
    assert client.get(f"/caseload/{skill.profile_id}/").status_code == 404
    assert client.post(validate_url(skill), prefixed(skill, "I did see it")).status_code == 404
    skill.refresh_from_db()
    assert skill.evidence == Evidence.SELF_DECLARED


def test_a_skill_the_person_does_not_hold_is_a_404(client, cast, skill, reference_data):
    client.force_login(cast.counsellor)
    other = factories.CandidateSkillFactory(profile=cast.other_candidate.candidate_profile)
    url = f"/caseload/{skill.profile_id}/skills/{other.skill_id}/validate/"
    assert client.post(url, {"note": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["candidate", "other_candidate", "employer_member", "staff"])
def test_only_counsellors_validate(client, cast, skill, who):
    client.force_login(getattr(cast, who))
    assert client.get(f"/caseload/{skill.profile_id}/").status_code == 403
    assert client.post(validate_url(skill), prefixed(skill, "x")).status_code == 403
    skill.refresh_from_db()
    assert skill.evidence == Evidence.SELF_DECLARED


def test_validation_is_a_post(client, cast, skill):
    client.force_login(cast.counsellor)
    assert client.get(validate_url(skill)).status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(client, skill):
    response = client.get(f"/caseload/{skill.profile_id}/")
    assert response["Location"].startswith("/accounts/login/")


def test_the_counsellor_page_has_a_constant_number_of_queries(client, cast, skill):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    profile = skill.profile
    client.force_login(cast.counsellor)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/caseload/{profile.pk}/")
    for _ in range(8):
        factories.CandidateSkillFactory(profile=profile)
    factories.CandidateLanguageFactory(profile=profile)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/caseload/{profile.pk}/")
    assert len(many) == len(few)


# A level the counsellor chooses, up or down from the person's own -----------------


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_the_counsellor_validates_at_the_level_they_choose_up_or_down(client, cast, skill, level):
    client.force_login(cast.counsellor)
    response = client.post(validate_url(skill), prefixed(skill, "Seen at the role play", level))
    assert response.status_code == 302
    skill.refresh_from_db()
    assert skill.level == level  # the person said 3
    assert skill.evidence == Evidence.COUNSELLOR_VALIDATED
    assert skill.validated_by == cast.counsellor
    assert skill.evidence_note == "Seen at the role play"


def test_the_form_offers_the_persons_own_level_first(client, cast, skill):
    client.force_login(cast.counsellor)
    page = client.get(f"/caseload/{skill.profile_id}/").content.decode()
    name = f"validate-{skill.skill_id}-level"
    assert f'name="{name}" value="3"' in page
    checked = page.split(f'name="{name}" value="3"')[1].split(">")[0]
    assert "checked" in checked


@pytest.mark.parametrize("level", ["0", "5", "-1", "x", ""])
def test_a_level_outside_one_to_four_is_a_translated_error(client, cast, skill, level):
    client.force_login(cast.counsellor)
    response = client.post(validate_url(skill), prefixed(skill, "Seen it", level))
    assert response.status_code == 400
    assert "Choisissez un niveau de 1 à 4." in response.content.decode()
    skill.refresh_from_db()
    assert skill.level == 3 and skill.evidence == Evidence.SELF_DECLARED


def test_a_missing_note_is_a_translated_error_at_the_field(client, cast, skill):
    client.force_login(cast.counsellor)
    response = client.post(validate_url(skill), prefixed(skill, "", 4))
    assert response.status_code == 400
    assert "Dites comment vous le savez" in response.content.decode()
    skill.refresh_from_db()
    assert skill.level == 3 and skill.validated_by is None


@pytest.mark.parametrize("level", [0, 5, True, "2", None])
def test_the_service_refuses_a_level_outside_one_to_four(cast, skill, level):
    from django.core.exceptions import ValidationError

    from candidates.services import candidate_skill_validate

    if level is None:  # None means the person's own level
        done = candidate_skill_validate(
            candidate_skill=skill, counsellor=cast.counsellor, note="Seen", level=level
        )
        assert done.level == 3
        return
    with pytest.raises(ValidationError) as error:
        candidate_skill_validate(
            candidate_skill=skill, counsellor=cast.counsellor, note="Seen", level=level
        )
    assert "level" in error.value.message_dict


def test_the_job_seeker_sees_the_level_the_counsellor_validated(client, cast, skill):
    client.force_login(cast.counsellor)
    client.post(validate_url(skill), prefixed(skill, "Led the whole exercise", 4))
    client.force_login(cast.candidate)
    page = client.get("/me/", headers={"accept-language": "en"}).content.decode()
    assert "Validated by a counsellor" in page
    (item,) = client.get("/api/v1/me/profile/").json()["skills"]
    assert item["level"] == 4 and item["evidence"] == "counsellor_validated"
    assert item["evidence_note"] == "Led the whole exercise"


def test_a_refused_validation_lands_at_the_skill_with_its_error_and_a_success_too(
    client, cast, skill
):
    client.force_login(cast.counsellor)
    anchor = f"skill-{skill.skill_id}"
    response = client.post(validate_url(skill), prefixed(skill, "", 4))
    page = response.content.decode()
    # The form posts to "…/validate/#skill-N": the browser opens the answer at that skill,
    # where the details are open on the error, without JavaScript.
    assert f'action="{validate_url(skill)}#{anchor}"' in page
    after_anchor = page[page.index(f'<li id="{anchor}">') :]
    assert "<details open>" in after_anchor[: after_anchor.index("</li>")]
    assert "Dites comment vous le savez" in after_anchor[: after_anchor.index("</li>")]

    response = client.post(validate_url(skill), prefixed(skill, "Seen in a role play", 4))
    assert response["Location"].endswith(f"#{anchor}")


def test_the_notes_and_action_forms_bring_the_counsellor_back_to_them(client, cast, skill):
    client.force_login(cast.counsellor)
    page = client.get(f"/caseload/{skill.profile_id}/").content.decode()
    assert f'action="/caseload/{skill.profile_id}/notes/#notes"' in page
    assert f'action="/caseload/{skill.profile_id}/actions/#action-plan"' in page


# Both levels kept: the person's own and the counsellor's --------------------------------------


@pytest.mark.parametrize("level", [1, 2, 4])
def test_a_validation_at_another_level_keeps_the_persons_own_level_beside_it(
    client, cast, skill, level
):
    client.force_login(cast.counsellor)
    client.post(validate_url(skill), prefixed(skill, "Seen at the role play", level))
    skill.refresh_from_db()

    assert (skill.level, skill.declared_level) == (level, 3)
    assert skill.has_other_declared_level

    # A second validation keeps the person's word, not the first counsellor level.
    client.post(validate_url(skill), prefixed(skill, "Seen again", 2))
    skill.refresh_from_db()
    assert (skill.level, skill.declared_level) == (2, 3)


def test_a_validation_at_the_persons_own_level_shows_one_level(client, cast, skill):
    client.force_login(cast.counsellor)
    client.post(validate_url(skill), prefixed(skill, "Seen", 3))
    skill.refresh_from_db()

    assert not skill.has_other_declared_level
    page = client.get(f"/caseload/{skill.profile_id}/?lang=en").content.decode()
    assert "The person gave level" not in page


def test_matching_reads_the_validated_level_and_both_levels_are_shown(client, cast, skill):
    from college import matching
    from employers.models import Vacancy

    vacancy = factories.VacancyFactory()
    factories.VacancySkillFactory(vacancy=vacancy, skill=skill.skill, min_level=2)
    client.force_login(cast.counsellor)
    client.post(validate_url(skill), prefixed(skill, "Could not lead the exercise", 1))

    vacancy = Vacancy.objects.get(pk=vacancy.pk)
    [line] = matching.evaluate(profile=skill.profile, vacancy=vacancy).skills
    assert (line.held_level, line.evidence) == (1, "counsellor_validated")
    counsellor_page = client.get(f"/caseload/{skill.profile_id}/?lang=en").content.decode()
    assert "The person gave level 3; validated at level 1, the level matching uses." in (
        counsellor_page
    )

    client.force_login(cast.candidate)
    own_page = client.get("/me/profile/skills/?lang=nl").content.decode()
    assert "Je gaf niveau 3; je loopbaanbegeleider valideerde niveau 1" in own_page
    from college.models import Role, RoleRequirement

    RoleRequirement.objects.update_or_create(
        role=Role.objects.get(slug="peace-guard"),
        skill=skill.skill,
        defaults={"importance": "essential", "target_level": 2, "stage": "entry"},
    )
    gap = client.get("/me/roles/peace-guard/?lang=en").content.decode()
    assert "level 1 validated by your counsellor (the level counted), level 2 asked" in gap
    (item,) = client.get("/api/v1/me/profile/").json()["skills"]
    assert (item["level"], item["declared_level"]) == (1, 3)
    (exported,) = client.get("/api/v1/me/export/").json()["skills"]
    assert (exported["level"], exported["declared_level"]) == (1, 3)


def test_the_person_setting_their_level_again_leaves_one_level(client, cast, skill):
    from candidates.services import candidate_skill_set, candidate_skill_validate

    candidate_skill_validate(
        candidate_skill=skill, counsellor=cast.counsellor, note="Seen", level=4
    )
    skill.refresh_from_db()
    assert skill.declared_level == 3

    lowered = candidate_skill_set(profile=skill.profile, skill=skill.skill, level=2)

    assert (lowered.level, lowered.declared_level) == (2, None)
    assert not lowered.has_other_declared_level


def test_the_passport_names_the_persons_own_level_beside_the_validated_one(cast, skill):
    from candidates.selectors import candidate_passport_context
    from candidates.services import candidate_skill_validate

    candidate_skill_validate(
        candidate_skill=skill, counsellor=cast.counsellor, note="Seen", level=2
    )

    groups = candidate_passport_context(profile=skill.profile)["evidence_groups"]
    [row] = [row for group in groups for row in group["skills"]]
    assert (row["level"], row["declared_level"]) == (2, 3)
