"""Next steps: what a job-seeker can do to raise their score, and by how much.

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
(:func:`college.matching.match.what_if`); steps are ordered by gain, then fewer hours, then label.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from assessments.models import Battery
from college.matching.explain import MATCHED, explain_languages, explain_skills
from college.matching.score import EVIDENCE_STRENGTH, Candidate, HeldSkill, compute_score
from college.models import CEFR, Module, ModuleSkill

# The level a skill not held yet is added at when a test verifies it (see candidate_skills_verify).
TEST_NEW_SKILL_LEVEL = 2


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
