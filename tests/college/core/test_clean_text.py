"""college/core/text.py: the one rule for free text in, and the escapes for every output."""

import csv
import io
import json
import unicodedata
import xml.dom.minidom

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from college.core.text import (
    clean_text,
    csv_cell,
    header_safe,
    script_json,
    xml_safe,
)

LINE_BREAK_LOOKALIKES = ["\r\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]
REFUSED = {
    "\x00": "control_character",
    "\x08": "control_character",
    "\x1b": "control_character",
    "\x7f": "control_character",
    "\x9b": "control_character",
    "\ufffe": "noncharacter",
    "\uffff": "noncharacter",
    "\ufdd0": "noncharacter",
    "\ufdef": "noncharacter",
    "\U0001fffe": "noncharacter",
    "\U0010ffff": "noncharacter",
    chr(0xD800): "surrogate",
    chr(0xDFFF): "surrogate",
}
BIDI_CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069"]


def _code(value, *, single_line):
    with pytest.raises(ValidationError) as error:
        clean_text(value, single_line=single_line)
    return error.value.code


@pytest.mark.parametrize("lookalike", LINE_BREAK_LOOKALIKES)
def test_every_pasted_line_break_becomes_a_newline_in_multi_line_text(lookalike):
    assert clean_text(f"Patrouilles{lookalike}de nuit", single_line=False) == "Patrouilles\nde nuit"


@pytest.mark.parametrize("lookalike", [*LINE_BREAK_LOOKALIKES, "\n", "\t"])
def test_a_single_line_field_turns_breaks_and_tabs_into_a_space(lookalike):
    assert clean_text(f"Gardien{lookalike}de la paix", single_line=True) == "Gardien de la paix"


@pytest.mark.parametrize("character,code", REFUSED.items())
@pytest.mark.parametrize("single_line", [True, False])
def test_control_characters_non_characters_and_surrogates_are_refused(character, code, single_line):
    assert _code(f"Titre{character}", single_line=single_line) == code


def test_the_error_names_the_character_in_the_users_language():
    with pytest.raises(ValidationError) as error:
        clean_text("a\uffffb", single_line=True)
    with translation.override("fr"):
        message = error.value.messages[0]
    assert "U+FFFF" in message
    assert "n’est pas un caractère" in message


@pytest.mark.parametrize("control", BIDI_CONTROLS)
def test_direction_overrides_are_refused_in_names_and_titles_only(control):
    assert _code(f"exe{control}txt.", single_line=True) == "bidi_control"
    assert clean_text(f"exe{control}txt.", single_line=False) == f"exe{control}txt."


def test_implicit_direction_marks_are_allowed_everywhere():
    for mark in ("\u200e", "\u200f", "\u061c"):
        assert clean_text(f"مرحبا{mark} Bruxelles", single_line=True) == f"مرحبا{mark} Bruxelles"


def test_text_is_stored_in_nfc():
    assert clean_text("Ve\u0301ronique", single_line=True) == "Véronique"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_cleaned_text_is_nfc_and_holds_nothing_an_output_must_drop(value):
    for single_line in (True, False):
        try:
            cleaned = clean_text(value, single_line=single_line)
        except ValidationError:
            continue
        assert unicodedata.is_normalized("NFC", cleaned)
        assert xml_safe(cleaned) == cleaned
        assert "\r" not in cleaned
        if single_line:
            assert "\n" not in cleaned


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_xml_safe_text_always_parses_as_xml(value):
    document = f"<t>{xml_safe(value).replace('&', '&amp;').replace('<', '&lt;')}</t>"
    xml.dom.minidom.parseString(document.encode("utf-8", "surrogatepass"))


@settings(max_examples=50, deadline=None)
@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_script_json_parses_back_to_the_same_data_and_cannot_close_a_script(data):
    text = script_json(json.dumps(data, ensure_ascii=False))
    assert json.loads(text) == data
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_a_csv_cell_never_starts_a_formula(start):
    assert csv_cell(f'{start}HYPERLINK("http://evil")') == f'\'{start}HYPERLINK("http://evil")'


def test_a_csv_cell_drops_what_a_spreadsheet_cannot_hold_and_reads_back():
    buffer = io.StringIO()
    csv.writer(buffer).writerow([csv_cell("a\x00b\uffffc\x0bd"), csv_cell(None), csv_cell(3)])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["abcd", "", "3"]


def test_a_mail_header_is_one_line():
    assert header_safe("Offre :\r\nBcc: x@example.org\u2028 fin\x0b") == (
        "Offre : Bcc: x@example.org fin"
    )
