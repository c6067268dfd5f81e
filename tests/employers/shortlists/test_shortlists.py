"""Blind shortlists: `/api/v1/vacancies/{id}/shortlist/`, the page, and the invitation."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.authtoken.models import Token

from candidates.models import CandidateProfile, Education, LanguageCertificate, ProfileView
from candidates.services import candidate_shortlist_consent_set
from college import matching
from college.models import Commune, Language
from employers.models import ShortlistInvitation, Vacancy
from employers.services import application_withdraw
from employers.shortlists.api import (
    ShortlistLanguageLineSerializer,
    ShortlistSkillLineSerializer,
)
from employers.shortlists.selectors import (
    blind_match,
    candidate_ref,
    conditions_at_invitation,
    shortlist_invite,
    shortlist_pool,
    shortlist_profile_for_ref,
    shortlist_rows,
)
from tests import factories

pytestmark = pytest.mark.django_db

ROW_KEYS = {
    "rank",
    "candidate_ref",
    "score",
    "eligibility",
    "matched",
    "partial",
    "missing",
    "languages_met",
    "languages_short",
    "applied",
    "application_url",
    "invited",
    "invited_at",
    "revealed",
}
IDENTITY_KEYS = {
    "full_name",
    "email",
    "phone",
    "birth_year",
    "age",
    "commune",
    "address",
    "nationality",
    "gender",
    "photo",
    "profile",
    "profile_id",
    "user",
    "user_id",
    "headline",
}
REF = re.compile(r"C-[A-Z2-7]{10}")


def api_url(vacancy):
    return f"/api/v1/vacancies/{vacancy.pk}/shortlist/"


def page_url(vacancy):
    return f"/employer/vacancies/{vacancy.pk}/shortlist/"


def invite_url(vacancy, ref):
    return f"/employer/vacancies/{vacancy.pk}/shortlist/{ref}/invite/"


@pytest.fixture
def skills(reference_data):
    return [factories.SkillFactory() for _ in range(3)]


@pytest.fixture
def vacancy(cast, skills):
    """A published vacancy of the employer member's organisation: 3 skills, Dutch B1."""
    vacancy = factories.VacancyFactory(
        employer=cast.employer_member.membership.employer, min_age=18, nights=True
    )
    factories.VacancySkillFactory(vacancy=vacancy, skill=skills[0], importance="essential")
    factories.VacancySkillFactory(
        vacancy=vacancy, skill=skills[1], importance="important", min_level=3
    )
    factories.VacancySkillFactory(vacancy=vacancy, skill=skills[2], importance="nice_to_have")
    factories.VacancyLanguageFactory(vacancy=vacancy, min_cefr="B1")
    return vacancy


def make_candidate(held=(), *, opted_in=True, dutch=None, **profile_fields):
    """A job-seeker with `held` skills [(skill, level, evidence)]; visible in shortlists."""
    user = factories.CandidateFactory()
    profile = user.candidate_profile
    for name, value in profile_fields.items():
        setattr(profile, name, value)
    profile.is_visible_in_shortlists = opted_in
    profile.save()
    for skill, level, evidence in held:
        factories.CandidateSkillFactory(
            profile=profile, skill=skill, level=level, evidence=evidence
        )
    if dutch:
        factories.CandidateLanguageFactory(
            profile=profile, language=Language.objects.get(code="nl"), cefr=dutch
        )
    return profile


@pytest.fixture
def yasmine(cast, skills):
    """The cast's candidate, opted in, with identifying details that must never leak blind."""
    profile = cast.candidate.candidate_profile
    profile.phone = "+32 470 11 22 33"
    profile.birth_year = 1979
    profile.gender = CandidateProfile.Gender.WOMAN
    profile.nationality = "eea"
    profile.commune = Commune.objects.get(nis_code="21009")  # Ixelles
    profile.headline = "Ancienne stewarde, passionnée de médiation"
    profile.nights = True
    profile.save()
    candidate_shortlist_consent_set(profile=profile, given=True)
    factories.CandidateSkillFactory(
        profile=profile, skill=skills[0], level=3, evidence="test_verified"
    )
    factories.CandidateSkillFactory(profile=profile, skill=skills[1], level=2)
    factories.CandidateLanguageFactory(
        profile=profile, language=Language.objects.get(code="nl"), cefr="B2"
    )
    return profile


