"""Personal training paths: generation from the matching engine's gap analysis, progress, the
counsellor's edits, and the selectors the pages and the API read.

Generation (:func:`path_generate`)
==================================

A path leads one job-seeker toward one target role. It is computed with the matching engine
(`college/matching/`), so the score a path promises is the engine's own what-if score.

1. **Offers.** The modules the engine's :func:`~college.matching.module_steps` offers
   for every required skill a module could still improve (any required skill not yet held at
   its level with training-certified evidence) and every short language, minus the modules
   the candidate has already passed (an enrolment with the result "passed").
2. **Prerequisites.** A module comes with its prerequisites, transitively, except those
   already passed (a passed prerequisite ends the chain). Choosing a module means taking
   this whole *bundle*; its cost is the hours of the bundle not chosen yet. Prerequisites
   teach too: their effect is applied like any other module's.
3. **Goals.** ``best`` is the engine's score once every offer (and its prerequisites) is
   done; the target score is ``min(GOOD_SCORE, best)``. The *closable essential gaps* are the
   essential skills not matched now but matched in that best state. The goals are met when
   the rounded score reaches the target and every closable essential gap is matched.
4. **Greedy choice.** While the goals are not met, take the bundle with the most closable
   essential gaps closed per hour, then the most score gained per hour, where the gain is
   exact (a fraction, so that small steps still count before rounding) and capped at the
   target (points beyond it buy nothing); then fewer hours, then catalogue position and slug.
   Stop when no bundle helps.
5. **Pruning.** Each chosen module, the longest first, is dropped when the goals still hold
   without it (its prerequisites leave with it unless another kept module needs them). What
   remains cannot lose a module without missing a goal.
   The target role's own programmes come first: a module of a programme that prepares for
   another role is chosen only when no module of the role's own programmes (or of no
   programme) helps, and pruned first.
6. **Order.** Topological: a module comes after its prerequisites in the path; among the
   modules whose prerequisites are placed, the role's own programmes' first, then the one
   gaining the most points from the state reached so far (then fewer hours, position, slug).
   A prerequisite cycle in the catalogue is broken by position.
7. **Practice tests.** Skills still only self-declared or counsellor-validated (or not held)
   after the modules are offered to the engine's :func:`~college.matching.battery_steps`;
   batteries already passed (a finished attempt with ``passed``) are skipped, and a battery
   is kept only when it verifies a skill no battery kept before verifies (most such skills
   first, then position). Each test goes right after the last module teaching one of the
   skills it verifies, or at the end.
8. **Counsellor steps stay.** Steps a counsellor added (``added_by`` set) are kept, at their
   old place in the order; generated steps are replaced.

Eligibility (legal conditions) cannot be changed by training: it is reported apart, with the
legal alternative route where the role's diploma rule allows one.

Everything is deterministic: ties are broken by catalogue position and slug.

Progress (:func:`path_progress`)
================================

A step's status is computed, never stored: a module is ``done`` when the candidate passed it
(any cohort), ``in_progress`` while they are enrolled or waitlisted in a cohort of it with no
result yet; a test is ``done`` when a finished attempt passed, ``in_progress`` while an
attempt is open; otherwise ``todo``. So when a pass is recorded the step is done at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Attempt, Battery
from candidates.access import get_profile_for
from candidates.models import CandidateLanguage, CandidateProfile, CandidateSkill
from college import matching
from college.guidance.planner import GOOD_SCORE, plan_path, plan_sequence, prerequisite_closure
from college.models import (
    Cohort,
    Enrolment,
    Module,
    ModuleSkill,
    PathStep,
    RequirementStage,
    Role,
    RoleLanguageRequirement,
    RoleRequirement,
    TrainingPath,
    User,
)
from college.reference.fit import fit_of

DONE, IN_PROGRESS, TODO = "done", "in_progress", "todo"


# Loading what the planner reads ---------------------------------------------------------------


def target_roles_of(profile):
    """The job-seeker's target roles in the order they chose them: one query."""
    through = type(profile).target_roles.through
    rows = through.objects.filter(candidateprofile_id=profile.pk).select_related("role")
    return [row.role for row in rows.order_by("pk")]


