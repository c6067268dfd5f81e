"""The matching engine: one scoring model for a job-seeker against a vacancy or a role.

The model
=========

A match has a **score** (an integer 0–100) that ranks, and an **eligibility** that is kept
apart and never changes the score.

Score
-----

``score = round_half_up(100 × (0.70 S + 0.20 L + 0.05 A + 0.05 C))`` where

* **S, skills (70 %).** Each skill requirement ``j`` has an importance weight ``w`` (essential
  3, important 2, nice to have 1). The candidate's credit for it is
  ``w × reach × evidence``, with ``reach = min(held level, required level) / required level``
  (0 when the skill is not held) and the evidence factor self-declared 0.6,
  counsellor-validated 0.8, test-verified 0.9, training-certified 1.0.
  ``S = Σ credit / Σ w``; ``S = 1`` when there is no skill requirement.
  Only requirements of stage **entry** count: a skill the employer's school teaches after
  hiring (stage ``training``, kept in ``Target.taught``) is never scored, never a
  gap and never a next step; the explanation lists it as learned in training
  (``Match.taught``). The SQL statements read entry rows only, so both sides agree.
* **L, languages (20 %).** Each language requirement gives
  ``reach = min(rank(held CEFR), rank(minimum CEFR)) / rank(minimum CEFR)`` (A1 = 1 … C2 = 6,
  0 when the language is not held). A Brussels language certificate (Selor/BOSA) held for the
  same language and equal to the one a vacancy names counts as reached (reach 1). Requirements
  marked "either … or" (``is_alternative``) form one group that counts once, as its best
  member. ``L`` is the mean over requirements (groups counted once); ``L = 1`` when none.
* **A, availability (5 %).** The share of the vacancy's demands (shifts, nights, weekends)
  the candidate accepts; ``A = 1`` when it demands none (and for a role, which has no
  schedule).
* **C, commute (5 %).** Same commune 1; a commune of the same police zone 0.9; another
  Brussels commune 0.8 if the candidate travels 30 minutes or more, otherwise 0.5; living
  outside Brussels 0.7 if they travel an hour or more, otherwise 0.4; unknown 0.5. ``C = 1``
  for a role, which has no place of work.

The score is computed in **exact integer arithmetic** so that Python (:func:`evaluate`) and
SQL (:func:`shortlist`, :func:`matches_for`) give the very same integer on SQLite and
PostgreSQL: with the integer parts

* ``a = Σ w × 12·min(h, r)/r × e`` (``e`` the evidence factor in tenths: 6, 8, 9, 10) and
  ``W = Σ w`` — so that ``S = a / (120 W)``;
* ``b = Σ 60·min(rank h, rank m)/rank m`` and ``n`` the number of requirements — ``L = b/(60 n)``;
* ``k`` demands accepted out of ``d`` — ``A = k / d``;
* ``c`` the commute in tenths — ``C = c / 10``;

``100 × weighted sum = N / D`` with ``D = 72 W n d`` and
``N = 42 a n d + 24 b W d + 360 k W n + 36 c W n d``, and ``score = (2N + D) // (2D)``
(rounded half up). Empty parts use ``a, W = 120, 1``, ``b, n = 60, 1`` and ``k, d = 1, 1``.

The score is **monotone**: a higher level, stronger evidence, a skill added, a language
level raised, a demand accepted or a nearer home never lower it.

Eligibility
-----------

Only legal conditions count, and they never change the score:

* minimum age, against the birth year (reached when the candidate turns that age during the
  current calendar year); an unknown birth year is ``not_yet`` with "birth year to confirm",
  never a silent exclusion;
* nationality (Belgian, EEA/Swiss or any) against the candidate's group; unknown is
  ``not_yet`` with "nationality to confirm";
* a driving licence category (B is also met by BE, C and D, which presuppose it);
* a diploma **only where the law requires one** (``vacancy.diploma_required``,
  ``role.diploma_required_by_law``): a Belgian or recognised diploma at or above the required
  level is ``eligible``; otherwise (none, recognition pending, not recognised)
  ``eligible_via_alternative``, naming the role's legal alternative route (equivalence,
  admission test…), or ``not_yet`` when the law offers no alternative route. Where the law
  does not require a diploma, diplomas are not even read.

A clean criminal record cannot be checked here: it is never part of eligibility (it is listed
in ``Eligibility.to_check_at_selection`` so that people know the employer checks it).

Status: any unmet condition gives ``not_yet`` with what is missing; otherwise a diploma
replaced by the alternative route gives ``eligible_via_alternative``; otherwise ``eligible``.

Explanation and next steps
--------------------------

Each skill requirement is ``matched`` (level reached, evidence above self-declared),
``partial`` (held but the level is short, or the level is reached but only self-declared)
or ``missing`` (not held); each language requirement is met or short.

Next steps come from :data:`NEXT_STEP_PROVIDERS`, functions that, given the target's required
skills and the gaps (skills partial or missing, languages short), offer :class:`Step` objects:
practice tests that verify a skill (:func:`battery_steps`) and college modules that teach it or a
language (:func:`module_steps`). A step's effect on the profile follows the rule the services
apply when it is completed: the evidence of the skills it covers is raised to the step's
evidence (never lowered); a module raises each skill it teaches to the level it teaches
(``step.skill_levels``) and adds a skill not yet held at that level; a test does not teach, so
levels stay and a skill not yet held is added at ``step.new_skill_level`` (level 2, as
``candidate_skills_verify`` does for a passed battery); a language course raises the language to
its CEFR level. Each step's gain is the **what-if** score after it minus the score now
(:func:`what_if`); steps are ordered by gain, then fewer hours, then label.

Speed
-----

:func:`evaluate` runs a fixed handful of queries whatever the profile's size.
:func:`matches_for` computes the score in one SQL statement (plus a few queries that read the
fixed side), with the same constants, so ranking 2,000 vacancies never loads them into Python.
:func:`shortlist` reads the vacancy's kept ranking (see "Rankings" below): scoring a whole pool
of 100,000 reads some 350,000 candidate-skill rows, so that is done once per vacancy version
(:func:`computed_shortlist`, one statement) and only the job-seekers who changed are re-scored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from college.core import cache_versions
from college.models import CEFR, Commune, Diploma, Evidence, Role

# Constants of the model -----------------------------------------------------------------------

IMPORTANCE_WEIGHTS = {"essential": 3, "important": 2, "nice_to_have": 1}
# Evidence factors in tenths: self-declared 0.6 … training-certified 1.0.
EVIDENCE_TENTHS = {
    Evidence.SELF_DECLARED: 6,
    Evidence.COUNSELLOR_VALIDATED: 8,
    Evidence.TEST_VERIFIED: 9,
    Evidence.TRAINING_CERTIFIED: 10,
}
EVIDENCE_STRENGTH = {value: Evidence.strength(value) for value in Evidence.values}
# Part weights in percent: skills, languages, availability, commute.
SKILLS_WEIGHT, LANGUAGES_WEIGHT, AVAILABILITY_WEIGHT, COMMUTE_WEIGHT = 70, 20, 5, 5
# Commute in tenths.
COMMUTE_SAME_COMMUNE = 10
COMMUTE_SAME_ZONE = 9
COMMUTE_BRUSSELS_FAR = 8  # another Brussels commune, travels at least 30 minutes
COMMUTE_BRUSSELS_NEAR = 5
COMMUTE_OUTSIDE_FAR = 7  # lives outside Brussels, travels at least an hour
COMMUTE_OUTSIDE_NEAR = 4
COMMUTE_UNKNOWN = 5
BRUSSELS_TRAVEL_MINUTES = 30
OUTSIDE_TRAVEL_MINUTES = 60
DEMANDS = ("shifts", "nights", "weekends")

# The level a skill not held yet is added at when a test verifies it (see candidate_skills_verify).
TEST_NEW_SKILL_LEVEL = 2

# Diplomas, lowest first. A vocational training certificate is not an upper secondary
# certificate (CESS): it ranks with lower secondary.
EDUCATION_RANK = {
    "ceb": 1,
    "ce1d": 2,
    "vocational": 2,
    "cess": 3,
    "bachelor": 4,
    "master": 5,
}
DIPLOMA_RANK = {
    Diploma.NONE: 0,
    Diploma.LOWER_SECONDARY: 2,
    Diploma.UPPER_SECONDARY: 3,
    Diploma.BACHELOR: 4,
}
RECOGNISED = {"belgian", "recognised"}
# A licence category is also met by the categories that presuppose it.
LICENCE_MET_BY = {"B": {"B", "BE", "C", "D"}}

ELIGIBLE = "eligible"
ELIGIBLE_VIA_ALTERNATIVE = "eligible_via_alternative"
NOT_YET = "not_yet"

MATCHED, PARTIAL, MISSING = "matched", "partial", "missing"
# A skill the employer's school teaches after hiring: shown as learned in training, never a gap.
TAUGHT = "taught"
ENTRY = "entry"


def level_reach12(held, required):
    """12 × min(held, required) / required, an integer for required 1–4 (0 when not held)."""
    if not held:
        return 0
    return 12 * min(held, required) // required


def cefr_reach60(held, required):
    """60 × min(rank held, rank required) / rank required, an integer (0 when not held)."""
    required_rank = CEFR.rank(required)
    if not required_rank:
        return 60
    return 60 * min(CEFR.rank(held) if held else 0, required_rank) // required_rank


def commute_tenths(candidate, target):
    if target.commune_id is None:
        return COMMUTE_SAME_COMMUNE
    if candidate.commune_id is not None:
        if candidate.commune_id == target.commune_id:
            return COMMUTE_SAME_COMMUNE
        if candidate.commune_id in target.zone_commune_ids:
            return COMMUTE_SAME_ZONE
        if (candidate.max_travel_minutes or 0) >= BRUSSELS_TRAVEL_MINUTES:
            return COMMUTE_BRUSSELS_FAR
        return COMMUTE_BRUSSELS_NEAR
    if candidate.lives_outside_brussels:
        if (candidate.max_travel_minutes or 0) >= OUTSIDE_TRAVEL_MINUTES:
            return COMMUTE_OUTSIDE_FAR
        return COMMUTE_OUTSIDE_NEAR
    return COMMUTE_UNKNOWN


def combine(a, weight_total, b, n, k, d, c):
    """The score from the integer parts (see the module docstring), rounded half up."""
    numerator, denominator = score_fraction(a, weight_total, b, n, k, d, c)
    return (2 * numerator + denominator) // (2 * denominator)


def score_fraction(a, weight_total, b, n, k, d, c):
    """The score before rounding, as (N, D): 100 × the weighted sum of the parts is N / D."""
    if weight_total == 0:
        a, weight_total = 120, 1
    if n == 0:
        b, n = 60, 1
    if d == 0:
        k, d = 1, 1
    denominator = 72 * weight_total * n * d
    numerator = (
        42 * a * n * d
        + 24 * b * weight_total * d
        + 360 * k * weight_total * n
        + 36 * c * weight_total * n * d
    )
    return numerator, denominator


# In-memory data: what the pure scoring function reads ----------------------------------------


@dataclass(frozen=True)
class HeldSkill:
    level: int
    evidence: str = "self_declared"


@dataclass(frozen=True)
class HeldDiploma:
    """One diploma of the candidate: its level (Education.Level) and its recognition."""

    level: str
    recognition: str = "belgian"


@dataclass(frozen=True)
class Candidate:
    """What matching reads of a job-seeker; buildable without a database."""

    id: int | None = None
    skills: Mapping[int, HeldSkill] = field(default_factory=dict)
    languages: Mapping[int, str] = field(default_factory=dict)  # language id → CEFR
    certificates: frozenset = frozenset()  # {(language id, certificate level)}
    commune_id: int | None = None
    lives_outside_brussels: bool = False
    max_travel_minutes: int | None = None
    shifts: bool = False
    nights: bool = False
    weekends: bool = False
    birth_year: int | None = None
    nationality: str = ""
    driving_licences: tuple = ()
    diplomas: tuple = ()  # of HeldDiploma; read only where the law requires a diploma
    has_no_diploma: bool = False


@dataclass(frozen=True)
class SkillRequirement:
    skill_id: int
    importance: str
    level: int
    label: str = ""
    esco_uri: str = ""

    @property
    def weight(self):
        return IMPORTANCE_WEIGHTS[self.importance]


@dataclass(frozen=True)
class LanguageRequirement:
    language_id: int
    min_cefr: str
    certificate: str = ""
    is_alternative: bool = False
    code: str = ""
    name: str = ""


@dataclass(frozen=True)
class Target:
    """A vacancy or a role as matching reads it; buildable without a database."""

    kind: str = "vacancy"  # or "role"
    id: int | None = None
    skills: tuple = ()  # of SkillRequirement: the entry requirements, the only ones scored
    languages: tuple = ()  # of LanguageRequirement
    taught: tuple = ()  # of SkillRequirement: taught after hiring, shown, never scored
    shifts: bool = False
    nights: bool = False
    weekends: bool = False
    commune_id: int | None = None
    zone_commune_ids: frozenset = frozenset()
    min_age: int | None = None
    nationality: str = Role.Nationality.ANY
    driving_licence: str = ""
    diploma_required: bool = False
    required_diploma: str = Diploma.NONE
    alternative_route: str = ""
    clean_record_required: bool = False


@dataclass(frozen=True)
class Parts:
    """The integer parts of a score (see the module docstring)."""

    a: int
    weight_total: int
    b: int
    n: int
    k: int
    d: int
    c: int

    @property
    def score(self):
        return combine(self.a, self.weight_total, self.b, self.n, self.k, self.d, self.c)

    @property
    def skills(self):
        return self.a / (120 * self.weight_total) if self.weight_total else 1.0

    @property
    def languages(self):
        return self.b / (60 * self.n) if self.n else 1.0

    @property
    def availability(self):
        return self.k / self.d if self.d else 1.0

    @property
    def commute(self):
        return self.c / 10


def language_groups(requirements):
    """Requirements grouped: each plain one alone, all `is_alternative` ones in one group."""
    groups = [[item] for item in requirements if not item.is_alternative]
    alternatives = [item for item in requirements if item.is_alternative]
    if alternatives:
        groups.append(alternatives)
    return groups


def language_reach60(candidate, requirement):
    if requirement.certificate and (
        (requirement.language_id, requirement.certificate) in candidate.certificates
    ):
        return 60
    return cefr_reach60(candidate.languages.get(requirement.language_id), requirement.min_cefr)


def compute_parts(candidate: Candidate, target: Target) -> Parts:
    """The pure scoring function: no database, no translation."""
    a = 0
    weight_total = 0
    for requirement in target.skills:
        weight = requirement.weight
        weight_total += weight
        held = candidate.skills.get(requirement.skill_id)
        if held is not None:
            a += (
                weight
                * level_reach12(held.level, requirement.level)
                * EVIDENCE_TENTHS[held.evidence]
            )
    groups = language_groups(target.languages)
    b = sum(max(language_reach60(candidate, item) for item in group) for group in groups)
    demanded = [name for name in DEMANDS if getattr(target, name)]
    k = sum(1 for name in demanded if getattr(candidate, name))
    return Parts(
        a=a,
        weight_total=weight_total,
        b=b,
        n=len(groups),
        k=k,
        d=len(demanded),
        c=commute_tenths(candidate, target),
    )


def compute_score(candidate: Candidate, target: Target) -> int:
    return compute_parts(candidate, target).score


# Eligibility ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    status: str
    missing: tuple = ()  # what is missing or to confirm, translated sentences
    alternative_route: str = ""  # the legal route replacing a diploma, when used
    to_check_at_selection: tuple = ()  # conditions matching cannot check (clean record)

    @property
    def is_eligible(self):
        return self.status != NOT_YET


def compute_eligibility(candidate: Candidate, target: Target, *, today=None) -> Eligibility:
    year = (today or timezone.localdate()).year
    missing = []
    via_alternative = False
    if target.min_age:
        if candidate.birth_year is None:
            missing.append(
                _("Birth year to confirm (minimum age %(age)s).") % {"age": target.min_age}
            )
        elif year - candidate.birth_year < target.min_age:
            missing.append(_("Minimum age: %(age)s.") % {"age": target.min_age})
    if target.nationality and target.nationality != Role.Nationality.ANY:
        accepted = (
            {"belgian"} if target.nationality == Role.Nationality.BELGIAN else {"belgian", "eea"}
        )
        if not candidate.nationality:
            missing.append(_("Nationality to confirm."))
        elif candidate.nationality not in accepted:
            if target.nationality == Role.Nationality.BELGIAN:
                missing.append(_("Belgian nationality is required by law."))
            else:
                missing.append(_("EEA or Swiss nationality is required by law."))
    if target.driving_licence:
        met_by = LICENCE_MET_BY.get(target.driving_licence, {target.driving_licence})
        if not met_by & set(candidate.driving_licences or ()):
            missing.append(
                _("Driving licence %(category)s.") % {"category": target.driving_licence}
            )
    alternative_route = ""
    if target.diploma_required and DIPLOMA_RANK.get(target.required_diploma, 0) > 0:
        needed = DIPLOMA_RANK[target.required_diploma]
        has_it = any(
            item.recognition in RECOGNISED and EDUCATION_RANK.get(item.level, 0) >= needed
            for item in candidate.diplomas
        )
        if not has_it:
            if target.alternative_route:
                via_alternative = True
                alternative_route = target.alternative_route
            else:
                missing.append(
                    _("A diploma (%(diploma)s) is required by law, recognised in Belgium.")
                    % {"diploma": Diploma(target.required_diploma).label}
                )
    to_check = ()
    if target.clean_record_required:
        to_check = (_("A clean criminal record, checked by the employer at selection."),)
    if missing:
        status = NOT_YET
    elif via_alternative:
        status = ELIGIBLE_VIA_ALTERNATIVE
    else:
        status = ELIGIBLE
    return Eligibility(
        status=status,
        missing=tuple(missing),
        alternative_route=alternative_route,
        to_check_at_selection=to_check,
    )


# Explanation ----------------------------------------------------------------------------------


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


# Next steps -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """Something the candidate can do that changes their skills: a practice test or a module."""

    kind: str  # "test" (a practice battery) or "module" (a college module)
    object_id: int
    label: str
    skill_ids: frozenset  # the required skills it covers
    evidence: str  # the evidence it gives
    level: int | None = None  # the level it teaches to; None: levels unchanged (tests)
    new_skill_level: int = TEST_NEW_SKILL_LEVEL  # the level a skill not held is added at
    url: str = ""
    slug: str = ""
    skill_levels: tuple = ()  # ((skill id, level taught), …): a module teaches each to a level
    language_id: int | None = None  # a language course: the language it teaches…
    cefr: str = ""  # …and the CEFR level a pass certifies
    hours: int = 0

    @property
    def key(self):
        return f"{self.kind}:{self.object_id}"

    def level_for(self, skill_id):
        """The level this step teaches `skill_id` to (None: it does not change levels)."""
        for taught_id, level in self.skill_levels:
            if taught_id == skill_id:
                return level
        return self.level


@dataclass(frozen=True)
class NextStep:
    step: Step
    gain: int
    score_after: int
    closes: tuple  # the gap skill ids (partial or missing) it addresses
    closes_languages: tuple = ()  # the short language ids it addresses


def apply_step(candidate: Candidate, step: Step) -> Candidate:
    """The candidate as they would be after `step` (see the module docstring)."""
    skills = dict(candidate.skills)
    strength = EVIDENCE_STRENGTH[step.evidence]
    for skill_id in step.skill_ids:
        held = skills.get(skill_id)
        taught = step.level_for(skill_id)
        if held is None:
            skills[skill_id] = HeldSkill(
                level=taught or step.new_skill_level, evidence=step.evidence
            )
            continue
        evidence = held.evidence
        if EVIDENCE_STRENGTH[evidence] < strength:
            evidence = step.evidence
        level = max(held.level, taught) if taught else held.level
        skills[skill_id] = HeldSkill(level=level, evidence=evidence)
    languages = candidate.languages
    if step.language_id is not None and step.cefr:
        held_cefr = languages.get(step.language_id)
        if CEFR.rank(held_cefr) < CEFR.rank(step.cefr):
            languages = {**languages, step.language_id: step.cefr}
    return replace(candidate, skills=skills, languages=languages)


def battery_steps(*, required_skill_ids, gap_skill_ids, gap_languages=None):
    """Active practice batteries verifying at least one gap skill: one query."""
    from assessments.models import Battery

    through = Battery.skills_verified.through
    rows = (
        through.objects.filter(skill_id__in=required_skill_ids, battery__is_active=True)
        .select_related("battery")
        .order_by("battery__position", "battery_id")
    )
    covered = {}
    batteries = {}
    for row in rows:
        covered.setdefault(row.battery_id, set()).add(row.skill_id)
        batteries[row.battery_id] = row.battery
    return [
        Step(
            kind="test",
            object_id=battery_id,
            label=batteries[battery_id].title,
            skill_ids=frozenset(skill_ids),
            evidence="test_verified",
            url=f"/tests/{batteries[battery_id].local_slug}/",
            slug=batteries[battery_id].slug,
        )
        for battery_id, skill_ids in covered.items()
        if skill_ids & set(gap_skill_ids)
    ]


def module_steps(*, required_skill_ids, gap_skill_ids, gap_languages=None):
    """Active college modules teaching a gap skill, or a short language: two queries.

    A module certifies (training-certified evidence) each skill it teaches at the level it
    teaches; a language course certifies its language at its CEFR level.
    """
    from college.models import Module, ModuleSkill

    rows = (
        ModuleSkill.objects.filter(skill_id__in=required_skill_ids, module__is_active=True)
        .select_related("module")
        .order_by("module__position", "module_id", "skill_id")
    )
    taught = {}
    modules = {}
    for row in rows:
        taught.setdefault(row.module_id, {})[row.skill_id] = row.level
        modules[row.module_id] = row.module
    gap_set = set(gap_skill_ids)
    steps = [
        Step(
            kind="module",
            object_id=module_id,
            label=modules[module_id].title,
            skill_ids=frozenset(levels),
            evidence="training_certified",
            skill_levels=tuple(sorted(levels.items())),
            url=f"/training/{modules[module_id].local_slug}/",
            slug=modules[module_id].slug,
            hours=modules[module_id].hours,
        )
        for module_id, levels in taught.items()
        if set(levels) & gap_set
    ]
    if gap_languages:
        courses = Module.objects.active().filter(language_taught_id__in=list(gap_languages))
        for module in courses.order_by("position", "pk"):
            if module.pk in taught:
                continue
            steps.append(
                Step(
                    kind="module",
                    object_id=module.pk,
                    label=module.title,
                    skill_ids=frozenset(),
                    evidence="training_certified",
                    url=f"/training/{module.local_slug}/",
                    slug=module.slug,
                    language_id=module.language_taught_id,
                    cefr=module.cefr_reached,
                    hours=module.hours,
                )
            )
    return steps


# Functions(*, required_skill_ids, gap_skill_ids, gap_languages) -> list[Step], where
# gap_languages maps each short language's id to the CEFR level needed. Each provider is asked
# once per request, however many targets (see collect_steps_for).
NEXT_STEP_PROVIDERS: list[Callable[..., Iterable[Step]]] = [battery_steps, module_steps]


def register_next_step_provider(provider):
    if provider not in NEXT_STEP_PROVIDERS:
        NEXT_STEP_PROVIDERS.append(provider)
    return provider


def rank_next_steps(candidate, target, steps, *, score=None):
    """Each step with its gain, best first (ties by fewer hours, label, then key)."""
    if score is None:
        score = compute_score(candidate, target)
    gaps = {line.skill_id for line in explain_skills(candidate, target) if line.state != MATCHED}
    short = {line.language_id for line in explain_languages(candidate, target) if not line.met}
    result = []
    for step in steps:
        after = compute_score(apply_step(candidate, step), target)
        result.append(
            NextStep(
                step=step,
                gain=after - score,
                score_after=after,
                closes=tuple(sorted(step.skill_ids & gaps)),
                closes_languages=(step.language_id,) if step.language_id in short else (),
            )
        )
    result.sort(key=lambda item: (-item.gain, item.step.hours, item.step.label, item.step.key))
    return result


# The match ------------------------------------------------------------------------------------


@dataclass
class Match:
    score: int
    parts: Parts
    eligibility: Eligibility
    skills: list
    languages: list
    next_steps: list
    target_kind: str
    target_id: int | None
    taught: list = field(default_factory=list)  # SkillLines learned in training after hiring

    @property
    def matched(self):
        return [line for line in self.skills if line.state == MATCHED]

    @property
    def partial(self):
        return [line for line in self.skills if line.state == PARTIAL]

    @property
    def missing(self):
        return [line for line in self.skills if line.state == MISSING]

    @property
    def languages_met(self):
        return [line for line in self.languages if line.met]

    @property
    def languages_short(self):
        return [line for line in self.languages if not line.met]

    def steps_for(self, skill_id):
        return [item for item in self.next_steps if skill_id in item.closes]


def build_match(candidate, target, *, steps=(), today=None):
    """The full match from in-memory data (no query)."""
    parts = compute_parts(candidate, target)
    score = parts.score
    return Match(
        score=score,
        parts=parts,
        eligibility=compute_eligibility(candidate, target, today=today),
        skills=explain_skills(candidate, target),
        languages=explain_languages(candidate, target),
        next_steps=rank_next_steps(candidate, target, steps, score=score),
        target_kind=target.kind,
        target_id=target.id,
        taught=explain_taught(candidate, target),
    )


# Loading from the database (constant number of queries) ---------------------------------------


def load_candidate(profile, *, with_diplomas=True) -> Candidate:
    """The candidate's matching data: three or four queries, whatever the profile's size."""
    return load_candidates([profile], with_diplomas=with_diplomas)[profile.pk]


def load_candidates(profiles, *, with_diplomas=True):
    """{profile id: Candidate} for many profiles, in three or four queries however many."""
    from candidates.models import CandidateLanguage, CandidateSkill, Education, LanguageCertificate

    profiles = {profile.pk: profile for profile in profiles}
    ids = list(profiles)
    skills = {pk: {} for pk in ids}
    rows = CandidateSkill.objects.filter(profile_id__in=ids).values_list(
        "profile_id", "skill_id", "level", "evidence"
    )
    for profile_id, skill_id, level, evidence in rows:
        skills[profile_id][skill_id] = HeldSkill(level=level, evidence=evidence)
    languages = {pk: {} for pk in ids}
    rows = CandidateLanguage.objects.filter(profile_id__in=ids).values_list(
        "profile_id", "language_id", "cefr"
    )
    for profile_id, language_id, cefr in rows:
        languages[profile_id][language_id] = cefr
    certificates = {pk: set() for pk in ids}
    rows = LanguageCertificate.objects.filter(profile_id__in=ids).values_list(
        "profile_id", "language_id", "level"
    )
    for profile_id, language_id, level in rows:
        certificates[profile_id].add((language_id, level))
    diplomas = {pk: [] for pk in ids}
    if with_diplomas:
        rows = Education.objects.filter(profile_id__in=ids).values_list(
            "profile_id", "level", "recognition"
        )
        for profile_id, level, recognition in rows:
            diplomas[profile_id].append(HeldDiploma(level=level, recognition=recognition))
    return {
        pk: Candidate(
            id=pk,
            skills=skills[pk],
            languages=languages[pk],
            certificates=frozenset(certificates[pk]),
            commune_id=profile.commune_id,
            lives_outside_brussels=profile.lives_outside_brussels,
            max_travel_minutes=profile.max_travel_minutes,
            shifts=profile.shifts,
            nights=profile.nights,
            weekends=profile.weekends,
            birth_year=profile.birth_year,
            nationality=profile.nationality,
            driving_licences=tuple(profile.driving_licences or ()),
            diplomas=tuple(diplomas[pk]),
            has_no_diploma=profile.has_no_diploma,
        )
        for pk, profile in profiles.items()
    }


def zone_commune_ids(commune_id):
    if commune_id is None:
        return frozenset()
    return frozenset(
        Commune.objects.filter(police_zone__communes__id=commune_id).values_list("id", flat=True)
    )


def load_vacancy_target(vacancy, *, labels=True) -> Target:
    """The vacancy's requirements and conditions: three to five queries."""
    return load_vacancy_targets([vacancy], labels=labels)[vacancy.pk]