@pytest.fixture
def pool(vacancy, skills, yasmine):
    """Four more candidates of varied strength, and one who did not opt in."""
    return {
        "strong": make_candidate(
            [(skills[0], 3, "training_certified"), (skills[1], 3, "test_verified")],
            dutch="C1",
            nights=True,
        ),
        "middle": make_candidate([(skills[0], 2, "self_declared")], dutch="A2"),
        "weak": make_candidate([]),
        "partial": make_candidate([(skills[2], 1, "counsellor_validated")], dutch="B1"),
        "hidden": make_candidate(
            [(skills[0], 4, "training_certified"), (skills[1], 4, "training_certified")],
            opted_in=False,
        ),
        "yasmine": yasmine,
    }


@pytest.fixture
def client(client):
    """Pages in English, so that the tests read the English msgids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def login_api(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def walk(value):
    """Every dict key and string/number value of a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield ("key", key)
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)
    else:
        yield ("value", value)


def identity_values(profile):
    user = profile.user
    return [
        user.full_name,
        user.email,
        user.email.split("@")[0],
        profile.phone,
        str(profile.birth_year),
        profile.commune.name_fr,
        profile.commune.name_nl,
        profile.commune.main_postcode,
        "Another EU/EEA country or Switzerland",
        '"eea"',
        '"woman"',
        "Woman",
        profile.headline,
    ]


# The ranking --------------------------------------------------------------------------------


def test_the_ranking_is_the_engines(vacancy, pool):
    expected = matching.shortlist(vacancy=vacancy, pool=shortlist_pool(vacancy))
    rows = shortlist_rows(vacancy, limit=50)
    assert [(row.profile.pk, row.score) for row in rows] == expected
    assert [row.rank for row in rows] == list(range(1, len(expected) + 1))
    # Without withdrawn applications, the pool is the engine's default pool.
    assert expected == matching.shortlist(vacancy=vacancy)
    assert rows[0].profile == pool["strong"]
    assert [row.score for row in rows] == sorted((row.score for row in rows), reverse=True)


def blind_eligibility(profile, vacancy):
    """What a blind row's eligibility must be: the engine's, without age and nationality."""
    target = matching.load_vacancy_target(vacancy)
    return blind_match(matching.load_candidate(profile), target).eligibility


def test_each_row_is_explained_as_evaluate_does(vacancy, pool):
    for row in shortlist_rows(vacancy):
        match = matching.evaluate(profile=row.profile, vacancy=vacancy)
        assert row.score == match.score
        assert row.eligibility == blind_eligibility(row.profile, vacancy)
        assert row.matched == match.matched
        assert row.partial == match.partial
        assert row.missing == match.missing
        assert row.languages_met == match.languages_met
        assert row.languages_short == match.languages_short


def test_batch_loading_reads_what_the_engine_reads(vacancy, pool):
    profile = pool["strong"]
    Education.objects.create(profile=profile, level="cess", recognition="belgian", year=2010)
    Education.objects.create(profile=profile, level="bachelor", recognition="pending", year=2015)
    LanguageCertificate.objects.create(
        profile=profile, language=Language.objects.get(code="nl"), level="art9_1"
    )
    profiles = list(CandidateProfile.objects.filter(pk__in=[p.pk for p in pool.values()]))
    loaded = matching.load_candidates(profiles, with_diplomas=True)
    for item in profiles:
        assert loaded[item.pk] == matching.load_candidate(item, with_diplomas=True)


def test_pages_continue_the_ranking(vacancy, pool):
    everyone = shortlist_rows(vacancy, limit=50)
    second = shortlist_rows(vacancy, limit=2, offset=2)
    assert [(row.rank, row.candidate_ref) for row in second] == [
        (row.rank, row.candidate_ref) for row in everyone[2:4]
    ]
    assert shortlist_rows(vacancy, limit=5, offset=500) == []


