"""The caseload pages: the list, its CSV export, the candidate page's timeline, team notes and
action plan, the progress report; and who may open each of them."""

import codecs
import csv
import datetime
import io

import pytest
from django.conf import settings
from django.utils import timezone
from pypdf import PdfReader

from candidates.models import ProfileView
from candidates.services import candidate_shortlist_consent_set
from college.models import ActionItem, CounsellorNote, Role
from tests import factories

pytestmark = pytest.mark.django_db

NOTE = "Confided a difficult family situation; do not mention to employers."


def profile_url(user, suffix=""):
    return f"/caseload/{user.candidate_profile.pk}/{suffix}"


def pdf_text(response):
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# Access: every page and action, for everyone who should not get it -------------------------------


def pages(cast):
    return [
        "/caseload/",
        "/caseload/export.csv",
        profile_url(cast.candidate, "report.pdf"),
    ]


def posts(cast):
    item = factories.ActionItemFactory(candidate=cast.candidate)
    return [
        (profile_url(cast.candidate, "notes/"), {"note-body": "x"}),
        (profile_url(cast.candidate, "actions/"), {"action-text": "x"}),
        (profile_url(cast.candidate, f"actions/{item.pk}/done/"), {"done": "1"}),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client, cast):
    for url in pages(cast):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for url, data in posts(cast):
        assert client.post(url, data)["Location"].startswith("/accounts/login/")
    assert client.get("/me/actions/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["candidate", "employer_member", "staff"])
def test_other_roles_get_a_403_and_change_nothing(client, cast, who):
    client.force_login(getattr(cast, who))
    for url in pages(cast):
        assert client.get(url).status_code == 403, url
    for url, data in posts(cast):
        assert client.post(url, data).status_code == 403, url
    assert not CounsellorNote.objects.exists()
    assert ActionItem.objects.count() == 1
    assert not ActionItem.objects.filter(done_at__isnull=False).exists()
    assert not ProfileView.objects.exists()


def test_another_counsellor_gets_a_404_for_someone_they_do_not_guide(client, cast):
    client.force_login(cast.other_counsellor)
    assert client.get(profile_url(cast.candidate)).status_code == 404
    assert client.get(profile_url(cast.candidate, "report.pdf")).status_code == 404
    for url, data in posts(cast):
        assert client.post(url, data).status_code == 404, url
    assert not CounsellorNote.objects.exists()
    assert not ActionItem.objects.filter(done_at__isnull=False).exists()
    page = client.get("/caseload/").content.decode()
    assert "Yasmine Test" not in page and "Other Test" in page


def test_an_action_item_of_another_person_is_a_404_even_from_a_guided_persons_address(client, cast):
    foreign = factories.ActionItemFactory(candidate=cast.other_candidate)
    client.force_login(cast.counsellor)
    url = profile_url(cast.candidate, f"actions/{foreign.pk}/done/")
    assert client.post(url).status_code == 404
    client.force_login(cast.candidate)
    assert client.post(f"/me/actions/{foreign.pk}/done/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.done_at is None


@pytest.mark.parametrize("who", ["counsellor", "employer_member", "staff"])
def test_the_job_seekers_action_plan_page_is_theirs_only(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get("/me/actions/").status_code == 403


def test_the_actions_are_posts(client, cast):
    client.force_login(cast.counsellor)
    for url, _data in posts(cast):
        assert client.get(url).status_code == 405


# The list -----------------------------------------------------------------------------------


def test_the_list_shows_each_column_with_badges_bars_and_links(english, cast, reference_data):
    profile = cast.candidate.candidate_profile
    role = Role.objects.get(slug="peace-guard")
    profile.target_roles.set([role])
    english.force_login(cast.counsellor)
    page = english.get("/caseload/").content.decode()
    assert f'href="/caseload/{profile.pk}/"' in page
    assert '<td data-label="Stage">Getting started</td>' in page
    with_english_title = role.title_en
    assert with_english_title in page
    assert f'<progress id="readiness-{profile.pk}" max="100"' in page
    assert 'class="badge flag flag-consent_missing severity-info"' in page
    assert "No consent to shortlists" in page  # a label, not colour alone
    assert 'href="/caseload/export.csv"' in page
    assert f'href="/caseload/{profile.pk}/path/"' in page
    assert 'data-label="Flags"' in page  # phones: each cell names its column
    assert "css/caseload.css" in page


def test_the_list_filters_by_stage_and_flag_without_javascript(english, cast):
    candidate_shortlist_consent_set(profile=cast.candidate.candidate_profile, given=True)
    other = factories.GuidanceFactory(
        counsellor=cast.counsellor, candidate__full_name="Karim Flagged"
    ).candidate
    english.force_login(cast.counsellor)
    page = english.get("/caseload/", {"flag": "consent_missing"}).content.decode()
    assert "Karim Flagged" in page and "Yasmine Test" not in page
    assert 'href="/caseload/export.csv?flag=consent_missing"' in page
    factories.CandidateSkillFactory(profile=other.candidate_profile)
    page = english.get("/caseload/", {"stage": "new"}).content.decode()
    assert "Yasmine Test" in page and "Karim Flagged" not in page
    page = english.get("/caseload/", {"stage": "bogus"})
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()


def test_the_list_takes_as_many_queries_for_twenty_people_as_for_one(
    client, cast, django_assert_max_num_queries, reference_data
):
    role = Role.objects.get(slug="peace-guard")
    cast.candidate.candidate_profile.target_roles.set([role])
    client.force_login(cast.counsellor)
    with django_assert_max_num_queries(40) as one:
        client.get("/caseload/")
    for _ in range(19):
        person = factories.GuidanceFactory(counsellor=cast.counsellor).candidate
        person.candidate_profile.target_roles.set([role])
        factories.CandidateSkillFactory(profile=person.candidate_profile)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get("/caseload/")
    assert len(response.context["rows"]) == 20


# The CSV export ----------------------------------------------------------------------------


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(codecs.BOM_UTF8)
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_csv_has_a_bom_a_translated_header_and_the_same_rows(english, cast, reference_data):
    cast.candidate.candidate_profile.target_roles.set([Role.objects.get(slug="peace-guard")])
    english.force_login(cast.counsellor)
    response = english.get("/caseload/export.csv")
    assert "attachment" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[:4] == ["Job-seeker", "E-mail address", "Stage", "Target role"]
    assert header[-1] == "Flags"
    (row,) = rows
    assert row[0] == "Yasmine Test" and row[1] == "yasmine@example.org"
    assert row[2] == "Getting started"
    assert row[5].isdigit()
    assert "No consent to shortlists:" in row[-1]


def test_the_csv_header_follows_the_language(client, cast):
    client.force_login(cast.counsellor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert read_csv(client.get("/caseload/export.csv"))[0][:3] == [
        "Job-seeker",
        "E-mail address",
        "Stage",
    ]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert read_csv(client.get("/caseload/export.csv"))[0][:3] == [
        "Werkzoekende",
        "E-mailadres",
        "Fase",
    ]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+32 2 000", "-1+1", "@SUM(A1)"])
def test_the_csv_neutralises_formulas(client, cast, name):
    cast.candidate.full_name = name
    cast.candidate.save()
    client.force_login(cast.counsellor)
    (row,) = read_csv(client.get("/caseload/export.csv"))[1:]
    assert row[0] == "'" + name


def test_the_csv_follows_the_filters(client, cast):
    candidate_shortlist_consent_set(profile=cast.candidate.candidate_profile, given=True)
    factories.GuidanceFactory(counsellor=cast.counsellor, candidate__full_name="Karim Flagged")
    client.force_login(cast.counsellor)
    rows = read_csv(client.get("/caseload/export.csv", {"flag": "consent_missing"}))[1:]
    assert [row[0] for row in rows] == ["Karim Flagged"]


# The candidate's page: timeline, team notes, action plan ------------------------------------


def test_the_candidate_page_shows_timeline_notes_plan_and_links(english, cast):
    user = cast.candidate
    factories.CounsellorNoteFactory(candidate=user, author=cast.other_counsellor, body=NOTE)
    factories.ActionItemFactory(candidate=user, text="Book the first-aid course")
    factories.CandidateSkillFactory(profile=user.candidate_profile, skill__label_en="patrol")
    english.force_login(cast.counsellor)
    page = english.get(profile_url(user)).content.decode()
    for expected in (
        "Timeline",
        "Skill “Patrol”",
        "Profile created",
        "Team notes",
        NOTE,
        "Action plan",
        "Book the first-aid course",
        f'href="{profile_url(user, "report.pdf")}"',
        f'href="{profile_url(user, "extra-time/")}"',
        f'href="{profile_url(user, "path/")}"',
    ):
        assert expected in page, expected


def test_a_counsellor_adds_a_note_that_the_team_sees(english, cast):
    english.force_login(cast.counsellor)
    response = english.post(profile_url(cast.candidate, "notes/"), {"note-body": f"  {NOTE} "})
    assert response.status_code == 302
    assert response["Location"].endswith("#notes")
    note = CounsellorNote.objects.get()
    assert note.body == NOTE and note.author == cast.counsellor
    assert note.candidate == cast.candidate


def test_an_empty_note_is_an_error_at_the_field_and_nothing_is_saved(english, cast):
    english.force_login(cast.counsellor)
    response = english.post(profile_url(cast.candidate, "notes/"), {"note-body": "   "})
    assert response.status_code == 400
    assert "Write the note." in response.content.decode()
    assert not CounsellorNote.objects.exists()


def test_a_note_too_long_is_refused(english, cast):
    english.force_login(cast.counsellor)
    response = english.post(profile_url(cast.candidate, "notes/"), {"note-body": "x" * 4001})
    assert response.status_code == 400
    assert not CounsellorNote.objects.exists()


def test_the_job_seeker_meets_a_team_note_only_in_their_data_export(client, cast, api_client):
    # The team's notes are personal data about the job-seeker: GDPR art. 15 gives them a copy
    # (their data page and export), but no everyday page or document shows them.
    factories.CounsellorNoteFactory(candidate=cast.candidate, author=cast.counsellor, body=NOTE)
    factories.ActionItemFactory(candidate=cast.candidate, text="Visible action")
    client.force_login(cast.candidate)
    for url in ("/me/", "/me/actions/", "/me/profile/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert NOTE not in response.content.decode(), url
    for url in ("/me/data/", "/api/v1/me/export/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert NOTE in response.content.decode(), url
    assert "Visible action" in client.get("/me/actions/").content.decode()
    passport = client.get("/me/passport.pdf")
    assert NOTE not in pdf_text(passport)
    assert client.get(profile_url(cast.candidate)).status_code == 403


def test_employers_see_nothing_of_the_caseload(client, cast):
    factories.CounsellorNoteFactory(candidate=cast.candidate, author=cast.counsellor, body=NOTE)
    client.force_login(cast.employer_member)
    for url in (profile_url(cast.candidate), "/caseload/", "/api/v1/caseload/"):
        response = client.get(url)
        assert response.status_code == 403
        assert NOTE not in response.content.decode()


def test_a_counsellor_adds_an_action_with_a_due_date(english, cast):
    due = timezone.localdate() + datetime.timedelta(days=10)
    english.force_login(cast.counsellor)
    response = english.post(
        profile_url(cast.candidate, "actions/"),
        {"action-text": "Call the police zone", "action-due_on": due.isoformat()},
    )
    assert response.status_code == 302 and response["Location"].endswith("#action-plan")
    item = ActionItem.objects.get()
    assert item.text == "Call the police zone" and item.due_on == due
    assert item.candidate == cast.candidate and item.author == cast.counsellor


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action-text": ""}, "Say what is to be done."),
        ({"action-text": "x", "action-due_on": "2020-01-01"}, "Choose today or a later day."),
        ({"action-text": "x", "action-due_on": "soon"}, "Enter a valid date."),
        ({"action-text": "x" * 301}, "Ensure this value has at most 300 characters"),
    ],
)
def test_a_bad_action_is_an_error_at_the_field(english, cast, data, message):
    english.force_login(cast.counsellor)
    response = english.post(profile_url(cast.candidate, "actions/"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ActionItem.objects.exists()


def test_the_counsellor_marks_an_action_done_and_opens_it_again(client, cast):
    item = factories.ActionItemFactory(candidate=cast.candidate)
    client.force_login(cast.counsellor)
    url = profile_url(cast.candidate, f"actions/{item.pk}/done/")
    assert client.post(url, {"done": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.done_at is not None
    assert client.post(url, {"done": "0"}).status_code == 302
    item.refresh_from_db()
    assert item.done_at is None


def test_the_job_seeker_sees_their_plan_and_marks_an_action_done(english, cast):
    item = factories.ActionItemFactory(candidate=cast.candidate, text="Practise the NL test")
    factories.ActionItemFactory(candidate=cast.other_candidate, text="Someone else's action")
    english.force_login(cast.candidate)
    page = english.get("/me/actions/").content.decode()
    assert "Practise the NL test" in page and "Someone else's action" not in page
    assert "I did it" in page
    response = english.post(f"/me/actions/{item.pk}/done/", {"next": "/me/"})
    assert response.status_code == 302 and response["Location"] == "/me/"
    item.refresh_from_db()
    first_done = item.done_at
    assert first_done is not None
    english.post(f"/me/actions/{item.pk}/done/")
    item.refresh_from_db()
    assert item.done_at == first_done  # idempotent
    english.force_login(cast.counsellor)
    page = english.get(profile_url(cast.candidate)).content.decode()
    assert "Done on" in page and "Action done" in page  # in the plan and the timeline


def test_marking_done_never_redirects_to_another_site(client, cast):
    item = factories.ActionItemFactory(candidate=cast.candidate)
    client.force_login(cast.candidate)
    response = client.post(f"/me/actions/{item.pk}/done/", {"next": "https://evil.example/"})
    assert response["Location"] == "/me/actions/"


def test_the_candidate_page_takes_a_constant_number_of_queries(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.counsellor)
    with CaptureQueriesContext(connection) as few:
        client.get(profile_url(cast.candidate))
    for _ in range(5):
        factories.CounsellorNoteFactory(candidate=cast.candidate)
        factories.ActionItemFactory(candidate=cast.candidate, done_at=timezone.now())
        factories.CandidateSkillFactory(profile=cast.candidate.candidate_profile)
    with CaptureQueriesContext(connection) as many:
        client.get(profile_url(cast.candidate))
    assert len(many) == len(few)


# The progress report -----------------------------------------------------------------------------


def test_the_progress_report_is_a_pdf_in_the_counsellors_language_without_notes(
    english, cast, item_bank
):
    user = cast.candidate
    profile = user.candidate_profile
    role = Role.objects.get(slug="peace-guard")
    profile.target_roles.set([role])
    factories.CandidateSkillFactory(profile=profile, skill__label_en="calm a conflict", level=3)
    factories.CounsellorNoteFactory(candidate=user, author=cast.counsellor, body=NOTE)
    factories.ActionItemFactory(candidate=user, text="Book the first-aid course")
    factories.EnrolmentFactory(candidate=user, cohort__module__title_en="First aid basics")
    english.force_login(cast.counsellor)
    response = english.get(profile_url(user, "report.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response)
    for expected in (
        "PROGRESS REPORT",
        "Yasmine Test",
        "Stage In training",
        "Fit with each target role",
        role.title_en,
        "/100",
        "Calm a conflict",
        "3/4",
        "First aid basics",
        "Book the first-aid course",
        "Prepared by Marc Test",
    ):
        assert expected in text, expected
    assert NOTE not in text and "difficult family" not in text
    view = ProfileView.objects.get()
    assert view.viewer == cast.counsellor and view.channel == ProfileView.Channel.REPORT


def test_the_progress_report_is_in_dutch_for_a_dutch_speaking_counsellor(
    client, cast, reference_data
):
    role = Role.objects.get(slug="peace-guard")
    cast.candidate.candidate_profile.target_roles.set([role])
    client.force_login(cast.counsellor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    text = pdf_text(client.get(profile_url(cast.candidate, "report.pdf")))
    assert role.title_nl in text and role.title_en not in text
    assert "Yasmine Test" in text
