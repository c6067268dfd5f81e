"""The match: score, eligibility, explanation and next steps together.

:func:`build_match` works on in-memory data (no query); :func:`evaluate`, :func:`evaluate_role`
and :func:`what_if` load the job-seeker and the vacancy or role first, in a fixed handful of
queries whatever the profile's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from college.matching.explain import (
    MATCHED,
    MISSING,
    PARTIAL,
    explain_languages,
    explain_skills,
    explain_taught,
)
from college.matching.load import load_candidate, load_role_target, load_vacancy_target
from college.matching.score import (
    Eligibility,
    Parts,
    Target,
    compute_eligibility,
    compute_parts,
    compute_score,
)
from college.matching.steps import NextStep, apply_step, collect_steps, rank_next_steps
from college.models import Role
from employers.models import Vacancy


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


def _load_target(target):
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