def test_age_and_nationality_are_checked_at_the_invitation_not_before(vacancy, pool, cast):
    young = pool["middle"]
    young.birth_year = 2015
    young.save()
    before = {row.profile.pk: row.score for row in shortlist_rows(vacancy)}
    rows = {row.profile: row for row in shortlist_rows(vacancy)}
    for profile in (young, pool["weak"], pool["strong"]):
        row = rows[profile]
        assert not any("18" in item or "birth" in item.lower() for item in row.eligibility.missing)
        neutral = conditions_at_invitation(matching.load_vacancy_target(vacancy))
        assert len(neutral) == 1
        assert row.eligibility.to_check_at_selection == neutral
    assert rows[young].eligibility == rows[pool["strong"]].eligibility
    shortlist_invite(vacancy=vacancy, profile=young, invited_by=cast.employer_member)
    row = next(row for row in shortlist_rows(vacancy) if row.profile == young)
    assert row.eligibility.status == matching.NOT_YET
    assert any("18" in item for item in row.eligibility.missing)
    assert before[young.pk] == row.score


# Who is in the pool -------------------------------------------------------------------------


def test_only_those_who_opted_in_or_applied_appear(vacancy, pool, cast):
    refs = {row.profile.pk for row in shortlist_rows(vacancy)}
    assert pool["hidden"].pk not in refs
    assert factories.CandidateFactory().candidate_profile.pk not in refs
    application = factories.ApplicationFactory(vacancy=vacancy, profile=pool["hidden"])
    rows = {row.profile.pk: row for row in shortlist_rows(vacancy)}
    assert rows[pool["hidden"].pk].application == application
    # Applying to another vacancy does not put anyone in this one's pool.
    other = make_candidate([], opted_in=False)
    factories.ApplicationFactory(profile=other)
    assert other.pk not in {row.profile.pk for row in shortlist_rows(vacancy)}


def test_withdrawing_the_consent_takes_the_candidate_out(vacancy, pool):
    candidate_shortlist_consent_set(profile=pool["yasmine"], given=False)
    assert pool["yasmine"].pk not in {row.profile.pk for row in shortlist_rows(vacancy)}


def test_a_withdrawn_application_takes_the_candidate_out(vacancy, pool):
    application = factories.ApplicationFactory(vacancy=vacancy, profile=pool["hidden"])
    application_withdraw(application=application)
    assert pool["hidden"].pk not in {row.profile.pk for row in shortlist_rows(vacancy)}


# The pseudonym ------------------------------------------------------------------------------


def test_the_candidate_ref_is_stable_per_vacancy_and_differs_across_vacancies(cast, vacancy, pool):
    profile = pool["yasmine"]
    other_vacancy = factories.VacancyFactory(employer=vacancy.employer)
    ref = candidate_ref(vacancy, profile)
    assert REF.fullmatch(ref)
    assert ref == candidate_ref(vacancy.pk, profile.pk) == candidate_ref(vacancy, profile)
    assert ref != candidate_ref(other_vacancy, profile)
    assert len({candidate_ref(vacancy, item) for item in pool.values()}) == len(pool)
    refs = {row.profile.pk: row.candidate_ref for row in shortlist_rows(vacancy)}
    assert refs[profile.pk] == ref
    assert shortlist_profile_for_ref(vacancy, ref) == profile
    assert shortlist_profile_for_ref(other_vacancy, ref) is None
    assert shortlist_profile_for_ref(vacancy, "C-AAAAAAAAAA") is None
    assert shortlist_profile_for_ref(vacancy, "not a ref") is None
    visible = [item for item in pool.values() if item.is_visible_in_shortlists]
    for item in visible:
        assert shortlist_profile_for_ref(vacancy, candidate_ref(vacancy, item)) == item


# The API ------------------------------------------------------------------------------------


