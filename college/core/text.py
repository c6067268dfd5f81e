"""Free text in and out: one normalisation at every door, one escape at every output.

In: `clean_text` is the one rule for text people type, paste or send. It runs in every
`CharField` of every Django form (pages, the admin, django-filter's filters) and every DRF
serializer (the API and the vacancy import, which validates its rows with the API's
serializer): `install` wraps `django.forms.CharField.to_python` and
`rest_framework.fields.CharField.to_internal_value` once, at start-up, so that no form or
serializer written later can forget it. Only password fields are left as typed (a password
is hashed exactly as it was chosen).

- Line breaks become "\\n": CRLF and CR, and the separators that Word and other programs paste
  as line breaks: vertical tab (U+000B), form feed (U+000C), next line (U+0085), line and
  paragraph separators (U+2028, U+2029).
- Other control characters (C0 but tab and newline, DEL, C1), non-characters (U+FFFE,
  U+FFFF, U+FDD0–U+FDEF, the last two code points of every plane) and unpaired surrogates
  are refused with a field error naming the character: they carry nothing a reader sees and
  break XML, JSON and spreadsheets downstream.
- The text is put in Unicode NFC, so that "é" typed on a phone and "é" pasted from a PDF are
  the same letters for search, sorting and length limits.
- A single-line field (a form field without a `Textarea`; a DRF field without the
  `textarea.html` style) turns line breaks and tabs into spaces and refuses bidirectional
  override, embedding and isolate characters (U+202A–U+202E, U+2066–U+2069): a name or a
  title is shown inline among other text, in lists, e-mail subjects and feed titles, where
  an unclosed override reverses what follows it (and can make "txt.exe" read "exe.txt").
  Multi-line text (descriptions, notes) keeps them: it is rendered in its own block, which
  ends any override, and right-to-left writers quoting left-to-right words need them.
  The implicit marks (U+200E, U+200F, U+061C) are allowed everywhere.

Out: rows written before this rule, by a migration, a bulk loader or straight into the
database can still hold anything, so every output drops or escapes what its format cannot
carry: `xml_safe` for Atom feeds, PDFs (their HTML), calendars and e-mail bodies,
`header_safe` for e-mail subjects, `csv_cell` for spreadsheets, `script_json` for JSON inside
an HTML `<script>` element. HTML pages rely on Django's autoescaping.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_PLANE_ENDS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
CONTROL_CHARACTERS = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
NONCHARACTERS = "\ufdd0-\ufdef" + _PLANE_ENDS
SURROGATES = "\ud800-\udfff"
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# What an input is refused for; `_problem` says which kind a character is.
REFUSED_CHARACTERS = CONTROL_CHARACTERS + NONCHARACTERS + SURROGATES
REFUSED = re.compile(f"[{REFUSED_CHARACTERS}]")
REFUSED_SINGLE_LINE = re.compile(f"[{REFUSED_CHARACTERS}{BIDI_CONTROLS}]")
# What no output carries: XML 1.0 forbids C0 controls but tab and breaks, surrogates, U+FFFE
# and U+FFFF; HTML and RFC 5545 also refuse DEL, C1 controls and non-characters.
UNSAFE_OUTPUT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{NONCHARACTERS}{SURROGATES}]")
# What JSON inside a `<script>` element writes as a \u escape: what could end the element or a
# JavaScript string, and what HTML flags as a parse error.
SCRIPT_UNSAFE = re.compile(f"[<>&\u2028\u2029\x7f-\x9f{NONCHARACTERS}{SURROGATES}]")
# DRF's own mark of a multi-line field (the browsable API shows it as a textarea).
MULTI_LINE = {"base_template": "textarea.html"}
# A spreadsheet reads a cell starting with these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

MESSAGES = {
    "control_character": _(
        "This text holds an invisible control character (%(character)s), often pasted from "
        "another program: remove it and try again."
    ),
    "noncharacter": _(
        "This text holds %(character)s, which is not a character: remove it and try again."
    ),
    "surrogate": _(
        "This text holds a broken character (%(character)s, half of a pair): remove it and "
        "try again."
    ),
    "bidi_control": _(
        "This text holds a direction-override character (%(character)s), which names and "
        "titles may not hold: remove it and try again."
    ),
}


def _problem(character):
    point = ord(character)
    if 0xD800 <= point <= 0xDFFF:
        return "surrogate"
    if re.fullmatch(f"[{NONCHARACTERS}]", character):
        return "noncharacter"
    if re.fullmatch(f"[{BIDI_CONTROLS}]", character):
        return "bidi_control"
    return "control_character"


def character_name(character):
    return f"U+{ord(character):04X}"


def clean_text(value, *, single_line):
    """`value` normalised as the module docstring says; a ValidationError (code
    `control_character`, `noncharacter`, `surrogate` or `bidi_control`, params `character`)
    for the first character refused."""
    value = LINE_BREAKS.sub("\n", value)
    refused = (REFUSED_SINGLE_LINE if single_line else REFUSED).search(value)
    if refused:
        code = _problem(refused.group())
        raise ValidationError(
            MESSAGES[code], code=code, params={"character": character_name(refused.group())}
        )
    value = unicodedata.normalize("NFC", value)
    if single_line:
        value = value.replace("\n", " ").replace("\t", " ")
    return value


def xml_safe(value):
    """`value` as a string without the characters XML 1.0, HTML and iCalendar cannot carry."""
    return UNSAFE_OUTPUT.sub("", str(value))


def header_safe(value):
    """`value` on one line for a mail header: breaks and runs of spaces become one space."""
    return " ".join(xml_safe(value).split())


def csv_cell(value):
    """A cell a spreadsheet shows as the text it is: no control characters, no formula."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    value = xml_safe(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _json_escape(match):
    point = ord(match.group())
    if point > 0xFFFF:
        point -= 0x10000
        return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"
    return f"\\u{point:04x}"


