"""The starter item bank in assessments/data/items/ is well-formed, complete and safe to render.

Pure file checks: no database, no Django models. Each test reads the JSON files directly.
"""

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

ITEMS_DIR = Path(__file__).resolve().parents[2] / "assessments" / "data" / "items"

# file name → (competency code, key prefix, minimum number of items, languages every text needs)
BANK = {
    "numerical.json": ("numerical", "num", 40, ("fr", "nl", "en")),
    "verbal.json": ("verbal", "verb", 30, ("fr", "nl", "en")),
    "logical.json": ("logical", "log", 30, ("fr", "nl", "en")),
    "abstract.json": ("abstract", "abs", 25, ("fr", "nl", "en")),
    "situational.json": ("situational", "sjt", 40, ("fr", "nl", "en")),
    "reading_fr.json": ("reading_fr", "rfr", 15, ("fr",)),
    "reading_nl.json": ("reading_nl", "rnl", 15, ("nl",)),
    "work_style.json": ("work_style", "ws", 40, ("fr", "nl", "en")),
    "cyber_patterns.json": ("cyber_patterns", "cpat", 24, ("fr", "nl", "en")),
    "cyber_detail.json": ("cyber_detail", "cdet", 24, ("fr", "nl", "en")),
    "cyber_procedure.json": ("cyber_procedure", "cpro", 24, ("fr", "nl", "en")),
    "cyber_analysis.json": ("cyber_analysis", "cana", 16, ("fr", "nl", "en")),
    "cyber_codes.json": ("cyber_codes", "ccod", 14, ("fr", "nl", "en")),
    "digital_safety.json": ("digital_safety", "dsaf", 14, ("fr", "nl", "en")),
}
MINIMUM_TOTAL = 220

ITEM_TYPES = {"single_choice", "multiple_response", "numeric", "sjt", "likert", "mark", "typed"}
EXHIBITS = {"email", "log", "message"}
DIFFICULTIES = {"easy", "medium", "hard"}

IP_ADDRESS = re.compile(r"\b\d{1,3}(?:\.(?:\d{1,3}|x)){3}\b")

SVG_ELEMENTS = {"svg", "g", "circle", "rect", "polygon", "line", "path"}
SVG_ATTRIBUTES = {
    "fill", "stroke", "stroke-width", "transform", "points", "d", "cx", "cy", "r",
    "x", "y", "width", "height", "x1", "y1", "x2", "y2",
}  # fmt: skip
SVG_ROOT_ATTRIBUTES = {"viewBox", "width", "height"}
SVG_COLOURS = {"#1a1d21", "#ffffff", "none"}
SVG_SHAPES_WITH_FILL = {"circle", "rect", "polygon", "path"}


def load(name):
    return json.loads((ITEMS_DIR / name).read_text(encoding="utf-8"))


def all_items():
    for name in BANK:
        for item in load(name)["items"]:
            yield name, item


def item_ids():
    return [item["key"] for _, item in all_items()]


def texts_of(item):
    """Every multilingual text of an item, as (where, {lang: text}) pairs."""
    yield "stem", item["stem"]
    if "explanation" in item:
        yield "explanation", item["explanation"]
    if "alt" in item:
        yield "alt", item["alt"]
    for option in item.get("options", []):
        yield f"option {option['key']}", option["label"]
        if "alt" in option:
            yield f"option {option['key']} alt", option["alt"]
    unit = item.get("answer", {}).get("unit")
    if unit:
        yield "unit", unit


def assert_translated(where, text, languages):
    assert isinstance(text, dict), where
    assert set(text) == set(languages), f"{where}: languages {sorted(text)}"
    for lang in languages:
        assert isinstance(text[lang], str) and text[lang].strip(), f"{where}: empty {lang}"