def test_the_api_lists_the_ranked_blind_shortlist(api_client, cast, vacancy, pool):
    response = login_api(api_client, cast.employer_member).get(api_url(vacancy))
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 5
    expected = matching.shortlist(vacancy=vacancy, pool=shortlist_pool(vacancy))
    assert [item["score"] for item in data["results"]] == [score for _pk, score in expected]
    assert [item["candidate_ref"] for item in data["results"]] == [
        candidate_ref(vacancy, pk) for pk, _score in expected
    ]
    first = data["results"][0]
    assert set(first) == ROW_KEYS
    assert first["rank"] == 1
    assert 0 <= first["score"] <= 100
    assert first["eligibility"]["status"] in {"eligible", "eligible_via_alternative", "not_yet"}
    assert first["revealed"] is None and first["invited"] is False
    assert first["applied"] is False and first["application_url"] is None
    line = (first["matched"] + first["partial"] + first["missing"])[0]
    assert set(line) == {"skill", "importance", "required_level", "held_level", "evidence"}
    assert set(line["skill"]) == {"id", "label", "esco_uri"}
    assert first["languages_met"][0]["language"] == "nl"


def test_the_api_explains_each_score(api_client, cast, vacancy, pool, skills):
    data = login_api(api_client, cast.employer_member).get(api_url(vacancy)).json()
    ref = candidate_ref(vacancy, pool["yasmine"])
    row = next(item for item in data["results"] if item["candidate_ref"] == ref)
    assert [item["skill"]["id"] for item in row["matched"]] == [skills[0].pk]
    assert row["matched"][0]["evidence"] == "test_verified"
    assert row["matched"][0]["held_level"] == 3
    assert [item["skill"]["id"] for item in row["partial"]] == [skills[1].pk]
    assert row["partial"][0]["required_level"] == 3
    assert [item["skill"]["id"] for item in row["missing"]] == [skills[2].pk]
    assert row["missing"][0]["held_level"] is None and row["missing"][0]["evidence"] is None
    assert row["eligibility"]["status"] == "eligible"
    match = matching.evaluate(profile=pool["yasmine"], vacancy=vacancy)
    assert row["score"] == match.score


def test_the_fast_line_representations_equal_what_the_declared_fields_give(vacancy, pool):
    """The skill and language lines are built directly (speed); DRF's walk of the declared
    fields (what the schema says) gives the very same."""
    rows = shortlist_rows(vacancy)
    skill_lines = [line for row in rows for line in (*row.matched, *row.partial, *row.missing)]
    language_lines = [line for row in rows for line in row.match.languages]
    assert {line.evidence is None for line in skill_lines} == {True, False}
    assert {line.held_cefr is None for line in language_lines} == {True, False}
    for serializer_class, lines in (
        (ShortlistSkillLineSerializer, skill_lines),
        (ShortlistLanguageLineSerializer, language_lines),
    ):
        serializer = serializer_class()
        for line in lines:
            declared = serializers.Serializer.to_representation(serializer, line)
            assert serializer.to_representation(line) == declared


def test_a_blind_row_holds_no_identity(api_client, cast, vacancy, pool):
    response = login_api(api_client, cast.employer_member).get(api_url(vacancy))
    text = response.content.decode()
    for value in identity_values(pool["yasmine"]):
        assert value not in text, value
    for kind, item in walk(response.json()["results"]):
        if kind == "key":
            assert item not in IDENTITY_KEYS, item


def test_an_applicant_row_links_to_the_application_but_stays_blind(api_client, cast, vacancy, pool):
    application = factories.ApplicationFactory(vacancy=vacancy, profile=pool["yasmine"])
    data = login_api(api_client, cast.employer_member).get(api_url(vacancy)).json()
    ref = candidate_ref(vacancy, pool["yasmine"])
    row = next(item for item in data["results"] if item["candidate_ref"] == ref)
    assert row["applied"] is True
    assert row["application_url"].endswith(f"/employer/applications/{application.pk}/")
    assert row["revealed"] is None


def test_the_api_is_paginated(api_client, cast, vacancy, pool):
    client = login_api(api_client, cast.employer_member)
    data = client.get(api_url(vacancy), {"page_size": 2}).json()
    assert data["count"] == 5 and len(data["results"]) == 2
    assert data["previous"] is None and "page=2" in data["next"]
    third = client.get(api_url(vacancy), {"page_size": 2, "page": 3}).json()
    assert [item["rank"] for item in third["results"]] == [5]
    assert third["next"] is None
    assert client.get(api_url(vacancy), {"page": 9}).status_code == 404
    assert client.get(api_url(vacancy), {"page": "x"}).status_code == 404
    assert client.get(api_url(vacancy), {"page_size": 1000}).status_code == 400  # max 100


