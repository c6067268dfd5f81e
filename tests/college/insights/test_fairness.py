"""The fairness report: hand-computed rates and four-fifths ratios, suppression, access, privacy."""

import dataclasses
from collections import Counter
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates.models import Education
from college.insights import fairness
from college.insights.fairness import (
    age_band,
    dimension_table,
    group_counts,
    highest_diploma,
    person_groups,
    tables,
)
from college.matching import default_pool
from tests import factories

URL = "/staff/fairness/"


def counts(**groups):
    """{group: (pool, shortlisted)} → dimension_table's input, people = pool."""
    return {group: (pool, shortlisted, pool) for group, (pool, shortlisted) in groups.items()}


def rows_by_key(table):
    return {row.key: row for row in table.rows}


# Pure functions: no database (pytest-django refuses any query in these tests) ------------------


def test_rates_and_impact_ratios_computed_by_hand():
    # woman 6/20 = 0.30, man 10/25 = 0.40 (the highest: reference), other 3/12 = 0.25.
    # Ratios: woman 0.30 / 0.40 = 3/4 = 0.75 < 0.8 → flagged; other 0.25 / 0.40 = 5/8 = 0.625
    # → flagged; man 0.40 / 0.40 = 1.
    table = dimension_table("gender", counts(woman=(20, 6), man=(25, 10), other=(12, 3)))
    rows = rows_by_key(table)
    assert rows["woman"].rate == Fraction(3, 10)
    assert rows["man"].rate == Fraction(2, 5)
    assert rows["other"].rate == Fraction(1, 4)
    assert table.reference.key == "man" and rows["man"].is_reference
    assert rows["woman"].impact_ratio == Fraction(3, 4)
    assert rows["other"].impact_ratio == Fraction(5, 8)
    assert rows["man"].impact_ratio == 1
    assert [row.key for row in table.rows if row.flagged] == ["woman", "other"]
    assert rows["woman"].rate_percent == 30.0 and rows["other"].rate_percent == 25.0
    assert rows["other"].impact_ratio_display == 0.62  # 0.625 rounded down
    assert table.worst_ratio == Fraction(5, 8) and table.flagged and table.comparable


def test_four_fifths_flag_both_ways():
    # Exactly four-fifths is not flagged: woman 16/50 = 0.32, man 20/50 = 0.40, 0.32/0.40 = 0.8.
    rows = rows_by_key(dimension_table("gender", counts(woman=(50, 16), man=(50, 20))))
    assert rows["woman"].impact_ratio == Fraction(4, 5)
    assert not rows["woman"].flagged
    # Just under: woman 31/100 = 0.31, 0.31/0.40 = 0.775 → flagged.
    rows = rows_by_key(dimension_table("gender", counts(woman=(100, 31), man=(50, 20))))
    assert rows["woman"].impact_ratio == Fraction(31, 40)
    assert rows["woman"].flagged
    # 3999/10000 = 0.3999 against 1/2: 0.7998 → flagged, and shown rounded down as 0.79.
    rows = rows_by_key(dimension_table("gender", counts(woman=(10000, 3999), man=(10, 5))))
    assert rows["woman"].impact_ratio == Fraction(3999, 5000)
    assert rows["woman"].flagged and rows["woman"].impact_ratio_display == 0.79


def test_small_groups_are_suppressed_and_never_the_reference():
    # other: 9 in the pool, all shortlisted (rate 1): suppressed, so the reference is the man
    # group (12/20 = 0.6) and woman 6/10 = 0.6 → ratio 1.
    table = dimension_table("gender", counts(woman=(10, 6), man=(20, 12), other=(9, 9)))
    rows = rows_by_key(table)
    assert rows["other"].suppressed
    assert (rows["other"].pool, rows["other"].shortlisted, rows["other"].rate) == (None,) * 3
    assert rows["other"].impact_ratio is None and not rows["other"].flagged
    assert not rows["woman"].suppressed  # 10 is enough
    assert table.reference.key == "woman"  # first in order on a tie at 0.6
    assert rows["woman"].impact_ratio == 1 and rows["man"].impact_ratio == 1
    # A group absent from the counts is listed, suppressed.
    table = dimension_table("gender", counts(woman=(10, 1)))
    assert [row.key for row in table.rows] == ["woman", "man", "other"]
    assert rows_by_key(table)["man"].suppressed
    assert not table.comparable  # one group shown: nothing to compare


