"""The appointment of an invitation to tests or to an interview, as an iCalendar file.

RFC 5545, written with the calendar helpers of college.training.enrolment (escaping, folding): times
are local to Brussels (`TZID=Europe/Brussels`), with the zone's rules in a VTIMEZONE so
that every calendar places the appointment right, summer time included.
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from college.core.ics import ics_escape, ics_fold, ics_time

BRUSSELS = ZoneInfo("Europe/Brussels")
DURATION = datetime.timedelta(hours=2)

# Europe/Brussels since 1996: CET, with summer time (CEST) from the last Sunday of March at
# 02:00 to the last Sunday of October at 03:00.
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Brussels",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def _local(moment):
    return moment.astimezone(BRUSSELS).strftime("%Y%m%dT%H%M%S")


def appointment_ics(application):
    """The application's appointment as an iCalendar text (CRLF lines), in the active
    language; the caller checks that it has one."""
    vacancy = application.vacancy
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    start = application.appointment_at
    summary = _("%(stage)s: %(title)s – %(employer)s") % {
        "stage": application.get_stage_display(),
        "title": vacancy.title,
        "employer": vacancy.employer.name,
    }
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Passerelle//Application appointments//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *VTIMEZONE,
        "BEGIN:VEVENT",
        # One event per application: a later invitation replaces the earlier one.
        f"UID:application-{application.pk}-appointment@{host}",
        f"SEQUENCE:{int(application.stage_changed_at.timestamp())}",
        f"DTSTAMP:{ics_time(timezone.now())}",
        f"DTSTART;TZID=Europe/Brussels:{_local(start)}",
        f"DTEND;TZID=Europe/Brussels:{_local(start + DURATION)}",
        "SUMMARY:" + ics_escape(summary),
        "LOCATION:" + ics_escape(application.appointment_place),
    ]
    if application.appointment_instructions:
        lines.append("DESCRIPTION:" + ics_escape(application.appointment_instructions))
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(ics_fold(line) + "\r\n" for line in lines)
