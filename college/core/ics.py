"""iCalendar (RFC 5545) text: escaping, line folding and times, for every .ics Passerelle serves
(a job-seeker's training calendar, an invitation's appointment)."""

import datetime

from college.core.text import LINE_BREAKS, xml_safe


def ics_escape(text):
    # Any kind of line break becomes an escaped newline, and control characters, which a
    # TEXT value cannot hold (RFC 5545, 3.3.11), are dropped.
    text = xml_safe(LINE_BREAKS.sub("\n", str(text)))
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_fold(line):
    """Folds a content line into lines of at most 75 octets, never inside a UTF-8 character;
    each continuation starts with one space (which counts in its 75 octets)."""
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [" "], 1, 75
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts)


def ics_time(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
