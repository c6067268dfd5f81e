"""The college staff dashboard: figures and inline SVG charts, for staff only."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from college.core.charts import bar_chart, column_chart, nice_maximum, percent
from college.models import Enrolment
from employers.models import Application, Employer
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/staff/"


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def ended_cohort(module, code, *, capacity=20):
    return factories.CohortFactory(
        module=module,
        code=code,
        capacity=capacity,
        starts_on=days_ago(30),
        ends_on=days_ago(20),
        enrolment_closes_on=days_ago(40),
    )


def enrol(cohort, result="", *, when=None):
    when = when or timezone.now()
    return factories.EnrolmentFactory(
        cohort=cohort,
        result=result,
        score={"passed": 80, "failed": 30}.get(result),
        enrolled_at=when,
        result_recorded_at=when if result else None,
    )


def hire(kind, *, when=None):
    application = factories.ApplicationFactory(vacancy__employer__kind=kind)
    Application.objects.filter(pk=application.pk).update(
        stage=Application.Stage.HIRED, stage_changed_at=when or timezone.now()
    )
    return application


@pytest.fixture
def training(reference_data):
    """A first-aid module: one ended cohort of 4 (2 passed, 1 failed, 1 without a result)."""
    module = factories.ModuleFactory(title_en="First aid dashboard test")
    cohort = ended_cohort(module, "first-aid-dash-1")
    for result in ("passed", "passed", "failed", ""):
        enrol(cohort, result)
    # Not counted: a waiting list, a cancelled place, a cohort still to come, a cancelled one.
    factories.EnrolmentFactory(cohort=cohort, status=Enrolment.Status.WAITLISTED, enrolled_at=None)
    factories.EnrolmentFactory(cohort=cohort, status=Enrolment.Status.CANCELLED)
    enrol(factories.CohortFactory(module=module, code="first-aid-dash-next"))
    cancelled = ended_cohort(module, "first-aid-dash-cancelled")
    cancelled.is_cancelled = True
    cancelled.save()
    enrol(cancelled, "failed")
    return module


def page(client, staff):
    client.force_login(staff)
    response = client.get(URL, {"lang": "en"})
    assert response.status_code == 200
    return response.content.decode()


# Access ---------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["candidate", "counsellor", "employer_member"])
def test_other_roles_are_refused(client, cast, role):
    client.force_login(getattr(cast, role))
    assert client.get(URL).status_code == 403


# Charts ---------------------------------------------------------------------------------------


def test_the_dashboard_keeps_its_figures_and_adds_accessible_charts(client, cast, training):
    html = page(client, cast.staff)
    assert "Employers waiting for verification" in html  # what was there stays
    assert html.count('role="img"') == 5
    for chart in ("stages-chart", "placements-chart", "modules-chart", "cohorts-chart"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in html
        assert f'<title id="{chart}-title">' in html
    # One folded data table per chart (the header's menu is a <details> of its own).
    assert html.split("<main", 1)[1].count("<details") == 5
    assert html.count('<th scope="row">') >= 4 + 7 + 1 + 1 + 12
    assert "<script" not in html
    assert 'style="' not in html
    assert "/static/css/dashboard.css" in html


def test_candidates_are_counted_by_stage(client, cast, training):
    factories.CandidateSkillFactory(profile=cast.candidate.candidate_profile)
    html = page(client, cast.staff)
    # Yasmine has a skill; Other Test has nothing yet, nor has the fixture's cancelled place;
    # the fixture's seven other people have a place or are waiting for one.
    assert '<th scope="row">Building the profile</th><td>1</td>' in html
    assert '<th scope="row">Getting started</th><td>2</td>' in html
    assert '<th scope="row">In training</th><td>7</td>' in html


def test_completion_and_pass_rates_count_ended_cohorts_only(client, cast, training):
    html = page(client, cast.staff)
    # 3 of the 4 enrolled have a result (75 %), 2 of those 3 passed (67 %).
    assert '<th scope="row">First aid dashboard test</th><td>75 %</td><td>67 %</td>' in html
    assert '<th scope="row">first-aid-dash-1</th><td>75 %</td><td>67 %</td>' in html
    assert "first-aid-dash-next" not in html
    assert "first-aid-dash-cancelled" not in html


def test_a_cohort_without_any_result_shows_a_dash_not_a_zero(client, cast, reference_data):
    cohort = ended_cohort(factories.ModuleFactory(title_en="No result yet test"), "no-result")
    enrol(cohort)
    html = page(client, cast.staff)
    assert '<th scope="row">no-result</th><td>0 %</td><td>—</td>' in html


def test_placements_are_counted_by_employer_kind(client, cast, reference_data):
    hire(Employer.Kind.LOCAL_POLICE)
    hire(Employer.Kind.LOCAL_POLICE)
    hire(Employer.Kind.SECURITY_COMPANY)
    factories.ApplicationFactory(vacancy__employer__kind=Employer.Kind.EVENTS)  # not hired
    html = page(client, cast.staff)
    assert '<th scope="row">Local police zone</th><td>2</td>' in html
    assert '<th scope="row">Security company</th><td>1</td>' in html
    assert '<th scope="row">Events and stewarding</th><td>0</td>' in html


def test_the_last_12_months_count_enrolments_passes_and_placements(client, cast, training):
    last_year = timezone.now() - datetime.timedelta(days=400)
    enrol(ended_cohort(training, "old-cohort"), "passed", when=last_year)
    hire(Employer.Kind.LOCAL_POLICE)
    hire(Employer.Kind.LOCAL_POLICE, when=last_year)
    html = page(client, cast.staff)
    this_month = timezone.localdate().strftime("%B %Y")
    # This month: 7 places given (all but the waiting list's), 2 passes, 1 placement.
    # A year ago is outside the chart.
    assert f'<th scope="row">{this_month}</th><td>7</td><td>2</td><td>1</td>' in html
    months = re.findall(r'<th scope="row">([A-Z][a-z]+ \d{4})</th><td>', html)
    assert len(months) == 12
    assert months[-1] == this_month


def test_labels_are_escaped_text_in_the_svg(client, cast, reference_data):
    cohort = ended_cohort(
        factories.ModuleFactory(title_en="<script>alert(1)</script> module"), "escaped"
    )
    enrol(cohort, "passed")
    html = page(client, cast.staff)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; module" in html


def test_the_dashboard_runs_the_same_number_of_queries_for_few_and_many_rows(
    client, cast, reference_data, django_assert_max_num_queries
):
    def add_rows(number):
        cohort = ended_cohort(factories.ModuleFactory(), f"rows-{number}")
        for result in ("passed", "failed", ""):
            enrol(cohort, result)
        hire(Employer.Kind.MUNICIPAL_PREVENTION)
        factories.EmployerFactory(is_verified=False)

    add_rows(0)
    client.force_login(cast.staff)
    client.get(URL)  # the session is read and the content types cached once
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for number in range(1, 8):
        add_rows(number)
    with django_assert_max_num_queries(len(few)):
        assert client.get(URL).status_code == 200
    assert len(few) <= 16


# The chart geometry -----------------------------------------------------------------------------


def test_bars_are_scaled_to_the_largest_value_or_to_100_percent():
    chart = bar_chart(
        [{"label": "a", "values": [10]}, {"label": "b", "values": [5]}], series=["count"]
    )
    widths = [row["bars"][0]["width"] for row in chart["rows"]]
    assert widths == [chart["track_width"], chart["track_width"] / 2]
    rates = bar_chart([{"label": "a", "values": [50, None]}], series=["x", "y"], percent=True)
    bars = rates["rows"][0]["bars"]
    assert bars[0]["width"] == rates["track_width"] / 2 and bars[0]["text"] == "50 %"
    assert bars[1]["width"] == 0 and bars[1]["text"] == "—"
    assert len(rates["legend"]) == 2


def test_columns_share_a_rounded_scale_and_stay_inside_the_plot():
    chart = column_chart(
        [{"label": "Jan", "values": [3, 0]}, {"label": "Feb", "values": [7, 1]}],
        series=["a", "b"],
    )
    assert chart["maximum"] == 10
    assert [tick["value"] for tick in chart["ticks"]] == [0, 5, 10]
    for group in chart["groups"]:
        for bar in group["bars"]:
            assert chart["axis_x"] <= bar["x"] <= chart["width"]
            assert bar["y"] + bar["height"] == pytest.approx(chart["plot_bottom"])


@pytest.mark.parametrize(
    ("value", "expected"), [(0, 1), (1, 1), (3, 5), (7, 10), (12, 20), (51, 100), (200, 200)]
)
def test_the_scale_is_a_round_number(value, expected):
    assert nice_maximum(value) == expected


def test_percent_is_none_without_a_whole():
    assert percent(1, 3) == 33
    assert percent(0, 0) is None


def test_long_labels_are_shortened_in_the_chart_but_whole_in_its_table(
    client, cast, reference_data
):
    title = "Cognitive tests: abstract, verbal and numerical reasoning, with a long title"
    enrol(ended_cohort(factories.ModuleFactory(title_en=title), "long-title"), "passed")
    html = page(client, cast.staff)
    assert f'<th scope="row">{title}</th>' in html
    assert f">{title[:45]}…</text>" in html