@pytest.mark.parametrize("name", BANK)
def test_each_file_is_valid_versioned_json_for_its_competency(name):
    data = load(name)
    competency, _, _, _ = BANK[name]
    assert isinstance(data["version"], int) and data["version"] >= 1
    assert data["competency"] == competency
    assert isinstance(data["items"], list) and data["items"]


def test_the_data_folder_holds_no_unexpected_item_file():
    assert {path.name for path in ITEMS_DIR.glob("*.json")} == set(BANK)


@pytest.mark.parametrize("name", BANK)
def test_each_file_reaches_its_minimum_count(name):
    _, _, minimum, _ = BANK[name]
    assert len(load(name)["items"]) >= minimum


def test_the_bank_holds_at_least_220_items():
    assert sum(len(load(name)["items"]) for name in BANK) >= MINIMUM_TOTAL


def test_keys_are_unique_across_files_and_carry_their_files_prefix():
    keys = item_ids()
    duplicates = [key for key, count in Counter(keys).items() if count > 1]
    assert not duplicates
    for name, item in all_items():
        _, prefix, _, _ = BANK[name]
        assert re.fullmatch(rf"{prefix}-\d{{3}}", item["key"]), (name, item["key"])


@pytest.mark.parametrize(("name", "item"), list(all_items()), ids=item_ids())
def test_every_text_is_present_in_the_required_languages(name, item):
    _, _, _, languages = BANK[name]
    for where, text in texts_of(item):
        assert_translated(f"{item['key']} {where}", text, languages)


@pytest.mark.parametrize(("name", "item"), list(all_items()), ids=item_ids())
def test_item_type_and_difficulty_are_known(name, item):
    assert item["type"] in ITEM_TYPES
    if item["type"] == "likert":
        assert "difficulty" not in item
    else:
        assert item["difficulty"] in DIFFICULTIES
        assert "explanation" in item


@pytest.mark.parametrize(("name", "item"), list(all_items()), ids=item_ids())
def test_options_follow_the_rules_of_their_item_type(name, item):
    options = item.get("options", [])
    kind = item["type"]
    if kind in ("numeric", "likert", "typed"):
        assert not options
        return
    if kind == "mark":
        return  # test_mark_items_have_enough_parts_both_suspicious_and_harmless
    option_keys = [option["key"] for option in options]
    assert len(set(option_keys)) == len(option_keys)
    if kind == "sjt":
        assert len(options) == 4
        efficacies = [option["effectiveness"] for option in options]
        assert all(isinstance(e, int) and 1 <= e <= 4 for e in efficacies), efficacies
        assert efficacies.count(4) == 1
        assert all("correct" not in option for option in options)
        return
    assert 4 <= len(options) <= 5
    assert all(isinstance(option["correct"], bool) for option in options)
    correct = sum(option["correct"] for option in options)
    if kind == "single_choice":
        assert correct == 1
    else:
        assert correct >= 2 and correct < len(options)


@pytest.mark.parametrize(("name", "item"), list(all_items()), ids=item_ids())
def test_no_option_label_is_repeated_within_an_item(name, item):
    options = item.get("options", [])
    _, _, _, languages = BANK[name]
    for lang in languages:
        labels = [option["label"][lang].strip().casefold() for option in options]
        assert len(set(labels)) == len(labels), (item["key"], lang)


@pytest.mark.parametrize(
    "item", [item for _, item in all_items() if item["type"] == "numeric"], ids=lambda i: i["key"]
)
def test_numeric_answers_are_decimals_with_a_non_negative_tolerance(item):
    answer = item["answer"]
    assert isinstance(answer["value"], str) and "," not in answer["value"]
    try:
        Decimal(answer["value"])
    except InvalidOperation:
        pytest.fail(f"{item['key']}: {answer['value']!r} is not a decimal")
    tolerance = answer["tolerance"]
    assert isinstance(tolerance, int | float) and not isinstance(tolerance, bool)
    assert Decimal(str(tolerance)) >= 0