def test_the_api_with_a_token(api_client, cast, vacancy, pool):
    token = Token.objects.create(user=cast.employer_member)
    response = api_client.get(api_url(vacancy), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_another_organisation_gets_a_404(api_client, cast, vacancy, pool):
    response = login_api(api_client, cast.other_employer_member).get(api_url(vacancy))
    assert response.status_code == 404
    assert "candidate_ref" not in response.content.decode()


@pytest.mark.parametrize("who", ["candidate", "other_candidate", "counsellor", "staff"])
def test_other_roles_get_a_404(api_client, cast, vacancy, pool, who):
    response = login_api(api_client, getattr(cast, who)).get(api_url(vacancy))
    assert response.status_code == 404


def test_anonymous_callers_get_a_401(api_client, vacancy, pool):
    assert api_client.get(api_url(vacancy)).status_code == 401


@pytest.mark.parametrize("pk", ["0", "99999999999999999999", "-1", "abc"])
def test_odd_vacancy_ids_are_not_found(api_client, cast, pk):
    client = login_api(api_client, cast.employer_member)
    assert client.get(f"/api/v1/vacancies/{pk}/shortlist/").status_code == 404


def test_a_draft_vacancy_has_a_shortlist_for_its_organisation(api_client, cast, vacancy, pool):
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.DRAFT)
    response = login_api(api_client, cast.employer_member).get(api_url(vacancy))
    assert response.status_code == 200 and response.json()["count"] == 5


def test_an_empty_shortlist(api_client, cast, skills):
    vacancy = factories.VacancyFactory(employer=cast.employer_member.membership.employer)
    data = login_api(api_client, cast.employer_member).get(api_url(vacancy)).json()
    assert data == {"count": 0, "next": None, "previous": None, "results": []}


def test_the_schema_documents_the_shortlist(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/vacancies/{id}/shortlist/"]["get"]
    assert "401" in operation["responses"] and "404" in operation["responses"]
    row = schema["components"]["schemas"]["ShortlistRow"]
    assert set(row["properties"]) == ROW_KEYS


# The page -----------------------------------------------------------------------------------


def test_the_page_shows_the_ranked_blind_list(client, cast, vacancy, pool):
    client.force_login(cast.employer_member)
    response = client.get(page_url(vacancy))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "The ranking helps you decide; it never rejects anyone by itself. Look at each profile."
        in page
    )
    expected = [
        candidate_ref(vacancy, pk)
        for pk, _score in matching.shortlist(vacancy=vacancy, pool=shortlist_pool(vacancy))
    ]
    positions = [page.index(f'id="{ref}"') for ref in expected]
    assert positions == sorted(positions)
    assert page.count('<meter id="score-') == 5
    assert page.count(">Invite<") == 5
    assert "Why this score" in page
    for value in identity_values(pool["yasmine"]):
        assert value not in page, value
    assert "<script" not in page.split("</header>")[-1].split("<footer")[0]
    assert 'style="' not in page


def test_the_page_is_only_for_the_organisation(client, cast, vacancy, pool):
    for user in (cast.other_employer_member, cast.candidate, cast.counsellor, cast.staff):
        client.force_login(user)
        assert client.get(page_url(vacancy)).status_code == 404
    client.logout()
    response = client.get(page_url(vacancy))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_vacancy_list_links_to_the_shortlist(client, cast, vacancy):
    client.force_login(cast.employer_member)
    page = client.get("/employer/vacancies/").content.decode()
    assert page_url(vacancy) in page


def test_the_page_takes_a_bad_page_number_calmly(client, cast, vacancy, pool):
    client.force_login(cast.employer_member)
    for value in ("abc", "0", "99", "-3", "9" * 30):
        assert client.get(page_url(vacancy), {"page": value}).status_code == 200


# The invitation -----------------------------------------------------------------------------


