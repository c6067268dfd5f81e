"""The applicants list of a vacancy: the engine's fit in words with its reasons, the test
results the candidate chose to share, sorting and filtering by GET, a constant query count;
and the shortlist one click from the vacancy's page and the dashboard."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Attempt, Battery
from candidates.models import Evidence
from college.models import Skill
from employers.services import application_move
from employers.shortlists.applicants import FIT_SCALE, fit_words
from tests import factories

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


@pytest.fixture
def vacancy(cast, reference_data):
    vacancy = factories.VacancyFactory(employer=cast.employer_member.membership.employer)
    skills = list(Skill.objects.order_by("pk")[:3])
    for skill, importance in zip(skills, ["essential", "important", "nice_to_have"], strict=True):
        factories.VacancySkillFactory(
            vacancy=vacancy, skill=skill, importance=importance, min_level=2
        )
    return vacancy


@pytest.fixture
def strong(cast, vacancy):
    """Yasmine holds the essential skill, confirmed; she applied first."""
    profile = cast.candidate.candidate_profile
    skill = vacancy.skill_requirements.get(importance="essential").skill
    factories.CandidateSkillFactory(
        profile=profile, skill=skill, level=3, evidence=Evidence.COUNSELLOR_VALIDATED
    )
    return factories.ApplicationFactory(
        vacancy=vacancy, profile=profile, created_at=timezone.now() - datetime.timedelta(days=5)
    )


@pytest.fixture
def weak(cast, vacancy):
    """Another applicant holds none of the skills; they applied later."""
    return factories.ApplicationFactory(
        vacancy=vacancy, profile=cast.other_candidate.candidate_profile
    )


def pipeline_url(vacancy, **query):
    params = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/employer/vacancies/{vacancy.pk}/applications/" + (f"?{params}" if params else "")


def shown(response):
    return [row.application.pk for row in response.context["rows"]]


# The shortlist, one click away


def test_the_vacancy_page_and_the_dashboard_link_to_the_shortlist(client, cast, vacancy):
    client.force_login(cast.employer_member)
    shortlist = f'href="/employer/vacancies/{vacancy.pk}/shortlist/"'
    assert shortlist in client.get(f"/employer/vacancies/{vacancy.pk}/").content.decode()
    assert shortlist in client.get("/employer/").content.decode()
    assert shortlist in client.get(pipeline_url(vacancy)).content.decode()


# The fit, in words and explained


@pytest.mark.parametrize("score", range(0, 101))
def test_every_score_has_words_on_one_scale(score):
    floors = [floor for floor, _words in FIT_SCALE]
    expected = next(words for floor, words in FIT_SCALE if score >= floor)
    assert fit_words(score) == str(expected)
    assert floors == sorted(floors, reverse=True) and floors[-1] == 0


def test_the_list_shows_the_score_and_words_the_job_seeker_sees(client, cast, strong, weak):
    vacancy = strong.vacancy
    client.force_login(cast.candidate)
    matches = client.get("/me/matches/", headers=EN)
    (seen,) = [row for row in matches.context["rows"] if row.vacancy.pk == vacancy.pk]
    client.force_login(cast.employer_member)
    response = client.get(pipeline_url(vacancy), headers=EN)
    (row,) = [row for row in response.context["rows"] if row.application == strong]
    assert row.score == seen.match.score and row.words == seen.words
    page = response.content.decode()
    assert (
        f"<strong>{row.score}&nbsp;%</strong>" in page and f"<strong>{row.words}</strong>" in page
    )
    assert f'<strong class="fit-words">{seen.words}</strong>' in matches.content.decode()


def test_the_explanation_gives_three_decisive_reasons_gaps_first(client, cast, strong, weak):
    client.force_login(cast.employer_member)
    response = client.get(pipeline_url(strong.vacancy), headers=EN)
    rows = {row.application.pk: row for row in response.context["rows"]}
    weak_reasons = rows[weak.pk].reasons
    assert len(weak_reasons) == 3
    assert [is_positive for is_positive, _text in weak_reasons] == [False, False, False]
    essential = strong.vacancy.skill_requirements.get(importance="essential").skill
    assert weak_reasons[0][1].startswith(f"{essential.label}: missing")
    assert (True, f"{essential.label}: held at the level asked") in rows[strong.pk].reasons
    page = response.content.decode()
    shown_label = essential.label[:1].upper() + essential.label[1:]  # capfirst on the page
    assert "<summary>Why this fit" in page and f"{shown_label}: missing" in page


# Shared test results: only with the candidate's consent


def finished_attempt(user, battery, score):
    now = timezone.now()
    return Attempt.objects.create(
        battery=battery,
        user=user,
        mode=Attempt.Mode.EXAM,
        language="en",
        seed=1,
        deadline=now,
        status=Attempt.Status.FINISHED,
        finished_at=now,
        score_percent=score,
        passed=score >= 60,
    )


def test_test_results_show_only_when_the_candidate_shares_them(
    client, cast, strong, weak, item_bank
):
    battery = Battery.objects.order_by("pk").first()
    finished_attempt(cast.candidate, battery, 83)
    finished_attempt(cast.other_candidate, battery, 47)
    strong.shares_test_results = True
    strong.save()
    client.force_login(cast.employer_member)
    response = client.get(pipeline_url(strong.vacancy), headers=EN)
    rows = {row.application.pk: row for row in response.context["rows"]}
    assert [attempt.score_percent for attempt in rows[strong.pk].test_results] == [83]
    assert rows[weak.pk].test_results == []
    page = response.content.decode()
    assert "<strong>83 %</strong>" in page and "<strong>47 %</strong>" not in page
    assert "Practice-test results not shared." in page


def test_the_apply_form_records_the_choice_to_share_test_results(client, cast, vacancy):
    client.force_login(cast.candidate)
    page = client.get(f"/vacancies/{vacancy.pk}/apply/", headers=EN).content.decode()
    assert "Share my practice-test results with this employer" in page
    client.post(
        f"/vacancies/{vacancy.pk}/apply/",
        {
            "motivation": "I know these streets and I like helping people there.",
            "consent": "on",
            "shares_test_results": "on",
        },
    )
    application = vacancy.applications.get()
    assert application.shares_test_results is True


# Sorting and filtering, without JavaScript


def test_the_list_sorts_by_score_by_date_and_by_stage(client, cast, strong, weak):
    application_move(application=weak, stage="offer", user=cast.employer_member, notify=False)
    client.force_login(cast.employer_member)
    vacancy = strong.vacancy
    assert shown(client.get(pipeline_url(vacancy))) == [strong.pk, weak.pk]
    assert shown(client.get(pipeline_url(vacancy, sort="score"))) == [strong.pk, weak.pk]
    assert shown(client.get(pipeline_url(vacancy, sort="date"))) == [weak.pk, strong.pk]
    assert shown(client.get(pipeline_url(vacancy, sort="stage"))) == [weak.pk, strong.pk]


def test_the_list_filters_by_stage_and_ignores_unknown_values(client, cast, strong, weak):
    application_move(application=weak, stage="offer", user=cast.employer_member, notify=False)
    client.force_login(cast.employer_member)
    vacancy = strong.vacancy
    assert shown(client.get(pipeline_url(vacancy, stage="offer"))) == [weak.pk]
    assert shown(client.get(pipeline_url(vacancy, stage="received"))) == [strong.pk]
    assert shown(client.get(pipeline_url(vacancy, stage="hired"))) == []
    response = client.get(pipeline_url(vacancy, stage="nonsense", sort="<script>"))
    assert response.status_code == 200 and len(shown(response)) == 2
    page = client.get(pipeline_url(vacancy), headers=EN).content.decode()
    assert '<form method="get"' in page and 'name="sort"' in page and 'name="stage"' in page


def test_the_list_takes_as_many_queries_for_ten_applicants_as_for_two(
    client, cast, strong, weak, item_bank
):
    battery = Battery.objects.order_by("pk").first()
    strong.shares_test_results = True
    strong.save()
    finished_attempt(cast.candidate, battery, 70)
    client.force_login(cast.employer_member)
    url = pipeline_url(strong.vacancy)
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    for index in range(8):
        other = factories.ApplicationFactory(vacancy=strong.vacancy, shares_test_results=True)
        finished_attempt(other.profile.user, battery, 50 + index)
        factories.CandidateSkillFactory(
            profile=other.profile, skill=Skill.objects.order_by("pk").first(), level=2
        )
        if index % 2:
            application_move(application=other, stage="offer", user=None, notify=False)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(url)
    assert len(response.context["rows"]) == 10
    assert len(ten.captured_queries) == len(two.captured_queries)
