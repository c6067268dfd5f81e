"""The scoring model: one score and one eligibility for a job-seeker against a vacancy or a role.

Pure functions over in-memory data (:class:`Candidate`, :class:`Target`): no database, no
translation but the eligibility's sentences. The SQL statements of :mod:`college.matching.sql`
compute the same score with the same constants.

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

The score is computed in **exact integer arithmetic** so that Python
(:func:`college.matching.match.evaluate`) and SQL (:func:`college.matching.rankings.shortlist`,
:func:`college.matching.sql.matches_for`) give the very same integer on SQLite and
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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from college.models import CEFR, Diploma, Evidence, Role

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
