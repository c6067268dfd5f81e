"""The counsellor's day: search and pages, flags ranked by what needs action now,
readable labels (never a slug), and the person's page at a glance."""

import codecs
import csv
import datetime
import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import strip_tags
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessments.models import Attempt, Battery
from candidates.services import candidate_shortlist_consent_set
from college.guidance.caseload import (
    FLAG_CODES,
    FLAG_SEVERITY,
    Severity,
    caseload_rows,
    search_key,
)
from college.models import Attendance, Enrolment
from employers.models import ShortlistInvitation
from tests import factories

pytestmark = pytest.mark.django_db

# A slug shown as if it were a name: lower-case words joined by hyphens, ending in a number.
SLUG = re.compile(r"\b[a-z]+(?:-[a-z0-9]+)*-\d+\b")


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def guide(counsellor, name):
    return factories.GuidanceFactory(counsellor=counsellor, candidate__full_name=name).candidate


def names_on(response):
    return [row.name for row in response.context["rows"]]


# Search ----------------------------------------------------------------------------------------


def test_search_forgives_accents_and_capitals_and_takes_a_part_of_the_name(english, cast):
    guide(cast.counsellor, "Élodie Vandenbroucke")
    guide(cast.counsellor, "Mehdi El Amrani")
    english.force_login(cast.counsellor)
    for query in ("elodie", "ÉLODIE", "lodi", "vandenBROUCKE", "Elodie Vanden"):
        assert names_on(english.get("/caseload/", {"q": query})) == ["Élodie Vandenbroucke"]
    assert names_on(english.get("/caseload/", {"q": "amrani"})) == ["Mehdi El Amrani"]
    assert names_on(english.get("/caseload/", {"q": "  "})) != []  # blank: everyone
    page = english.get("/caseload/", {"q": "nobody-like-this"}).content.decode()
    assert "Nobody in your caseload matches these filters." in page


@given(name=st.text(alphabet="aàâäbcçeéèêëiîïoôöuùûüAÉÈÇ ", min_size=1, max_size=20))
@hypothesis_settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
def test_the_search_key_finds_every_part_of_a_name_whatever_its_accents_and_case(name):
    key = search_key(name)
    assert key == search_key(key.upper()) == search_key(name.casefold())
    for start in range(len(name)):
        assert search_key(name[start:]) in key


def test_search_combines_with_the_flag_filter_and_the_export_follows_both(english, cast):
    candidate_shortlist_consent_set(profile=cast.candidate.candidate_profile, given=True)
    guide(cast.counsellor, "Yann Flagged")
    english.force_login(cast.counsellor)
    response = english.get("/caseload/", {"q": "y", "flag": "consent_missing"})
    assert names_on(response) == ["Yann Flagged"]
    page = response.content.decode()
    assert 'href="/caseload/export.csv?q=y&amp;flag=consent_missing"' in page
    csv_response = english.get("/caseload/export.csv", {"q": "y", "flag": "consent_missing"})
    text = csv_response.content.decode("utf-8-sig")
    assert [row[0] for row in csv.reader(io.StringIO(text), delimiter=";")][1:] == ["Yann Flagged"]


def test_the_api_takes_the_same_search(api_client, cast):
    guide(cast.counsellor, "Çelik Ayşe")
    api_client.force_authenticate(cast.counsellor)
    body = api_client.get("/api/v1/caseload/", {"q": "celik ayse"}).json()
    assert [item["name"] for item in body["results"]] == ["Çelik Ayşe"]
    assert api_client.get("/api/v1/caseload/", {"q": "x" * 101}).status_code == 400
    schema = api_client.get("/api/schema/", headers={"accept": "application/json"}).json()
    parameters = schema["paths"]["/api/v1/caseload/"]["get"]["parameters"]
    (q,) = [parameter for parameter in parameters if parameter["name"] == "q"]
    assert "accents" in q["description"]


# Pages -----------------------------------------------------------------------------------------


@pytest.fixture
def crowd(cast):
    """45 people (with the cast's own): three pages of 20."""
    for index in range(44):
        guide(cast.counsellor, f"Person {index:02d}")
    return cast


def test_the_list_shows_twenty_people_a_page_with_links_that_keep_the_filters(english, crowd):
    english.force_login(crowd.counsellor)
    first = english.get("/caseload/", {"stage": "new"})
    assert len(first.context["rows"]) == 20
    page = first.content.decode()
    assert "45 job-seekers found." in page
    assert "Page 1 of 3" in page
    assert 'href="?stage=new&amp;page=2"' in page
    second = english.get("/caseload/", {"stage": "new", "page": 2})
    assert len(second.context["rows"]) == 20
    assert not set(names_on(first)) & set(names_on(second))
    assert "Page 2 of 3" in second.content.decode()


