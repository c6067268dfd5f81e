"""The profile builder's skills step (search, suggestions, levels) and target-roles step."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates.models import CandidateSkill, Evidence
from college.models import Role, Skill
from tests import factories

pytestmark = pytest.mark.django_db

SKILLS_URL = "/me/profile/skills/"
ROLES_URL = "/me/profile/roles/"
IN_ENGLISH = "?lang=en"


def edit_url(skill):
    return f"/me/profile/skills/{skill.pk}/"


def delete_url(skill):
    return f"/me/profile/skills/{skill.pk}/delete/"


def first_aid():
    """A real skill of the framework: 'provide first aid' / 'eerste hulp verlenen'."""
    return Skill.objects.get(label_en="provide first aid")


def add(client, skill, level, q="", **extra):
    data = {"action": "add", "skill": skill, "level": level, "q": q, **extra}
    return client.post(
        SKILLS_URL + IN_ENGLISH, {key: value for key, value in data.items() if value is not None}
    )


def text_of(response):
    """The page's text without tags, with runs of white space as single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def candidate_client(client, cast):
    client.force_login(cast.candidate)
    return client


@pytest.fixture
def profile(cast):
    return cast.candidate.candidate_profile


# Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [SKILLS_URL, ROLES_URL])
def test_a_job_seeker_opens_the_skills_and_roles_steps(candidate_client, url):
    response = candidate_client.get(url)
    assert response.status_code == 200
    assert response.context["completeness"]["percent"] == 0
    assert response.context["step"] in ("skills", "roles")


@pytest.mark.parametrize("url", [SKILLS_URL, ROLES_URL, "/me/profile/skills/1/"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_posts_change_nothing(client, reference_data):
    response = add(client, first_aid().pk, 2)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not CandidateSkill.objects.exists()


@pytest.mark.parametrize("who", ["counsellor", "employer_member", "staff"])
@pytest.mark.parametrize("url", [SKILLS_URL, ROLES_URL])
def test_other_roles_are_refused(client, cast, who, url):
    client.force_login(getattr(cast, who))
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "add", "skill": 1, "level": 2}).status_code == 403


# The skills in the profile ---------------------------------------------------------------


def test_the_page_lists_the_profile_skills_with_level_evidence_and_links(
    candidate_client, cast, profile
):
    mine = factories.CandidateSkillFactory(
        profile=profile,
        skill__label_en="calm a conflict",
        level=3,
        evidence=Evidence.COUNSELLOR_VALIDATED,
    )
    factories.CandidateSkillFactory(
        profile=cast.other_candidate.candidate_profile, skill__label_en="someone else's skill"
    )
    response = candidate_client.get(SKILLS_URL, {"lang": "en"})
    page = response.content.decode()
    assert "calm a conflict" in page
    assert "someone else&#x27;s skill" not in page and "someone else's skill" not in page
    assert 'aria-label="Level 3 of 4"' in page
    assert "evidence-counsellor_validated" in page
    assert f'href="{edit_url(mine.skill)}"' in page
    assert f'action="{delete_url(mine.skill)}"' in page
    text = text_of(response)
    assert "Only a counsellor, a test or a completed training can confirm a skill." in text
    assert "If you raise a level yourself, it becomes self-declared again" in text


def test_the_page_loads_the_autocomplete_script_and_works_without_it(candidate_client):
    page = candidate_client.get(SKILLS_URL, {"lang": "en"}).content.decode()
    assert '<script src="/static/js/skill-search.js" defer></script>' in page
    # The plain GET form, and a quick-add form that stays hidden unless the script shows it.
    assert re.search(
        r'<form method="get" action="/me/profile/skills/#search-results" role="search"', page
    )
    assert 'name="q"' in page
    assert re.search(r'<form [^>]*id="skill-quick-add"[^>]* hidden>', page)
    assert 'aria-live="polite"' in page
    assert 'data-api="/api/v1/skills/"' in page
    assert 'data-msg-many="{count} skills found.' in page
    # No inline script nor inline style: the CSP forbids them.
    assert "<script>" not in page and "style=" not in page


