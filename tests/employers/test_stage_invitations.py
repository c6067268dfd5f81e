"""A move to "invited to tests" or "interview" carries a date, a time, a place and
instructions, e-mailed with an .ics invitation (RFC 5545) and shown on /me/applications/."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from employers.appointments import appointment_ics
from employers.models import Application
from tests import factories

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


@pytest.fixture
def application(cast, reference_data):
    vacancy = factories.VacancyFactory(employer=cast.employer_member.membership.employer)
    return factories.ApplicationFactory(vacancy=vacancy, profile=cast.candidate.candidate_profile)


def stage_url(application):
    return f"/employer/applications/{application.pk}/stage/"


def in_days(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def invitation(**changes):
    data = {
        "stage": "invited_to_tests",
        "appointment_date": in_days(10),
        "appointment_time": "09:30",
        "appointment_place": "Rue du Midi 104, 1000 Bruxelles; salle 2",
        "appointment_instructions": "Bring your identity card, a pen\nand 10 minutes' margin.",
        "note": "We look forward to meeting you.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def unfold(text):
    """The content lines of an iCalendar text, continuation lines joined (RFC 5545, 3.1)."""
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def unescape(value):
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


@pytest.mark.parametrize(
    ("missing", "field"),
    [
        ("appointment_date", "appointment_date"),
        ("appointment_time", "appointment_time"),
        ("appointment_place", "appointment_place"),
    ],
)
@pytest.mark.parametrize("stage", ["invited_to_tests", "interview"])
def test_an_invitation_needs_a_date_a_time_and_a_place(
    client, cast, application, mailoutbox, missing, field, stage
):
    client.force_login(cast.employer_member)
    response = client.post(
        stage_url(application), invitation(stage=stage, **{missing: None}), headers=EN
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    application.refresh_from_db()
    assert application.stage == Application.Stage.RECEIVED
    assert mailoutbox == []


def test_an_appointment_in_the_past_is_refused_at_the_date_field(client, cast, application):
    client.force_login(cast.employer_member)
    response = client.post(
        stage_url(application), invitation(appointment_date=in_days(-1)), headers=EN
    )
    assert response.status_code == 400
    assert response.context["form"].errors["appointment_date"] == [
        "The appointment must be in the future."
    ]


def test_a_malformed_date_or_time_is_a_translated_field_error(client, cast, application):
    client.force_login(cast.employer_member)
    response = client.post(
        stage_url(application),
        invitation(appointment_date="31/02/2027", appointment_time="25h"),
        headers={"accept-language": "fr"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["appointment_date"] == ["Saisissez une date valide, par exemple 2027-03-14."]
    assert errors["appointment_time"] == ["Saisissez une heure valide, par exemple 09:30."]


def test_the_invitation_is_emailed_with_a_valid_ics_in_brussels_time(
    client, cast, application, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(cast.employer_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(stage_url(application), invitation(), headers=EN)
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert "Rue du Midi 104" in mail.body and "09:30" in mail.body
    assert "Bring your identity card" in mail.body
    assert "We look forward to meeting you." in mail.body
    ((filename, content, mimetype),) = mail.attachments
    assert (filename, mimetype) == ("invitation.ics", "text/calendar")
    lines = unfold(content)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert all(len(line.encode()) <= 75 for line in content.split("\r\n"))
    assert "TZID:Europe/Brussels" in lines  # the VTIMEZONE the DTSTART refers to
    day = in_days(10).replace("-", "")
    assert f"DTSTART;TZID=Europe/Brussels:{day}T093000" in lines
    assert f"DTEND;TZID=Europe/Brussels:{day}T113000" in lines
    location = next(line for line in lines if line.startswith("LOCATION:"))
    assert location == "LOCATION:Rue du Midi 104\\, 1000 Bruxelles\\; salle 2"
    description = next(line for line in lines if line.startswith("DESCRIPTION:"))
    assert "\n" not in description and "\\n" in description
    assert unescape(description.removeprefix("DESCRIPTION:")) == (
        "Bring your identity card, a pen\nand 10 minutes' margin."
    )
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1


def test_the_candidate_sees_the_appointment_on_their_applications_page(
    client, cast, application, django_capture_on_commit_callbacks
):
    client.force_login(cast.employer_member)
    client.post(stage_url(application), invitation(stage="interview"), headers=EN)
    client.force_login(cast.candidate)
    page = client.get("/me/applications/", headers=EN).content.decode()
    assert "Your appointment:" in page
    assert "Rue du Midi 104, 1000 Bruxelles; salle 2" in page
    assert "09:30" in page and "Bring your identity card" in page
    assert "We look forward to meeting you." in page


def test_a_message_goes_with_any_stage_and_a_later_stage_clears_the_appointment(
    client, cast, application, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(cast.employer_member)
    client.post(stage_url(application), invitation(), headers=EN)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(stage_url(application), {"stage": "offer", "note": "Welcome aboard soon."})
    application.refresh_from_db()
    assert application.stage == Application.Stage.OFFER
    assert application.reason_note == "Welcome aboard soon."
    assert (application.appointment_at, application.appointment_place) == (None, "")
    (mail,) = mailoutbox
    assert "Welcome aboard soon." in mail.body and mail.attachments == []


HOSTILE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=300
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(place=HOSTILE, instructions=HOSTILE)
def test_any_text_gives_a_well_formed_calendar(application, place, instructions):
    application.stage = Application.Stage.INVITED_TO_TESTS
    application.appointment_at = timezone.now() + datetime.timedelta(days=2)
    application.appointment_place = place
    application.appointment_instructions = instructions
    content = appointment_ics(application)
    lines = unfold(content)
    # No value can open a line of its own: every content line is a known property.
    names = {line.split(":", 1)[0].split(";", 1)[0] for line in lines}
    assert names <= {
        "BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "TZID", "TZOFFSETFROM",
        "TZOFFSETTO", "TZNAME", "DTSTART", "RRULE", "UID", "SEQUENCE", "DTSTAMP", "DTEND",
        "SUMMARY", "LOCATION", "DESCRIPTION",
    }  # fmt: skip
    assert all(len(line.encode()) <= 75 for line in content.split("\r\n"))
    assert lines.count("BEGIN:VEVENT") == 1


# The API's stage move takes the same fields


PAST = "2020-01-01T10:00:00Z"


def api_url(application):
    return f"/api/v1/applications/{application.pk}/stage/"


def test_the_api_moves_to_invited_with_an_appointment_and_emails_the_ics(
    cast, application, mailoutbox, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(cast.employer_member)
    moment = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)
    body = {
        "stage": "invited_to_tests",
        "appointment_at": moment.isoformat(),
        "appointment_place": "Rue du Midi 104",
        "appointment_instructions": "Bring a pen.",
        "note": "See you then.",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(api_url(application), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["stage"] == "invited_to_tests"
    assert response.json()["appointment_place"] == "Rue du Midi 104"
    (mail,) = mailoutbox
    assert mail.attachments[0][0] == "invitation.ics"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"stage": "interview"}, "appointment_at"),
        ({"stage": "interview", "appointment_at": PAST, "appointment_place": "x"}, "appointment_at"),  # noqa: E501
        ({"stage": "interview", "appointment_at": "tomorrow"}, "appointment_at"),
        ({"stage": "not_retained"}, "reason"),
        ({"stage": "received"}, "stage"),
        ({"stage": "hired", "note": "x" * 1001}, "note"),
    ],
)  # fmt: skip
def test_the_api_answers_bad_input_with_a_400_naming_the_field(cast, application, body, field):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(cast.employer_member)
    response = api.post(api_url(application), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    application.refresh_from_db()
    assert application.stage == Application.Stage.RECEIVED


def test_the_api_refuses_the_candidate_and_hides_the_application_from_another_organisation(
    cast, application
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(cast.candidate)
    assert api.post(api_url(application), {"stage": "hired"}, format="json").status_code == 403
    api.force_authenticate(cast.other_employer_member)
    assert api.post(api_url(application), {"stage": "hired"}, format="json").status_code == 404
    application.refresh_from_db()
    assert application.stage == Application.Stage.RECEIVED


def test_the_invitation_says_whom_to_ask_and_a_reply_reaches_that_recruiter(
    client, cast, application, mailoutbox, django_capture_on_commit_callbacks
):
    recruiter = cast.employer_member
    client.force_login(recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(stage_url(application), invitation(), headers=EN)

    (mail,) = mailoutbox
    assert mail.reply_to == [recruiter.email]
    # In the candidate's language (French here); split() also breaks on no-break spaces.
    assert (
        f"Répondez à cet e-mail : il parvient à {recruiter.full_name} ({recruiter.email})."
    ) in " ".join(mail.body.split())
    assert mail.from_email != recruiter.email


def test_a_move_by_someone_outside_the_organisation_names_no_contact(cast, application, mailoutbox):
    from employers.tasks import send_application_stage_email

    outsider = factories.StaffFactory()
    application.events.create(stage=application.stage, changed_by=outsider)

    send_application_stage_email.call(application.pk)

    (mail,) = mailoutbox
    assert mail.reply_to == []
    assert outsider.email not in mail.body