def load_vacancy_targets(vacancies, *, labels=True) -> dict:
    """{vacancy id: Target} for many vacancies, in three to five queries however many."""
    from employers.models import VacancyLanguage, VacancySkill

    vacancies = list(vacancies)
    ids = [vacancy.pk for vacancy in vacancies]
    rows = VacancySkill.objects.filter(vacancy_id__in=ids)
    if labels:
        rows = rows.select_related("skill")
    skills = {pk: [] for pk in ids}
    taught = {pk: [] for pk in ids}
    for row in rows.order_by("pk"):
        (skills if row.stage == ENTRY else taught)[row.vacancy_id].append(
            SkillRequirement(
                skill_id=row.skill_id,
                importance=row.importance,
                level=row.min_level,
                label=row.skill.label if labels else "",
                esco_uri=row.skill.esco_uri if labels else "",
            )
        )
    languages = {pk: [] for pk in ids}
    language_rows = VacancyLanguage.objects.filter(vacancy_id__in=ids).select_related("language")
    for row in language_rows.order_by("language__position", "pk"):
        languages[row.vacancy_id].append(
            LanguageRequirement(
                language_id=row.language_id,
                min_cefr=row.min_cefr,
                certificate=row.certificate,
                is_alternative=row.is_alternative,
                code=row.language.code,
                name=row.language.name,
            )
        )
    zones = _zone_communes({vacancy.commune_id for vacancy in vacancies})
    routes = {}
    diploma_roles = {vacancy.role_id for vacancy in vacancies if vacancy.diploma_required}
    if diploma_roles:
        roles = Role.objects.filter(pk__in=diploma_roles)
        routes = {role.pk: role.alternative_route for role in roles}
    return {
        vacancy.pk: Target(
            kind="vacancy",
            id=vacancy.pk,
            skills=tuple(skills[vacancy.pk]),
            languages=tuple(languages[vacancy.pk]),
            taught=tuple(taught[vacancy.pk]),
            shifts=vacancy.shifts,
            nights=vacancy.nights,
            weekends=vacancy.weekends,
            commune_id=vacancy.commune_id,
            zone_commune_ids=zones.get(vacancy.commune_id, frozenset()),
            min_age=vacancy.min_age,
            nationality=vacancy.nationality,
            driving_licence=vacancy.driving_licence,
            diploma_required=vacancy.diploma_required,
            required_diploma=vacancy.required_diploma,
            alternative_route=routes.get(vacancy.role_id, "") if vacancy.diploma_required else "",
            clean_record_required=vacancy.clean_record_required,
        )
        for vacancy in vacancies
    }


