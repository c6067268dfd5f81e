"""The profile builder's steps: about me, languages, experience, diplomas and conditions.

Each step is a page of its own that works without JavaScript, saves on its own form and
redirects; a form with errors comes back with what was typed and saves nothing. Objects are
only ever found within the signed-in job-seeker's own profile.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    Education,
    Evidence,
    Experience,
    LanguageCertificate,
)
from college.models import Commune, Language, User
from tests import factories

pytestmark = pytest.mark.django_db

STEP_PAGES = [
    ("candidates:profile_about", "about"),
    ("candidates:profile_languages", "languages"),
    ("candidates:profile_experience", "experience"),
    ("candidates:profile_experience_add", "experience"),
    ("candidates:profile_education", "education"),
    ("candidates:profile_education_add", "education"),
    ("candidates:profile_conditions", "conditions"),
]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def candidate(client, cast, reference_data):
    client.force_login(cast.candidate)
    return cast.candidate


@pytest.fixture
def profile(candidate):
    return candidate.candidate_profile


def fresh(profile):
    return CandidateProfile.objects.select_related("user").get(pk=profile.pk)


def completeness_after(client, response):
    """Follows the redirect of a successful POST and reads the bar on the page it lands on."""
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.context["completeness"]


def step_done(completeness, key):
    return next(step["done"] for step in completeness["steps"] if step["key"] == key)


def other_profile(cast):
    return cast.other_candidate.candidate_profile


def language(code):
    return Language.objects.get(code=code)


def month(day):
    return f"{day:%Y-%m}"


# Access: every step page is the job-seeker's own.


@pytest.mark.parametrize(("url_name", "step"), STEP_PAGES)
def test_each_step_renders_for_the_candidate(client, candidate, url_name, step):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response.context["step"] == step
    assert response.context["completeness"]["percent"] == 0
    page = response.content.decode()
    assert "<form" in page
    assert "style=" not in page
    # Strict CSP: only same-origin script files, never inline code.
    assert "<script>" not in page
    assert '<script src="/static/js/keep-drafts.js" defer></script>' in page


@pytest.mark.parametrize(("url_name", "step"), STEP_PAGES)
def test_anonymous_visitors_go_to_the_login_page(client, reference_data, url_name, step):
    url = reverse(url_name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("role", ["counsellor", "employer_member", "staff"])
@pytest.mark.parametrize(("url_name", "step"), STEP_PAGES)
def test_other_roles_are_refused(client, cast, reference_data, role, url_name, step):
    client.force_login(getattr(cast, role))
    assert client.get(reverse(url_name)).status_code == 403
    assert client.post(reverse(url_name), {}).status_code == 403


@pytest.mark.parametrize("role", ["counsellor", "employer_member", "staff"])
def test_other_roles_cannot_delete_anything(client, cast, reference_data, role):
    target = other_profile(cast)
    experience = Experience.objects.create(
        profile=target, kind="job", title="Steward", started_on=datetime.date(2020, 1, 1)
    )
    client.force_login(getattr(cast, role))
    url = reverse("candidates:profile_experience_delete", args=[experience.pk])
    assert client.post(url).status_code == 403
    assert Experience.objects.filter(pk=experience.pk).exists()


def test_a_candidate_made_in_the_admin_gets_a_profile_on_first_visit(client, reference_data):
    user = factories.UserFactory(role=User.Role.CANDIDATE)
    client.force_login(user)
    assert client.get(reverse("candidates:profile_conditions")).status_code == 200
    assert CandidateProfile.objects.filter(user=user).exists()


@pytest.mark.parametrize("lang", ["fr", "nl", "en"])
def test_every_step_renders_with_content_in_each_language(client, candidate, profile, lang):
    skill = factories.CandidateSkillFactory(profile=profile).skill
    experience = Experience.objects.create(
        profile=profile,
        kind="sport",
        title="Coach",
        description="Line one\nline two",
        started_on=datetime.date(2021, 9, 1),
    )
    experience.skills.add(skill)
    Experience.objects.create(
        profile=profile,
        kind="job",
        title="Steward",
        started_on=datetime.date(2019, 1, 1),
        ended_on=datetime.date(2020, 6, 1),
    )
    factories.CandidateLanguageFactory(profile=profile, language=language("ar"), cefr="C2")
    LanguageCertificate.objects.create(
        profile=profile,
        language=language("nl"),
        level="art8",
        obtained_on=datetime.date(2024, 1, 5),
    )
    education = Education.objects.create(
        profile=profile, level="cess", recognition="pending", country="Maroc", year=2012
    )
    urls = [reverse(name) for name, _step in STEP_PAGES] + [
        reverse("candidates:profile_experience_edit", args=[experience.pk]),
        reverse("candidates:profile_education_edit", args=[education.pk]),
    ]
    for url in urls:
        by_header = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
        by_address = client.get(f"{url}?lang={lang}")
        for response in (by_header, by_address):
            assert response.status_code == 200, url
            assert f'<html lang="{lang}">' in response.content.decode(), url
    page = client.get(reverse("candidates:profile_experience"), HTTP_ACCEPT_LANGUAGE=lang)
    assert getattr(skill, f"label_{lang}") in page.content.decode()


# Step 1: about me


def about_data(**changes):
    data = {
        "full_name": "Yasmine Nouveau",
        "commune": str(Commune.objects.get(name_fr="Schaerbeek").pk),
        "phone": "+32 470/12.34-56",
        "birth_year": "1990",
        "nationality": "eea",
        "preferred_language": "fr",
        "gender": "woman",
        "headline": "Calm under pressure.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_about_saves_the_profile_and_the_account(client, candidate, profile):
    response = client.post(reverse("candidates:profile_about"), about_data())
    assert response["Location"] == reverse("candidates:profile_about")
    profile = fresh(profile)
    assert profile.user.full_name == "Yasmine Nouveau"
    assert profile.commune.name_fr == "Schaerbeek"
    assert profile.lives_outside_brussels is False
    assert profile.phone == "+32 470/12.34-56"
    assert profile.birth_year == 1990
    assert profile.nationality == "eea"
    assert profile.gender == "woman"
    assert profile.headline == "Calm under pressure."
    completeness = completeness_after(client, response)
    assert step_done(completeness, "about")
    assert completeness["percent"] == 10


def test_about_offers_the_19_communes_and_the_outside_choice(client, candidate):
    form = client.get(reverse("candidates:profile_about"), HTTP_ACCEPT_LANGUAGE="nl").context[
        "form"
    ]
    labels = [label for value, label in form.fields["commune"].choices if value]
    assert len(labels) == 19
    assert "Elsene" in labels  # The Dutch name, in a Dutch page.
    assert "lives_outside_brussels" in form.fields


def test_living_outside_brussels_leaves_no_commune(client, candidate, profile):
    profile.commune = Commune.objects.first()
    profile.save()
    response = client.post(
        reverse("candidates:profile_about"),
        about_data(commune="", lives_outside_brussels="on"),
    )
    assert response.status_code == 302
    profile = fresh(profile)
    assert profile.commune is None
    assert profile.lives_outside_brussels is True
    assert completeness_after(client, response)["percent"] == 10


def test_a_new_account_language_applies_at_once(client, candidate, profile):
    response = client.post(reverse("candidates:profile_about"), about_data(preferred_language="nl"))
    assert response.status_code == 302
    assert fresh(profile).user.preferred_language == "nl"
    assert response.cookies["passerelle_language"].value == "nl"
    page = client.get(response["Location"])
    assert '<html lang="nl">' in page.content.decode()


def test_the_optional_fields_may_stay_empty(client, candidate, profile):
    response = client.post(
        reverse("candidates:profile_about"),
        about_data(commune="", phone="", birth_year="", nationality="", gender="", headline=""),
    )
    assert response.status_code == 302
    profile = fresh(profile)
    assert (profile.commune, profile.birth_year, profile.phone) == (None, None, "")
    assert completeness_after(client, response)["percent"] == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth_year": str(timezone.localdate().year + 1)}, "birth_year"),
        ({"birth_year": str(timezone.localdate().year - 10)}, "birth_year"),
        ({"birth_year": "1850"}, "birth_year"),
        ({"birth_year": "nineteen"}, "birth_year"),
        ({"lives_outside_brussels": "on"}, "commune"),
        ({"commune": "999999"}, "commune"),
        ({"phone": "call me"}, "phone"),
        ({"phone": "12 34"}, "phone"),
        ({"phone": "1" * 21}, "phone"),
        ({"full_name": ""}, "full_name"),
        ({"preferred_language": "de"}, "preferred_language"),
        ({"nationality": "martian"}, "nationality"),
    ],
)
def test_about_refuses_invalid_data_and_saves_nothing(client, candidate, profile, changes, field):
    response = client.post(reverse("candidates:profile_about"), about_data(**changes), **EN)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert form["headline"].value() == "Calm under pressure."  # What was typed stays.
    assert "Please correct the following" in response.content.decode()
    profile = fresh(profile)
    assert profile.user.full_name == "Yasmine Test"
    assert (profile.commune, profile.birth_year, profile.headline) == (None, None, "")
    assert profile.lives_outside_brussels is False


def test_the_birth_year_rules_are_the_api_ones(client, candidate):
    this_year = timezone.localdate().year
    response = client.post(
        reverse("candidates:profile_about"), about_data(birth_year=str(this_year + 1)), **EN
    )
    assert response.context["form"].errors["birth_year"] == [
        "A birth year cannot be in the future."
    ]
    response = client.post(
        reverse("candidates:profile_about"), about_data(birth_year=str(this_year - 15))
    )
    assert response.status_code == 302


# Step 2: languages and certificates


def test_adding_a_language_saves_it_and_completes_the_step(client, candidate, profile):
    response = client.post(
        reverse("candidates:profile_languages"),
        {"action": "language", "language-language": language("fr").pk, "language-cefr": "B2"},
    )
    assert response["Location"] == reverse("candidates:profile_languages")
    item = CandidateLanguage.objects.get(profile=profile)
    assert (item.language.code, item.cefr) == ("fr", "B2")
    completeness = completeness_after(client, response)
    assert step_done(completeness, "languages")
    assert completeness["percent"] == 15


def test_adding_a_language_again_changes_its_level(client, candidate, profile):
    factories.CandidateLanguageFactory(profile=profile, language=language("nl"), cefr="A2")
    response = client.post(
        reverse("candidates:profile_languages"),
        {"action": "language", "language-language": language("nl").pk, "language-cefr": "B1"},
    )
    assert response.status_code == 302
    assert list(profile.languages.values_list("language__code", "cefr")) == [("nl", "B1")]


def test_the_language_form_offers_every_language_and_plain_words_levels(client, candidate):
    response = client.get(reverse("candidates:profile_languages"), **EN)
    form = response.context["language_form"]
    codes = [item.code for item in form.fields["language"].queryset]
    assert codes[:3] == ["fr", "nl", "en"]
    assert len(codes) == Language.objects.count()
    page = response.content.decode()
    assert "B1 – I deal with most situations at work" in page
    assert "like an educated native speaker" in page
    assert "article 8" in page and "article 11" in page and "BOSA" in page
    assert "<legend>" in page


def test_the_change_link_fills_the_form_with_the_current_level(client, candidate, profile):
    item = factories.CandidateLanguageFactory(profile=profile, language=language("ar"), cefr="C1")
    response = client.get(reverse("candidates:profile_languages"), {"change": item.pk})
    form = response.context["language_form"]
    assert form["language"].value() == item.language_id
    assert form["cefr"].value() == "C1"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"language-language": "999999", "language-cefr": "B1"}, "language"),
        ({"language-language": "abc", "language-cefr": "B1"}, "language"),
        ({"language-language": "", "language-cefr": "B1"}, "language"),
        ({"language-cefr": "D9"}, "cefr"),
        ({"language-cefr": ""}, "cefr"),
    ],
)
def test_invalid_languages_are_refused(client, candidate, profile, data, field):
    data = {"action": "language", "language-language": language("fr").pk, **data}
    response = client.post(reverse("candidates:profile_languages"), data)
    assert response.status_code == 200
    assert list(response.context["language_form"].errors) == [field]
    assert not response.context["certificate_form"].is_bound
    assert not CandidateLanguage.objects.filter(profile=profile).exists()


def test_removing_a_language(client, candidate, profile):
    item = factories.CandidateLanguageFactory(profile=profile, language=language("tr"))
    response = client.post(
        reverse("candidates:profile_languages"), {"action": "remove_language", "item": item.pk}
    )
    assert response.status_code == 302
    assert not CandidateLanguage.objects.filter(pk=item.pk).exists()


def test_another_candidates_language_is_not_found(client, cast, candidate):
    theirs = factories.CandidateLanguageFactory(
        profile=other_profile(cast), language=language("tr")
    )
    url = reverse("candidates:profile_languages")
    assert client.post(url, {"action": "remove_language", "item": theirs.pk}).status_code == 404
    assert client.post(url, {"action": "remove_language", "item": "x"}).status_code == 404
    assert client.get(url, {"change": theirs.pk}).status_code == 404
    assert CandidateLanguage.objects.filter(pk=theirs.pk).exists()


def test_an_unknown_action_is_a_bad_request(client, candidate):
    response = client.post(reverse("candidates:profile_languages"), {"action": "dance"})
    assert response.status_code == 400


def test_adding_a_certificate(client, candidate, profile):
    response = client.post(
        reverse("candidates:profile_languages"),
        {
            "action": "certificate",
            "certificate-language": language("nl").pk,
            "certificate-level": "art8",
            "certificate-obtained_on": "2024-03-15",
        },
    )
    assert response.status_code == 302
    certificate = LanguageCertificate.objects.get(profile=profile)
    assert (certificate.language.code, certificate.level) == ("nl", "art8")
    assert certificate.obtained_on == datetime.date(2024, 3, 15)
    # The same certificate again only updates its date.
    client.post(
        reverse("candidates:profile_languages"),
        {
            "action": "certificate",
            "certificate-language": language("nl").pk,
            "certificate-level": "art8",
        },
    )
    assert LanguageCertificate.objects.get(profile=profile).obtained_on is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"certificate-obtained_on": str(timezone.localdate() + datetime.timedelta(days=1))},
            "obtained_on",
        ),
        ({"certificate-obtained_on": "31/02/2024"}, "obtained_on"),
        ({"certificate-level": "art13"}, "level"),
        ({"certificate-level": ""}, "level"),
        ({"certificate-language": "en"}, "language"),
    ],
)
def test_invalid_certificates_are_refused(client, candidate, profile, changes, field):
    data = {
        "action": "certificate",
        "certificate-language": language("fr").pk,
        "certificate-level": "art11",
        "certificate-obtained_on": "2023-06-01",
    }
    if changes.get("certificate-language") == "en":
        changes = {"certificate-language": language("en").pk}
    data.update(changes)
    response = client.post(reverse("candidates:profile_languages"), data)
    assert response.status_code == 200
    form = response.context["certificate_form"]
    assert list(form.errors) == [field]
    assert not response.context["language_form"].is_bound
    assert not LanguageCertificate.objects.filter(profile=profile).exists()


def test_deleting_a_certificate_needs_a_post_on_ones_own(client, cast, candidate, profile):
    mine = LanguageCertificate.objects.create(
        profile=profile, language=language("fr"), level="art8"
    )
    theirs = LanguageCertificate.objects.create(
        profile=other_profile(cast), language=language("fr"), level="art8"
    )
    assert (
        client.get(reverse("candidates:profile_certificate_delete", args=[mine.pk])).status_code
        == 405
    )
    response = client.post(reverse("candidates:profile_certificate_delete", args=[theirs.pk]))
    assert response.status_code == 404
    assert LanguageCertificate.objects.filter(pk=theirs.pk).exists()
    response = client.post(reverse("candidates:profile_certificate_delete", args=[mine.pk]))
    assert response["Location"] == reverse("candidates:profile_languages")
    assert not LanguageCertificate.objects.filter(pk=mine.pk).exists()


# Step 3: experience


def experience_data(**changes):
    data = {
        "kind": "volunteering",
        "title": "Steward at festivals",
        "organisation": "Brussels Summer Festival",
        "description": "Guided visitors.",
        "started_on": "2022-03",
        "ended_on": "",
    }
    data.update(changes)
    return data


def test_adding_an_experience_saves_it_and_completes_the_step(client, candidate, profile):
    response = client.post(reverse("candidates:profile_experience_add"), experience_data())
    assert response["Location"] == reverse("candidates:profile_experience")
    experience = Experience.objects.get(profile=profile)
    assert experience.kind == "volunteering"
    assert experience.started_on == datetime.date(2022, 3, 1)
    assert experience.ended_on is None
    completeness = completeness_after(client, response)
    assert step_done(completeness, "experience")
    assert completeness["percent"] == 15


def test_months_typed_by_hand_are_understood(client, candidate, profile):
    response = client.post(
        reverse("candidates:profile_experience_add"),
        experience_data(started_on="09/2019", ended_on="2020-06-15"),
    )
    assert response.status_code == 302
    experience = Experience.objects.get(profile=profile)
    assert (experience.started_on, experience.ended_on) == (
        datetime.date(2019, 9, 1),
        datetime.date(2020, 6, 1),
    )


@pytest.fixture
def skills_to_link(profile):
    """A skill the profile holds (validated, level 3) and one only a target role asks for."""
    held = factories.CandidateSkillFactory(
        profile=profile, level=3, evidence=Evidence.COUNSELLOR_VALIDATED
    )
    requirement = factories.RoleRequirementFactory()
    profile.target_roles.add(requirement.role)
    return held, requirement.skill


def test_the_form_offers_own_skills_and_target_role_skills(client, candidate, skills_to_link):
    held, role_skill = skills_to_link
    form = client.get(reverse("candidates:profile_experience_add")).context["form"]
    offered = set(form.fields["skills"].queryset.values_list("pk", flat=True))
    assert offered == {held.skill_id, role_skill.pk}
    groups = form.skill_groups()
    assert len(groups) == 2
    assert [int(str(option.data["value"])) for option in groups[1]["options"]] == [role_skill.pk]


def test_linking_a_target_role_skill_adds_it_to_the_profile(
    client, candidate, profile, skills_to_link
):
    held, role_skill = skills_to_link
    response = client.post(
        reverse("candidates:profile_experience_add"),
        {**experience_data(), "skills": [held.skill_id, role_skill.pk]},
    )
    assert response.status_code == 302
    experience = Experience.objects.get(profile=profile)
    assert set(experience.skills.values_list("pk", flat=True)) == {held.skill_id, role_skill.pk}
    added = CandidateSkill.objects.get(profile=profile, skill=role_skill)
    assert (added.level, added.evidence) == (1, Evidence.SELF_DECLARED)
    held.refresh_from_db()
    assert (held.level, held.evidence) == (3, Evidence.COUNSELLOR_VALIDATED)


def test_a_skill_not_offered_cannot_be_linked(client, candidate, profile, skills_to_link):
    stranger = factories.SkillFactory()
    response = client.post(
        reverse("candidates:profile_experience_add"),
        {**experience_data(), "skills": [stranger.pk]},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["skills"]
    assert not Experience.objects.exists()
    assert not CandidateSkill.objects.filter(profile=profile, skill=stranger).exists()


def test_invalid_experiences_are_refused(client, candidate, profile):
    today = timezone.localdate()
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    cases = [
        ({"started_on": "2022-05", "ended_on": "2022-04"}, "ended_on"),
        ({"started_on": month(next_month)}, "started_on"),
        ({"started_on": "2022-05", "ended_on": month(next_month)}, "ended_on"),
        ({"started_on": ""}, "started_on"),
        ({"started_on": "2022-13"}, "started_on"),
        ({"started_on": "1850-01"}, "started_on"),
        ({"kind": "holiday"}, "kind"),
        ({"title": ""}, "title"),
        ({"description": "x" * 2001}, "description"),
    ]
    for changes, field in cases:
        response = client.post(
            reverse("candidates:profile_experience_add"), experience_data(**changes)
        )
        assert response.status_code == 200, changes
        assert list(response.context["form"].errors) == [field], changes
        assert response.context["form"]["title"].value() == changes.get(
            "title", "Steward at festivals"
        )
    assert not Experience.objects.exists()
    # This month is not in the future, as a start or as an end.
    response = client.post(
        reverse("candidates:profile_experience_add"),
        experience_data(started_on=month(today), ended_on=month(today)),
    )
    assert response.status_code == 302


def test_editing_an_experience(client, candidate, profile, skills_to_link):
    held, role_skill = skills_to_link
    experience = Experience.objects.create(
        profile=profile, kind="job", title="Shop assistant", started_on=datetime.date(2018, 2, 1)
    )
    experience.skills.add(held.skill)
    url = reverse("candidates:profile_experience_edit", args=[experience.pk])
    form = client.get(url).context["form"]
    assert form["title"].value() == "Shop assistant"
    assert form["started_on"].value() == datetime.date(2018, 2, 1)
    assert 'value="2018-02"' in str(form["started_on"])
    assert [int(value) for value in form["skills"].value()] == [held.skill_id]
    response = client.post(
        url,
        experience_data(kind="job", title="Shop manager", started_on="2018-02", ended_on="2021-12"),
    )
    assert response.status_code == 302
    experience.refresh_from_db()
    assert (experience.title, experience.ended_on) == ("Shop manager", datetime.date(2021, 12, 1))
    assert not experience.skills.exists()
    assert Experience.objects.count() == 1


def test_another_candidates_experience_is_not_found(client, cast, candidate):
    theirs = Experience.objects.create(
        profile=other_profile(cast),
        kind="job",
        title="Theirs",
        started_on=datetime.date(2020, 1, 1),
    )
    edit = reverse("candidates:profile_experience_edit", args=[theirs.pk])
    delete = reverse("candidates:profile_experience_delete", args=[theirs.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, experience_data()).status_code == 404
    assert client.post(delete).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"


def test_deleting_an_experience_needs_a_post_and_keeps_the_skills(
    client, candidate, profile, skills_to_link
):
    held, _role_skill = skills_to_link
    experience = Experience.objects.create(
        profile=profile, kind="job", title="Mine", started_on=datetime.date(2020, 1, 1)
    )
    experience.skills.add(held.skill)
    url = reverse("candidates:profile_experience_delete", args=[experience.pk])
    assert client.get(url).status_code == 405
    assert client.post(url)["Location"] == reverse("candidates:profile_experience")
    assert not Experience.objects.filter(pk=experience.pk).exists()
    assert CandidateSkill.objects.filter(pk=held.pk).exists()


def test_the_list_shows_kinds_dates_and_skill_chips(client, candidate, profile):
    skill = factories.SkillFactory(label_en="Calming a crowd")
    ongoing = Experience.objects.create(
        profile=profile,
        kind="caring",
        title="Caring for my father",
        started_on=datetime.date(2021, 5, 1),
    )
    ongoing.skills.add(skill)
    Experience.objects.create(
        profile=profile,
        kind="sport",
        title="Youth football coach",
        started_on=datetime.date(2015, 9, 1),
        ended_on=datetime.date(2019, 6, 1),
    )
    page = client.get(reverse("candidates:profile_experience"), **EN).content.decode()
    assert "Caring for someone" in page
    assert "Since May 2021" in page
    assert "September 2015 – June 2019" in page
    assert "Calming a crowd" in page
    assert page.index("Caring for my father") < page.index("Youth football coach")


def _experiences_with_skills(profile, count):
    for index in range(count):
        experience = Experience.objects.create(
            profile=profile, kind="job", title=f"Job {index}", started_on=datetime.date(2020, 1, 1)
        )
        experience.skills.add(factories.SkillFactory(), factories.SkillFactory())


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("candidates:profile_experience"))
    assert response.status_code == 200
    return len(queries)


def test_the_experience_list_costs_the_same_queries_however_long(client, candidate, profile):
    _experiences_with_skills(profile, 1)
    one = _list_queries(client)
    _experiences_with_skills(profile, 4)
    five = _list_queries(client)
    assert five == one


# Step 4: diplomas


def education_data(**changes):
    data = {
        "level": "cess",
        "title": "Social sciences",
        "institution": "Athénée Royal",
        "recognition": "belgian",
        "country": "",
        "year": "2010",
    }
    data.update(changes)
    return data


def test_adding_a_diploma_completes_the_step_and_clears_no_diploma(client, candidate, profile):
    profile.has_no_diploma = True
    profile.save()
    response = client.post(reverse("candidates:profile_education_add"), education_data())
    assert response["Location"] == reverse("candidates:profile_education")
    education = Education.objects.get(profile=profile)
    assert (education.level, education.recognition, education.year) == ("cess", "belgian", 2010)
    assert fresh(profile).has_no_diploma is False
    completeness = completeness_after(client, response)
    assert step_done(completeness, "education")
    assert completeness["percent"] == 5


def test_a_foreign_diploma_that_is_not_recognised_counts(client, candidate, profile):
    response = client.post(
        reverse("candidates:profile_education_add"),
        education_data(recognition="not_recognised", country="Maroc", year=""),
    )
    assert response.status_code == 302
    education = Education.objects.get(profile=profile)
    assert (education.country, education.year, education.is_foreign) == ("Maroc", None, True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"recognition": "recognised", "country": ""}, "country"),
        ({"recognition": "pending", "country": "  "}, "country"),
        ({"recognition": "belgian", "country": "Maroc"}, "country"),
        ({"year": str(timezone.localdate().year + 1)}, "year"),
        ({"year": "1930"}, "year"),
        ({"level": ""}, "level"),
        ({"level": "phd"}, "level"),
        ({"recognition": "maybe"}, "recognition"),
    ],
)
def test_invalid_diplomas_are_refused(client, candidate, profile, changes, field):
    response = client.post(reverse("candidates:profile_education_add"), education_data(**changes))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert response.context["form"]["title"].value() == "Social sciences"
    assert not Education.objects.exists()


def test_a_belgian_diploma_may_name_belgium(client, candidate, profile):
    response = client.post(
        reverse("candidates:profile_education_add"), education_data(country="Belgique")
    )
    assert response.status_code == 302


def test_saying_there_is_no_diploma_completes_the_step(client, candidate, profile):
    page = client.get(reverse("candidates:profile_education"), **EN).content.decode()
    assert "one signal among many" in page
    assert "NARIC" in page and "Fédération Wallonie-Bruxelles" in page
    response = client.post(reverse("candidates:profile_education"), {"has_no_diploma": "on"})
    assert response.status_code == 302
    assert fresh(profile).has_no_diploma is True
    assert completeness_after(client, response)["percent"] == 5
    client.post(reverse("candidates:profile_education"), {})
    assert fresh(profile).has_no_diploma is False


def test_no_diploma_cannot_be_said_with_diplomas_added(client, candidate, profile):
    Education.objects.create(profile=profile, level="cess")
    response = client.post(reverse("candidates:profile_education"), {"has_no_diploma": "on"})
    assert response.status_code == 200
    assert list(response.context["no_diploma_form"].errors) == ["has_no_diploma"]
    assert fresh(profile).has_no_diploma is False


def test_editing_a_diploma(client, candidate, profile):
    education = Education.objects.create(profile=profile, level="ce1d", year=2005)
    url = reverse("candidates:profile_education_edit", args=[education.pk])
    assert client.get(url).context["form"]["level"].value() == "ce1d"
    response = client.post(url, education_data(level="vocational"))
    assert response.status_code == 302
    education.refresh_from_db()
    assert (education.level, education.year) == ("vocational", 2010)
    assert Education.objects.count() == 1


def test_another_candidates_diploma_is_not_found(client, cast, candidate):
    theirs = Education.objects.create(profile=other_profile(cast), level="master")
    edit = reverse("candidates:profile_education_edit", args=[theirs.pk])
    delete = reverse("candidates:profile_education_delete", args=[theirs.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, education_data()).status_code == 404
    assert client.post(delete).status_code == 404
    theirs.refresh_from_db()
    assert theirs.level == "master"


def test_deleting_a_diploma_needs_a_post(client, candidate, profile):
    education = Education.objects.create(profile=profile, level="bachelor")
    url = reverse("candidates:profile_education_delete", args=[education.pk])
    assert client.get(url).status_code == 405
    assert client.post(url)["Location"] == reverse("candidates:profile_education")
    assert not Education.objects.filter(pk=education.pk).exists()


# Step 5: conditions


def test_saving_conditions(client, candidate, profile):
    start = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        reverse("candidates:profile_conditions"),
        {
            "driving_licences": ["B", "AM", "B"],
            "full_time": "on",
            "nights": "on",
            "weekends": "on",
            "max_travel_minutes": "45",
            "available_from": start.isoformat(),
        },
    )
    assert response["Location"] == reverse("candidates:profile_conditions")
    profile = fresh(profile)
    assert profile.driving_licences == ["AM", "B"]
    assert (profile.full_time, profile.part_time, profile.shifts) == (True, False, False)
    assert (profile.nights, profile.weekends) == (True, True)
    assert profile.max_travel_minutes == 45
    assert profile.available_from == start
    assert profile.conditions_saved_at is not None
    completeness = completeness_after(client, response)
    assert step_done(completeness, "conditions")
    assert completeness["percent"] == 10
    form = client.get(reverse("candidates:profile_conditions")).context["form"]
    assert form["driving_licences"].value() == ["AM", "B"]
    assert form["nights"].value() is True


def test_conditions_with_nothing_ticked_still_count_as_given(client, candidate, profile):
    response = client.post(reverse("candidates:profile_conditions"), {})
    assert response.status_code == 302
    profile = fresh(profile)
    assert profile.conditions_saved_at is not None
    assert (profile.driving_licences, profile.max_travel_minutes) == ([], None)


def test_a_past_start_date_means_now(client, candidate, profile):
    response = client.post(
        reverse("candidates:profile_conditions"), {"available_from": "2020-01-01"}
    )
    assert response.status_code == 302
    assert fresh(profile).available_from == datetime.date(2020, 1, 1)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"max_travel_minutes": "25"}, "max_travel_minutes"),
        ({"max_travel_minutes": "far"}, "max_travel_minutes"),
        ({"driving_licences": ["B", "Z"]}, "driving_licences"),
        (
            {"available_from": str(timezone.localdate() + datetime.timedelta(days=3 * 365))},
            "available_from",
        ),
        ({"available_from": "someday"}, "available_from"),
    ],
)
def test_invalid_conditions_are_refused(client, candidate, profile, data, field):
    response = client.post(reverse("candidates:profile_conditions"), {"full_time": "on", **data})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert form["full_time"].value() is True
    profile = fresh(profile)
    assert profile.conditions_saved_at is None
    assert profile.full_time is False
    assert profile.driving_licences == []


def test_the_success_message_is_shown_after_the_redirect(client, candidate):
    response = client.post(reverse("candidates:profile_conditions"), {}, follow=True, **EN)
    assert "Conditions saved." in response.content.decode()


def test_a_skill_linked_earlier_stays_offered_after_leaving_the_profile(client, candidate, profile):
    gone = factories.SkillFactory()
    experience = Experience.objects.create(
        profile=profile, kind="job", title="Steward", started_on=datetime.date(2020, 1, 1)
    )
    experience.skills.add(gone)
    url = reverse("candidates:profile_experience_edit", args=[experience.pk])
    form = client.get(url).context["form"]
    assert [len(group["options"]) for group in form.skill_groups()] == [1]
    response = client.post(url, {**experience_data(), "skills": [gone.pk]})
    assert response.status_code == 302
    assert list(experience.skills.all()) == [gone]
    assert CandidateSkill.objects.filter(profile=profile, skill=gone, level=1).exists()
