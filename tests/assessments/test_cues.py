"""Option-form cues: on the shipped bank no form strategy beats chance by more than
SECTION_TOLERANCE (10 points) in any competency and language, the rewritten situational and
reading items keep the item rules, and the strategies are computed as documented."""

import json
from pathlib import Path

import pytest

from assessments import cues

ITEMS = Path(__file__).resolve().parents[2] / "assessments" / "data" / "items"
LANGUAGES = {"reading_fr.json": ("fr",), "reading_nl.json": ("nl",)}
TEXT_FILES = [
    "verbal.json",
    "logical.json",
    "numerical.json",
    "situational.json",
    "cyber_patterns.json",
    "cyber_detail.json",
    "cyber_procedure.json",
    "cyber_analysis.json",
    "cyber_codes.json",
    "digital_safety.json",
]
MARK_FILES = ["cyber_analysis.json", "digital_safety.json"]
REWRITTEN = ["situational.json", "reading_fr.json", "reading_nl.json"]


def live_cue_items(name, language, role=None):
    data = json.loads((ITEMS / name).read_text(encoding="utf-8"))
    passages = {passage["key"]: passage for passage in data.get("passages", [])}
    entries = [
        entry
        for entry in data["items"]
        if entry.get("status", "live") == "live" and (role is None or entry.get("role") == role)
    ]
    found = [cues.cue_item_from_entry(entry, language, passages) for entry in entries]
    return [item for item in found if item is not None]


POOLS = [
    (name, language, role)
    for name in [*TEXT_FILES, "reading_fr.json", "reading_nl.json"]
    for language in LANGUAGES.get(name, ("fr", "nl", "en"))
    for role in ((None, "peace_guard") if name == "situational.json" else (None,))
]


@pytest.mark.parametrize(("name", "language", "role"), POOLS)
def test_no_form_strategy_beats_chance_by_more_than_the_tolerance(name, language, role):
    report = cues.section_report(live_cue_items(name, language, role), language=language)
    assert report.item_count
    flagged = {r.strategy: (r.hit_percent, r.excess_points) for r in report.flagged_strategies}
    assert not flagged, flagged


@pytest.mark.parametrize("name", REWRITTEN)
def test_rewritten_items_keep_lengths_balanced_and_no_absolute_words_in_wrong_options(name):
    for language in LANGUAGES.get(name, ("fr", "nl", "en")):
        for item in live_cue_items(name, language):
            assert cues.item_cues(item).problems == [], (item.key, language)


def test_the_gardien_de_la_paix_exam_draws_only_gardien_de_la_paix_scenarios():
    data = json.loads((ITEMS / "situational.json").read_text(encoding="utf-8"))
    live = [entry for entry in data["items"] if entry.get("status", "live") == "live"]
    assert all(entry.get("role") for entry in live)
    assert sum(entry["role"] == "peace_guard" for entry in live) >= 10
    batteries = json.loads((ITEMS.parent / "batteries.json").read_text(encoding="utf-8"))
    exam = next(b for b in batteries["batteries"] if b["slug"] == "peace-guard-exam")
    situational = next(s for s in exam["sections"] if s["competency"] == "situational")
    assert situational["role"] == "peace_guard"


def item(labels, key_index, stem="Que faites-vous ?", language="fr"):
    return cues.CueItem(
        key="x",
        language=language,
        stem=stem,
        context="",
        options=tuple(
            cues.CueOption(label=label, credit=float(i == key_index), is_key=i == key_index)
            for i, label in enumerate(labels)
        ),
    )


def test_the_longest_strategy_finds_a_key_that_is_longest_and_ties_share_the_choice():
    longest = item(["court", "moyen texte", "le plus long des textes", "petit"], 2)
    assert cues.choice_probabilities(longest, cues.Strategy.LONGEST) == [0, 0, 1, 0]
    tied = item(["aaaa", "bbbb", "cc", "dd"], 0)
    assert cues.choice_probabilities(tied, cues.Strategy.LONGEST) == [0.5, 0.5, 0, 0]


def test_a_section_where_the_key_is_always_longest_is_flagged_and_a_balanced_one_is_not():
    always = [item(["a" * 10, "b" * 10, "c" * 30, "d" * 10], 2) for _ in range(8)]
    report = cues.section_report(always, language="fr")
    assert [r.strategy for r in report.flagged_strategies][:1] == [cues.Strategy.LONGEST]
    balanced = [
        item(["a" * (20 + i), "b" * (21 + (i + 1) % 4), "c" * 22, "d" * 23], i % 4)
        for i in range(8)
    ]
    report = cues.section_report(balanced, language="fr")
    assert not any(r.strategy == cues.Strategy.LONGEST for r in report.flagged_strategies)


def test_absolute_words_only_in_wrong_options_and_unbalanced_lengths_are_item_problems():
    wrong = item(["Vous ne faites jamais rien.", "Vous appelez le 101.", "Rien.", "Oui."], 1)
    assert "absolute" in cues.item_cues(wrong).problems
    long = item(["x" * 40, "y" * 40, "z" * 40, "w" * 70], 3)
    assert "length" in cues.item_cues(long).problems


@pytest.mark.parametrize("name", MARK_FILES)
@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_marking_the_longest_part_finds_no_more_suspicious_parts_than_chance(name, language):
    data = json.loads((ITEMS / name).read_text(encoding="utf-8"))
    parts = [
        cues.mark_parts_from_entry(entry, language)
        for entry in data["items"]
        if entry.get("status", "live") == "live"
    ]
    report = cues.mark_report(parts)
    assert report.item_count >= 3
    assert not report.is_flagged, (report.hit_percent, report.chance_percent)


def test_the_mark_report_flags_a_bank_whose_suspicious_parts_are_the_longest():
    telling = [[("a long suspicious link to click", True), ("hi", False), ("bye", False)]] * 4
    report = cues.mark_report(telling)
    assert report.hit_percent == 100 and report.chance_percent == 33 and report.is_flagged
    tied = [[("same", True), ("size", False)]]
    assert cues.mark_report(tied).hit_rate == 0.5
    assert cues.mark_parts_from_entry({"type": "single_choice", "options": []}, "fr") is None