@pytest.mark.parametrize("page", ["99", "-1", "x"])
def test_a_page_out_of_range_shows_the_last_or_first_page_as_elsewhere(english, crowd, page):
    english.force_login(crowd.counsellor)
    response = english.get("/caseload/", {"page": page})
    assert response.status_code == 200
    expected = 1 if page == "x" else 3
    assert response.context["page"].number == expected


def test_the_export_still_holds_the_whole_filtered_caseload(client, crowd):
    client.force_login(crowd.counsellor)
    response = client.get("/caseload/export.csv", {"page": 2})
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 45


def test_a_page_takes_as_many_queries_for_forty_five_people_as_for_one(client, cast):
    client.force_login(cast.counsellor)
    with CaptureQueriesContext(connection) as one:
        client.get("/caseload/", {"q": "a", "page": 2})
    for index in range(44):
        guide(cast.counsellor, f"Anna {index:02d}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/caseload/", {"q": "a", "page": 2})
    assert len(response.context["rows"]) == 20
    assert len(many) == len(one)


# Flags ranked by what needs action now --------------------------------------------------------


def test_every_flag_has_a_severity_and_the_codes_run_from_most_urgent():
    assert set(FLAG_SEVERITY) == set(FLAG_CODES)
    ranks = [["action", "watch", "info"].index(FLAG_SEVERITY[code]) for code in FLAG_CODES]
    assert ranks == sorted(ranks)
    assert FLAG_SEVERITY["consent_missing"] == Severity.INFO
    assert FLAG_SEVERITY["stalled"] == Severity.WATCH


def make_stalled(user):
    old = timezone.now() - datetime.timedelta(days=60)
    type(user).objects.filter(pk=user.pk).update(last_login=old)
    type(user.candidate_profile).objects.filter(pk=user.candidate_profile.pk).update(
        created_at=old, updated_at=old
    )


def test_people_come_by_their_most_urgent_flag_and_info_is_not_attention(english, cast):
    # Yasmine Test (the cast): only "no consent", information.
    quiet = guide(cast.counsellor, "Aline Quiet")  # consent given: no flag at all
    candidate_shortlist_consent_set(profile=quiet.candidate_profile, given=True)
    idle = guide(cast.counsellor, "Bruno Idle")  # watch
    make_stalled(idle)
    invited = guide(cast.counsellor, "Zoé Invited")  # action, although last by name
    ShortlistInvitation.objects.create(
        vacancy=factories.VacancyFactory(), profile=invited.candidate_profile
    )
    rows = caseload_rows(cast.counsellor)
    assert [row.name for row in rows] == [
        "Zoé Invited",
        "Bruno Idle",
        "Yasmine Test",
        "Aline Quiet",
    ]
    assert [row.needs_attention for row in rows] == [True, True, False, False]
    assert rows[0].flags[0].code == "invitation_open"
    english.force_login(cast.counsellor)
    page = english.get("/caseload/").content.decode()
    assert "2 need your attention; the most urgent come first." in page
    assert 'class="badge flag flag-consent_missing severity-info"' in page
    assert 'class="badge flag flag-invitation_open severity-action"' in page
    assert '<span class="visually-hidden">For information: </span>' in page


def test_an_invitation_answered_or_closed_raises_no_flag(cast):
    profile = cast.candidate.candidate_profile
    answered = factories.VacancyFactory()
    ShortlistInvitation.objects.create(vacancy=answered, profile=profile)
    factories.ApplicationFactory(vacancy=answered, profile=profile)
    closed = factories.VacancyFactory(closes_on=timezone.localdate() - datetime.timedelta(days=1))
    ShortlistInvitation.objects.create(vacancy=closed, profile=profile)
    (row,) = caseload_rows(cast.counsellor)
    assert "invitation_open" not in row.flag_codes


@pytest.mark.parametrize(
    ("days_ago", "status", "flagged"),
    [
        (2, Attendance.Status.ABSENT, True),
        (14, Attendance.Status.ABSENT, True),
        (15, Attendance.Status.ABSENT, False),
        (2, Attendance.Status.EXCUSED, False),
        (2, Attendance.Status.PRESENT, False),
    ],
)
def test_a_session_missed_recently_needs_action(english, cast, days_ago, status, flagged):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    cohort = factories.CohortFactory(
        starts_on=day,
        ends_on=day + datetime.timedelta(days=30),
        enrolment_closes_on=day,
        module__title_en="Conflict management",
    )
    enrolment = factories.EnrolmentFactory(cohort=cohort, candidate=cast.candidate)
    factories.AttendanceFactory(enrolment=enrolment, status=status)
    english.force_login(cast.counsellor)
    (row,) = english.get("/caseload/").context["rows"]
    assert ("session_missed" in row.flag_codes) is flagged
    if flagged:
        (flag,) = [flag for flag in row.flags if flag.code == "session_missed"]
        assert flag.severity == "action" and row.needs_attention
        assert "Conflict management" in flag.detail and cohort.code not in flag.detail