def _zone_communes(commune_ids):
    """{commune id: ids of the communes of its police zone} for these communes: one query."""
    commune_ids = {pk for pk in commune_ids if pk is not None}
    if not commune_ids:
        return {}
    zone_of = dict(
        Commune.objects.filter(police_zone__communes__id__in=commune_ids)
        .values_list("id", "police_zone_id")
        .distinct()
    )
    members = {}
    for commune_id, zone_id in zone_of.items():
        members.setdefault(zone_id, set()).add(commune_id)
    return {pk: frozenset(members.get(zone_of.get(pk), ())) for pk in commune_ids}


def load_role_target(role) -> Target:
    """The role's requirement profile and legal conditions: two queries."""
    from college.models import RoleLanguageRequirement, RoleRequirement

    rows = RoleRequirement.objects.filter(role=role).select_related("skill").order_by("pk")
    requirements = [
        (
            row.stage,
            SkillRequirement(
                skill_id=row.skill_id,
                importance=row.importance,
                level=row.target_level,
                label=row.skill.label,
                esco_uri=row.skill.esco_uri,
            ),
        )
        for row in rows
    ]
    skills = tuple(item for stage, item in requirements if stage == ENTRY)
    taught = tuple(item for stage, item in requirements if stage != ENTRY)
    languages = tuple(
        LanguageRequirement(
            language_id=row.language_id,
            min_cefr=row.min_cefr,
            is_alternative=row.is_alternative,
            code=row.language.code,
            name=row.language.name,
        )
        for row in RoleLanguageRequirement.objects.filter(role=role)
        .select_related("language")
        .order_by("language__position", "pk")
    )
    return Target(
        kind="role",
        id=role.pk,
        skills=skills,
        languages=languages,
        taught=taught,
        min_age=role.min_age,
        nationality=role.nationality,
        driving_licence=role.driving_licence,
        diploma_required=role.diploma_required_by_law,
        required_diploma=role.required_diploma,
        alternative_route=role.alternative_route,
        clean_record_required=role.clean_record_required,
    )