def passed_module_ids(user_id):
    return set(
        Enrolment.objects.filter(candidate_id=user_id, result=Enrolment.Result.PASSED).values_list(
            "cohort__module_id", flat=True
        )
    )


def passed_battery_ids(user_id):
    return set(
        Attempt.objects.filter(
            user_id=user_id, status=Attempt.Status.FINISHED, passed=True
        ).values_list("battery_id", flat=True)
    )


def module_as_step(module, levels):
    """A catalogue module as the engine's Step; `levels`: {skill id: level taught}."""
    return matching.Step(
        kind="module",
        object_id=module.pk,
        label=module.title,
        skill_ids=frozenset(levels),
        evidence="training_certified",
        skill_levels=tuple(sorted(levels.items())),
        url=reverse("module_detail", args=[module.local_slug]),
        slug=module.slug,
        language_id=module.language_taught_id,
        cefr=module.cefr_reached,
        hours=module.hours,
    )


def _planner_input(user_id, candidate, target):
    """Modules on offer with their prerequisites, batteries, what is passed: ~7 queries."""
    required = [item.skill_id for item in target.skills]
    improvable = []
    for item in target.skills:
        held = candidate.skills.get(item.skill_id)
        if held is None or held.level < item.level or held.evidence != "training_certified":
            improvable.append(item.skill_id)
    short = {
        line.language_id: line.min_cefr
        for line in matching.explain_languages(candidate, target)
        if not line.met
    }
    modules = {}
    if improvable or short:
        offers = matching.module_steps(
            required_skill_ids=required, gap_skill_ids=improvable, gap_languages=short
        )
        modules = {step.object_id: step for step in offers}
    prerequisites = {}
    edges = Module.prerequisites.through.objects.values_list("from_module_id", "to_module_id")
    for module_id, prerequisite_id in edges:
        prerequisites.setdefault(module_id, set()).add(prerequisite_id)
    passed = passed_module_ids(user_id)
    needed = prerequisite_closure(list(modules), prerequisites, passed)
    rows = Module.objects.filter(pk__in=needed).select_related("language_taught")
    ranks = {}
    extra = []
    for module in rows:
        ranks[module.pk] = (module.position, module.slug)
        if module.pk not in modules:
            extra.append(module)
    if extra:
        levels = {module.pk: {} for module in extra}
        outcomes = ModuleSkill.objects.filter(module_id__in=list(levels), skill_id__in=required)
        for module_id, skill_id, level in outcomes.values_list("module_id", "skill_id", "level"):
            levels[module_id][skill_id] = level
        for module in extra:
            modules[module.pk] = module_as_step(module, levels[module.pk])
    batteries = []
    if required:
        batteries = matching.battery_steps(required_skill_ids=required, gap_skill_ids=required)
    own = set(
        Module.objects.filter(pk__in=list(modules))
        .filter(Q(programme__isnull=True) | Q(programme__roles=target.id))
        .values_list("pk", flat=True)
    )
    return {
        "own_module_ids": frozenset(own),
        "modules": modules,
        "prerequisites": prerequisites,
        "passed_modules": frozenset(passed),
        "batteries": batteries,
        "passed_batteries": frozenset(passed_battery_ids(user_id)),
        "ranks": ranks,
    }


def _profile_of(user_id):
    try:
        return CandidateProfile.objects.get(user_id=user_id)
    except CandidateProfile.DoesNotExist:
        raise ValidationError(_("This person has no job-seeker profile.")) from None


# Services -------------------------------------------------------------------------------------


def _touch(path, by):
    """Records a change by `by` (a counsellor): the job-seeker can no longer regenerate."""
    if by is not None and by.pk != path.candidate_id:
        path.edited_by = by
        path.edited_at = timezone.now()