def test_flags_name_the_session_by_its_module_and_date_never_by_its_slug(english, cast):
    soon = timezone.localdate() + datetime.timedelta(days=3)
    cohort = factories.CohortFactory(
        code="brusafe-dec-2", starts_on=soon, enrolment_closes_on=soon, module__title_en="First aid"
    )
    factories.EnrolmentFactory(cohort=cohort, candidate=cast.candidate)
    path = factories.TrainingPathFactory(candidate=cast.candidate)
    closing = factories.CohortFactory(
        code="reports-7",
        enrolment_closes_on=soon,
        starts_on=soon + datetime.timedelta(days=5),
        module__title_en="Report writing",
    )
    factories.PathStepFactory(path=path, module=closing.module)
    english.force_login(cast.counsellor)
    for url in ("/caseload/", f"/caseload/{cast.candidate.candidate_profile.pk}/"):
        text = strip_tags(english.get(url).content.decode())
        assert "First aid" in text
        assert "brusafe-dec-2" not in text and "reports-7" not in text
        assert not SLUG.findall(text), SLUG.findall(text)


# The person's page at a glance ----------------------------------------------------------------


def fill_person(user, *, with_extra=0):
    profile = user.candidate_profile
    battery = Battery.objects.first()
    for minutes in range(2 + with_extra):
        Attempt.objects.create(
            battery=battery,
            user=user,
            mode="practice",
            language="en",
            seed=1,
            deadline=timezone.now(),
            finished_at=timezone.now() - datetime.timedelta(minutes=minutes),
            status="finished",
            score_percent=60 + minutes,
        )
    for _ in range(1 + with_extra):
        factories.ApplicationFactory(profile=profile)
        past = timezone.localdate() - datetime.timedelta(days=3)
        cohort = factories.CohortFactory(
            starts_on=past, ends_on=past + datetime.timedelta(days=9), enrolment_closes_on=past
        )
        enrolment = factories.EnrolmentFactory(cohort=cohort, candidate=user)
        factories.AttendanceFactory(enrolment=enrolment, status=Attendance.Status.PRESENT)
        factories.AttendanceFactory(
            enrolment=enrolment,
            status=Attendance.Status.ABSENT,
            session__starts_at=timezone.now() - datetime.timedelta(days=1),
        )
        path = factories.TrainingPathFactory(candidate=user)
        factories.PathStepFactory(path=path, module=cohort.module)
        factories.PathStepFactory(path=path)


def test_the_persons_page_shows_tests_applications_enrolments_and_path_at_a_glance(
    english, cast, item_bank
):
    user = cast.candidate
    fill_person(user)
    application = user.candidate_profile.applications.get()
    enrolment = Enrolment.objects.get(candidate=user)
    english.force_login(cast.counsellor)
    page = english.get(f"/caseload/{user.candidate_profile.pk}/").content.decode()
    glance = page.split('id="glance"')[1].split("</section>")[0]
    assert page.index('id="glance"') < page.index('id="timeline"')
    battery = Battery.objects.first()
    assert glance.count(battery.title_en) == 1  # the latest result only
    assert "Score 60 %" in glance
    assert application.vacancy.title_en in glance and application.vacancy.employer.name in glance
    assert application.get_stage_display() in glance
    assert f'href="/vacancies/{application.vacancy_id}/"' in glance
    assert enrolment.cohort.module.title_en in glance
    assert enrolment.cohort.starts_on.strftime("%m/%d/%Y") in glance or "From " in glance
    assert "present at 1 of 2 sessions" in glance and "1 absence" in glance
    assert "0 of 2 steps done" in glance
    assert f'href="/caseload/{user.candidate_profile.pk}/path/"' in glance
    assert 'href="#timeline"' in glance


def test_the_persons_page_at_a_glance_is_empty_in_words(english, cast):
    english.force_login(cast.counsellor)
    page = english.get(f"/caseload/{cast.candidate.candidate_profile.pk}/").content.decode()
    for words in (
        "No test finished yet.",
        "No application yet.",
        "No enrolment yet.",
        "No training path yet.",
    ):
        assert words in page


def test_the_persons_page_takes_the_same_queries_with_more_of_everything(client, cast, item_bank):
    fill_person(cast.candidate)
    client.force_login(cast.counsellor)
    url = f"/caseload/{cast.candidate.candidate_profile.pk}/"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    fill_person(cast.candidate, with_extra=3)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.parametrize("query", ["agent\u202e", "é" * 101, "agent\x0b", "agent\x1b", "a\x00b"])
def test_an_odd_or_too_long_search_is_answered_not_crashed(english, cast, query):
    """NUL is refused site-wide with a clear 400 (college/core/request_hygiene.py); other control
    characters reach the search form, which answers with the page (college/core/text.py)."""
    english.force_login(cast.counsellor)
    expected = 400 if "\x00" in query else 200
    assert english.get("/caseload/", {"q": query}).status_code == expected
    assert english.get("/caseload/export.csv", {"q": query}).status_code == expected