# Search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "query", "label"),
    [
        ("fr", "premiers soins", "prodiguer les premiers soins"),
        ("nl", "eerste hulp", "eerste hulp verlenen"),
        ("en", "first aid", "provide first aid"),
    ],
)
def test_the_search_finds_a_skill_in_each_language(
    candidate_client, reference_data, lang, query, label
):
    response = candidate_client.get(SKILLS_URL, {"q": query, "lang": lang})
    assert response.status_code == 200
    results = response.context["results"]
    assert 0 < len(results) <= 20
    assert first_aid() in [row["skill"] for row in results]
    page = response.content.decode()
    assert label in page
    # Each result has its own add form, default level 2, keeping the query.
    skill = first_aid()
    assert f'name="skill" value="{skill.pk}"' in page
    assert f'<input type="hidden" name="q" value="{query}">' in page
    assert re.search(
        rf'id="add-search-{skill.pk}-level">.*?<option value="2" selected>', page, re.S
    )


def test_the_search_shows_at_most_twenty_results(candidate_client, reference_data):
    response = candidate_client.get(SKILLS_URL, {"q": "de", "lang": "fr"})
    assert len(response.context["results"]) == 20


def test_the_search_marks_skills_already_held(candidate_client, profile, reference_data):
    factories.CandidateSkillFactory(profile=profile, skill=first_aid(), level=1)
    response = candidate_client.get(SKILLS_URL, {"q": "first aid", "lang": "en"})
    held = [row for row in response.context["results"] if row["held"]]
    assert [row["skill"] for row in held] == [first_aid()]
    page = response.content.decode()
    assert "in your profile" in page
    assert f'id="add-search-{first_aid().pk}"' not in page


@pytest.mark.parametrize("query", ["", "a", " b "])
def test_empty_or_too_short_queries_get_a_friendly_message_and_no_search(
    candidate_client, reference_data, query
):
    with CaptureQueriesContext(connection) as queries:
        response = candidate_client.get(SKILLS_URL, {"q": query, "lang": "en"})
    assert response.status_code == 200
    assert response.context["results"] is None
    assert "Type at least 2 letters" in text_of(response)
    assert not any('"search_text" LIKE' in query["sql"] for query in queries.captured_queries)


def test_a_search_with_no_result_says_so(candidate_client, reference_data):
    response = candidate_client.get(SKILLS_URL, {"q": "zzzqqq", "lang": "en"})
    assert response.context["results"] == []
    assert "No skill found" in text_of(response)


# Adding and changing skills ----------------------------------------------------------------


def test_adding_a_skill_saves_it_self_declared_and_returns_to_the_results(
    candidate_client, profile, reference_data
):
    response = add(candidate_client, first_aid().pk, 2, q="first aid")
    assert response.status_code == 302
    assert response["Location"] == "/me/profile/skills/?q=first+aid#search-results"
    item = CandidateSkill.objects.get(profile=profile)
    assert (item.skill, item.level, item.evidence) == (first_aid(), 2, Evidence.SELF_DECLARED)
    page = candidate_client.get(response["Location"], {"lang": "en"})
    assert "is now in your profile, at level 2" in text_of(page)


def test_adding_a_held_skill_higher_resets_the_evidence_to_self_declared(
    candidate_client, cast, profile
):
    item = factories.CandidateSkillFactory(
        profile=profile,
        level=2,
        evidence=Evidence.COUNSELLOR_VALIDATED,
        validated_by=cast.counsellor,
        evidence_note="Seen during a placement.",
    )
    assert add(candidate_client, item.skill_id, 3).status_code == 302
    item.refresh_from_db()
    assert (item.level, item.evidence) == (3, Evidence.SELF_DECLARED)
    assert item.validated_by is None and item.evidence_note == ""


