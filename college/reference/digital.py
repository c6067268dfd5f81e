"""The digital and cyber track's reference texts: DigComp 2.2's areas and competences, and the
entry-level external certifications a job-seeker can record.

Both are read from `college/reference/data/` (``digcomp.json``, ``certifications.json``) once
per process; their skills are ESCO skills of ``skills.csv``, named by URI. Texts come in the
active language (French, then English, when one is missing), like the database's.

The DigComp self-assessment asks levels 1–6 (DigCompSAT's range: levels 7–8, "highly
specialised", are not self-assessed) and writes the profile's 1–4 scale
(``college.models.Level``). :data:`DIGCOMP_TO_PROFILE_LEVEL` maps one onto the other along
autonomy, the dimension both scales describe:

* DigComp 1–2 (foundation: simple tasks, with guidance or help where needed) → 1, "I have
  done it with help";
* DigComp 3 (intermediate: routine tasks and straightforward problems, on one's own) → 2,
  "I do it on my own in usual situations";
* DigComp 4 (intermediate: well-defined non-routine problems, independently) → 3, "I handle
  difficult situations";
* DigComp 5–6 (advanced: guiding others, choosing the best way in complex situations) → 4,
  "I could teach or supervise it".
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from college.models import active_language

DATA = Path(__file__).resolve().parent / "data"

# DigComp level (1–6) → the profile's level (1–4); see the module's docstring.
DIGCOMP_TO_PROFILE_LEVEL = {1: 1, 2: 1, 3: 2, 4: 3, 5: 4, 6: 4}
DIGCOMP_LEVELS = tuple(DIGCOMP_TO_PROFILE_LEVEL)
NOT_DONE = 0  # "I have not done this": nothing recorded


def _text(texts):
    for code in (active_language(), "fr", "en"):
        if texts.get(code):
            return texts[code]
    return ""


@dataclass(frozen=True)
class Competence:
    code: str  # DigComp's number, e.g. "4.2"
    esco_uri: str
    titles: dict
    descriptions: dict

    @property
    def title(self):
        return _text(self.titles)

    @property
    def description(self):
        return _text(self.descriptions)

    @property
    def field_name(self):
        """The competence's name in forms and in the API's answers, e.g. "c4_2"."""
        return "c" + self.code.replace(".", "_")


@dataclass(frozen=True)
class Area:
    slug: str
    number: str
    titles: dict
    competences: tuple

    @property
    def title(self):
        return _text(self.titles)


@dataclass(frozen=True)
class CertificationType:
    slug: str
    title: str  # the issuer's own name of the certification, not translated
    issuer: str
    covers_texts: dict
    exam_texts: dict
    validity_years: int | None
    level: int  # the profile level (1–4) at which it certifies its skills
    skill_uris: tuple
    source: str
    url: str

    @property
    def covers(self):
        return _text(self.covers_texts)

    @property
    def exam(self):
        return _text(self.exam_texts)


@cache
def digcomp_areas():
    """The 5 areas, in DigComp's order, each with its competences (21 in all)."""
    data = json.loads((DATA / "digcomp.json").read_text(encoding="utf-8"))
    return tuple(
        Area(
            slug=area["slug"],
            number=area["number"],
            titles=area["title"],
            competences=tuple(
                Competence(
                    code=item["code"],
                    esco_uri=item["esco_uri"],
                    titles=item["title"],
                    descriptions=item["description"],
                )
                for item in area["competences"]
            ),
        )
        for area in data["areas"]
    )


def digcomp_area(slug):
    """The area with this slug, or None."""
    return next((area for area in digcomp_areas() if area.slug == slug), None)


def digcomp_competences():
    return tuple(item for area in digcomp_areas() for item in area.competences)


def digcomp_codes():
    return tuple(item.code for item in digcomp_competences())


@cache
def certification_types():
    """The external certifications a job-seeker can record, by slug, in the file's order."""
    data = json.loads((DATA / "certifications.json").read_text(encoding="utf-8"))
    return {
        item["slug"]: CertificationType(
            slug=item["slug"],
            title=item["title"],
            issuer=item["issuer"],
            covers_texts=item["covers"],
            exam_texts=item["exam"],
            validity_years=item["validity_years"],
            level=item["level"],
            skill_uris=tuple(skill["esco_uri"] for skill in item["skills"]),
            source=item["source"],
            url=item["url"],
        )
        for item in data["certifications"]
    }


def certification_type(slug):
    """The certification with this slug, or None."""
    return certification_types().get(slug)


def certification_choices():
    return [(item.slug, f"{item.title} ({item.issuer})") for item in certification_types().values()]