def _gaps(candidate, target):
    skills = {line.skill_id for line in explain_skills(candidate, target) if line.state != MATCHED}
    languages = {
        line.language_id: line.min_cefr
        for line in explain_languages(candidate, target)
        if not line.met
    }
    return skills, languages


def collect_steps_for(candidate, targets):
    """{target id: steps} — what every registered provider offers for each target's gaps.

    Each provider is asked once, for the union of the targets' required skills and gaps; its
    steps are then cut down to each target's required skills and kept where they address one
    of its gaps (a skill, or a short language), which is what it would have answered for that
    target alone.
    """
    required = {target.id: {item.skill_id for item in target.skills} for target in targets}
    gaps = {target.id: _gaps(candidate, target) for target in targets}
    result = {target.id: [] for target in targets}
    all_skill_gaps = set().union(*(skills for skills, _languages in gaps.values()))
    all_language_gaps = {}
    for _skills, languages in gaps.values():
        for language_id, cefr in languages.items():
            if CEFR.rank(cefr) > CEFR.rank(all_language_gaps.get(language_id)):
                all_language_gaps[language_id] = cefr
    if not all_skill_gaps and not all_language_gaps:
        return result
    all_required = sorted(set().union(*required.values()))
    for provider in NEXT_STEP_PROVIDERS:
        offered = provider(
            required_skill_ids=all_required,
            gap_skill_ids=sorted(all_skill_gaps),
            gap_languages=all_language_gaps,
        )
        for step in offered:
            for target in targets:
                skill_gaps, language_gaps = gaps[target.id]
                covered = frozenset(step.skill_ids & required[target.id])
                if covered & skill_gaps or step.language_id in language_gaps:
                    levels = tuple(item for item in step.skill_levels if item[0] in covered)
                    result[target.id].append(replace(step, skill_ids=covered, skill_levels=levels))
    return result


