"""Loads the college's reference data (Brussels geography, languages, ESCO skills, roles).

The data files live in `college/reference/data/` with their sources and licence (see its README).
Loading is idempotent: run it as often as you like, it brings the database in line with
the files and never deletes what people have linked to (skills stay when dropped from a file).

The one exception is a near-duplicate skill merged into a canonical one (`merged_into` in
`skills.csv`): its labels become search labels of the canonical skill, everything that pointed
to it (job-seekers' skills, vacancy requirements, module outcomes, tests, experiences) is moved
to the canonical skill, and the duplicate is then deleted (see `skills_merge`).
"""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from assessments.models import Battery
from candidates.models import CandidateSkill, Experience
from college.core.public_cache import public_data_changed
from college.models import (
    CEFR,
    Commune,
    Evidence,
    Importance,
    Language,
    Level,
    ModuleSkill,
    PoliceZone,
    RequirementStage,
    Role,
    RoleLanguageRequirement,
    RoleRequirement,
    Sector,
    Skill,
)
from employers.models import VacancySkill

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
                "name_en": row.get("name_en") or "",
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


def _merge_rows():
    """{merged-away ESCO URI: canonical ESCO URI} from skills.csv's `merged_into` column."""
    return {
        row["esco_uri"]: row["merged_into"].strip()
        for row in _rows("skills.csv")
        if (row.get("merged_into") or "").strip()
    }


def _synonyms(rows, merges):
    """{canonical URI: the merged-away skills' labels (every language, alternatives too)}."""
    synonyms = {}
    for row in rows:
        canonical = merges.get(row["esco_uri"])
        if canonical:
            labels = [row[f"label_{code}"].strip() for code in TEXT_LANGUAGES]
            labels += [row["alt_labels_en"], row["alt_labels_fr"], row["alt_labels_nl"]]
            synonyms.setdefault(canonical, []).extend(label for label in labels if label)
    return synonyms


def load_skills():
    rows = _rows("skills.csv")
    merges = _merge_rows()
    for merged, canonical in merges.items():
        if canonical in merges or canonical not in {row["esco_uri"] for row in rows}:
            raise ReferenceDataError(f"skill {merged} is merged into an unknown skill {canonical}")
    synonyms = _synonyms(rows, merges)
    wanted = []
    for row in rows:
        if row["esco_uri"] in merges:
            continue
        skill = _skill_from_row(row)
        if synonyms.get(skill.esco_uri):
            skill.alt_labels = " | ".join(
                filter(None, [skill.alt_labels, *synonyms[skill.esco_uri]])
            )
            skill.search_text = skill.searchable_text()
        wanted.append(skill)
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
        if requirement.get("stage", RequirementStage.ENTRY) not in RequirementStage.values:
            raise ReferenceDataError(f"role {slug}: unknown stage {requirement['stage']}")
    for language in entry.get("languages", []):
        if language["min_cefr"] not in CEFR.values:
            raise ReferenceDataError(f"role {slug}: unknown CEFR level {language['min_cefr']}")
    frameworks = entry.get("frameworks") or {}
    ecsf = frameworks.get("ecsf")
    if ecsf is not None:
        for code in TEXT_LANGUAGES:
            if not ecsf.get("profile") or not (ecsf.get("entry_variant") or {}).get(code):
                raise ReferenceDataError(f"role {slug}: its ECSF profile lacks a {code} variant")
    for competence in frameworks.get("ecf") or []:
        if not competence.get("code") or competence.get("level") not in range(1, 6):
            raise ReferenceDataError(f"role {slug}: an e-CF competence needs a code, level 1–5")


def _frameworks(entry):
    """The role's frameworks as stored: its ESCO occupation, ECSF profile, e-CF competences."""
    frameworks = entry.get("frameworks") or {}
    return {
        "esco": {
            "uri": entry["esco_uri"],
            "labels": {code: entry.get(f"esco_label_{code}") or "" for code in TEXT_LANGUAGES},
        },
        "ecsf": frameworks.get("ecsf"),
        "ecf": list(frameworks.get("ecf") or []),
    }


def _ladder_check(entries):
    """Every next rung names a role of the file, and climbing never comes back (no cycle)."""
    slugs = {entry["slug"] for entry in entries}
    following = {entry["slug"]: list(entry.get("next_roles") or []) for entry in entries}
    for slug, rungs in following.items():
        for rung in rungs:
            if rung not in slugs or rung == slug:
                raise ReferenceDataError(f"role {slug}: unknown next rung {rung!r}")
    done, climbing = set(), set()

    def climb(slug):
        if slug in done:
            return
        if slug in climbing:
            raise ReferenceDataError(f"the ladder comes back to {slug}: a cycle")
        climbing.add(slug)
        for rung in following[slug]:
            climb(rung)
        climbing.discard(slug)
        done.add(slug)

    for slug in following:
        climb(slug)