@transaction.atomic
def path_generate(*, candidate, role, by=None) -> TrainingPath:
    """(Re)generates the path of `candidate` (a User with a profile) toward `role`.

    Replaces the generated steps, keeps those a counsellor added (see the module docstring).
    """
    profile = _profile_of(candidate.pk)
    path, _created = TrainingPath.objects.get_or_create(candidate=candidate, role=role)
    path = TrainingPath.objects.select_for_update().select_related("role").get(pk=path.pk)
    engine_candidate = matching.load_candidate(profile, with_diplomas=False)
    target = matching.load_role_target(role)
    plan = plan_path(
        engine_candidate, target, **_planner_input(candidate.pk, engine_candidate, target)
    )
    old = list(path.steps.order_by("position", "pk"))
    kept = [(index, step) for index, step in enumerate(old) if step.added_by_id]
    PathStep.objects.filter(path=path, added_by__isnull=True).delete()
    kept_modules = {step.module_id for _index, step in kept if step.module_id}
    kept_batteries = {step.battery_id for _index, step in kept if step.battery_id}
    items = []
    for step in plan_sequence(plan):
        if step.kind == "module" and step.object_id not in kept_modules:
            items.append(PathStep(path=path, kind=PathStep.Kind.MODULE, module_id=step.object_id))
        elif step.kind == "test" and step.object_id not in kept_batteries:
            items.append(PathStep(path=path, kind=PathStep.Kind.TEST, battery_id=step.object_id))
    for index, step in kept:
        items.insert(min(index, len(items)), step)
    for position, item in enumerate(items, start=1):
        item.position = position
    PathStep.objects.bulk_create([item for item in items if item.pk is None])
    PathStep.objects.bulk_update([item for item in items if item.pk is not None], ["position"])
    path.generated_at = timezone.now()
    _touch(path, by)
    path.save()
    return path


def path_get_or_generate(*, candidate, role):
    """The path toward `role`, generated on first use."""
    path = TrainingPath.objects.filter(candidate=candidate, role=role).select_related("role")
    path = path.first()
    if path is None:
        path = path_generate(candidate=candidate, role=role)
    return path


def _renumber(path):
    steps = list(path.steps.order_by("position", "pk"))
    for position, step in enumerate(steps, start=1):
        step.position = position
    PathStep.objects.bulk_update(steps, ["position"])
    return steps


def missing_prerequisites(*, path, module):
    """Prerequisites of `module` (transitively) neither passed nor in the path, by position."""
    prerequisites = {}
    edges = Module.prerequisites.through.objects.values_list("from_module_id", "to_module_id")
    for module_id, prerequisite_id in edges:
        prerequisites.setdefault(module_id, set()).add(prerequisite_id)
    in_path = set(path.steps.filter(kind=PathStep.Kind.MODULE).values_list("module_id", flat=True))
    stop = passed_module_ids(path.candidate_id) | in_path
    needed = prerequisite_closure(prerequisites.get(module.pk, ()), prerequisites, stop) - {
        module.pk
    }
    return list(Module.objects.filter(pk__in=needed).order_by("position", "slug"))


@transaction.atomic
def path_step_add(*, path, by, module=None, battery=None, note="", with_prerequisites=False):
    """Adds a module or a practice test at the end of the path (after its prerequisites).

    A module whose prerequisites are neither passed nor in the path is refused, naming them,
    unless `with_prerequisites`: then they are added first, in catalogue order.
    """
    path = TrainingPath.objects.select_for_update().get(pk=path.pk)
    if (module is None) == (battery is None):
        raise ValidationError(_("Choose a module or a practice test."))
    if module is not None:
        if path.steps.filter(module=module).exists():
            raise ValidationError({"module": _("This module is already in the path.")})
        missing = missing_prerequisites(path=path, module=module)
        if missing and not with_prerequisites:
            names = ", ".join(item.title for item in missing)
            raise ValidationError(
                {
                    "module": _(
                        "This module needs first: %(modules)s. Add them to the path first, "
                        "or tick “also add the missing prerequisites”."
                    )
                    % {"modules": names}
                }
            )
        targets = [(PathStep.Kind.MODULE, item, None) for item in missing]
        targets.append((PathStep.Kind.MODULE, module, None))
    else:
        if path.steps.filter(battery=battery).exists():
            raise ValidationError({"battery": _("This practice test is already in the path.")})
        targets = [(PathStep.Kind.TEST, None, battery)]
    last = path.steps.order_by("-position").values_list("position", flat=True).first() or 0
    created = []
    for offset, (kind, module_item, battery_item) in enumerate(targets, start=1):
        created.append(
            PathStep.objects.create(
                path=path,
                position=last + offset,
                kind=kind,
                module=module_item,
                battery=battery_item,
                note=note if module_item == module and battery_item == battery else "",
                added_by=by,
            )
        )
    _touch(path, by)
    path.save(update_fields=["edited_by", "edited_at"])
    return created[-1]


