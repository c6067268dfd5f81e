"""The explanation of a match: one line per skill and per language requirement.

Each skill requirement is ``matched`` (level reached, evidence above self-declared),
``partial`` (held but the level is short, or the level is reached but only self-declared)
or ``missing`` (not held); a skill the employer teaches after hiring is ``taught``, whatever
the person holds. Each language requirement is met or short. In-memory data only, no query.
"""

from __future__ import annotations

from dataclasses import dataclass

from college.matching.score import language_reach60

MATCHED, PARTIAL, MISSING = "matched", "partial", "missing"
# A skill the employer's school teaches after hiring: shown as learned in training, never a gap.
TAUGHT = "taught"


@dataclass(frozen=True)
class SkillLine:
    skill_id: int
    label: str
    esco_uri: str
    importance: str
    required_level: int
    held_level: int | None
    evidence: str | None
    state: str


@dataclass(frozen=True)
class LanguageLine:
    language_id: int
    code: str
    name: str
    min_cefr: str
    held_cefr: str | None
    certificate: str
    via_certificate: bool
    is_alternative: bool
    met: bool


def skill_state(held, requirement):
    if held is None:
        return MISSING
    if held.level >= requirement.level and held.evidence != "self_declared":
        return MATCHED
    return PARTIAL


def explain_skills(candidate, target):
    return _skill_lines(candidate, target.skills)


def explain_taught(candidate, target):
    """The skills the employer teaches after hiring: state TAUGHT whatever the person holds."""
    return _skill_lines(candidate, target.taught, state=TAUGHT)


def _skill_lines(candidate, requirements, *, state=None):
    """One SkillLine a requirement; `state` fixed for all of them, else each one's own."""
    lines = []
    for requirement in requirements:
        held = candidate.skills.get(requirement.skill_id)
        lines.append(
            SkillLine(
                skill_id=requirement.skill_id,
                label=requirement.label,
                esco_uri=requirement.esco_uri,
                importance=requirement.importance,
                required_level=requirement.level,
                held_level=held.level if held else None,
                evidence=held.evidence if held else None,
                state=state or skill_state(held, requirement),
            )
        )
    return lines


def explain_languages(candidate, target):
    lines = []
    for requirement in target.languages:
        via_certificate = bool(requirement.certificate) and (
            (requirement.language_id, requirement.certificate) in candidate.certificates
        )
        lines.append(
            LanguageLine(
                language_id=requirement.language_id,
                code=requirement.code,
                name=requirement.name,
                min_cefr=requirement.min_cefr,
                held_cefr=candidate.languages.get(requirement.language_id),
                certificate=requirement.certificate,
                via_certificate=via_certificate,
                is_alternative=requirement.is_alternative,
                met=language_reach60(candidate, requirement) == 60,
            )
        )
    return lines