def test_no_ratio_when_no_group_shown_is_shortlisted_or_all_are_suppressed():
    table = dimension_table("gender", counts(woman=(10, 0), man=(12, 0)))
    assert table.reference is None
    assert all(row.impact_ratio is None and not row.flagged for row in table.rows)
    table = dimension_table("age", counts(under_26=(9, 3), **{"26_35": (3, 1)}))
    assert all(row.suppressed for row in table.rows) and table.reference is None


def test_overall_suppression_counts_distinct_people():
    # One person in the pools of 37 vacancies, shortlisted 30 times: 37 pool places, 1 person.
    pool = {dimension: Counter() for dimension in fairness.DIMENSIONS}
    shortlisted = {dimension: Counter() for dimension in fairness.DIMENSIONS}
    people = {dimension: Counter() for dimension in fairness.DIMENSIONS}
    pool["gender"].update(other=37, woman=40, man=50)
    shortlisted["gender"].update(other=30, woman=10, man=20)
    people["gender"].update(other=1, woman=10, man=25)
    gender = {table.key: table for table in tables(pool, shortlisted, people)}["gender"]
    rows = rows_by_key(gender)
    assert rows["other"].suppressed
    # woman 10/40 = 0.25 against man 20/50 = 0.40: 0.625.
    assert rows["woman"].impact_ratio == Fraction(5, 8)


def test_age_bands_at_their_edges():
    year = timezone.localdate().year
    cases = {
        year - 18: "under_26",
        year - 25: "under_26",
        year - 26: "26_35",
        year - 35: "26_35",
        year - 36: "36_45",
        year - 45: "36_45",
        year - 46: "46_plus",
        year - 80: "46_plus",
    }
    for birth_year, band in cases.items():
        assert age_band(birth_year, year=year) == band, birth_year
    assert age_band(None, year=year) is None
    assert age_band(year + 1, year=year) is None


def test_highest_diploma_whatever_its_recognition():
    assert highest_diploma([]) == ("none", None)
    assert highest_diploma([("cess", "belgian"), ("master", "not_recognised")]) == (
        "master",
        "not_recognised",
    )
    assert highest_diploma([("ce1d", "belgian"), ("vocational", "pending")]) == (
        "vocational",
        "pending",
    )
    assert highest_diploma([("vocational", "belgian"), ("cess", "pending")])[0] == "cess"
    # At the same level, the best recognition counts.
    assert highest_diploma([("bachelor", "not_recognised"), ("bachelor", "recognised")]) == (
        "bachelor",
        "recognised",
    )
    assert highest_diploma([("ceb", "belgian")]) == ("ceb", "recognised")


def test_unknown_values_are_left_out():
    year = 2030
    unknown = person_groups(gender="", birth_year=None, diplomas=(), year=year)
    assert unknown == {"diploma": "none", "recognition": None, "gender": None, "age": None}
    known = person_groups(
        gender="woman", birth_year=2000, diplomas=[("cess", "belgian")], year=year
    )
    assert known == {
        "diploma": "cess",
        "recognition": "recognised",
        "gender": "woman",
        "age": "26_35",
    }
    counted = group_counts([unknown, known, unknown])
    assert counted["gender"] == Counter(woman=1)
    assert counted["age"] == Counter({"26_35": 1})
    assert counted["recognition"] == Counter(recognised=1)
    assert counted["diploma"] == Counter(none=2, cess=1)


# The report on a constructed database -------------------------------------------------------


def person(*, name, gender, age, visible=True, diplomas=(), skill=None, level=2, pk=None):
    extra = {"pk": pk} if pk is not None else {}
    profile = factories.CandidateProfileFactory(
        user__full_name=name,
        user__email=f"{name.lower().replace(' ', '.')}@example.org",
        gender=gender,
        birth_year=None if age is None else timezone.localdate().year - age,
        is_visible_in_shortlists=visible,
        **extra,
    )
    for diploma, recognition in diplomas:
        Education.objects.create(profile=profile, level=diploma, recognition=recognition)
    if skill is not None:
        factories.CandidateSkillFactory(
            profile=profile,
            skill=skill,
            level=level,
            evidence="training_certified" if level == 2 else "self_declared",
        )
    return profile