@transaction.atomic
def path_step_remove(*, step, by):
    path = TrainingPath.objects.select_for_update().get(pk=step.path_id)
    step.delete()
    _renumber(path)
    _touch(path, by)
    path.save(update_fields=["edited_by", "edited_at"])


@transaction.atomic
def path_step_move(*, step, direction, by):
    """Moves a step one place "up" (earlier) or "down" (later)."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a step up or down."))
    path = TrainingPath.objects.select_for_update().get(pk=step.path_id)
    steps = _renumber(path)
    index = next(i for i, item in enumerate(steps) if item.pk == step.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(steps):
        steps[index].position, steps[other].position = steps[other].position, steps[index].position
        PathStep.objects.bulk_update([steps[index], steps[other]], ["position"])
    _touch(path, by)
    path.save(update_fields=["edited_by", "edited_at"])


@transaction.atomic
def path_step_note(*, step, note, by):
    path = TrainingPath.objects.select_for_update().get(pk=step.path_id)
    step.note = note.strip()
    step.full_clean(exclude=["path", "module", "battery", "added_by"])
    step.save(update_fields=["note"])
    _touch(path, by)
    path.save(update_fields=["edited_by", "edited_at"])


@transaction.atomic
def path_explain(*, path, explanation, by):
    path = TrainingPath.objects.select_for_update().get(pk=path.pk)
    path.explanation = explanation.strip()
    _touch(path, by)
    path.save(update_fields=["explanation", "edited_by", "edited_at"])
    return path


# Progress -------------------------------------------------------------------------------------


def steps_with_status(queryset):
    """Path steps annotated with what their status is computed from: one query."""
    enrolments = Enrolment.objects.filter(
        candidate_id=OuterRef("path__candidate_id"), cohort__module_id=OuterRef("module_id")
    )
    attempts = Attempt.objects.filter(
        user_id=OuterRef("path__candidate_id"), battery_id=OuterRef("battery_id")
    )
    return queryset.annotate(
        module_passed=Exists(enrolments.filter(result=Enrolment.Result.PASSED)),
        module_open=Exists(
            enrolments.filter(
                status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED],
                result=Enrolment.Result.PENDING,
            )
        ),
        test_passed=Exists(attempts.filter(status=Attempt.Status.FINISHED, passed=True)),
        test_open=Exists(attempts.filter(status=Attempt.Status.IN_PROGRESS)),
    )


def step_status(step):
    if step.kind == PathStep.Kind.MODULE:
        passed, open_ = step.module_passed, step.module_open
    else:
        passed, open_ = step.test_passed, step.test_open
    if passed:
        return DONE
    if open_:
        return IN_PROGRESS
    return TODO


@dataclass
class StepProgress:
    step: PathStep
    number: int
    kind: str
    object_id: int
    slug: str
    title: str
    hours: int
    status: str
    note: str
    skills: list  # [{"id", "label", "level"}]; level None for a test (it verifies)
    language: str = ""  # a language course: "Dutch B1"
    gain: int = 0
    score_after: int = 0
    url: str = ""
    next_cohort: Cohort | None = None
    note_errors: list = field(default_factory=list)

    @property
    def is_added_by_counsellor(self):
        return self.step.added_by_id is not None

    @property
    def status_label(self):
        return STATUS_LABELS()[self.status]


def STATUS_LABELS():  # noqa: N802 - a table, translated when read
    return {DONE: _("Done"), IN_PROGRESS: _("In progress"), TODO: _("To do")}


@dataclass
class PathProgress:
    path: TrainingPath
    role: Role
    steps: list = field(default_factory=list)
    steps_done: int = 0
    steps_in_progress: int = 0
    steps_total: int = 0
    hours_done: int = 0
    hours_total: int = 0
    percent: int = 0
    readiness: int = 0
    readiness_after: int = 0
    eligibility: matching.Eligibility | None = None

    @property
    def can_regenerate(self):
        """The job-seeker may regenerate their path until a counsellor has edited it."""
        return self.path.edited_by_id is None

    @property
    def fit(self):
        """The fit with the role now, in words: the role page's own number."""
        return fit_of(self.readiness)

    @property
    def fit_after(self):
        return fit_of(self.readiness_after)

    @property
    def hours_percent(self):
        return round(100 * self.hours_done / self.hours_total) if self.hours_total else 0

    @property
    def good_score(self):
        return GOOD_SCORE