def test_only_numeric_items_carry_an_answer():
    for _, item in all_items():
        assert ("answer" in item) == (item["type"] == "numeric"), item["key"]


@pytest.mark.parametrize("name", ["reading_fr.json", "reading_nl.json"])
def test_reading_items_point_to_passages_written_in_the_files_language(name):
    data = load(name)
    _, prefix, _, (lang,) = BANK[name]
    passages = {passage["key"]: passage for passage in data["passages"]}
    assert len(passages) == len(data["passages"]) >= 5
    for key, passage in passages.items():
        assert key.startswith(f"{prefix}-p")
        assert passage["title"].strip()
        words = len(passage["text"].split())
        assert 120 <= words <= 300, (key, words)
    used = Counter(item["passage"] for item in data["items"])
    assert set(used) <= set(passages)
    assert set(used) == set(passages), "every passage has questions"
    for item in data["items"]:
        assert item["type"] == "single_choice"
        assert set(item["stem"]) == {lang}


def test_only_reading_items_reference_a_passage():
    for name, item in all_items():
        assert ("passage" in item) == name.startswith("reading_"), item["key"]


def test_work_style_statements_belong_to_declared_traits():
    data = load("work_style.json")
    assert [step["value"] for step in data["scale"]] == [1, 2, 3, 4, 5]
    for step in data["scale"]:
        assert_translated(f"scale {step['value']}", step["label"], ("fr", "nl", "en"))
    traits = {trait["code"]: trait for trait in data["traits"]}
    assert 6 <= len(traits) <= 8
    for code, trait in traits.items():
        for field in ("label", "feedback_low", "feedback_high"):
            assert_translated(f"{code} {field}", trait[field], ("fr", "nl", "en"))
    per_trait = Counter(item["trait"] for item in data["items"])
    assert set(per_trait) == set(traits)
    assert min(per_trait.values()) >= 5
    for item in data["items"]:
        assert item["type"] == "likert"
        assert isinstance(item["reverse"], bool)
        assert "options" not in item and "correct" not in item
    reversed_traits = {item["trait"] for item in data["items"] if item["reverse"]}
    assert reversed_traits, "some statements are reverse-keyed"


def test_only_work_style_items_are_likert():
    for name, item in all_items():
        assert (item["type"] == "likert") == (name == "work_style.json"), item["key"]


def abstract_figures():
    for item in load("abstract.json")["items"]:
        for index, svg in enumerate(item["sequence"]):
            yield f"{item['key']} sequence {index + 1}", svg
        for option in item["options"]:
            yield f"{item['key']} option {option['key']}", option["svg"]


FIGURES = list(abstract_figures())


@pytest.mark.parametrize(("where", "svg"), FIGURES, ids=[where for where, _ in FIGURES])
def test_every_abstract_figure_is_a_small_safe_svg(where, svg):
    root = ET.fromstring(svg)
    assert root.tag == "svg", where
    assert set(root.attrib) == SVG_ROOT_ATTRIBUTES, where
    assert root.attrib == {"viewBox": "0 0 60 60", "width": "60", "height": "60"}, where
    assert "xlink" not in svg and "script" not in svg.casefold() and "style" not in svg

    def check(element, inherited_fill):
        assert element.tag in SVG_ELEMENTS, (where, element.tag)
        if element is not root:
            assert set(element.attrib) <= SVG_ATTRIBUTES, (where, element.attrib)
        assert element.text is None or not element.text.strip(), (where, "no text")
        for colour_attribute in ("fill", "stroke"):
            if colour_attribute in element.attrib:
                assert element.attrib[colour_attribute] in SVG_COLOURS, (where, element.attrib)
        fill = element.attrib.get("fill", inherited_fill)
        # an element without a fill is painted black, which is not one of the allowed colours
        if element.tag in SVG_SHAPES_WITH_FILL:
            assert fill is not None, (where, element.tag, "needs an explicit fill")
        if element.tag == "line":
            assert "stroke" in element.attrib, (where, "a line needs a stroke")
        transform = element.attrib.get("transform")
        if transform:
            assert re.fullmatch(r"rotate\(-?\d+(\.\d+)? 30 30\)", transform), (where, transform)
        for child in element:
            check(child, fill)

    check(root, None)


