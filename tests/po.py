"""Reading the project's gettext catalogues (locale/<language>/LC_MESSAGES/django.po) in tests.

A small reader rather than a dependency: the catalogues are written by hand and by
makemessages, in the plain subset of the format both produce.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES = ("fr", "nl", "en")


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgctxt: str | None = None
    # msgstr for a singular entry is forms[0]; a plural entry has one form per msgstr[i].
    forms: list = field(default_factory=list)
    flags: set = field(default_factory=set)
    python_format: bool = False

    @property
    def msgstr(self):
        return self.forms[0] if self.forms else ""


@dataclass
class Catalogue:
    language: str
    header: dict
    entries: list

    @property
    def nplurals(self):
        match = re.search(r"nplurals\s*=\s*(\d+)", self.header.get("Plural-Forms", ""))
        return int(match.group(1))


def _unquote(text):
    # A .po string is a C string; Python's literal reader decodes the same escapes.
    return ast.literal_eval(text)


def po_path(language):
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def read_catalogue(language):
    """The catalogue of `language`: its header and its entries (obsolete ones left out)."""
    entries, current, field_name = [], None, None
    header = {}

    def close():
        nonlocal current
        if current is None or current.get("msgid") is None:
            current = None
            return
        if current["msgid"] == "" and not current.get("msgctxt"):
            for line in current["forms"].get(0, "").splitlines():
                key, _, value = line.partition(":")
                header[key.strip()] = value.strip()
        else:
            forms = current["forms"]
            entries.append(
                Entry(
                    msgid=current["msgid"],
                    msgid_plural=current.get("msgid_plural"),
                    msgctxt=current.get("msgctxt"),
                    forms=[forms[index] for index in sorted(forms)],
                    flags=current["flags"],
                    python_format="python-format" in current["flags"],
                )
            )
        current = None

    def start():
        nonlocal current
        if current is None:
            current = {"forms": {}, "flags": set()}

    lines = po_path(language).read_text(encoding="utf-8").splitlines()
    for line in lines + [""]:
        if not line.strip():
            close()
            field_name = None
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            start()
            current["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        start()
        if line.startswith("msgctxt "):
            field_name = "msgctxt"
            current["msgctxt"] = _unquote(line[8:])
        elif line.startswith("msgid_plural "):
            field_name = "msgid_plural"
            current["msgid_plural"] = _unquote(line[13:])
        elif line.startswith("msgid "):
            if current.get("msgid") is not None:  # an entry without a blank line before it
                close()
                start()
            field_name = "msgid"
            current["msgid"] = _unquote(line[6:])
        elif line.startswith("msgstr["):
            index, rest = line[7:].split("]", 1)
            field_name = int(index)
            current["forms"][field_name] = _unquote(rest.strip())
        elif line.startswith("msgstr "):
            field_name = 0
            current["forms"][0] = _unquote(line[7:])
        elif line.startswith('"'):
            if isinstance(field_name, int):
                current["forms"][field_name] += _unquote(line)
            else:
                current[field_name] += _unquote(line)
    return Catalogue(language=language, header=header, entries=entries)