def _step_effects(steps):
    """{PathStep id: (matching.Step, skills list)} for these steps: two queries."""
    module_ids = [step.module_id for step in steps if step.module_id]
    battery_ids = [step.battery_id for step in steps if step.battery_id]
    taught = {}
    if module_ids:
        rows = ModuleSkill.objects.filter(module_id__in=module_ids).select_related("skill")
        for row in rows.order_by("pk"):
            taught.setdefault(row.module_id, []).append(row)
    verified = {}
    if battery_ids:
        through = Battery.skills_verified.through
        rows = through.objects.filter(battery_id__in=battery_ids).select_related("skill")
        for row in rows.order_by("pk"):
            verified.setdefault(row.battery_id, []).append(row.skill)
    result = {}
    for step in steps:
        if step.kind == PathStep.Kind.MODULE:
            rows = taught.get(step.module_id, [])
            levels = {row.skill_id: row.level for row in rows}
            engine_step = replace(
                module_as_step(step.module, levels), url="", label=step.module.title
            )
            skills = [
                {"id": row.skill_id, "label": row.skill.label, "level": row.level} for row in rows
            ]
        else:
            skill_list = verified.get(step.battery_id, [])
            engine_step = matching.Step(
                kind="test",
                object_id=step.battery_id,
                label=step.battery.title,
                skill_ids=frozenset(skill.pk for skill in skill_list),
                evidence="test_verified",
                slug=step.battery.slug,
            )
            skills = [{"id": skill.pk, "label": skill.label, "level": None} for skill in skill_list]
        result[step.pk] = (engine_step, skills)
    return result


def path_progress(path, *, profile=None) -> PathProgress:
    """Each step's status and gain, counts, hours and readiness now and at the end.

    Nine to eleven queries whatever the path's length.
    """
    role = path.role
    steps = list(
        steps_with_status(path.steps.all())
        .select_related("module__language_taught", "battery")
        .order_by("position", "pk")
    )
    if profile is None:
        profile = _profile_of(path.candidate_id)
    candidate = matching.load_candidate(profile, with_diplomas=role.diploma_required_by_law)
    target = matching.load_role_target(role)
    effects = _step_effects(steps)
    readiness = matching.compute_score(candidate, target)
    progress = PathProgress(
        path=path,
        role=role,
        readiness=readiness,
        eligibility=matching.compute_eligibility(candidate, target),
    )
    state, score = candidate, readiness
    for number, step in enumerate(steps, start=1):
        engine_step, skills = effects[step.pk]
        state = matching.apply_step(state, engine_step)
        after = matching.compute_score(state, target)
        item = _step_progress(step, number, skills)
        item.gain = max(after - score, 0)
        item.score_after = after
        score = after
        _count_step(progress, item)
    progress.steps_total = len(steps)
    progress.readiness_after = score
    progress.percent = (
        round(100 * progress.steps_done / progress.steps_total) if progress.steps_total else 100
    )
    return progress


def _step_progress(step, number, skills):
    """One step of a path as its page shows it, before its gain is known."""
    status = step_status(step)
    if step.kind == PathStep.Kind.MODULE:
        module = step.module
        return StepProgress(
            step=step,
            number=number,
            kind="module",
            object_id=module.pk,
            slug=module.slug,
            title=module.title,
            hours=module.hours,
            status=status,
            note=step.note,
            skills=skills,
            language=(
                f"{module.language_taught.name} {module.cefr_reached}"
                if module.language_taught_id
                else ""
            ),
            url=reverse("module_detail", args=[module.local_slug]),
        )
    battery = step.battery
    return StepProgress(
        step=step,
        number=number,
        kind="test",
        object_id=battery.pk,
        slug=battery.slug,
        title=battery.title,
        hours=0,
        status=status,
        note=step.note,
        skills=skills,
        url=reverse("assessments:battery_detail", args=[battery.local_slug]),
    )