def collect_steps(candidate, target):
    """The steps every registered provider offers for the target's gaps."""
    return collect_steps_for(candidate, [target])[target.id]


def _load_target(target):
    from employers.models import Vacancy

    if isinstance(target, Target):
        return target
    if isinstance(target, Vacancy):
        return load_vacancy_target(target)
    if isinstance(target, Role):
        return load_role_target(target)
    raise TypeError(f"cannot match against {type(target).__name__}")


def _evaluate(profile, target):
    target = _load_target(target)
    candidate = load_candidate(profile, with_diplomas=target.diploma_required)
    return build_match(candidate, target, steps=collect_steps(candidate, target))


# Public API -----------------------------------------------------------------------------------


def evaluate(*, profile, vacancy) -> Match:
    """The job-seeker against a vacancy: score, eligibility, explanation and next steps."""
    return _evaluate(profile, vacancy)


def evaluate_role(*, profile, role) -> Match:
    """The job-seeker against a role's requirement profile and legal conditions."""
    return _evaluate(profile, role)


def what_if(*, profile, target, step) -> int:
    """The score against `target` (a vacancy or a role) after `step` (a Step or a NextStep)."""
    if isinstance(step, NextStep):
        step = step.step
    target = _load_target(target)
    candidate = load_candidate(profile, with_diplomas=False)
    return compute_score(apply_step(candidate, step), target)


# SQL: the same score for many candidates or many vacancies ------------------------------------


SCORING_WORK_MEM = "64MB"