def test_inviting_reveals_logs_and_emails(
    client, api_client, cast, vacancy, pool, mailoutbox, django_capture_on_commit_callbacks
):
    profile = pool["yasmine"]
    ref = candidate_ref(vacancy, profile)
    client.force_login(cast.employer_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite_url(vacancy, ref),
            {f"invite-{ref}-message": "Votre profil nous intéresse.", "page": "1"},
        )
    assert response.status_code == 302
    assert response["Location"].endswith(f"{page_url(vacancy)}?page=1#{ref}")
    invitation = ShortlistInvitation.objects.get()
    assert (invitation.vacancy, invitation.profile) == (vacancy, profile)
    assert invitation.invited_by == cast.employer_member
    assert invitation.invited_at is not None
    assert invitation.message == "Votre profil nous intéresse."
    view = ProfileView.objects.get(profile=profile)
    assert view.viewer == cast.employer_member and view.channel == ProfileView.Channel.PAGE
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [cast.candidate.email]
    assert vacancy.employer.name in mail.subject
    assert cast.employer_member.full_name in mail.body
    assert "Votre profil nous intéresse." in mail.body
    assert f"/vacancies/{vacancy.pk}/apply/" in mail.body
    # Now the row names the candidate, on the page and in the API.
    page = client.get(page_url(vacancy)).content.decode()
    assert cast.candidate.full_name in page and cast.candidate.email in page
    assert profile.phone in page
    assert page.count(">Invite<") == 4
    data = login_api(api_client, cast.employer_member).get(api_url(vacancy)).json()
    row = next(item for item in data["results"] if item["candidate_ref"] == ref)
    assert row["invited"] is True and row["invited_at"]
    assert row["revealed"] == {
        "full_name": cast.candidate.full_name,
        "email": cast.candidate.email,
        "phone": profile.phone,
    }
    others = [item for item in data["results"] if item["candidate_ref"] != ref]
    assert all(item["revealed"] is None for item in others)


def test_an_applicant_invited_is_told_to_follow_the_application(
    client, cast, vacancy, pool, mailoutbox, django_capture_on_commit_callbacks
):
    factories.ApplicationFactory(vacancy=vacancy, profile=pool["yasmine"])
    ref = candidate_ref(vacancy, pool["yasmine"])
    client.force_login(cast.employer_member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url(vacancy, ref), {})
    assert "/me/applications/" in mailoutbox[0].body
    assert "/apply/" not in mailoutbox[0].body


def test_inviting_twice_makes_one_invitation(
    client, cast, vacancy, pool, mailoutbox, django_capture_on_commit_callbacks
):
    ref = candidate_ref(vacancy, pool["yasmine"])
    client.force_login(cast.employer_member)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url(vacancy, ref), {})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(invite_url(vacancy, ref), {}, follow=True)
    assert ShortlistInvitation.objects.count() == 1
    assert len(mailoutbox) == 1
    assert "already been invited" in response.content.decode()


def test_a_ref_outside_the_pool_is_not_found(client, cast, vacancy, pool):
    client.force_login(cast.employer_member)
    other_vacancy = factories.VacancyFactory(employer=vacancy.employer)
    refs = [
        candidate_ref(vacancy, pool["hidden"]),  # did not opt in, did not apply
        candidate_ref(other_vacancy, pool["yasmine"]),  # another vacancy's pseudonym
        "C-AAAAAAAAAA",
        "nonsense",
    ]
    for ref in refs:
        assert client.post(invite_url(vacancy, ref), {}).status_code == 404
    assert not ShortlistInvitation.objects.exists()