def _count_step(progress, item):
    """Adds `item` to the path's steps, its hours and the counts of done and open steps."""
    progress.steps.append(item)
    progress.hours_total += item.hours
    if item.status == DONE:
        progress.steps_done += 1
        progress.hours_done += item.hours
    elif item.status == IN_PROGRESS:
        progress.steps_in_progress += 1


@dataclass(frozen=True)
class PlanStep:
    """A step of the person's plan toward a role, as the role page and the dashboard show it."""

    kind: str  # "module" or "test"
    object_id: int
    slug: str
    title: str
    url: str
    hours: int
    gain: int
    score_after: int
    status: str
    skill_ids: frozenset = frozenset()
    language_id: int | None = None

    @property
    def fit_after(self):
        return fit_of(self.score_after)


def _step_url(kind, slug):
    if not slug:
        return ""
    if kind == "test":
        return reverse("assessments:battery_detail", args=[slug])
    return reverse("module_detail", args=[slug])


def plan_steps(*, profile, role, generate=False):
    """The steps still to do toward `role`: those of the person's saved path (what the path
    page shows: same order, hours and gains), else the plan `path_generate` would save.

    With `generate`, a missing path is generated and saved first, as the path page does; without
    it, nothing is written (a role the person only looks at).
    """
    path = TrainingPath.objects.filter(candidate_id=profile.user_id, role=role).first()
    if path is None and generate:
        path = path_generate(candidate=profile.user, role=role)
    if path is not None:
        progress = path_progress(path, profile=profile)
        return [
            PlanStep(
                kind=item.kind,
                object_id=item.object_id,
                slug=item.slug,
                title=item.title,
                url=item.url or _step_url(item.kind, item.slug),
                hours=item.hours,
                gain=item.gain,
                score_after=item.score_after,
                status=item.status,
                skill_ids=frozenset(skill["id"] for skill in item.skills),
                language_id=item.step.module.language_taught_id if item.step.module_id else None,
            )
            for item in progress.steps
            if item.status != DONE
        ]
    candidate = matching.load_candidate(profile, with_diplomas=False)
    target = matching.load_role_target(role)
    plan = plan_path(candidate, target, **_planner_input(profile.user_id, candidate, target))
    state, score = candidate, matching.compute_score(candidate, target)
    steps = []
    for step in plan_sequence(plan):
        state = matching.apply_step(state, step)
        after = matching.compute_score(state, target)
        steps.append(
            PlanStep(
                kind=step.kind,
                object_id=step.object_id,
                slug=step.slug,
                title=step.label,
                url=step.url or _step_url(step.kind, step.slug),
                hours=step.hours,
                gain=max(after - score, 0),
                score_after=after,
                status=TODO,
                skill_ids=frozenset(step.skill_ids),
                language_id=step.language_id,
            )
        )
        score = after
    return steps


def next_cohorts(module_ids, *, today=None):
    """{module id: the next cohort still open for enrolment}: one query."""
    today = today or timezone.localdate()
    result = {}
    rows = Cohort.objects.filter(
        module_id__in=list(module_ids), is_cancelled=False, enrolment_closes_on__gte=today
    ).order_by("starts_on", "code")
    for cohort in rows:
        result.setdefault(cohort.module_id, cohort)
    return result


# The dashboard's summary ----------------------------------------------------------------------


@dataclass
class PathSummary:
    role: Role
    path_id: int | None
    steps_done: int = 0
    steps_in_progress: int = 0
    steps_total: int = 0
    hours_done: int = 0
    hours_total: int = 0
    percent: int = 0
    readiness: int = 0
    good_score: int = GOOD_SCORE

    @property
    def fit(self):
        return fit_of(self.readiness)

    @property
    def url(self):
        return reverse("my_path") + f"?role={self.role.slug}"