@pytest.fixture
def case(reference_data):
    """12 women who hold the vacancy's skill at its level, 12 men who hold it below (so they
    score less than the women and more than everyone else: the order never depends on how the
    database numbers rows), 3 people of another gender, a man who is not visible but applied,
    and a woman who is neither visible nor applied. The men's ids are set in increasing order."""
    skill = factories.SkillFactory()
    first = factories.VacancyFactory(published_at=timezone.now() - timezone.timedelta(days=2))
    factories.VacancySkillFactory(vacancy=first, skill=skill, importance="essential", min_level=2)
    women = [
        person(
            name=f"Zorglub Femme{i}",
            gender="woman",
            age=30,
            skill=skill,
            pk=9_000_000 + i,
            diplomas=[("cess", "belgian")],
        )
        for i in range(12)
    ]
    men = [
        person(
            name=f"Zorglub Homme{i}",
            gender="man",
            age=40,
            skill=skill,
            level=1,
            pk=9_000_100 + i,
            diplomas=[("master", "not_recognised")],
        )
        for i in range(12)
    ]
    others = [person(name=f"Zorglub Autre{i}", gender="other", age=None) for i in range(3)]
    applicant = person(
        name="Zorglub Candidat",
        gender="man",
        age=40,
        visible=False,
        diplomas=[("master", "not_recognised")],
    )
    factories.ApplicationFactory(vacancy=first, profile=applicant)
    outsider = person(name="Zorglub Dehors", gender="woman", age=30, visible=False)
    return {
        "skill": skill,
        "first": first,
        "women": women,
        "men": men,
        "others": others,
        "applicant": applicant,
        "outsider": outsider,
    }


def by_key(report_tables):
    return {table.key: rows_by_key(table) for table in report_tables}


def test_report_for_one_vacancy_by_hand(case):
    # Pool: 12 women + 12 men + 3 others + the applicant = 28 (the outsider is not in it).
    # Shortlist of 15: the 12 women score highest (the skill at its level), then the 12 men
    # (the skill below its level) tie, and ties go by profile id: the first 3 men.
    # gender: woman 12/12 = 1 (reference); man 3/13, ratio 3/13 ≈ 0.23 → flagged; other 3 people
    # → suppressed. Age: 26–35 12/12, 36–45 3/13; the others' birth year is unknown.
    report = fairness.fairness_report(shortlist_size=15)
    assert len(report.vacancies) == 1 and not report.truncated
    vacancy = report.vacancies[0]
    assert vacancy.vacancy_id == case["first"].pk
    tables_ = by_key(vacancy.tables)
    gender = tables_["gender"]
    assert (gender["woman"].pool, gender["woman"].shortlisted) == (12, 12)
    assert (gender["man"].pool, gender["man"].shortlisted) == (13, 3)
    assert gender["man"].impact_ratio == Fraction(3, 13) and gender["man"].flagged
    assert gender["woman"].is_reference
    assert gender["other"].suppressed
    age = tables_["age"]
    assert (age["26_35"].pool, age["36_45"].pool, age["36_45"].shortlisted) == (12, 13, 3)
    assert age["under_26"].suppressed and age["46_plus"].suppressed
    diploma = tables_["diploma"]
    assert (diploma["cess"].pool, diploma["cess"].shortlisted) == (12, 12)
    assert (diploma["master"].pool, diploma["master"].shortlisted) == (13, 3)
    assert diploma["none"].suppressed  # the 3 others
    recognition = tables_["recognition"]
    assert recognition["recognised"].rate == 1
    assert recognition["not_recognised"].rate == Fraction(3, 13)
    assert vacancy.flagged and vacancy.worst_ratio == Fraction(3, 13)
    # The pool is the engine's: every profile has a diploma group, and none is hidden here
    # except "none" (the 3 others).
    assert 12 + 13 + 3 == default_pool(case["first"]).count()


def test_overall_adds_up_the_vacancies(case):
    # A second vacancy, published later, with the same skill: its shortlist of 15 is again the
    # 12 women and the first 3 men. Its pool: 12 + 12 + 3 = 27 (the applicant applied to the
    # first one only).
    # Overall: woman 24/24 = 1; man (3 + 3)/(13 + 12) = 6/25 = 0.24 → ratio 0.24, flagged.
    second = factories.VacancyFactory()
    factories.VacancySkillFactory(vacancy=second, skill=case["skill"], min_level=2)
    report = fairness.fairness_report(shortlist_size=15)
    assert len(report.vacancies) == 2
    assert report.vacancies[0].vacancy_id != case["first"].pk  # the most recent first
    gender = by_key(report.overall)["gender"]
    assert (gender["woman"].pool, gender["woman"].shortlisted) == (24, 24)
    assert (gender["man"].pool, gender["man"].shortlisted) == (25, 6)
    assert gender["man"].impact_ratio == Fraction(6, 25)
    assert gender["other"].suppressed  # 6 pool places but 3 people
    # Bounded: the oldest vacancies beyond the limit are left out, and the report says so.
    limited = fairness.fairness_report(limit=1, shortlist_size=15)
    assert limited.truncated and len(limited.vacancies) == 1
    assert limited.vacancies[0].vacancy_id == report.vacancies[0].vacancy_id


