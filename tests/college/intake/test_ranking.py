"""The ranking on hand-computed cases: components, weights, ties, IRT results, eligibility."""

import datetime
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from college.intake.ranking import intake_ranking
from college.models import MotivationRating
from tests import factories
from tests.college.intake.support import api_for, batteries, closed_intake, finished_attempt

pytestmark = pytest.mark.django_db


def rate(application, *scores):
    for score in scores:
        MotivationRating.objects.create(
            application=application, rater=factories.StaffFactory(), score=score
        )


@pytest.fixture
def intake(item_bank):
    """Aptitude 60, motivation 40; readiness 20 but no role, so it does not exist here.
    Two counted tests, weighted 2 and 1."""
    intake = closed_intake(aptitude_weight=60, motivation_weight=40, readiness_weight=20)
    first, second = batteries(2)
    intake.batteries.create(battery=first, weight=2)
    intake.batteries.create(battery=second, weight=1)
    return intake


def applicant(intake, ref, results, ratings):
    application = factories.IntakeApplicationFactory(intake=intake, ref=ref)
    for battery, score in zip(batteries(2), results, strict=True):
        if score is not None:
            finished_attempt(application.candidate, battery, score=score)
    rate(application, *ratings)
    return application


def test_the_score_is_the_weighted_mean_of_the_components_by_hand(intake):
    # A: aptitude (2×80 + 1×50) / 3 = 70; motivation 4.5 → 87.5; (60×70 + 40×87.5) / 100 = 77.
    applicant(intake, "A-CCCCCCCC", (80, 50), (4, 5))
    # B: aptitude (2×90 + 0) / 3 = 60 (second test not taken); motivation 5 → 100; score 76.
    applicant(intake, "A-BBBBBBBB", (90, None), (5, 5))
    # C: the same as A in every component: the tie goes by lot, the pseudonym's order.
    applicant(intake, "A-AAAAAAAA", (80, 50), (5, 4))
    rows = intake_ranking(intake)
    assert [(row.rank, row.ref) for row in rows] == [
        (1, "A-AAAAAAAA"),
        (2, "A-CCCCCCCC"),
        (3, "A-BBBBBBBB"),
    ]
    assert [row.score for row in rows] == [77, 77, 76]
    first = rows[0]
    assert first.component("aptitude").value == 70
    assert first.component("motivation").value == Fraction(175, 2)
    assert first.component("readiness") is None
    assert rows[2].component("aptitude").value == 60
    assert any("Not taken" in reason or "Pas" in reason for reason in rows[2].reasons)


def test_a_tie_on_the_score_goes_to_the_higher_aptitude_before_the_lot(intake):
    # score = (60 × aptitude + 40 × motivation) / 100, aptitude = (2 × first + second) / 3
    applicant(intake, "A-AAAAAAAA", (60, 60), (5, 5))  # 60, 100 → 76
    applicant(intake, "A-ZZZZZZZZ", (90, 60), (3, 4))  # 80, 62.5 → 73
    applicant(intake, "A-YYYYYYYY", (85, 70), (4, 4))  # 80, 75 → 78
    applicant(intake, "A-XXXXXXXX", (70, 70), (4, 5))  # 70, 87.5 → 77
    applicant(intake, "A-WWWWWWWW", (90, 75), (3, 4))  # 85, 62.5 → 76, the higher aptitude
    rows = intake_ranking(intake)
    assert [(row.ref, row.score) for row in rows] == [
        ("A-YYYYYYYY", 78),
        ("A-XXXXXXXX", 77),
        ("A-WWWWWWWW", 76),
        ("A-AAAAAAAA", 76),
        ("A-ZZZZZZZZ", 73),
    ]


def test_an_adaptive_result_counts_on_the_irt_scale(intake):
    application = factories.IntakeApplicationFactory(intake=intake, ref="A-AAAAAAAA")
    first, second = batteries(2)
    finished_attempt(application.candidate, first, score=12, theta=0.0)  # θ = 0 → 50th
    finished_attempt(application.candidate, second, score=40)
    row = intake_ranking(intake)[0]
    tests = row.component("aptitude").detail["tests"]
    assert [(test.value, test.on_irt_scale) for test in tests] == [(50, True), (40, False)]
    assert row.component("aptitude").value == Fraction(140, 3)


def test_the_latest_attempt_before_the_closing_date_counts(intake):
    application = factories.IntakeApplicationFactory(intake=intake)
    first, _second = batteries(2)
    finished_attempt(application.candidate, first, score=30, days_ago=10)
    finished_attempt(application.candidate, first, score=60, days_ago=5)
    finished_attempt(application.candidate, first, score=99, days_ago=0)  # after the close
    tests = intake_ranking(intake)[0].component("aptitude").detail["tests"]
    assert tests[0].value == 60