def load_roles():
    with open(DATA_DIR / "roles.json", encoding="utf-8") as handle:
        entries = json.load(handle)
    skills = {skill.esco_uri: skill for skill in Skill.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}
    for entry in entries:
        _validate_role(entry)
    _ladder_check(entries)
    for entry in entries:
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
            "frameworks": _frameworks(entry),
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
        canonical_ids = set()
        for requirement in entry["requirements"]:
            try:
                skill = skills[requirement["skill"]]
            except KeyError:
                missing = requirement["skill"]
                raise ReferenceDataError(
                    f"role {role.slug} needs a skill missing from skills.csv: {missing}"
                ) from None
            if skill.pk in canonical_ids:
                raise ReferenceDataError(f"role {role.slug} asks {skill.esco_uri} twice")
            canonical_ids.add(skill.pk)
            wanted[skill.pk] = requirement
        role.requirements.exclude(skill_id__in=wanted).delete()
        for skill_id, requirement in wanted.items():
            RoleRequirement.objects.update_or_create(
                role=role,
                skill_id=skill_id,
                defaults={
                    "importance": requirement["importance"],
                    "target_level": requirement["target_level"],
                    "stage": requirement.get("stage") or RequirementStage.ENTRY,
                    "source": (requirement.get("source") or "").strip(),
                    "source_fr": (requirement.get("source_fr") or "").strip(),
                    "source_nl": (requirement.get("source_nl") or "").strip(),
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
    roles = Role.objects.in_bulk([entry["slug"] for entry in entries], field_name="slug")
    for entry in entries:
        roles[entry["slug"]].next_roles.set([roles[slug] for slug in entry.get("next_roles") or []])
    return len(entries)


def _stronger_holding(first, second):
    """Of two holdings of one skill by one person, the one with the stronger evidence, then
    the higher level: it is kept as it is, so that no level is claimed with evidence that
    did not back it."""

    def key(item):
        return (Evidence.strength(item.evidence), item.level)

    return first if key(first) >= key(second) else second


def _stronger_requirement(first, second):
    """Of two requirements of one skill by one vacancy, the one asked at entry, then the more
    important, then the higher level."""

    def key(item):
        return (
            item.stage == RequirementStage.ENTRY,
            Importance.rank(item.importance),
            item.min_level,
        )

    return first if key(first) >= key(second) else second


def _move_rows(model, owner_field, old, new, keep):
    """Points `model`'s rows from skill `old` to `new`; where an owner had both, `keep` picks
    the row that stays. Row by row (merges are rare), so that the ranking signals see it."""
    holders = {getattr(row, owner_field): row for row in model.objects.filter(skill=new)}
    for row in model.objects.filter(skill=old):
        other = holders.get(getattr(row, owner_field))
        if other is None:
            row.skill = new
            row.save()
            continue
        kept = keep(other, row)
        if kept is row:
            other.delete()
            row.skill = new
            row.save()
        else:
            row.delete()


def skills_merge(*, old, new):
    """Moves everything that points to skill `old` to skill `new`, then deletes `old`."""
    _move_rows(CandidateSkill, "profile_id", old, new, _stronger_holding)
    _move_rows(VacancySkill, "vacancy_id", old, new, _stronger_requirement)
    _move_rows(
        ModuleSkill,
        "module_id",
        old,
        new,
        lambda first, second: max(first, second, key=lambda x: x.level),
    )
    _move_rows(
        RoleRequirement,
        "role_id",
        old,
        new,
        lambda first, second: first if first.stage == RequirementStage.ENTRY else second,
    )
    for battery in Battery.objects.filter(skills_verified=old):
        battery.skills_verified.add(new)
        battery.skills_verified.remove(old)
    for experience in Experience.objects.filter(skills=old):
        experience.skills.add(new)
        experience.skills.remove(old)
    old.delete()


def merge_skills():
    """Merges the skills marked `merged_into` in skills.csv that are still in the database."""
    merges = _merge_rows()
    skills = Skill.objects.in_bulk(list(merges) + list(merges.values()), field_name="esco_uri")
    merged = 0
    for old_uri, new_uri in merges.items():
        if old_uri in skills:
            skills_merge(old=skills[old_uri], new=skills[new_uri])
            merged += 1
    return merged


@transaction.atomic
def load_reference_data():
    report = LoadReport()
    report.counts["police zones"] = load_police_zones()
    report.counts["communes"] = load_communes()
    report.counts["languages"] = load_languages()
    report.counts["skills"] = load_skills()
    report.counts["roles"] = load_roles()
    report.counts["skills merged"] = merge_skills()
    public_data_changed()  # loaded partly in bulk, past the signals
    return report
