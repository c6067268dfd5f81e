"""Loads the college's reference data (Brussels geography, languages, ESCO skills, roles).

The data files live in `college/data/` with their sources and licence (see its README).
Loading is idempotent: run it as often as you like, it brings the database in line with
the files and never deletes what people have linked to (skills stay when dropped from a file).
"""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .models import (
    CEFR,
    Commune,
    Importance,
    Language,
    Level,
    PoliceZone,
    Role,
    RoleLanguageRequirement,
    RoleRequirement,
    Sector,
    Skill,
)
from .public_cache import public_data_changed

DATA_DIR = Path(__file__).resolve().parent / "data"
TEXT_LANGUAGES = ("fr", "nl", "en")


class ReferenceDataError(ValueError):
    pass


@dataclass
class LoadReport:
    counts: dict = field(default_factory=dict)

    def __str__(self):
        return ", ".join(f"{count} {name}" for name, count in self.counts.items())


def _rows(name):
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_police_zones():
    for row in _rows("police_zones.csv"):
        PoliceZone.objects.update_or_create(
            number=int(row["zone_number"]),
            defaults={
                "name_fr": row["name_fr"],
                "name_nl": row["name_nl"],
                "name_en": row["name_en"],
                "short_name": row["short_name"],
            },
        )
    return PoliceZone.objects.count()


def load_communes():
    zones = {zone.number: zone for zone in PoliceZone.objects.all()}
    for row in _rows("communes.csv"):
        Commune.objects.update_or_create(
            nis_code=row["nis_code"],
            defaults={
                "name_fr": row["name_fr"],
                "name_nl": row["name_nl"],
                "postcodes": row["postcodes"],
                "police_zone": zones[int(row["police_zone"])],
            },
        )
    return Commune.objects.count()


def load_languages():
    for row in _rows("languages.csv"):
        Language.objects.update_or_create(
            code=row["code"],
            defaults={
                "name_fr": row["name_fr"],
                "name_nl": row["name_nl"],
                "name_en": row["name_en"],
                "is_national": row["is_national"] == "1",
                "position": int(row["position"]),
            },
        )
    return Language.objects.count()


SKILL_TYPES = {"skill/competence": Skill.Type.SKILL, "knowledge": Skill.Type.KNOWLEDGE}


def _skill_from_row(row):
    for code in TEXT_LANGUAGES:
        if not row[f"label_{code}"].strip():
            raise ReferenceDataError(f"skill {row['esco_uri']} has no {code} label")
    alt_labels = " | ".join(
        part for part in (row["alt_labels_en"], row["alt_labels_fr"], row["alt_labels_nl"]) if part
    )
    skill = Skill(
        esco_uri=row["esco_uri"],
        skill_type=SKILL_TYPES[row["skill_type"]],
        reuse_level=row["reuse_level"],
        label_fr=row["label_fr"].strip(),
        label_nl=row["label_nl"].strip(),
        label_en=row["label_en"].strip(),
        alt_labels=alt_labels,
        description_en=row["description_en"],
        is_transversal=row["reuse_level"] == "transversal",
    )
    skill.search_text = skill.searchable_text()
    return skill


SKILL_FIELDS = [
    "skill_type",
    "reuse_level",
    "label_fr",
    "label_nl",
    "label_en",
    "alt_labels",
    "description_en",
    "search_text",
    "is_transversal",
]


def load_skills():
    wanted = [_skill_from_row(row) for row in _rows("skills.csv")]
    existing = {skill.esco_uri: skill for skill in Skill.objects.all()}
    to_create, to_update = [], []
    for skill in wanted:
        current = existing.get(skill.esco_uri)
        if current is None:
            to_create.append(skill)
            continue
        if any(getattr(current, name) != getattr(skill, name) for name in SKILL_FIELDS):
            for name in SKILL_FIELDS:
                setattr(current, name, getattr(skill, name))
            to_update.append(current)
    Skill.objects.bulk_create(to_create, batch_size=500)
    Skill.objects.bulk_update(to_update, SKILL_FIELDS, batch_size=500)
    return len(wanted)


def _texts(entry, key):
    value = entry.get(key) or {}
    return {f"{key}_{code}": (value.get(code) or "").strip() for code in TEXT_LANGUAGES}


def _validate_role(entry):
    slug = entry.get("slug", "?")
    for key in ("title", "summary"):
        for code in TEXT_LANGUAGES:
            if not (entry.get(key) or {}).get(code):
                raise ReferenceDataError(f"role {slug} has no {code} {key}")
    if entry["sector"] not in Sector.values:
        raise ReferenceDataError(f"role {slug} has an unknown sector {entry['sector']!r}")
    for requirement in entry["requirements"]:
        if requirement["importance"] not in Importance.values:
            raise ReferenceDataError(f"role {slug}: unknown importance {requirement['importance']}")
        if requirement["target_level"] not in Level.values:
            raise ReferenceDataError(f"role {slug}: unknown level {requirement['target_level']}")
    for language in entry.get("languages", []):
        if language["min_cefr"] not in CEFR.values:
            raise ReferenceDataError(f"role {slug}: unknown CEFR level {language['min_cefr']}")


def load_roles():
    with open(DATA_DIR / "roles.json", encoding="utf-8") as handle:
        entries = json.load(handle)
    skills = {skill.esco_uri: skill for skill in Skill.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    for entry in entries:
        _validate_role(entry)
        defaults = {
            "esco_uri": entry["esco_uri"],
            "sector": entry["sector"],
            "diploma_required_by_law": bool(entry.get("diploma_required_by_law")),
            "required_diploma": entry.get("required_diploma") or "none",
            "min_age": entry.get("min_age"),
            "nationality": entry.get("nationality") or Role.Nationality.ANY,
            "clean_record_required": bool(entry.get("clean_record_required")),
            "driving_licence": entry.get("driving_licence") or "",
            "sources": entry.get("sources") or "",
        }
        for key in (
            "title",
            "summary",
            "alternative_route",
            "other_conditions",
            "selection",
            "training",
            "language_note",
        ):
            defaults.update(_texts(entry, key))
        role, _created = Role.objects.update_or_create(slug=entry["slug"], defaults=defaults)

        wanted = {}
        for requirement in entry["requirements"]:
            try:
                skill = skills[requirement["skill"]]
            except KeyError:
                missing = requirement["skill"]
                raise ReferenceDataError(
                    f"role {role.slug} needs a skill missing from skills.csv: {missing}"
                ) from None
            wanted[skill.pk] = requirement
        role.requirements.exclude(skill_id__in=wanted).delete()
        for skill_id, requirement in wanted.items():
            RoleRequirement.objects.update_or_create(
                role=role,
                skill_id=skill_id,
                defaults={
                    "importance": requirement["importance"],
                    "target_level": requirement["target_level"],
                },
            )

        wanted_languages = {
            languages[item["language"]].pk: item for item in entry.get("languages", [])
        }
        role.language_requirements.exclude(language_id__in=wanted_languages).delete()
        for language_id, item in wanted_languages.items():
            RoleLanguageRequirement.objects.update_or_create(
                role=role,
                language_id=language_id,
                defaults={"min_cefr": item["min_cefr"], "is_alternative": bool(item.get("either"))},
            )
    return len(entries)


@transaction.atomic
def load_reference_data():
    report = LoadReport()
    report.counts["police zones"] = load_police_zones()
    report.counts["communes"] = load_communes()
    report.counts["languages"] = load_languages()
    report.counts["skills"] = load_skills()
    report.counts["roles"] = load_roles()
    public_data_changed()  # loaded partly in bulk, past the signals
    return report