def test_another_organisation_cannot_invite(client, cast, vacancy, pool, mailoutbox):
    ref = candidate_ref(vacancy, pool["yasmine"])
    for user in (cast.other_employer_member, cast.candidate, cast.staff):
        client.force_login(user)
        assert client.post(invite_url(vacancy, ref), {}).status_code == 404
    client.logout()
    response = client.post(invite_url(vacancy, ref), {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ShortlistInvitation.objects.exists()
    assert not ProfileView.objects.exists()
    assert mailoutbox == []


def test_inviting_is_a_post(client, cast, vacancy, pool):
    client.force_login(cast.employer_member)
    ref = candidate_ref(vacancy, pool["yasmine"])
    assert client.get(invite_url(vacancy, ref)).status_code == 405


def test_a_too_long_message_is_an_error_at_the_field(client, cast, vacancy, pool):
    ref = candidate_ref(vacancy, pool["yasmine"])
    client.force_login(cast.employer_member)
    response = client.post(invite_url(vacancy, ref), {f"invite-{ref}-message": "x" * 1001})
    assert response.status_code == 400
    assert "Keep it to 1000 characters" in response.content.decode()
    assert not ShortlistInvitation.objects.exists()


def test_a_draft_vacancy_cannot_invite(client, cast, vacancy, pool, mailoutbox):
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.DRAFT)
    ref = candidate_ref(vacancy, pool["yasmine"])
    client.force_login(cast.employer_member)
    page = client.get(page_url(vacancy)).content.decode()
    assert ">Invite<" not in page
    response = client.post(invite_url(vacancy, ref), {}, follow=True)
    assert "Publish the vacancy before inviting" in response.content.decode()
    assert not ShortlistInvitation.objects.exists()
    assert mailoutbox == []


# Speed --------------------------------------------------------------------------------------


def grow_pool(skills, count):
    for index in range(count):
        make_candidate(
            [
                (skills[index % 3], 1 + index % 4, "self_declared"),
                (skills[(index + 1) % 3], 2, "test_verified"),
            ],
            dutch=["A1", "B1", "C1"][index % 3],
        )


def count_queries(callable_):
    cache.clear()  # each read counts the opted-in job-seekers afresh, as after any change
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)


def test_the_api_takes_as_many_queries_for_40_candidates_as_for_5(
    api_client, cast, vacancy, skills
):
    client = login_api(api_client, cast.employer_member)
    grow_pool(skills, 5)
    factories.ApplicationFactory(vacancy=vacancy, profile=CandidateProfile.objects.last())
    client.get(api_url(vacancy))  # builds the vacancy's kept ranking; later reads refresh it
    small = count_queries(lambda: client.get(api_url(vacancy)))
    grow_pool(skills, 35)
    ShortlistInvitation.objects.create(
        vacancy=vacancy,
        profile=CandidateProfile.objects.last(),
        invited_by=cast.employer_member,
    )
    large = count_queries(lambda: client.get(api_url(vacancy), {"page_size": 40}))
    assert client.get(api_url(vacancy), {"page_size": 40}).json()["count"] == 40
    assert large == small


def test_the_page_takes_as_many_queries_for_40_candidates_as_for_5(client, cast, vacancy, skills):
    client.force_login(cast.employer_member)
    grow_pool(skills, 5)
    client.get(page_url(vacancy))  # builds the vacancy's kept ranking; later reads refresh it
    small = count_queries(lambda: client.get(page_url(vacancy)))
    grow_pool(skills, 35)
    factories.ApplicationFactory(vacancy=vacancy, profile=CandidateProfile.objects.last())
    large = count_queries(lambda: client.get(page_url(vacancy)))
    assert large == small


def test_a_diploma_vacancy_loads_diplomas_for_the_page_at_once(cast, vacancy, skills):
    Vacancy.objects.filter(pk=vacancy.pk).update(diploma_required=True, required_diploma="cess")
    vacancy.refresh_from_db()
    grow_pool(skills, 3)
    shortlist_rows(vacancy)  # builds the vacancy's kept ranking; later reads refresh it
    small = count_queries(lambda: shortlist_rows(vacancy))
    grow_pool(skills, 20)
    for profile in CandidateProfile.objects.all():
        Education.objects.create(profile=profile, level="cess", recognition="belgian")
    large = count_queries(lambda: shortlist_rows(vacancy))
    assert large == small
    rows = shortlist_rows(vacancy)
    assert all(
        row.eligibility.status != matching.NOT_YET or row.eligibility.missing for row in rows
    )
    assert {row.eligibility == blind_eligibility(row.profile, vacancy) for row in rows} == {True}
