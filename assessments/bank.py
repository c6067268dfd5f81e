"""Loads the item bank and the batteries from `assessments/data/`, idempotently.

The JSON files are the source: an item's key never changes meaning, so loading again
updates texts and keys in place and keeps every attempt that used the item. Items loaded
from the files are live, unless the file marks them `"status": "retired"` (replaced by a new
item: kept for the attempts that used it, never drawn again); items staff write in the admin
start as drafts. A situational-judgement item names the `role` its scenario is written for, and
a battery's section may name the role whose scenarios it draws. A `mark` item's options are the
parts of its `exhibit` (an e-mail, a log excerpt), in order; a `typed` item carries its
`accepted` answers per language (and "any" for every language).
"""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from assessments.models import Battery, Item, Option, Passage, Response, Section, Trait
from college.models import Skill

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("fr", "nl", "en")


def _texts(value, field):
    value = value or {}
    return {f"{field}_{code}": value.get(code, "") for code in LANGUAGES}


def _status(entry):
    status = entry.get("status", Item.Status.LIVE)
    if status not in (Item.Status.LIVE, Item.Status.RETIRED):
        raise ValueError(f"{entry['key']}: a bank file's item is live or retired, not {status}")
    return status


@transaction.atomic
def load_item_bank(directory=DATA):
    """Creates or updates every passage, trait, item and option; returns counts."""
    counts = {"items": 0, "options": 0, "passages": 0, "traits": 0}
    for path in sorted((directory / "items").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        competency = data["competency"]
        passages = {}
        for passage in data.get("passages", []):
            passages[passage["key"]], _ = Passage.objects.update_or_create(
                key=passage["key"],
                defaults={
                    "language": data.get("language", competency[-2:]),
                    "title": passage["title"],
                    "text": passage["text"],
                },
            )
            counts["passages"] += 1
        traits = {}
        for trait in data.get("traits", []):
            traits[trait["code"]], _ = Trait.objects.update_or_create(
                code=trait["code"],
                defaults={
                    **_texts(trait["label"], "label"),
                    **_texts(trait["feedback_low"], "feedback_low"),
                    **_texts(trait["feedback_high"], "feedback_high"),
                },
            )
            counts["traits"] += 1
        for entry in data["items"]:
            answer = entry.get("answer") or {}
            item, _ = Item.objects.update_or_create(
                key=entry["key"],
                defaults={
                    "competency": competency,
                    "type": entry["type"],
                    "status": _status(entry),
                    "role": entry.get("role", ""),
                    "difficulty": entry.get("difficulty", ""),
                    "passage": passages.get(entry.get("passage")),
                    **_texts(entry.get("stem"), "stem"),
                    **_texts(entry.get("explanation"), "explanation"),
                    "sequence": entry.get("sequence", []),
                    **_texts(entry.get("alt"), "alt"),
                    "answer_value": Decimal(answer["value"]) if answer else None,
                    "answer_tolerance": Decimal(str(answer.get("tolerance", 0))),
                    **_texts(answer.get("unit"), "unit"),
                    "exhibit": entry.get("exhibit", ""),
                    "accepted_answers": entry.get("accepted", {}),
                    "ignore_accents": entry.get("ignore_accents", False),
                    "trait": traits.get(entry.get("trait")),
                    "reverse": entry.get("reverse", False),
                    "source_version": data["version"],
                },
            )
            counts["items"] += 1
            keys = []
            for position, option in enumerate(entry.get("options", [])):
                keys.append(option["key"])
                Option.objects.update_or_create(
                    item=item,
                    key=option["key"],
                    defaults={
                        "position": position,
                        **_texts(option.get("label"), "label"),
                        "svg": option.get("svg", ""),
                        **_texts(option.get("alt"), "alt"),
                        "is_correct": option.get("correct", False),
                        "effectiveness": option.get("effectiveness"),
                    },
                )
                counts["options"] += 1
            # An option dropped from the file goes, unless an answer points to it.
            answered = Response.objects.filter(choice__item=item).values("choice_id")
            item.options.exclude(key__in=keys).exclude(pk__in=answered).delete()
    return counts


@transaction.atomic
def load_batteries(directory=DATA):
    """Creates or updates the batteries and their sections; returns how many."""
    data = json.loads((directory / "batteries.json").read_text(encoding="utf-8"))
    for entry in data["batteries"]:
        battery, _ = Battery.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "kind": entry["kind"],
                "position": entry["position"],
                **_texts(entry["title"], "title"),
                **_texts(entry["description"], "description"),
                "languages": entry["languages"],
                "pass_percent": entry.get("pass_percent"),
                "section_pass_percent": entry.get("section_pass_percent"),
                "evidence_threshold": entry.get("evidence_threshold"),
                "se_target": entry.get("se_target", 0.3),
                "max_items": entry.get("max_items", 30),
            },
        )
        battery.skills_verified.set(Skill.objects.filter(esco_uri__in=entry["skills_verified"]))
        for position, section in enumerate(entry["sections"], start=1):
            Section.objects.update_or_create(
                battery=battery,
                position=position,
                defaults={
                    **_texts(section["title"], "title"),
                    "competency": section["competency"],
                    "role": section.get("role", ""),
                    "item_count": section["items"],
                    "time_limit_seconds": section["minutes"] * 60,
                },
            )
        battery.sections.filter(position__gt=len(entry["sections"])).delete()
    return len(data["batteries"])