def test_only_published_vacancies_count(case):
    from employers.models import Vacancy

    factories.VacancyFactory(status=Vacancy.Status.DRAFT, published_at=None)
    factories.VacancyFactory(closes_on=timezone.localdate() - timezone.timedelta(days=1))
    report = fairness.fairness_report(shortlist_size=15)
    assert [item.vacancy_id for item in report.vacancies] == [case["first"].pk]


def test_no_vacancy_gives_an_empty_report(reference_data):
    report = fairness.fairness_report()
    assert report.vacancies == () and report.overall == ()


def test_query_count_does_not_grow_with_the_pool(case):
    fairness.fairness_report(shortlist_size=15)  # builds the vacancies' kept rankings
    with CaptureQueriesContext(connection) as small:
        fairness.fairness_report(shortlist_size=15)
    for i in range(6):
        person(name=f"Extra {i}", gender="woman", age=22, diplomas=[("bachelor", "pending")])
    with CaptureQueriesContext(connection) as bigger:
        fairness.fairness_report(shortlist_size=15)
    assert len(bigger) == len(small)
    # Each more vacancy costs only its kept shortlist (the engine's fixed handful of queries).
    factories.VacancyFactory()
    fairness.fairness_report(shortlist_size=15)
    with CaptureQueriesContext(connection) as two:
        fairness.fairness_report(shortlist_size=15)
    per_vacancy = len(two) - len(bigger)
    assert 0 < per_vacancy <= 20  # PostgreSQL: + SET LOCAL and savepoints
    factories.VacancyFactory()
    fairness.fairness_report(shortlist_size=15)
    with CaptureQueriesContext(connection) as three:
        fairness.fairness_report(shortlist_size=15)
    assert len(three) - len(two) == per_vacancy


# The page ---------------------------------------------------------------------------------


@pytest.fixture
def small_shortlists(monkeypatch):
    original = fairness.fairness_report
    monkeypatch.setattr(
        fairness, "fairness_report", lambda **kwargs: original(shortlist_size=15, **kwargs)
    )


def test_staff_see_the_report_with_flags_and_explanations(client, cast, case, small_shortlists):
    client.force_login(cast.staff)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "below four-fifths" in html
    assert "four-fifths rule" in html
    assert "not proof of discrimination" in html
    assert "fewer than 10 — not shown" in html
    assert "<svg" in html and "<desc" in html
    assert html.count('class="fairness-section"') == 1  # overall only by default
    assert case["first"].title in html
    assert 'href="/staff/fairness/"' in client.get("/staff/").content.decode()


def test_choosing_a_vacancy_shows_its_section(client, cast, case, small_shortlists):
    client.force_login(cast.staff)
    response = client.get(URL, {"vacancy": case["first"].pk})
    assert response.status_code == 200
    assert response.context["selected"].vacancy_id == case["first"].pk
    assert response.content.decode().count('class="fairness-section"') == 2
    assert client.get(URL, {"vacancy": ""}).status_code == 200


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1", "1.5"])
def test_a_wrong_vacancy_is_a_clear_error_not_a_500(client, cast, case, small_shortlists, value):
    client.force_login(cast.staff)
    response = client.get(URL, {"vacancy": value})
    assert response.status_code == 400
    assert "this one is not in the report" in response.content.decode()
    assert response.context["selected"] is None


def test_no_individual_data_leaves_the_report(client, cast, case, small_shortlists):
    client.force_login(cast.staff)
    response = client.get(URL, {"vacancy": case["first"].pk})
    html = response.content.decode()
    # The women's and men's profile ids are set far from any count (9,000,000 and up), so
    # that finding one in the page or the context can only mean an id leaked.
    profile_ids = {profile.pk for profile in case["women"] + case["men"]}
    assert "Zorglub" not in html and "zorglub" not in html and "@example.org" not in html
    assert not any(str(pk) in html for pk in profile_ids)
    # The context holds only aggregates: no profile or user id anywhere in the report.
    seen = []

    def walk(value):
        if dataclasses.is_dataclass(value):
            for item in dataclasses.fields(value):
                walk(getattr(value, item.name))
        elif isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in value:
                walk(item)
        else:
            seen.append(value)

    walk(response.context["report"])
    walk(response.context["sections"])
    assert not {value for value in seen if isinstance(value, int)} & profile_ids
    assert not any("Zorglub" in str(value) for value in seen)


@pytest.mark.parametrize("who", ["candidate", "counsellor", "employer_member"])
def test_outsiders_get_403(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(URL).status_code == 403


def test_anonymous_goes_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages in English, so that assertions on their words hold whatever the translations say."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
