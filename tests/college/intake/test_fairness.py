"""Admission rates by group against a hand calculation; small groups suppressed."""

from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from college.intake.fairness import dimension_table, intake_fairness
from tests import factories
from tests.college.intake.support import api_for, closed_intake

pytestmark = pytest.mark.django_db


def applicants(intake, count, admitted, **profile):
    for index in range(count):
        user = factories.CandidateFactory()
        for field, value in profile.items():
            setattr(user.candidate_profile, field, value)
        user.candidate_profile.save()
        factories.IntakeApplicationFactory(
            intake=intake, candidate=user, status="admitted" if index < admitted else "declined"
        )


@pytest.fixture
def intake(db):
    """20 women, 10 admitted (50 %); 12 men, 3 admitted (25 %); 4 others, 4 admitted."""
    intake = closed_intake(places=17)
    applicants(intake, 20, 10, gender="woman")
    applicants(intake, 12, 3, gender="man")
    applicants(intake, 4, 4, gender="other")
    return intake


def test_rates_and_the_four_fifths_ratio_match_the_hand_calculation(intake):
    report = intake_fairness(intake)
    sex = next(table for table in report.tables if table.key == "sex")
    woman, man, other = sex.rows
    assert (woman.applicants, woman.admitted, woman.rate) == (20, 10, Fraction(1, 2))
    assert woman.is_reference and woman.ratio == 1
    # 25 % / 50 % = 0.5, under four-fifths: flagged.
    assert (man.rate, man.ratio, man.flagged) == (Fraction(1, 4), Fraction(1, 2), True)
    # Four people, all admitted: suppressed, no figure, and not the reference for all its 100 %.
    assert other.suppressed and other.rate is None and other.applicants is None


def test_the_api_gives_the_same_figures_and_withholds_suppressed_ones(cast, intake):
    body = api_for(cast.staff).get(f"/api/v1/intakes/{intake.pk}/fairness/?lang=en").json()
    sex = next(table for table in body["dimensions"] if table["key"] == "sex")
    assert [
        (group["key"], group["applicants"], group["rate"], group["ratio"])
        for group in sex["groups"]
    ] == [("woman", 20, 0.5, 1.0), ("man", 12, 0.25, 0.5), ("other", None, None, None)]
    assert [table["key"] for table in body["dimensions"]] == [
        "sex",
        "age",
        "commune",
        "diploma",
        "nationality",
        "language",
    ]
    assert "applicants" not in body  # no total: a suppressed group cannot be subtracted out


def test_the_programme_report_pools_its_intakes(intake):
    later = closed_intake(programme=intake.programme)
    applicants(later, 10, 0, gender="man")
    report = intake_fairness(intake)
    man = next(table for table in report.programme_tables if table.key == "sex").rows[1]
    assert (man.applicants, man.admitted) == (22, 3)


def test_a_ratio_just_under_four_fifths_never_reads_as_0_80():
    table = dimension_table(
        "sex",
        "Sex",
        (("woman", "Woman"), ("man", "Man")),
        {"woman": (1000, 1000), "man": (1000, 799)},
    )
    assert table.rows[1].flagged and table.rows[1].ratio_value == 0.79


def test_only_college_staff_see_fairness_figures(cast, intake):
    for user in (cast.candidate, cast.counsellor, cast.employer_member):
        assert api_for(user).get(f"/api/v1/intakes/{intake.pk}/fairness/").status_code == 403


def test_the_report_takes_the_same_queries_however_many_applicants(
    intake, django_assert_max_num_queries
):
    small = closed_intake()
    applicants(small, 2, 1, gender="woman")
    with CaptureQueriesContext(connection) as captured:
        intake_fairness(small)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        intake_fairness(intake)
