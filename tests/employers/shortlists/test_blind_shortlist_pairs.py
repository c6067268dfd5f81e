"""Two candidates who differ in one protected attribute get the same blind shortlist card.

For a vacancy with every legal condition the law can set (Belgian nationality, a minimum age,
a clean record, a driving licence), pairs of job-seekers equal in skills, evidence, languages
and conditions, who differ only in nationality, birth year, gender, name, contact details,
headline or language of the interface, are rendered on the shortlist page and by its API. Their
blind cards must be the same, apart from the pseudonym (and the rank that orders a tie), and
the pseudonym must not move when a protected attribute does.

The shortlist has no CSV or PDF export: the page and the API are all there is to render.
A guard classifies every field of the profile and the account, so that a field added later
(a photo, a commune of birth) fails here until it is either tested as protected or named as
something the ranking may use.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from candidates.models import CandidateProfile
from candidates.services import candidate_shortlist_consent_set
from college.models import Commune, Language, Role
from employers.shortlists.selectors import candidate_ref
from tests import factories

pytestmark = pytest.mark.django_db

REF = re.compile(r"C-[A-Z2-7]{10}")
CARD = re.compile(
    r'<li class="card shortlist-card" id="(C-[A-Z2-7]{10})">.*?</li>\s*(?=<li class="card|</ol>)',
    re.S,
)
RANK = re.compile(r"No\.\s*\d+")

# (model, field, value of the first candidate, value of the second).
PROTECTED_PAIRS = [
    ("profile", "nationality", "belgian", "other"),
    ("profile", "nationality", "belgian", "eea"),
    ("profile", "nationality", "belgian", ""),
    ("profile", "birth_year", 1990, 2013),  # too young for the vacancy's minimum age
    ("profile", "birth_year", 1990, None),
    ("profile", "birth_year", 1958, 2001),
    ("profile", "gender", "woman", "man"),
    ("profile", "gender", "", "other"),
    ("profile", "phone", "", "+32 470 12 34 56"),
    ("profile", "headline", "", "Ancienne stewarde, passionnée de médiation"),
    ("user", "full_name", "Marie Dubois", "Mohamed El Amrani"),
    ("user", "preferred_language", "fr", "en"),
]
PROTECTED_FIELDS = {(model, field) for model, field, _a, _b in PROTECTED_PAIRS} | {
    ("user", "email"),  # every pair differs in it already: two accounts
}
# What the ranking may use, or what is never shown and never varies a card (ids, dates, the
# consent that puts someone in the pool, the alert setting).
NOT_PROTECTED = {
    "profile": {
        "id",
        "user",
        "commune",  # where the person lives: the commute part of the score (5 %)
        "lives_outside_brussels",  # the same
        "max_travel_minutes",  # the same
        "has_no_diploma",
        "driving_licences",
        "full_time",
        "part_time",
        "shifts",
        "nights",
        "weekends",
        "available_from",
        "conditions_saved_at",
        "match_alert_threshold",
        "is_visible_in_shortlists",
        "target_roles",
        "created_at",
        "updated_at",
        # The skills passport's check code and its date: never read by the ranking.
        "passport_code",
        "passport_issued_on",
        "passport_fingerprint",
    },
    "user": {
        "id",
        "password",
        "last_login",
        "is_superuser",
        "groups",
        "user_permissions",
        "role",
        "is_active",
        "is_staff",
        "date_joined",
        "session_epoch",
        "privacy_notice_version",
    },
}


@pytest.fixture
def skills(reference_data):
    return [factories.SkillFactory() for _ in range(3)]


@pytest.fixture
def vacancy(cast, skills):
    """A police-like vacancy: every legal condition, a language and two skills."""
    vacancy = factories.VacancyFactory(
        employer=cast.employer_member.membership.employer,
        min_age=18,
        nationality=Role.Nationality.BELGIAN,
        clean_record_required=True,
        driving_licence="B",
        nights=True,
    )
    factories.VacancySkillFactory(vacancy=vacancy, skill=skills[0], importance="essential")
    factories.VacancySkillFactory(
        vacancy=vacancy, skill=skills[1], importance="important", min_level=3
    )
    factories.VacancyLanguageFactory(vacancy=vacancy, min_cefr="B1")
    return vacancy


def make_candidate(skills, index, *, profile_fields=(), user_fields=()):
    user = factories.CandidateFactory(
        email=f"pair-{index}@example.org", full_name="Sam Lambert", preferred_language="fr"
    )
    for name, value in dict(user_fields).items():
        setattr(user, name, value)
    user.save()
    profile = user.candidate_profile
    values = {
        "nationality": "belgian",
        "birth_year": 1990,
        "gender": "",
        "phone": "",
        "headline": "",
        "commune": Commune.objects.get(nis_code="21015"),
        "driving_licences": ["B"],
        "nights": True,
        "max_travel_minutes": 45,
        **dict(profile_fields),
    }
    for name, value in values.items():
        setattr(profile, name, value)
    profile.save()
    candidate_shortlist_consent_set(profile=profile, given=True)
    factories.CandidateSkillFactory(
        profile=profile, skill=skills[0], level=3, evidence="test_verified"
    )
    factories.CandidateSkillFactory(profile=profile, skill=skills[1], level=2)
    factories.CandidateLanguageFactory(
        profile=profile, language=Language.objects.get(code="nl"), cefr="B2"
    )
    profile.refresh_from_db()  # the consent service opted the profile in
    return profile


def make_pair(skills, model, field, first, second):
    pair = []
    for index, value in enumerate((first, second)):
        key = "profile_fields" if model == "profile" else "user_fields"
        pair.append(make_candidate(skills, index, **{key: [(field, value)]}))
    return pair


def page_cards(client, vacancy):
    html = client.get(f"/employer/vacancies/{vacancy.pk}/shortlist/").content.decode()
    return {
        ref: RANK.sub("No. N", REF.sub("C-REF", card.group(0))).strip()
        for ref, card in ((match.group(1), match) for match in CARD.finditer(html))
    }


def api_cards(vacancy, employer_member):
    from rest_framework.test import APIClient

    api = APIClient()
    token = Token.objects.get_or_create(user=employer_member)[0]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(f"/api/v1/vacancies/{vacancy.pk}/shortlist/?lang=en")
    assert response.status_code == 200
    cards = {}
    for row in response.json()["results"]:
        ref = row.pop("candidate_ref")
        row.pop("rank")
        cards[ref] = row
    return cards


@pytest.mark.parametrize(
    ("model", "field", "first", "second"),
    PROTECTED_PAIRS,
    ids=[f"{field}-{first}-vs-{second}" for _model, field, first, second in PROTECTED_PAIRS],
)
def test_a_pair_differing_in_one_protected_attribute_gets_identical_blind_cards(
    client, cast, vacancy, skills, model, field, first, second
):
    one, other = make_pair(skills, model, field, first, second)
    refs = (candidate_ref(vacancy, one), candidate_ref(vacancy, other))
    client.force_login(cast.employer_member)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    cards = page_cards(client, vacancy)
    assert set(cards) == set(refs)
    assert cards[refs[0]] == cards[refs[1]]
    assert "checked at the invitation" in cards[refs[0]]
    for leak in ("Belgian nationality", "Nationality to confirm", "Birth year", "Minimum age"):
        assert leak not in cards[refs[0]]

    rows = api_cards(vacancy, cast.employer_member)
    assert set(rows) == set(refs)
    assert rows[refs[0]] == rows[refs[1]]
    assert rows[refs[0]]["revealed"] is None
    assert rows[refs[0]]["eligibility"]["to_check_at_selection"][0].startswith(
        "Legal conditions of age and nationality"
    )


def test_the_pseudonym_does_not_move_with_a_protected_attribute(client, cast, vacancy, skills):
    profile = make_candidate(skills, 0)
    client.force_login(cast.employer_member)
    before = set(page_cards(client, vacancy))
    for name, value in (("nationality", "other"), ("birth_year", 2012), ("gender", "man")):
        setattr(profile, name, value)
    profile.save()
    profile.user.full_name = "Someone Else"
    profile.user.save()
    after = set(page_cards(client, vacancy))
    assert before == {candidate_ref(vacancy, profile)}
    assert after == before


def test_after_the_invitation_the_conditions_are_checked(client, cast, vacancy, skills):
    one, foreigner = make_pair(skills, "profile", "nationality", "belgian", "other")
    client.force_login(cast.employer_member)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    ref = candidate_ref(vacancy, foreigner)
    client.post(f"/employer/vacancies/{vacancy.pk}/shortlist/{ref}/invite/", {})
    cards = page_cards(client, vacancy)
    assert "Belgian nationality is required by law." in cards[ref]
    assert "Belgian nationality" not in cards[candidate_ref(vacancy, one)]


def test_every_field_of_the_profile_and_the_account_is_classified():
    found = {
        "profile": {field.name for field in CandidateProfile._meta.get_fields() if field.concrete},
        "user": {field.name for field in get_user_model()._meta.get_fields() if field.concrete},
    }
    for model, names in found.items():
        tested = {field for kind, field in PROTECTED_FIELDS if kind == model}
        unclassified = names - tested - NOT_PROTECTED[model]
        assert not unclassified, (
            f"New {model} fields {sorted(unclassified)}: add a pair to PROTECTED_PAIRS if they "
            f"say who the person is, or to NOT_PROTECTED with the reason the ranking may use them."
        )