@pytest.mark.parametrize("item", load("abstract.json")["items"], ids=lambda i: i["key"])
def test_abstract_items_show_a_sequence_and_lettered_figure_options(item):
    assert item["type"] == "single_choice"
    assert 3 <= len(item["sequence"]) <= 5
    assert_translated(f"{item['key']} alt", item["alt"], ("fr", "nl", "en"))
    letters = [option["label"]["fr"] for option in item["options"]]
    assert letters == list("ABCDE"[: len(letters)])
    for option in item["options"]:
        assert len(set(option["label"].values())) == 1, "the letter is the same in all languages"
        assert option["svg"]
    svgs = [option["svg"] for option in item["options"]]
    assert len(set(svgs)) == len(svgs), "no two options draw the same figure"


# An IPv4 address ("192.168.4.254") is written with points in every language: not a decimal.
IPV4_ADDRESS = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")


@pytest.mark.parametrize(("name", "item"), list(all_items()), ids=item_ids())
def test_numbers_use_each_languages_decimal_separator(name, item):
    for where, text in texts_of(item):
        if "fr" in text:
            # IP addresses (192.168.4.254, 10.20.x.x) are not decimal numbers.
            french = IP_ADDRESS.sub("", IPV4_ADDRESS.sub("IP", text["fr"]))
            assert not re.search(r"\d\.\d", french), (item["key"], where, text["fr"])
        if "en" in text:
            assert not re.search(r"\d,\d{1,2}(?!\d)", text["en"]), (item["key"], where, text["en"])


ROLES = {
    "peace_guard",
    "sac_officer",
    "security_guard",
    "police",
    "steward",
    "dispatcher",
    "street_educator",
}


@pytest.mark.parametrize(("name", "item"), list(all_items()), ids=item_ids())
def test_an_item_is_live_or_retired_and_a_live_scenario_names_its_role(name, item):
    assert item.get("status", "live") in ("live", "retired")
    if item["type"] == "sjt" and item.get("status", "live") == "live":
        assert item.get("role") in ROLES, item["key"]
    else:
        assert item.get("role") in (None, *ROLES)


def test_every_role_a_battery_section_names_has_enough_live_scenarios():
    batteries = json.loads((ITEMS_DIR.parent / "batteries.json").read_text(encoding="utf-8"))
    live = [item for _, item in all_items() if item.get("status", "live") == "live"]
    for battery in batteries["batteries"]:
        for section in battery["sections"]:
            if section.get("role"):
                assert section["role"] in ROLES
                pool = [item for item in live if item.get("role") == section["role"]]
                assert len(pool) >= section["items"], (battery["slug"], section["role"])


def test_only_an_ipv4_address_escapes_the_french_decimal_check():
    assert IPV4_ADDRESS.sub("IP", "suit 192.168.4.254\u00a0?") == "suit IP\u00a0?"
    assert re.search(r"\d\.\d", IPV4_ADDRESS.sub("IP", "12.5 % de 40"))
    assert re.search(r"\d\.\d", IPV4_ADDRESS.sub("IP", "version 1.2.3"))


# Mark the suspicious parts, short typed answers (the digital and cyber track) ----------------


def normalised(text, ignore_accents=False):
    """The scorer's normalisation (assessments.scoring.normalise_typed), restated here so that
    the file checks need no Django: NFKC, case-folded, format marks dropped, spaces collapsed,
    quotes and punctuation around it stripped, accents dropped when the item says so."""
    value = unicodedata.normalize("NFKC", text)
    value = "".join(char for char in value if unicodedata.category(char) != "Cf").casefold()
    if ignore_accents:
        value = unicodedata.normalize(
            "NFC",
            "".join(
                char
                for char in unicodedata.normalize("NFKD", value)
                if not unicodedata.combining(char)
            ),
        )
    return " ".join(value.split()).strip(" .,;:!?¿¡…\"'«»‹›‘’‚“”„()[]{}\u00a0\u2009\u202f\u2007")