def test_adding_a_held_skill_lower_keeps_what_a_counsellor_confirmed(
    candidate_client, cast, profile
):
    item = factories.CandidateSkillFactory(
        profile=profile,
        level=3,
        evidence=Evidence.COUNSELLOR_VALIDATED,
        validated_by=cast.counsellor,
    )
    assert add(candidate_client, item.skill_id, 1).status_code == 302
    item.refresh_from_db()
    assert (item.level, item.evidence) == (1, Evidence.COUNSELLOR_VALIDATED)
    assert item.validated_by == cast.counsellor


@pytest.mark.parametrize(
    ("skill", "level", "error"),
    [
        ("first-aid", "7", "Choose a level from 1 to 4."),
        ("first-aid", "abc", "Choose a level from 1 to 4."),
        ("first-aid", "0", "Choose a level from 1 to 4."),
        ("first-aid", "", "Choose a level"),
        ("first-aid", None, "Choose a level"),
        ("999999", "2", "This skill is not in the skills framework"),
        ("abc", "2", "This skill is not in the skills framework"),
        ("1 OR 1=1", "2", "This skill is not in the skills framework"),
        ("", "2", "Choose a skill"),
    ],
)
def test_a_bad_skill_or_level_is_refused_and_nothing_is_saved(
    candidate_client, profile, reference_data, skill, level, error
):
    if skill == "first-aid":
        skill = str(first_aid().pk)
    response = add(candidate_client, skill, level, q="first aid", source="search")
    assert response.status_code in (200, 400)
    assert not CandidateSkill.objects.exists()
    text = text_of(response)
    assert "Please correct the following" in text
    assert error in text
    # The page still shows the search results, to try again.
    assert response.context["results"]


def test_the_error_shows_beside_the_form_that_was_sent(candidate_client, reference_data):
    skill = first_aid()
    response = add(candidate_client, skill.pk, "9", q="first aid", source="search")
    page = response.content.decode()
    assert f'href="#add-search-{skill.pk}"' in page
    assert f'aria-describedby="add-search-{skill.pk}-error"' in page


def test_an_unknown_action_is_a_bad_request(candidate_client, reference_data):
    response = candidate_client.post(
        SKILLS_URL, {"action": "explode", "skill": first_aid().pk, "level": 2}
    )
    assert response.status_code == 400
    assert not CandidateSkill.objects.exists()


def test_the_edit_page_changes_the_level_with_descriptors(candidate_client, cast, profile):
    item = factories.CandidateSkillFactory(
        profile=profile,
        level=2,
        evidence=Evidence.COUNSELLOR_VALIDATED,
        validated_by=cast.counsellor,
    )
    page = candidate_client.get(edit_url(item.skill), {"lang": "en"})
    assert page.status_code == 200
    text = text_of(page)
    assert "4 – Expert: I could teach or supervise it" in text
    assert "If you raise the level, it becomes self-declared again" in text
    assert re.search(
        r'<input type="radio" name="level" value="2"[^>]*checked', page.content.decode()
    )

    response = candidate_client.post(edit_url(item.skill), {"level": "4"})
    assert response.status_code == 302
    assert response["Location"] == SKILLS_URL
    item.refresh_from_db()
    assert (item.level, item.evidence) == (4, Evidence.SELF_DECLARED)


@pytest.mark.parametrize("level", ["", "5", "x"])
def test_the_edit_page_refuses_a_bad_level(candidate_client, profile, level):
    item = factories.CandidateSkillFactory(profile=profile, level=2)
    response = candidate_client.post(edit_url(item.skill) + IN_ENGLISH, {"level": level})
    assert response.status_code == 200
    assert "Please correct the following" in text_of(response)
    item.refresh_from_db()
    assert item.level == 2