def script_json(text):
    """JSON text that can sit inside an HTML `<script>` element and still parse to the same
    data: `<`, `>`, `&`, the line separators, DEL, C1 controls and non-characters are written
    as `\\u` escapes (JSON already escapes the C0 controls)."""
    return SCRIPT_UNSAFE.sub(_json_escape, text)


# --- Doors: the form and serializer fields ----------------------------------------------------


def _is_password(field):
    from django import forms

    return isinstance(getattr(field, "widget", None), forms.PasswordInput) or (
        getattr(field, "style", {}).get("input_type") == "password"
    )


def is_single_line(field):
    """A form field shown without a `Textarea`, a DRF field without the textarea style."""
    from django import forms

    widget = getattr(field, "widget", None)
    if widget is not None:
        return not isinstance(widget, forms.Textarea)
    return getattr(field, "style", {}).get("base_template") != "textarea.html"


def install():
    """Makes every Django form `CharField` and every DRF `CharField` run `clean_text`.

    Called once from `CollegeConfig.ready`. Wrapping the two base classes, rather than asking
    every form and serializer to inherit from a project base, is what makes the rule hold for
    the admin, Django's own forms, django-filter and any field added later; the guard test
    (tests/college/core/test_clean_text_everywhere.py) walks every form and serializer to check it.
    """
    from django import forms
    from rest_framework import fields, serializers

    if getattr(forms.CharField.to_python, "cleans_text", False):
        return
    form_to_python = forms.CharField.to_python
    drf_to_internal_value = fields.CharField.to_internal_value

    def to_python(self, value):
        value = form_to_python(self, value)
        if not isinstance(value, str) or not value or _is_password(self):
            return value
        value = clean_text(value, single_line=is_single_line(self))
        if self.strip:
            value = value.strip()
        return value if value else self.empty_value

    def to_internal_value(self, data):
        value = drf_to_internal_value(self, data)
        if not isinstance(value, str) or not value or _is_password(self):
            return value
        try:
            value = clean_text(value, single_line=is_single_line(self))
        except ValidationError as error:
            raise serializers.ValidationError(
                [str(message) for message in error.messages], code=error.code
            ) from None
        return value.strip() if self.trim_whitespace else value

    to_python.cleans_text = True
    to_internal_value.cleans_text = True
    forms.CharField.to_python = to_python
    fields.CharField.to_internal_value = to_internal_value
