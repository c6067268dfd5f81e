"""The skills observatory: figures against a hand computation, suppression, access, queries."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates.models import CandidateSkill
from college.core import suppression
from college.insights import observatory
from college.models import Commune, Evidence, Role
from employers.models import Vacancy, VacancySkill
from tests import factories

pytestmark = pytest.mark.django_db

PUBLIC_URL = "/observatory/"
STAFF_URL = "/staff/observatory/"
CSV_URL = "/staff/observatory.csv"
API_URL = "/api/v1/observatory/skills/"
TREND_URL = "/api/v1/observatory/trend/"


def consenting(count, skill, *, level=2, evidence=Evidence.SELF_DECLARED):
    for _ in range(count):
        profile = factories.CandidateProfileFactory(is_visible_in_shortlists=True)
        factories.CandidateSkillFactory(
            profile=profile, skill=skill, level=level, evidence=evidence
        )


def asking(count, skill, *, level=2, posts=1, stage="entry", **vacancy):
    for _ in range(count):
        factories.VacancySkillFactory(
            skill=skill,
            min_level=level,
            stage=stage,
            vacancy__posts=posts,
            **{f"vacancy__{key}": value for key, value in vacancy.items()},
        )


@pytest.fixture
def world(reference_data):
    """A hand-counted world around one skill (see each line)."""
    skill = factories.SkillFactory(label_en="Observatory patrol", label_fr="Patrouille obs")
    today = timezone.localdate()
    # Demand at entry: 12 vacancies at level 2 (1 post each), 3 at level 3 (5 posts each,
    # another role in another sector): 15 vacancies, 27 posts.
    asking(12, skill, level=2)
    police = factories.RoleFactory(sector="police", title_en="Observatory inspector")
    asking(3, skill, level=3, posts=5, role=police)
    # Learned in training after hiring: 2 vacancies, not demand at entry.
    asking(2, skill, stage="training")
    # Not counted: a draft, a closed vacancy, one of an organisation not verified yet.
    asking(1, skill, status=Vacancy.Status.DRAFT, published_at=None)
    asking(1, skill, closes_on=today - datetime.timedelta(days=1))
    asking(1, skill, employer__is_verified=False)
    # Supply: 11 consenting at level 2 self-declared, 2 verified by a test at level 3.
    consenting(11, skill)
    consenting(2, skill, level=3, evidence=Evidence.TEST_VERIFIED)
    # Not counted: 5 who do not consent, 1 consenting whose account is deactivated.
    for _ in range(5):
        factories.CandidateSkillFactory(skill=skill)
    gone = factories.CandidateProfileFactory(is_visible_in_shortlists=True, user__is_active=False)
    factories.CandidateSkillFactory(profile=gone, skill=skill)
    # The catalogue: a module teaching it with a cohort to come; an inactive one, not shown.
    module = factories.ModuleFactory(title_en="Observatory patrol module")
    factories.ModuleSkillFactory(module=module, skill=skill, level=2)
    factories.CohortFactory(
        module=module,
        code="obs-next",
        starts_on=today + datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=40),
        enrolment_closes_on=today + datetime.timedelta(days=10),
    )
    retired = factories.ModuleFactory(title_en="Retired observatory module", is_active=False)
    factories.ModuleSkillFactory(module=retired, skill=skill, level=1)
    return {"skill": skill, "police": police, "module": module}


def row_of(result, skill):
    return next(row for row in result.skills if row.skill == skill)


# Figures against the hand computation ----------------------------------------------------------


def test_demand_and_supply_are_the_hand_counts_rounded_down_to_tens(world):
    result = observatory.skills_observatory(detail=True)
    row = row_of(result, world["skill"])
    assert row.vacancies == 10  # 15
    assert row.posts == 20  # 12 + 15 = 27
    assert row.posts_by_level == {1: "<10", 2: 10, 3: 10, 4: "<10"}  # 12 and 15
    assert row.training_vacancies == "<10"  # 2
    assert row.people == 10  # 13 consenting, active
    assert row.people_by_level == {1: 10, 2: 10, 3: "<10", 4: "<10"}  # 13, 13, 2, 0
    assert row.by_evidence == {
        Evidence.SELF_DECLARED: 10,  # 11
        Evidence.COUNSELLOR_VALIDATED: "<10",
        Evidence.TEST_VERIFIED: "<10",  # 2
        Evidence.TRAINING_CERTIFIED: "<10",
    }
    assert [outcome.module for outcome in row.modules] == [world["module"]]
    assert row.modules[0].next_cohort == timezone.localdate() + datetime.timedelta(days=20)


def test_gaps_are_the_shown_posts_minus_the_shown_people_largest_first(world):
    result = observatory.skills_observatory()
    gaps = [(gap.skill, gap.level, gap.posts, gap.people, gap.gap) for gap in result.gaps]
    # Level 2: 10 posts shown, 10 people shown: no gap. Level 3: 10 posts, "<10" people.
    assert gaps == [(world["skill"], 3, 10, "<10", 10)]


def test_staff_filters_narrow_the_demand_but_never_the_supply(world):
    peace_guard = Role.objects.get(slug="peace-guard")
    by_role = observatory.skills_observatory(
        filters=observatory.Filters(role=peace_guard), detail=True
    )
    assert row_of(by_role, world["skill"]).vacancies == 10  # the 12 at level 2
    assert row_of(by_role, world["skill"]).posts == 10
    assert row_of(by_role, world["skill"]).people == 10
    by_sector = observatory.skills_observatory(
        filters=observatory.Filters(sector="police"), detail=True
    )
    assert row_of(by_sector, world["skill"]).vacancies == "<10"  # 3
    assert row_of(by_sector, world["skill"]).posts == 10  # 15
    elsewhere = Commune.objects.exclude(nis_code="21015").first()
    by_commune = observatory.skills_observatory(
        filters=observatory.Filters(commune=elsewhere), detail=True
    )
    assert world["skill"] not in [row.skill for row in by_commune.skills]


def test_the_public_aggregate_ignores_filters_and_has_no_evidence_detail(world):
    result = observatory.skills_observatory(
        filters=observatory.Filters(sector="police"), detail=False
    )
    row = row_of(result, world["skill"])
    assert row.vacancies == 10
    assert row.by_evidence == {}


def test_the_trend_counts_this_months_publications_and_skills(world):
    months = observatory.trend()
    assert len(months) == 12
    assert months[-1]["month"] == timezone.localdate().replace(day=1)
    # 12 + 3 + 2 + the closed one = 18 published by verified organisations; 13 people.
    assert months[-1]["vacancies"] == 10
    assert months[-1]["job_seekers"] == 10
    assert months[0]["vacancies"] == "<10"


# Pages ----------------------------------------------------------------------------------------


def test_the_public_page_shows_the_aggregate_with_charts_and_the_rule(client, world):
    response = client.get(PUBLIC_URL, {"lang": "en"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Observatory patrol" in html
    assert "fewer than 10" in html
    assert "rounded down to a multiple of 10" in html
    assert html.count('role="img"') == 2
    assert "Self-declared" not in html  # no evidence detail in public
    assert "<script" not in html
    assert "Observatory patrol module" in html


def test_staff_see_the_detail_and_a_bad_filter_is_a_field_error(client, cast, world):
    client.force_login(cast.staff)
    html = client.get(STAFF_URL, {"lang": "en"}).content.decode()
    assert "Self-declared" in html
    assert 'name="commune"' in html
    response = client.get(STAFF_URL, {"lang": "en", "role": "not-a-role"})
    assert response.status_code == 400


def test_the_csv_carries_the_shown_figures_in_safe_cells(client, cast, world):
    world["skill"].label_en = "=HYPERLINK(1)"
    world["skill"].save()
    client.force_login(cast.staff)
    response = client.get(CSV_URL, {"lang": "en"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff")), delimiter=";"))
    row = next(row for row in rows if "HYPERLINK" in row[0])
    assert not row[0].startswith("=")
    assert row[2:10] == ["10", "20", "<10", "10", "10", "<10", "<10", "<10"]


@pytest.mark.parametrize("role", ["candidate", "employer_member", "counsellor"])
def test_other_roles_get_no_staff_page_and_no_csv(client, cast, world, role):
    client.force_login(getattr(cast, role))
    assert client.get(STAFF_URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_for_the_staff_page(client, world):
    assert client.get(STAFF_URL).status_code == 302
    assert client.get(CSV_URL).status_code == 302


def test_the_public_page_and_api_are_kept_for_anonymous_readers_only(
    client, api_client, cast, settings, world
):
    settings.PUBLIC_CACHE_SECONDS = 600
    assert client.get(PUBLIC_URL).headers.get("X-Public-Cache") == "miss"
    assert client.get(PUBLIC_URL).headers.get("X-Public-Cache") == "hit"
    assert api_client.get(API_URL).headers.get("X-Public-Cache") == "miss"
    assert api_client.get(API_URL).headers.get("X-Public-Cache") == "hit"
    client.force_login(cast.staff)
    response = client.get(PUBLIC_URL)
    assert response.headers.get("X-Public-Cache") is None
    assert "no-store" in response["Cache-Control"]


# API ------------------------------------------------------------------------------------------


def test_anyone_gets_the_public_aggregate_from_the_api(api_client, world):
    data = api_client.get(API_URL, {"lang": "en", "sector": "police"}).json()
    assert data["scope"] == "public"
    assert data["filters"] == {"role": None, "sector": None, "commune": None}
    row = next(item for item in data["skills"] if item["skill"]["id"] == world["skill"].pk)
    assert row["demand"] == {
        "vacancies": 10,
        "posts": 20,
        "posts_by_level": {"1": "<10", "2": 10, "3": 10, "4": "<10"},
        "training_vacancies": "<10",
    }
    assert row["supply"]["people"] == 10
    assert row["supply"]["by_evidence"] is None


@pytest.mark.parametrize("role", ["candidate", "employer_member", "counsellor"])
def test_signed_in_non_staff_get_nothing_but_the_public_aggregate(api_client, cast, world, role):
    api_client.force_authenticate(getattr(cast, role))
    data = api_client.get(API_URL, {"sector": "police"}).json()
    assert data["scope"] == "public"
    assert all(item["supply"]["by_evidence"] is None for item in data["skills"])
    assert api_client.get(TREND_URL).json()["scope"] == "public"


def test_staff_get_the_detail_and_filters_from_the_api(api_client, cast, world):
    api_client.force_authenticate(cast.staff)
    data = api_client.get(API_URL, {"sector": "police"}).json()
    assert data["scope"] == "staff"
    assert data["filters"]["sector"] == "police"
    row = next(item for item in data["skills"] if item["skill"]["id"] == world["skill"].pk)
    assert row["demand"]["vacancies"] == "<10"
    assert row["supply"]["by_evidence"]["self_declared"] == 10
    peace_guard = api_client.get(API_URL, {"role": "peace-guard", "commune": "21015"}).json()
    assert peace_guard["filters"] == {"role": "peace-guard", "sector": None, "commune": "21015"}
    response = api_client.get(API_URL, {"role": "no-such-role", "sector": "moon"})
    assert response.status_code == 400
    assert {"role", "sector"} <= set(response.json())


def test_the_trend_endpoint_gives_twelve_suppressed_months(api_client, world):
    data = api_client.get(TREND_URL).json()
    assert len(data["months"]) == 12
    assert data["months"][-1]["vacancies"] == 10


# Suppression, whatever the data ---------------------------------------------------------------

PROFILES = 24
VACANCIES = 24


@pytest.fixture
def pool(reference_data):
    skills = [factories.SkillFactory(label_en=f"Suppression skill {n}") for n in range(2)]
    profiles = [
        factories.CandidateProfileFactory(is_visible_in_shortlists=True) for _ in range(PROFILES)
    ]
    vacancies = [factories.VacancyFactory(posts=1 + n % 4) for n in range(VACANCIES)]
    return skills, profiles, vacancies


held = st.one_of(st.none(), st.tuples(st.integers(1, 4), st.sampled_from(Evidence.values)))
asked = st.one_of(
    st.none(), st.tuples(st.integers(1, 4), st.sampled_from(["entry", "entry", "training"]))
)


def bounds(shown):
    """The exact counts a shown figure allows."""
    low = 0 if shown == "<10" else shown
    return low, low + 9


def assert_no_part_pinned(total, parts):
    """Knowing the total and every other part, each part still has at least two values."""
    total_low, total_high = bounds(total)
    ranges = [bounds(part) for part in parts]
    for index, (low, high) in enumerate(ranges):
        others_low = sum(r[0] for i, r in enumerate(ranges) if i != index)
        others_high = sum(r[1] for i, r in enumerate(ranges) if i != index)
        assert min(high, total_high - others_low) > max(low, total_low - others_high)


def counts_in(data):
    """Every count of a response: the values under the counting keys, nested included."""
    found = []
    count_keys = {"vacancies", "posts", "training_vacancies", "people", "job_seekers"}
    nested_keys = {"posts_by_level", "people_by_level", "by_evidence"}

    def walk(value, key=None):
        if isinstance(value, dict):
            for name, item in value.items():
                if name in nested_keys and isinstance(item, dict):
                    found.extend(item.values())
                elif name in count_keys and not isinstance(item, list | dict):
                    found.append(item)
                else:
                    walk(item, name)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)

    walk(data)
    return found


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    holdings=st.lists(st.lists(held, min_size=PROFILES, max_size=PROFILES), min_size=2, max_size=2),
    asks=st.lists(st.lists(asked, min_size=VACANCIES, max_size=VACANCIES), min_size=2, max_size=2),
)
def test_no_response_carries_an_exact_count_under_ten_even_by_subtraction(
    api_client, cast, pool, holdings, asks
):
    skills, profiles, vacancies = pool
    CandidateSkill.objects.filter(skill__in=skills).delete()
    VacancySkill.objects.filter(skill__in=skills).delete()
    CandidateSkill.objects.bulk_create(
        CandidateSkill(profile=profile, skill=skill, level=item[0], evidence=item[1])
        for skill, column in zip(skills, holdings, strict=True)
        for profile, item in zip(profiles, column, strict=True)
        if item is not None
    )
    VacancySkill.objects.bulk_create(
        VacancySkill(
            vacancy=vacancy, skill=skill, min_level=item[0], stage=item[1], importance="essential"
        )
        for skill, column in zip(skills, asks, strict=True)
        for vacancy, item in zip(vacancies, column, strict=True)
        if item is not None
    )
    for user in (None, cast.staff):
        api_client.force_authenticate(user)
        for url in (API_URL, TREND_URL):
            data = api_client.get(url).json()
            counts = counts_in(data)
            numbers = []
            for count in counts:
                assert count == "<10" or (isinstance(count, int) and count >= 10), count
                if count != "<10":
                    assert count % 10 == 0
                    numbers.append(count)
            gaps = [item["gap"] for item in data.get("gaps", [])]
            numbers += gaps
            assert all(gap % 10 == 0 and gap > 0 for gap in gaps)
            # No two figures of one response differ by 1 to 9.
            for first in numbers:
                for second in numbers:
                    assert abs(first - second) == 0 or abs(first - second) >= 10
        if user is not None:
            # The partitions a staff response carries: people by evidence, posts by level.
            for item in api_client.get(API_URL).json()["skills"]:
                supply, demand = item["supply"], item["demand"]
                assert_no_part_pinned(supply["people"], list(supply["by_evidence"].values()))
                assert_no_part_pinned(demand["posts"], list(demand["posts_by_level"].values()))
    # And the shown figures are the exact ones, rounded: a brute-force count of the first skill.
    api_client.force_authenticate(cast.staff)
    data = api_client.get(API_URL).json()
    exact_people = sum(1 for item in holdings[0] if item is not None)
    exact_entry = sum(1 for item in asks[0] if item is not None and item[1] == "entry")
    row = next((item for item in data["skills"] if item["skill"]["id"] == skills[0].pk), None)
    if row is None:
        assert all(item is None for item in asks[0])
    else:
        assert row["supply"]["people"] == suppression.shown(exact_people)
        assert row["demand"]["vacancies"] == suppression.shown(exact_entry)


def test_shown_rounds_down_to_tens_and_hides_under_ten():
    assert [suppression.shown(n) for n in (0, 1, 9, 10, 19, 20, 99, 105)] == [
        "<10",
        "<10",
        "<10",
        10,
        10,
        20,
        90,
        100,
    ]


# Queries --------------------------------------------------------------------------------------


def test_the_pages_and_the_api_take_the_same_queries_for_one_skill_and_many(
    client, api_client, cast, world
):
    def measure():
        counts = []
        cases = (
            (PUBLIC_URL, None),
            (STAFF_URL, cast.staff),
            (CSV_URL, cast.staff),
            (API_URL, cast.staff),
            (TREND_URL, cast.staff),
        )
        for url, user in cases:
            if user is None:
                client.logout()
            else:
                client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    few = measure()
    for n in range(6):
        skill = factories.SkillFactory()
        asking(2, skill, level=1 + n % 4)
        consenting(2, skill, evidence=Evidence.values[n % 4])
        module = factories.ModuleFactory()
        factories.ModuleSkillFactory(module=module, skill=skill, level=2)
    assert measure() == few