def test_two_ratings_far_apart_are_shown_as_a_disagreement(intake):
    application = factories.IntakeApplicationFactory(intake=intake)
    rate(application, 2, 5)
    row = intake_ranking(intake)[0]
    assert row.component("motivation").detail["agreement"] == "differ"
    assert row.component("motivation").value == Fraction(5, 2) * 25


def test_eligibility_stays_apart_from_the_score(intake):
    intake.min_age = 18
    intake.save()
    young = factories.IntakeApplicationFactory(intake=intake, ref="A-AAAAAAAA")
    young.candidate.candidate_profile.birth_year = intake.starts_on.year - 17
    young.candidate.candidate_profile.save()
    adult = factories.IntakeApplicationFactory(intake=intake, ref="A-BBBBBBBB")
    adult.candidate.candidate_profile.birth_year = intake.starts_on.year - 30
    adult.candidate.candidate_profile.save()
    rows = {row.ref: row for row in intake_ranking(intake)}
    assert rows["A-AAAAAAAA"].score == rows["A-BBBBBBBB"].score
    assert not rows["A-AAAAAAAA"].is_eligible and rows["A-BBBBBBBB"].is_eligible
    assert rows["A-AAAAAAAA"].eligibility_missing


def test_readiness_is_the_engines_fit_for_the_programmes_role(intake, reference_data):
    role = factories.RoleFactory()
    skill = factories.SkillFactory()
    factories.RoleRequirementFactory(role=role, skill=skill)
    intake.role = role
    intake.save()
    ready = factories.IntakeApplicationFactory(intake=intake, ref="A-AAAAAAAA")
    factories.CandidateSkillFactory(profile=ready.candidate.candidate_profile, skill=skill, level=4)
    factories.IntakeApplicationFactory(intake=intake, ref="A-BBBBBBBB")
    rows = {row.ref: row for row in intake_ranking(intake)}
    # The engine's fit: the skill held at level 4 against a profile without it.
    assert (
        rows["A-AAAAAAAA"].component("readiness").value
        > rows["A-BBBBBBBB"].component("readiness").value
    )
    assert rows["A-AAAAAAAA"].score > rows["A-BBBBBBBB"].score


def test_the_ranking_api_gives_blind_rows_with_components_and_reasons(cast, intake):
    applicant(intake, "A-AAAAAAAA", (80, 50), (4, 5))
    response = api_for(cast.staff).get(f"/api/v1/intakes/{intake.pk}/ranking/?lang=en")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert set(row) >= {"candidate_ref", "rank", "score", "components", "eligibility", "reasons"}
    assert row["candidate_ref"] == "A-AAAAAAAA" and row["score"] == 77.0
    assert [component["key"] for component in row["components"]] == ["aptitude", "motivation"]
    assert row["eligibility"]["status"] == "eligible"
    assert row["reasons"][0].startswith("Aptitude 70/100")


def test_only_college_staff_see_a_ranking(cast, intake):
    url = f"/api/v1/intakes/{intake.pk}/ranking/"
    for user in (cast.candidate, cast.counsellor, cast.employer_member):
        assert api_for(user).get(url).status_code == 403


def test_the_ranking_takes_the_same_queries_however_many_applicants(
    intake, django_assert_max_num_queries
):
    intake.role = factories.RoleFactory()
    intake.save()
    for index in range(2):
        applicant(intake, f"A-AAAAAAA{index}", (50, 50), (3, 4))
    with CaptureQueriesContext(connection) as small:
        intake_ranking(intake)
    for index in range(8):
        applicant(intake, f"A-BBBBBBB{index}", (60, 70), (4, 4))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(intake_ranking(intake)) == 10


def test_a_withdrawn_application_is_not_ranked(intake):
    factories.IntakeApplicationFactory(intake=intake, status="withdrawn")
    assert intake_ranking(intake) == []


def test_an_intake_that_has_not_closed_ranks_today_s_results(item_bank):
    intake = factories.IntakeFactory(closes_on=timezone.localdate() + datetime.timedelta(days=3))
    intake.batteries.create(battery=batteries(1)[0], weight=1)
    application = factories.IntakeApplicationFactory(intake=intake)
    finished_attempt(application.candidate, batteries(1)[0], score=55, days_ago=0)
    assert intake_ranking(intake)[0].component("aptitude").value == 55