def _fetch_scores(sql, params):
    """Runs a scoring statement. On PostgreSQL without JIT compilation: the planner's cost of
    these big CASE expressions triggers JIT, which costs about a second per statement here
    (measured: 1.3 s with JIT against 0.43 s without, for 100,000 candidates)."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(int(row[0]), int(row[1])) for row in cursor.fetchall()]
    with transaction.atomic(), connection.cursor() as cursor:
        # One statement for both settings: the skill credit aggregates ~350,000 rows, whose
        # sort or hash spills to disk at the default 4 MB of work memory.
        cursor.execute(
            "SELECT set_config('jit', 'off', true), set_config('work_mem', %s, true)",
            [SCORING_WORK_MEM],
        )
        cursor.execute(sql, params)
        return [(int(row[0]), int(row[1])) for row in cursor.fetchall()]


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _case(column, mapping, default="0"):
    """CASE column WHEN key THEN value … END, keys and values being safe literals."""
    if not mapping:
        return default
    whens = " ".join(f"WHEN {key} THEN {value}" for key, value in mapping.items())
    return f"(CASE {column} {whens} ELSE {default} END)"


def _str(value):
    """A quoted SQL literal for a value from a fixed set of choices (letters, digits, _)."""
    value = str(value)
    if not value.replace("_", "").isalnum():
        raise ValueError(f"unexpected literal {value!r}")
    return f"'{value}'"


EVIDENCE_CASE = (
    "(CASE {column} "
    + " ".join(f"WHEN '{key}' THEN {value}" for key, value in EVIDENCE_TENTHS.items())
    + " ELSE 0 END)"
)
IMPORTANCE_CASE = (
    "(CASE {column} "
    + " ".join(f"WHEN '{key}' THEN {value}" for key, value in IMPORTANCE_WEIGHTS.items())
    + " ELSE 0 END)"
)


def _score_sql(a, weight_total, b, n, k, d, c):
    """The combine() formula in SQL over integer expressions (identical arithmetic)."""
    a_ = f"(CASE WHEN {weight_total} = 0 THEN 120 ELSE {a} END)"
    w_ = f"(CASE WHEN {weight_total} = 0 THEN 1 ELSE {weight_total} END)"
    b_ = f"(CASE WHEN {n} = 0 THEN 60 ELSE {b} END)"
    n_ = f"(CASE WHEN {n} = 0 THEN 1 ELSE {n} END)"
    k_ = f"(CASE WHEN {d} = 0 THEN 1 ELSE {k} END)"
    d_ = f"(CASE WHEN {d} = 0 THEN 1 ELSE {d} END)"
    denominator = f"(72 * {w_} * {n_} * {d_})"
    numerator = (
        f"(42 * {a_} * {n_} * {d_} + 24 * {b_} * {w_} * {d_}"
        f" + 360 * {k_} * {w_} * {n_} + 36 * {c} * {w_} * {n_} * {d_})"
    )
    return f"((2 * {numerator} + {denominator}) / (2 * {denominator}))"


def _bool(column):
    return f"(CASE WHEN {column} THEN 1 ELSE 0 END)"


def _skills_sql(target, profiles_sql=None):
    """Per candidate holding one of the target's skills: profile_id and the integer part a.

    `profiles_sql`, when given, selects the only profile ids to read (a few job-seekers
    re-scored for a kept ranking, say)."""
    from candidates.models import CandidateSkill

    by_skill = {}
    for requirement in target.skills:
        levels = {
            held: requirement.weight * level_reach12(held, requirement.level)
            for held in (1, 2, 3, 4)
        }
        by_skill[int(requirement.skill_id)] = _case("cs.level", levels)
    ids = ", ".join(str(key) for key in by_skill)
    credit = _case("cs.skill_id", by_skill)
    return (
        f"SELECT cs.profile_id AS profile_id, "
        f"SUM({credit} * {EVIDENCE_CASE.format(column='cs.evidence')}) AS a "
        f"FROM {_table(CandidateSkill)} cs WHERE cs.skill_id IN ({ids}) "
        + (f"AND cs.profile_id IN ({profiles_sql}) " if profiles_sql else "")
        + "GROUP BY cs.profile_id"
    )


def _languages_join(target, profiles_sql=None):
    """(LEFT JOIN of the language groups' best reach per candidate, the b expression).

    `profiles_sql`, when given, selects the profile ids the languages are read for."""
    from candidates.models import CandidateLanguage, LanguageCertificate

    groups = language_groups(target.languages)
    if not groups:
        return "", "0"
    only = f" AND {{alias}}.profile_id IN ({profiles_sql})" if profiles_sql else ""
    language_ids = sorted({int(item.language_id) for item in target.languages})
    certificates = sorted(
        {(int(item.language_id), item.certificate) for item in target.languages if item.certificate}
    )
    union = (
        f"SELECT cl.profile_id AS profile_id, cl.language_id AS language_id, "
        f"cl.cefr AS cefr, '' AS certificate FROM {_table(CandidateLanguage)} cl "
        f"WHERE cl.language_id IN ({', '.join(map(str, language_ids))}){only.format(alias='cl')}"
    )
    if certificates:
        condition = " OR ".join(
            f"(lc.language_id = {language_id} AND lc.level = {_str(level)})"
            for language_id, level in certificates
        )
        union += (
            f" UNION ALL SELECT lc.profile_id, lc.language_id, '', lc.level "
            f"FROM {_table(LanguageCertificate)} lc WHERE ({condition}){only.format(alias='lc')}"
        )
    columns = []
    for index, group in enumerate(groups):
        whens = []
        for item in group:
            reach = {_str(value): cefr_reach60(value, item.min_cefr) for value in CEFR.values}
            value = _case("x.cefr", reach)
            if item.certificate:
                value = (
                    f"(CASE WHEN x.certificate = {_str(item.certificate)} THEN 60 ELSE {value} END)"
                )
            whens.append(f"WHEN {int(item.language_id)} THEN {value}")
        columns.append(f"MAX(CASE x.language_id {' '.join(whens)} ELSE 0 END) AS g{index}")
    languages_sql = (
        f"SELECT x.profile_id AS profile_id, {', '.join(columns)} "
        f"FROM ({union}) x GROUP BY x.profile_id"
    )
    b = " + ".join(f"COALESCE(lg.g{index}, 0)" for index in range(len(groups)))
    return f"LEFT JOIN ({languages_sql}) lg ON lg.profile_id = p.id", b


def _availability_commute_sql(target):
    """(k, d, c): the availability and commute parts over the pool's columns (alias p)."""
    demanded = [name for name in DEMANDS if getattr(target, name)]
    k = " + ".join(_bool(f"p.{name}") for name in demanded) or "0"
    if target.commune_id is None:
        c = str(COMMUTE_SAME_COMMUNE)
    else:
        zone = ", ".join(str(int(item)) for item in sorted(target.zone_commune_ids)) or "NULL"
        c = (
            f"(CASE WHEN p.commune_id = {int(target.commune_id)} THEN {COMMUTE_SAME_COMMUNE} "
            f"WHEN p.commune_id IN ({zone}) THEN {COMMUTE_SAME_ZONE} "
            f"WHEN p.commune_id IS NOT NULL THEN (CASE WHEN p.max_travel_minutes >= "
            f"{BRUSSELS_TRAVEL_MINUTES} THEN {COMMUTE_BRUSSELS_FAR} "
            f"ELSE {COMMUTE_BRUSSELS_NEAR} END) "
            f"WHEN p.lives_outside_brussels THEN (CASE WHEN p.max_travel_minutes >= "
            f"{OUTSIDE_TRAVEL_MINUTES} THEN {COMMUTE_OUTSIDE_FAR} "
            f"ELSE {COMMUTE_OUTSIDE_NEAR} END) "
            f"ELSE {COMMUTE_UNKNOWN} END)"
        )
    return k, len(demanded), c


def _score_of(target, a, b):
    weight_total = sum(item.weight for item in target.skills)
    k, d, c = _availability_commute_sql(target)
    return _score_sql(a, weight_total, b, len(language_groups(target.languages)), k, d, c)


def _shortlist_sql(target, pool_sql, *, small_pool=False):
    """Every pool member's score: (statement, how many times the pool's parameters repeat).

    With `small_pool`, skills and languages are read for the pool's members only (an index
    lookup per member) rather than for every holder of the target's skills."""
    repeat = 1
    only = None
    if small_pool:
        only = f"SELECT pp.id FROM ({pool_sql}) pp"
    if target.skills:
        skills_join = f"LEFT JOIN ({_skills_sql(target, only)}) sk ON sk.profile_id = p.id"
        a = "COALESCE(sk.a, 0)"
        repeat += 1 if only else 0
    else:
        skills_join = ""
        a = "0"
    languages_join, b = _languages_join(target, only)
    if only and languages_join:
        repeat += 1 + any(item.certificate for item in target.languages)
    score = _score_of(target, a, b)
    sql = f"SELECT p.id AS id, {score} AS score FROM ({pool_sql}) p {skills_join} {languages_join}"
    return sql, repeat


# Pruning: how many candidates, best by skill credit, are scored exactly to find the cutoff
# (at least 4 × limit).
PRUNE_SAMPLE = 200


def _pruned_sql(target, pool_sql, limit):
    """The best `limit` pool members in one statement that scores only those who can make it.

    1. ``pre``: the PRUNE_SAMPLE pool members with the most skill credit ``a``, scored exactly;
       ``s`` is the `limit`-th best of those scores (0 when there are fewer than `limit`).
       At least `limit` pool members score ``s`` or more, so every member of the final
       top `limit` (ties by id included) scores at least ``s``.
    2. ``kept``: the members whose score can still reach ``s``. With every other part at its
       maximum (b = 60 n, k = d, c = 10), ``N ≤ n d (42 a + 2160 W)`` and ``D = 72 W n d``, so
       ``score ≥ s ⟺ 2N ≥ (2s − 1) D`` needs ``84 a + 4320 W ≥ 144 W s − 72 W``, that is
       ``14 a ≥ 12 W (2 s − 61)`` (exact, integer). Members without any of the skills
       (a = 0) are kept only when that bound is ≤ 0 (s ≤ 30).
    3. The kept members are scored fully, languages read for them only.

    Returns (statement, how many times the pool's parameters repeat).
    """
    weight_total = sum(item.weight for item in target.skills)
    columns = (
        "p.id AS id, p.commune_id AS commune_id, p.lives_outside_brussels AS "
        "lives_outside_brussels, p.max_travel_minutes AS max_travel_minutes, "
        "p.shifts AS shifts, p.nights AS nights, p.weekends AS weekends"
    )
    pre_languages, b_pre = _languages_join(target, "SELECT pre.id FROM pre")
    kept_languages, b_kept = _languages_join(target, "SELECT kept.id FROM kept")
    cutoff = "(SELECT COALESCE(MAX(cut.score), 0) FROM cut)"
    sql = (
        f"WITH sk AS ({_skills_sql(target)}), "
        f"skp AS (SELECT {columns}, sk.a AS a FROM sk INNER JOIN ({pool_sql}) p "
        f"ON p.id = sk.profile_id), "
        f"pre AS (SELECT * FROM skp ORDER BY a DESC, id LIMIT {max(PRUNE_SAMPLE, 4 * limit)}), "
        f"cut AS (SELECT {_score_of(target, 'p.a', b_pre)} AS score FROM pre p {pre_languages} "
        f"ORDER BY score DESC LIMIT 1 OFFSET {int(limit) - 1}), "
        f"kept AS (SELECT * FROM skp "
        f"WHERE 14 * skp.a >= {12 * weight_total} * (2 * {cutoff} - 61) "
        f"UNION ALL SELECT {columns}, 0 AS a FROM ({pool_sql}) p WHERE {cutoff} <= 30 "
        f"AND NOT EXISTS (SELECT 1 FROM sk WHERE sk.profile_id = p.id)) "
        f"SELECT p.id AS id, {_score_of(target, 'p.a', b_kept)} AS score "
        f"FROM kept p {kept_languages}"
    )
    return sql, 2


def _pool_sql(pool):
    columns = [
        "id",
        "commune_id",
        "lives_outside_brussels",
        "max_travel_minutes",
        "shifts",
        "nights",
        "weekends",
    ]
    query = pool.order_by().values(*columns).query
    sql, params = query.sql_with_params()
    return sql, params


def default_pool(vacancy):
    """Job-seekers who opted in to blind shortlists, and those who applied to the vacancy.

    A withdrawn application no longer counts (the job-seeker was told the employer stops
    seeing their profile), nor does a deactivated account.
    """
    from django.db.models import Exists, OuterRef, Q

    from candidates.models import CandidateProfile
    from employers.models import Application

    applied = Application.objects.filter(vacancy=vacancy, profile=OuterRef("pk")).exclude(
        reason=Application.Reason.WITHDRAWN
    )
    return CandidateProfile.objects.filter(
        Q(is_visible_in_shortlists=True) | Exists(applied), user__is_active=True
    )


POOL_COUNT_SECONDS = 300
POOL_GENERATION_KEY = "matching:pool-generation"


def default_pool_count(vacancy):
    """How many job-seekers `default_pool(vacancy)` holds, in two small queries.

    The opted-in job-seekers with an active account are the same for every vacancy and
    counting them reads every profile (over 0.1 s at 100,000), so their count is kept in the
    cache under the newest ProfileChange (any change of sharing or activity appends one) and
    a generation moved on when a profile or an account is deleted (:func:`pool_members_left`).
    The vacancy's applicants who did not opt in are counted each time: an application
    appends a ProfileChange too, but that count is one index lookup.
    """
    from candidates.models import CandidateProfile, ProfileChange
    from employers.models import Application

    last_change = ProfileChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    generation = cache_versions.current(POOL_GENERATION_KEY)
    key = f"matching:opted-in-count:{last_change}:{generation}"
    opted_in = cache.get(key)
    if opted_in is None:
        opted_in = CandidateProfile.objects.filter(
            is_visible_in_shortlists=True, user__is_active=True
        ).count()
        cache.set(key, opted_in, POOL_COUNT_SECONDS)
    applied_only = (
        Application.objects.filter(
            vacancy=vacancy,
            profile__is_visible_in_shortlists=False,
            profile__user__is_active=True,
        )
        .exclude(reason=Application.Reason.WITHDRAWN)
        .count()
    )
    return opted_in + applied_only


def pool_members_left(**kwargs):
    """A profile or an account was deleted: the kept count of opted-in job-seekers is stale.

    Moved on at once and again after the commit: a count read in between, from the data before
    the deletion, is kept under the generation of the moment and must not outlive the commit.
    """
    cache_versions.move_on(POOL_GENERATION_KEY)
    transaction.on_commit(lambda: cache_versions.move_on(POOL_GENERATION_KEY), robust=True)


def shortlist(*, vacancy, limit=50, pool=None) -> list[tuple[int, int]]:
    """The best `limit` (profile id, score) for the vacancy, best first, ties by profile id.

    For the default pool and a limit up to RANKING_SIZE, the answer comes from the vacancy's
    kept ranking (see "Rankings" below): a handful of queries and no scoring, once built.
    Otherwise it is computed: four queries whatever the pool's size (the vacancy's skills,
    languages, police-zone communes, then one statement scoring every pool member).
    """
    if pool is None and limit is not None and 0 < int(limit) <= RANKING_SIZE:
        return _kept_shortlist(vacancy, int(limit))
    return computed_shortlist(vacancy=vacancy, limit=limit, pool=pool)


def computed_shortlist(*, vacancy, limit=50, pool=None, small_pool=False):
    """`shortlist` computed from scratch in SQL, never from a kept ranking.

    `small_pool`: the pool holds a few job-seekers (see _shortlist_sql)."""
    target = load_vacancy_target(vacancy, labels=False)
    if pool is None:
        pool = default_pool(vacancy)
    pool_sql, params = _pool_sql(pool)
    if limit is not None and int(limit) > 0 and target.skills and not small_pool:
        sql, repeat = _pruned_sql(target, pool_sql, int(limit))
    else:
        sql, repeat = _shortlist_sql(target, pool_sql, small_pool=small_pool)
    sql = f"SELECT id, score FROM ({sql}) s ORDER BY score DESC, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _fetch_scores(sql, tuple(params) * repeat)


# Rankings: shortlists kept between requests ---------------------------------------------------
#
# Scoring a vacancy's whole pool reads every candidate-skill row of its skills (hundreds of
# thousands at Brussels scale), which no index avoids. A vacancy's ranking keeps instead every
# pool member scoring `threshold` or more, `threshold` being one more than the RANKING_SIZE-th
# score when it was built (0, everyone, for a smaller pool). That set stays exact as long as
#
# * the vacancy does not change: any change to it or to its requirements drops the ranking
#   (employers.signals), and the next shortlist builds it again;
# * every job-seeker whose matching data changed is scored again: each change appends a
#   ProfileChange (candidates.signals, and the services that write in bulk); reading a ranking
#   first re-scores, in one statement, the pool members changed since `last_change`, removing
#   those now below the threshold or out of the pool and adding those now above it.
#
# A change is read again until it is RANKING_SETTLE_SECONDS old (`last_change` only moves past
# older ones), so a change whose transaction commits after a younger one was read is not missed.
# The kept set only ever shrinks between builds; when fewer than `limit` remain above the
# threshold, or too many job-seekers changed at once, the ranking is built again.

RANKING_SIZE = 200
RANKING_REFRESH_LIMIT = 5000
RANKING_SETTLE_SECONDS = 120


def _settled_change():
    """The newest profile change older than RANKING_SETTLE_SECONDS (0 when none): one query."""
    from candidates.models import ProfileChange

    before = timezone.now() - timezone.timedelta(seconds=RANKING_SETTLE_SECONDS)
    return (
        ProfileChange.objects.filter(created_at__lt=before)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def _kept_shortlist(vacancy, limit):
    from candidates.models import ProfileChange
    from employers.models import RankedCandidate, Vacancy, VacancyRanking

    with transaction.atomic():
        # One reader at a time per vacancy: it may rebuild or re-score the ranking.
        list(Vacancy.objects.select_for_update().filter(pk=vacancy.pk).values_list("pk"))
        latest = ProfileChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        settled = _settled_change()
        ranking = VacancyRanking.objects.filter(vacancy_id=vacancy.pk).first()
        if ranking is not None and ranking.last_change < latest:
            if not _ranking_refresh(ranking, vacancy, latest=latest, settled=settled):
                ranking.delete()
                ranking = None
        if ranking is not None:
            rows = list(
                RankedCandidate.objects.filter(ranking=ranking)
                .order_by("-score", "profile_id")
                .values_list("profile_id", "score")[:limit]
            )
            if len(rows) == limit or ranking.threshold == 0:
                return rows
            ranking.delete()  # too few left above the threshold: build it again
        return _ranking_build(vacancy, settled=settled)[:limit]


def ranking_build(vacancy):
    """(Re)builds the vacancy's kept ranking now (e.g. when it is published)."""
    from employers.models import VacancyRanking

    with transaction.atomic():
        VacancyRanking.objects.filter(vacancy_id=vacancy.pk).delete()
        return _ranking_build(vacancy, settled=_settled_change())


def _ranking_build(vacancy, *, settled):
    """Scores the pool's best RANKING_SIZE and keeps them; returns them, best first."""
    from employers.models import RankedCandidate, VacancyRanking

    rows = computed_shortlist(vacancy=vacancy, limit=RANKING_SIZE)
    threshold = 0 if len(rows) < RANKING_SIZE else rows[-1][1] + 1
    kept = [row for row in rows if row[1] >= threshold]
    ranking = VacancyRanking.objects.create(
        vacancy_id=vacancy.pk, threshold=threshold, last_change=settled
    )
    RankedCandidate.objects.bulk_create(
        RankedCandidate(ranking=ranking, profile_id=profile_id, score=score)
        for profile_id, score in kept
    )
    return rows


def _ranking_refresh(ranking, vacancy, *, latest, settled):
    """Re-scores the pool members changed since the ranking's last change; False: too many."""
    from candidates.models import ProfileChange
    from employers.models import RankedCandidate

    changed = sorted(
        set(
            ProfileChange.objects.filter(id__gt=ranking.last_change, id__lte=latest).values_list(
                "profile_id", flat=True
            )
        )
    )
    if len(changed) > RANKING_REFRESH_LIMIT:
        return False
    RankedCandidate.objects.filter(ranking=ranking, profile_id__in=changed).delete()
    pool = default_pool(vacancy).filter(pk__in=changed)
    rescored = (
        computed_shortlist(vacancy=vacancy, limit=None, pool=pool, small_pool=True)
        if changed
        else []
    )
    RankedCandidate.objects.bulk_create(
        RankedCandidate(ranking=ranking, profile_id=profile_id, score=score)
        for profile_id, score in rescored
        if score >= ranking.threshold
    )
    ranking.last_change = max(ranking.last_change, settled)
    ranking.save(update_fields=["last_change"])
    return True


def profile_changes_prune():
    """Deletes the profile changes every ranking has settled past; returns how many."""
    from candidates.models import ProfileChange
    from employers.models import VacancyRanking

    oldest = VacancyRanking.objects.order_by("last_change").values_list("last_change", flat=True)
    floor = oldest.first()
    if floor is None:
        return ProfileChange.objects.all().delete()[0]
    return ProfileChange.objects.filter(id__lte=floor).delete()[0]


def _matches_sql(candidate, vacancies_sql, zone):
    from employers.models import VacancyLanguage, VacancySkill

    # Skills: per vacancy, W = Σ weight, a = Σ weight × reach12(held, min level) × evidence.
    importance = IMPORTANCE_CASE.format(column="vs.importance")
    if candidate.skills:
        by_skill = {}
        for skill_id, held in candidate.skills.items():
            reach = {
                required: level_reach12(held.level, required) * EVIDENCE_TENTHS[held.evidence]
                for required in (1, 2, 3, 4)
            }
            by_skill[int(skill_id)] = _case("vs.min_level", reach)
        credit = f"{importance} * {_case('vs.skill_id', by_skill)}"
    else:
        credit = "0"
    skills_sql = (
        f"SELECT vs.vacancy_id AS vacancy_id, SUM({importance}) AS w, SUM({credit}) AS a "
        f"FROM {_table(VacancySkill)} vs WHERE vs.stage = {_str(ENTRY)} "
        f"AND vs.vacancy_id IN (SELECT v0.id FROM ({vacancies_sql}) v0) GROUP BY vs.vacancy_id"
    )
    # Languages: reach per requirement row from the candidate's level or certificate.
    by_language = {}
    for language_id, cefr in candidate.languages.items():
        reach = {_str(value): cefr_reach60(cefr, value) for value in CEFR.values}
        by_language[int(language_id)] = _case("vl.min_cefr", reach)
    reach = _case("vl.language_id", by_language)
    if candidate.certificates:
        condition = " OR ".join(
            f"(vl.language_id = {int(language_id)} AND vl.certificate = {_str(level)})"
            for language_id, level in sorted(candidate.certificates)
        )
        reach = f"(CASE WHEN {condition} THEN 60 ELSE {reach} END)"
    alternative = _bool("vl.is_alternative")
    languages_sql = (
        f"SELECT vl.vacancy_id AS vacancy_id, "
        f"SUM(1 - {alternative}) + MAX({alternative}) AS n, "
        f"SUM((1 - {alternative}) * {reach}) + MAX({alternative} * {reach}) AS b "
        f"FROM {_table(VacancyLanguage)} vl WHERE vl.vacancy_id IN (SELECT v1.id FROM "
        f"({vacancies_sql}) v1) GROUP BY vl.vacancy_id"
    )
    k = " + ".join(
        f"(CASE WHEN v.{name} THEN {1 if getattr(candidate, name) else 0} ELSE 0 END)"
        for name in DEMANDS
    )
    d = " + ".join(_bool(f"v.{name}") for name in DEMANDS)
    if candidate.commune_id is not None:
        other = (
            COMMUTE_BRUSSELS_FAR
            if (candidate.max_travel_minutes or 0) >= BRUSSELS_TRAVEL_MINUTES
            else COMMUTE_BRUSSELS_NEAR
        )
        zone_ids = ", ".join(str(int(item)) for item in sorted(zone)) or "NULL"
        c = (
            f"(CASE WHEN v.commune_id = {int(candidate.commune_id)} THEN {COMMUTE_SAME_COMMUNE} "
            f"WHEN v.commune_id IN ({zone_ids}) THEN {COMMUTE_SAME_ZONE} ELSE {other} END)"
        )
    elif candidate.lives_outside_brussels:
        c = str(
            COMMUTE_OUTSIDE_FAR
            if (candidate.max_travel_minutes or 0) >= OUTSIDE_TRAVEL_MINUTES
            else COMMUTE_OUTSIDE_NEAR
        )
    else:
        c = str(COMMUTE_UNKNOWN)
    parts = (
        f"SELECT v.id AS id, COALESCE(sk.a, 0) AS a, COALESCE(sk.w, 0) AS w, "
        f"COALESCE(lg.b, 0) AS b, COALESCE(lg.n, 0) AS n, {k} AS k, {d} AS d, {c} AS c "
        f"FROM ({vacancies_sql}) v "
        f"LEFT JOIN ({skills_sql}) sk ON sk.vacancy_id = v.id "
        f"LEFT JOIN ({languages_sql}) lg ON lg.vacancy_id = v.id"
    )
    score = _score_sql("t.a", "t.w", "t.b", "t.n", "t.k", "t.d", "t.c")
    return f"SELECT t.id AS id, {score} AS score FROM ({parts}) t"


def matches_for(*, profile, vacancies=None, limit=None) -> list[tuple[int, int]]:
    """(vacancy id, score) for the job-seeker, best first, ties by vacancy id.

    Over published vacancies by default. Five queries whatever the number of vacancies: the
    profile's skills, languages, certificates, its police zone's communes, then one statement.
    """
    from employers.models import Vacancy

    candidate = load_candidate(profile, with_diplomas=False)
    zone = zone_commune_ids(candidate.commune_id)
    if vacancies is None:
        vacancies = Vacancy.objects.published()
    vacancies_sql, params = (
        vacancies.order_by().values("id", "commune_id", *DEMANDS).query.sql_with_params()
    )
    sql = _matches_sql(candidate, vacancies_sql, zone)
    sql = f"SELECT id, score FROM ({sql}) s ORDER BY score DESC, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _fetch_scores(sql, tuple(params) * 3)