def _role_readiness(user_id, role_id):
    """The engine's score of the person against the role's requirement profile: one query.

    A role has no place or schedule, so only skills and languages count; they are read
    together (a UNION) and scored by the engine's own compute_score.
    """
    held_skill = CandidateSkill.objects.filter(
        profile__user_id=user_id, skill_id=OuterRef("skill_id")
    )
    held_language = CandidateLanguage.objects.filter(
        profile__user_id=user_id, language_id=OuterRef("language_id")
    )
    text = CharField()
    skills = (
        RoleRequirement.objects.filter(role_id=role_id, stage=RequirementStage.ENTRY)
        .order_by()
        .annotate(
            row_kind=Value("skill", output_field=text),
            ref=F("skill_id"),
            weight=Cast("importance", text),
            required=Cast("target_level", text),
            held=Cast(Subquery(held_skill.values("level")[:1]), text),
            evidence=Subquery(held_skill.values("evidence")[:1]),
            alternative=Value(False),
        )
        .values_list("row_kind", "ref", "weight", "required", "held", "evidence", "alternative")
    )
    languages = (
        RoleLanguageRequirement.objects.filter(role_id=role_id)
        .order_by()
        .annotate(
            row_kind=Value("language", output_field=text),
            ref=F("language_id"),
            weight=Value("", output_field=text),
            required=Cast("min_cefr", text),
            held=Cast(Subquery(held_language.values("cefr")[:1]), text),
            evidence=Value("", output_field=text),
            alternative=F("is_alternative"),
        )
        .values_list("row_kind", "ref", "weight", "required", "held", "evidence", "alternative")
    )
    skill_requirements, language_requirements = [], []
    held_skills, held_languages = {}, {}
    for kind, ref, weight, required, held, evidence, alternative in skills.union(
        languages, all=True
    ):
        if kind == "skill":
            skill_requirements.append(matching.SkillRequirement(ref, weight, int(required)))
            if held:
                held_skills[ref] = matching.HeldSkill(level=int(held), evidence=evidence)
        else:
            language_requirements.append(
                matching.LanguageRequirement(ref, required, is_alternative=bool(alternative))
            )
            if held:
                held_languages[ref] = held
    target = matching.Target(
        kind="role", skills=tuple(skill_requirements), languages=tuple(language_requirements)
    )
    candidate = matching.Candidate(skills=held_skills, languages=held_languages)
    return matching.compute_score(candidate, target)


def path_summary_for(user):
    """What the dashboard's progress include needs, for the first target role: three queries.

    None when the person has no target role (or no profile).
    """
    through = CandidateProfile.target_roles.through
    first = (
        through.objects.filter(candidateprofile__user_id=user.pk)
        .select_related("role")
        .annotate(
            path_id=Subquery(
                TrainingPath.objects.filter(
                    candidate_id=user.pk, role_id=OuterRef("role_id")
                ).values("pk")[:1]
            )
        )
        .order_by("pk")
        .first()
    )
    if first is None:
        return None
    summary = PathSummary(role=first.role, path_id=first.path_id)
    if first.path_id is not None:
        steps = steps_with_status(PathStep.objects.filter(path_id=first.path_id)).select_related(
            "module"
        )
        for step in steps:
            hours = step.module.hours if step.module_id else 0
            status = step_status(step)
            summary.steps_total += 1
            summary.hours_total += hours
            if status == DONE:
                summary.steps_done += 1
                summary.hours_done += hours
            elif status == IN_PROGRESS:
                summary.steps_in_progress += 1
        if summary.steps_total:
            summary.percent = round(100 * summary.steps_done / summary.steps_total)
    summary.readiness = _role_readiness(user.pk, first.role_id)
    return summary


# Access ---------------------------------------------------------------------------------------


def get_path_profile_for(user, profile_id, *, to_edit=False):
    """The job-seeker profile whose paths `user` may see: their counsellors edit, college
    staff may only look (a 403 when they try to edit); anyone else gets a 404."""
    if user.is_authenticated and user.role == User.Role.COUNSELLOR:
        return get_profile_for(user, profile_id)
    if user.is_authenticated and user.role == User.Role.STAFF:
        profile = get_object_or_404(CandidateProfile.objects.select_related("user"), pk=profile_id)
        if to_edit:
            raise PermissionDenied
        return profile
    raise Http404