def test_another_candidates_skill_cannot_be_edited_nor_removed(candidate_client, cast):
    theirs = factories.CandidateSkillFactory(
        profile=cast.other_candidate.candidate_profile, level=3
    )
    assert candidate_client.get(edit_url(theirs.skill)).status_code == 404
    assert candidate_client.post(edit_url(theirs.skill), {"level": "1"}).status_code == 404
    assert candidate_client.post(delete_url(theirs.skill)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.level == 3


def test_a_skill_not_in_the_profile_is_not_found(candidate_client, reference_data):
    assert candidate_client.get(edit_url(first_aid())).status_code == 404
    assert candidate_client.post(delete_url(first_aid())).status_code == 404


def test_removing_a_skill_needs_a_post(candidate_client, profile):
    item = factories.CandidateSkillFactory(profile=profile)
    assert candidate_client.get(delete_url(item.skill)).status_code == 405
    assert CandidateSkill.objects.filter(pk=item.pk).exists()
    response = candidate_client.post(delete_url(item.skill))
    assert response.status_code == 302
    assert response["Location"] == SKILLS_URL
    assert not CandidateSkill.objects.filter(pk=item.pk).exists()


# Suggestions from target roles ------------------------------------------------------------


def test_without_target_roles_the_page_links_to_the_roles_step(candidate_client):
    response = candidate_client.get(SKILLS_URL)
    assert response.context["suggestion_groups"] == []
    assert f'href="{ROLES_URL}"' in response.content.decode()


def test_suggestions_list_the_target_roles_skills_not_yet_held_essential_first(
    candidate_client, profile
):
    role = factories.RoleFactory(title_en="Steward test")
    other_role = factories.RoleFactory(title_en="Guard test")
    essential = factories.RoleRequirementFactory(
        role=role, importance="essential", target_level=3, skill__label_en="keep calm"
    )
    nice = factories.RoleRequirementFactory(
        role=role, importance="nice_to_have", skill__label_en="speak in public"
    )
    held = factories.RoleRequirementFactory(
        role=role, importance="essential", skill__label_en="already mine"
    )
    factories.RoleRequirementFactory(
        role=other_role, importance="important", skill=essential.skill, target_level=2
    )
    factories.RoleRequirementFactory(importance="essential", skill__label_en="not my role")
    factories.CandidateSkillFactory(profile=profile, skill=held.skill)
    profile.target_roles.set([role, other_role])

    response = candidate_client.get(SKILLS_URL, {"lang": "en"})
    groups = response.context["suggestion_groups"]
    assert [group["importance"] for group in groups] == ["essential", "nice_to_have"]
    assert [item["skill"] for item in groups[0]["items"]] == [essential.skill]
    assert groups[0]["items"][0]["roles"] == ["Guard test", "Steward test"]
    assert groups[0]["items"][0]["target_level"] == 3
    assert [item["skill"] for item in groups[1]["items"]] == [nice.skill]
    page = response.content.decode()
    assert "Suggested for your target roles" in page
    assert "keep calm" in page and "speak in public" in page
    assert "not my role" not in page
    assert f'id="add-suggestion-{held.skill.pk}"' not in page
    # No level is chosen in advance: the job-seeker says their own.
    select = re.search(
        rf'<select name="level" id="add-suggestion-{essential.skill.pk}-level">(.*?)</select>',
        page,
        re.S,
    ).group(1)
    assert '<option value="">' in select and "selected" not in select


def test_a_suggestion_added_without_a_level_asks_for_one(candidate_client, profile):
    requirement = factories.RoleRequirementFactory(importance="essential")
    profile.target_roles.set([requirement.role])
    response = add(candidate_client, requirement.skill_id, "", source="suggestion")
    assert response.status_code == 200
    assert not CandidateSkill.objects.exists()
    page = response.content.decode()
    assert "Choose a level" in page
    assert f'href="#add-suggestion-{requirement.skill_id}"' in page
    assert response.context["results"] is None and "Type at least" not in page

    assert add(candidate_client, requirement.skill_id, "1", source="suggestion").status_code == 302
    assert CandidateSkill.objects.get(profile=profile).level == 1
    assert candidate_client.get(SKILLS_URL).context["suggestion_groups"] == []


# Target roles ------------------------------------------------------------------------------


def test_the_roles_step_lists_every_role_grouped_by_sector(candidate_client, reference_data):
    response = candidate_client.get(ROLES_URL, {"lang": "en"})
    groups = response.context["role_groups"]
    assert sum(len(group["roles"]) for group in groups) == Role.objects.count()
    assert len({group["sector"] for group in groups}) == len(groups)
    page = response.content.decode()
    assert "<fieldset" in page and "<legend>" in page
    role = Role.objects.first()
    assert f'href="/roles/{role.slug}/"' in page


def test_the_roles_step_saves_the_chosen_roles(candidate_client, profile, reference_data):
    roles = list(Role.objects.order_by("pk")[:2])
    response = candidate_client.post(ROLES_URL, {"target_roles": [role.pk for role in roles]})
    assert response.status_code == 302
    assert response["Location"] == ROLES_URL
    assert set(profile.target_roles.all()) == set(roles)
    page = candidate_client.get(ROLES_URL)
    steps = {step["key"]: step["done"] for step in page.context["completeness"]["steps"]}
    assert steps["roles"] is True
    checked = re.findall(r'name="target_roles" value="(\d+)"[^>]*checked', page.content.decode())
    assert sorted(checked) == sorted(str(role.pk) for role in roles)

    assert candidate_client.post(ROLES_URL, {}).status_code == 302
    assert not profile.target_roles.exists()


def test_the_roles_step_refuses_a_sixth_role(candidate_client, profile, reference_data):
    kept = Role.objects.order_by("pk")[0]
    profile.target_roles.set([kept])
    six = list(Role.objects.order_by("pk")[:6])
    response = candidate_client.post(
        ROLES_URL + IN_ENGLISH, {"target_roles": [role.pk for role in six]}
    )
    assert response.status_code == 200
    assert "Choose at most 5 roles" in text_of(response)
    assert list(profile.target_roles.all()) == [kept]
    # The choices stay as sent, to untick one.
    checked = re.findall(
        r'name="target_roles" value="(\d+)"[^>]*checked', response.content.decode()
    )
    assert len(checked) == 6


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_the_roles_step_refuses_unknown_roles(candidate_client, profile, value):
    response = candidate_client.post(ROLES_URL + IN_ENGLISH, {"target_roles": [value]})
    assert response.status_code == 200
    assert "Please correct the following" in text_of(response)
    assert not profile.target_roles.exists()


def test_the_roles_step_shows_met_partial_and_missing_requirements(candidate_client, profile):
    role = factories.RoleFactory(
        title_en="Checklist role",
        diploma_required_by_law=True,
        required_diploma="upper_secondary",
        alternative_route_en="Or pass the entrance test.",
    )
    met = factories.RoleRequirementFactory(role=role, target_level=2, skill__label_en="met skill")
    partial = factories.RoleRequirementFactory(
        role=role, target_level=3, skill__label_en="partial skill"
    )
    factories.RoleRequirementFactory(
        role=role, target_level=2, importance="important", skill__label_en="missing skill"
    )
    factories.CandidateSkillFactory(profile=profile, skill=met.skill, level=3)
    factories.CandidateSkillFactory(profile=profile, skill=partial.skill, level=1)
    dutch = factories.LanguageFactory(code="x1", name_en="dutch test")
    french = factories.LanguageFactory(code="x2", name_en="french test")
    english = factories.LanguageFactory(code="x3", name_en="english test")
    factories.RoleLanguageRequirementFactory(role=role, language=english, min_cefr="A2")
    factories.RoleLanguageRequirementFactory(
        role=role, language=dutch, min_cefr="B1", is_alternative=True
    )
    factories.RoleLanguageRequirementFactory(
        role=role, language=french, min_cefr="B1", is_alternative=True
    )
    factories.CandidateLanguageFactory(profile=profile, language=french, cefr="B2")
    no_diploma_role = factories.RoleFactory(title_en="Open role")
    profile.target_roles.set([role, no_diploma_role])

    response = candidate_client.get(ROLES_URL, {"lang": "en"})
    fit = next(fit for fit in response.context["fits"] if fit["role"] == role)
    states = {row["requirement"].skill.label_en: row["state"] for row in fit["skills"]}
    assert states == {"met skill": "met", "partial skill": "partial", "missing skill": "missing"}
    assert (fit["skills_met"], fit["skills_total"]) == (1, 3)
    assert fit["languages_alternative_met"] and not fit["languages_all_met"]

    text = text_of(response)
    assert "This is a checklist to help you prepare, not a judgement." in text
    assert "1 of 3 skills at the level asked" in text
    assert re.search(r"✓ Met met skill .*?Your level: 3 · asked: 2", text)
    assert re.search(r"◐ Level short partial skill .*?Your level: 1 · asked: 3", text)
    assert re.search(r"○ Missing missing skill .*?Asked: level 2 add it", text)
    assert "Not in your profile · at least: A2" in text
    assert "Either one of these languages:" in text
    assert "Your level: B2 · at least: B1" in text
    assert "A diploma is required by law for this role" in text
    assert "Or pass the entrance test." in text
    assert "No diploma required" in text
    page = response.content.decode()
    assert '<progress id="fit-' in page
    assert 'href="/me/profile/skills/?q=missing%20skill#search-results"' in page
    assert f'href="{edit_url(partial.skill)}"' in page


# Query counts ------------------------------------------------------------------------------


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_the_skills_page_makes_as_many_queries_for_ten_skills_as_for_one(candidate_client, profile):
    role = factories.RoleFactory()
    profile.target_roles.set([role])
    factories.RoleRequirementFactory(role=role)
    factories.CandidateSkillFactory(profile=profile)
    one = count_queries(candidate_client, SKILLS_URL, {"q": "test"})
    factories.CandidateSkillFactory.create_batch(9, profile=profile)
    factories.RoleRequirementFactory.create_batch(5, role=role)
    ten = count_queries(candidate_client, SKILLS_URL, {"q": "test"})
    assert one == ten


def test_the_roles_page_makes_as_many_queries_for_three_roles_as_for_one(candidate_client, profile):
    roles = factories.RoleFactory.create_batch(3)
    for role in roles:
        factories.RoleRequirementFactory.create_batch(2, role=role)
        factories.RoleLanguageRequirementFactory(role=role)
    factories.CandidateSkillFactory(profile=profile, skill=roles[0].requirements.first().skill)
    profile.target_roles.set(roles[:1])
    one = count_queries(candidate_client, ROLES_URL)
    profile.target_roles.set(roles)
    three = count_queries(candidate_client, ROLES_URL)
    assert one == three


# Results kept in view ----------------------------------------------------------------------


def test_the_search_lands_at_its_results_even_without_javascript(candidate_client, reference_data):
    page = candidate_client.get(SKILLS_URL, {"lang": "en"}).content.decode()
    assert re.search(r'<form method="get" action="/me/profile/skills/#search-results"', page)
    results = candidate_client.get(SKILLS_URL, {"lang": "en", "q": "first aid"}).content.decode()
    assert '<section id="search-results"' in results


def test_a_skill_added_from_the_suggestions_brings_the_page_back_to_the_suggestions(
    candidate_client, profile, reference_data
):
    response = add(candidate_client, first_aid().pk, 2, source="suggestion")
    assert response["Location"] == SKILLS_URL + "#suggestions"
    page = candidate_client.get(SKILLS_URL, {"lang": "en"}).content.decode()
    assert 'id="suggestions"' in page


def test_a_refused_level_brings_the_page_back_to_the_skill_with_its_error(
    candidate_client, profile, reference_data
):
    skill = first_aid()
    response = add(candidate_client, skill.pk, 9, q="first aid", source="search")
    assert response.status_code in (200, 400)
    page = response.content.decode()
    anchor = f"add-search-{skill.pk}"
    assert f'action="/me/profile/skills/#{anchor}"' in page
    assert re.search(rf'<div class="field field-error add-skill-row" id="{anchor}"', page)
    assert not CandidateSkill.objects.filter(profile=profile).exists()
