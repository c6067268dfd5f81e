"""`/me/training/calendar.ics`: an RFC 5545 calendar of the sessions where I hold a place."""

import datetime
import re
import zoneinfo

import pytest

from college.models import Enrolment
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/me/training/calendar.ics"
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def unfold(text):
    """The content lines of an iCalendar text, after checking its physical lines."""
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\n" not in line and "\r" not in line
        assert len(line.encode("utf-8")) <= 75, line
    lines = []
    for line in physical:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def unescape(value):
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def events(lines):
    found, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return found


@pytest.fixture
def calendar(cast, reference_data):
    cast.candidate.preferred_language = "nl"
    cast.candidate.save()
    cohort = factories.CohortFactory(
        module__title_nl="Verslagen schrijven; deel 1, met \\ en een heel lange titel é é é é é",
        module__title_fr="Rédaction de rapports",
        place="Brusafe, Haren",
    )
    factories.EnrolmentFactory(cohort=cohort, candidate=cast.candidate)
    winter = factories.CohortSessionFactory(
        cohort=cohort,
        starts_at=datetime.datetime(2027, 1, 12, 9, 0, tzinfo=BRUSSELS),
        ends_at=datetime.datetime(2027, 1, 12, 12, 30, tzinfo=BRUSSELS),
        topic="Le constat,\nles faits",
        place="",
    )
    summer = factories.CohortSessionFactory(
        cohort=cohort,
        starts_at=datetime.datetime(2027, 6, 15, 13, 0, tzinfo=BRUSSELS),
        ends_at=datetime.datetime(2027, 6, 15, 17, 0, tzinfo=BRUSSELS),
        place="Salle 2; bâtiment B",
    )
    waiting = factories.CohortFactory()
    factories.EnrolmentFactory(
        cohort=waiting, candidate=cast.candidate, status=Enrolment.Status.WAITLISTED
    )
    factories.CohortSessionFactory(cohort=waiting, topic="Not mine yet")
    gone = factories.CohortFactory()
    factories.EnrolmentFactory(
        cohort=gone, candidate=cast.candidate, status=Enrolment.Status.CANCELLED
    )
    factories.CohortSessionFactory(cohort=gone, topic="Cancelled by me")
    called_off = factories.CohortFactory(is_cancelled=True)
    factories.EnrolmentFactory(cohort=called_off, candidate=cast.candidate)
    factories.CohortSessionFactory(cohort=called_off, topic="Cohort cancelled")
    factories.CohortSessionFactory(topic="Someone else's")
    return winter, summer


def test_the_calendar_is_text_calendar_with_crlf_lines_folded_at_75_octets(client, cast, calendar):
    client.force_login(cast.candidate)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    lines = unfold(response.content.decode("utf-8"))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    # The long Dutch title was folded (the check above ran on every physical line).
    assert max(len(line.encode("utf-8")) for line in lines) > 75


def test_each_session_where_i_hold_a_place_is_one_event_in_utc(client, cast, calendar):
    winter, summer = calendar
    client.force_login(cast.candidate)
    found = events(unfold(client.get(URL).content.decode("utf-8")))
    assert len(found) == 2
    first, second = found
    # Brussels is UTC+1 in winter and UTC+2 in summer.
    assert (first["DTSTART"], first["DTEND"]) == ("20270112T080000Z", "20270112T113000Z")
    assert (second["DTSTART"], second["DTEND"]) == ("20270615T110000Z", "20270615T150000Z")
    assert re.fullmatch(r"\d{8}T\d{6}Z", first["DTSTAMP"])
    assert first["UID"] == f"cohort-session-{winter.pk}@127.0.0.1"
    assert second["UID"] == f"cohort-session-{summer.pk}@127.0.0.1"


def test_text_is_escaped_and_in_my_language(client, cast, calendar):
    client.force_login(cast.candidate)
    found = events(unfold(client.get(URL, headers={"accept-language": "fr"}).content.decode()))
    first, second = found
    assert first["SUMMARY"].startswith("Verslagen schrijven\\; deel 1\\, met \\\\ en")
    assert unescape(first["SUMMARY"]).startswith("Verslagen schrijven; deel 1, met \\ en")
    assert first["LOCATION"] == "Brusafe\\, Haren"
    assert first["DESCRIPTION"] == "Le constat\\,\\nles faits"
    assert unescape(first["DESCRIPTION"]) == "Le constat,\nles faits"
    assert unescape(second["LOCATION"]) == "Salle 2; bâtiment B"


def test_the_uid_is_stable_from_one_download_to_the_next(client, cast, calendar):
    client.force_login(cast.candidate)
    uids = [
        [event["UID"] for event in events(unfold(client.get(URL).content.decode()))]
        for _ in range(2)
    ]
    assert uids[0] == uids[1]


def test_a_calendar_without_places_is_still_valid(client, cast, reference_data):
    client.force_login(cast.other_candidate)
    lines = unfold(client.get(URL).content.decode())
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert events(lines) == []


def test_the_calendar_needs_a_signed_in_job_seeker(client, cast):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(cast.employer_member)
    assert client.get(URL).status_code == 403