MARK_ITEMS = [item for _, item in all_items() if item["type"] == "mark"]
TYPED_ITEMS = [item for _, item in all_items() if item["type"] == "typed"]


@pytest.mark.parametrize("item", MARK_ITEMS, ids=lambda i: i["key"])
def test_mark_items_have_enough_parts_both_suspicious_and_harmless(item):
    assert item["exhibit"] in EXHIBITS
    parts = item["options"]
    assert 4 <= len(parts) <= 12, item["key"]
    assert all(isinstance(part["correct"], bool) for part in parts)
    suspicious = sum(part["correct"] for part in parts)
    assert 1 <= suspicious < len(parts), item["key"]
    assert len({part["key"] for part in parts}) == len(parts)


@pytest.mark.parametrize("item", TYPED_ITEMS, ids=lambda i: i["key"])
def test_typed_items_accept_an_answer_in_every_language_and_none_twice(item):
    accepted = item["accepted"]
    assert set(accepted) <= {"fr", "nl", "en", "any"}, item["key"]
    ignore = item.get("ignore_accents", False)
    assert isinstance(ignore, bool)
    for language in ("fr", "nl", "en"):
        answers = [*accepted.get(language, []), *accepted.get("any", [])]
        assert all(isinstance(answer, str) and normalised(answer, ignore) for answer in answers)
        assert answers, (item["key"], language)
        forms = [normalised(answer, ignore) for answer in answers]
        assert len(set(forms)) == len(forms), (item["key"], language, "a duplicate answer")
        assert len(max(answers, key=len)) <= 50, "the input takes 50 characters"


def test_only_mark_items_name_an_exhibit_and_only_typed_items_accept_answers():
    for _, item in all_items():
        assert ("exhibit" in item) == (item["type"] == "mark"), item["key"]
        assert ("accepted" in item) == (item["type"] == "typed"), item["key"]
        assert ("ignore_accents" not in item) or item["type"] == "typed", item["key"]


def test_the_cyber_files_hold_their_kinds_of_item():
    kinds = {name: Counter(item["type"] for item in load(name)["items"]) for name in BANK}
    analysis, codes = kinds["cyber_analysis.json"], kinds["cyber_codes.json"]
    assert analysis["mark"] > len(load("cyber_analysis.json")["items"]) / 2, "mostly mark"
    assert codes["typed"] > len(load("cyber_codes.json")["items"]) / 2, "mostly typed"
    assert kinds["digital_safety.json"]["mark"] >= 2
    # The new types stay in the files of the tasks multiple choice cannot measure.
    for name, counts in kinds.items():
        if name not in ("cyber_analysis.json", "cyber_codes.json", "digital_safety.json"):
            assert not counts["mark"] and not counts["typed"], name


def test_a_mark_item_does_not_give_its_suspicious_parts_away_by_their_length():
    """Marking the longest part must not find a suspicious one more often than chance (the share
    of suspicious parts) plus 10 points, in any language, over each file's mark items."""
    for name in BANK:
        items = [item for item in load(name)["items"] if item["type"] == "mark"]
        if not items:
            continue
        for language in ("fr", "nl", "en"):
            hits = chance = 0.0
            for item in items:
                lengths = [len(part["label"][language]) for part in item["options"]]
                longest = [i for i, length in enumerate(lengths) if length == max(lengths)]
                hits += sum(item["options"][i]["correct"] for i in longest) / len(longest)
                chance += sum(part["correct"] for part in item["options"]) / len(lengths)
            assert hits / len(items) <= chance / len(items) + 0.10, (name, language)
