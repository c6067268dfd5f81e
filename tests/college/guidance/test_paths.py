"""Path generation on hand-made cases, progress, the counsellor's edits and the summary."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assessments.models import Attempt, Battery
from candidates.models import Evidence
from college import matching
from college.guidance.paths import (
    DONE,
    GOOD_SCORE,
    IN_PROGRESS,
    TODO,
    path_explain,
    path_generate,
    path_progress,
    path_step_add,
    path_step_move,
    path_step_note,
    path_step_remove,
    path_summary_for,
)
from college.models import Enrolment, PathStep, TrainingPath
from tests import factories

pytestmark = pytest.mark.django_db


def make_candidate():
    user = factories.CandidateFactory()
    return user, user.candidate_profile


def make_role(*skills, importance="essential", level=3):
    role = factories.RoleFactory()
    for skill in skills:
        factories.RoleRequirementFactory(
            role=role, skill=skill, importance=importance, target_level=level
        )
    return role


def module(hours=8, teaches=(), level=3, prerequisites=(), position=100):
    item = factories.ModuleFactory(hours=hours, position=position)
    for skill in teaches:
        factories.ModuleSkillFactory(module=item, skill=skill, level=level)
    item.prerequisites.set(prerequisites)
    return item


def battery(*skills, slug):
    item = Battery.objects.create(
        slug=slug,
        title_fr=f"Test {slug}",
        title_nl=f"Test {slug}",
        title_en=f"Test {slug}",
        description_fr="-",
        description_nl="-",
        description_en="-",
        position=1,
    )
    item.skills_verified.set(skills)
    return item


def attempt(user, test, *, status=Attempt.Status.FINISHED, passed=True):
    now = timezone.now()
    return Attempt.objects.create(
        battery=test,
        user=user,
        mode=Attempt.Mode.PRACTICE,
        language="fr",
        seed=1,
        status=status,
        deadline=now + timezone.timedelta(hours=1),
        finished_at=now if status == Attempt.Status.FINISHED else None,
        passed=passed if status == Attempt.Status.FINISHED else None,
    )


def passed(user, item):
    return factories.EnrolmentFactory(
        candidate=user, cohort__module=item, result=Enrolment.Result.PASSED, score=80
    )


def step_modules(path):
    return [step.module_id for step in path.steps.order_by("position") if step.module_id]


def test_prerequisites_come_first_along_a_chain():
    skill = factories.SkillFactory()
    role = make_role(skill)
    user, _profile = make_candidate()
    first = module(hours=4, position=30)
    second = module(hours=4, prerequisites=[first], position=20)
    third = module(hours=6, teaches=[skill], prerequisites=[second], position=10)

    path = path_generate(candidate=user, role=role)

    assert step_modules(path) == [first.pk, second.pk, third.pk]


def test_the_shorter_of_two_alternatives_is_chosen():
    skill = factories.SkillFactory()
    role = make_role(skill)
    user, _profile = make_candidate()
    module(hours=40, teaches=[skill], position=1)
    short = module(hours=8, teaches=[skill], position=2)

    path = path_generate(candidate=user, role=role)

    assert step_modules(path) == [short.pk]


def test_a_short_module_with_a_long_prerequisite_loses_to_a_medium_one():
    skill = factories.SkillFactory()
    role = make_role(skill)
    user, _profile = make_candidate()
    long_prerequisite = module(hours=60)
    module(hours=4, teaches=[skill], prerequisites=[long_prerequisite])
    medium = module(hours=20, teaches=[skill])

    path = path_generate(candidate=user, role=role)

    assert step_modules(path) == [medium.pk]


def test_passed_modules_are_skipped_and_end_the_prerequisite_chain():
    skill = factories.SkillFactory()
    role = make_role(skill)
    user, _profile = make_candidate()
    first = module(hours=4)
    second = module(hours=4, prerequisites=[first])
    third = module(hours=6, teaches=[skill], prerequisites=[second])
    passed(user, second)

    path = path_generate(candidate=user, role=role)

    assert step_modules(path) == [third.pk]


def test_the_path_closes_the_gaps_and_reaches_a_good_score():
    skills = [factories.SkillFactory() for _ in range(3)]
    role = make_role(*skills)
    user, profile = make_candidate()
    for skill in skills:
        module(hours=10, teaches=[skill])
    module(hours=10, teaches=[factories.SkillFactory()])  # teaches nothing the role needs

    path = path_generate(candidate=user, role=role)
    progress = path_progress(path)

    assert progress.readiness < GOOD_SCORE
    assert progress.readiness_after >= GOOD_SCORE
    assert len(step_modules(path)) == 3
    final = matching.load_candidate(profile)
    target = matching.load_role_target(role)
    assert matching.compute_score(final, target) == progress.readiness


def test_essential_gaps_are_closed_even_when_the_score_is_already_good():
    essentials = [factories.SkillFactory() for _ in range(5)]
    role = make_role(*essentials)
    user, profile = make_candidate()
    for skill in essentials[:4]:
        factories.CandidateSkillFactory(
            profile=profile, skill=skill, level=3, evidence=Evidence.TRAINING_CERTIFIED
        )
    teacher = module(hours=12, teaches=[essentials[4]])

    path = path_generate(candidate=user, role=role)

    assert path_progress(path).readiness >= GOOD_SCORE
    assert step_modules(path) == [teacher.pk]


def test_only_the_best_reachable_score_when_a_good_one_is_out_of_reach():
    taught, untaught = factories.SkillFactory(), factories.SkillFactory()
    role = make_role(taught, untaught)
    user, _profile = make_candidate()
    teacher = module(hours=10, teaches=[taught])
    module(hours=10, teaches=[taught], level=1)  # weaker, never needed

    path = path_generate(candidate=user, role=role)
    progress = path_progress(path)

    assert step_modules(path) == [teacher.pk]
    assert progress.readiness_after < GOOD_SCORE
    assert progress.readiness_after > progress.readiness


def test_pruning_drops_a_module_the_later_choices_made_useless():
    first, second = factories.SkillFactory(), factories.SkillFactory()
    role = make_role(first, second)
    user, _profile = make_candidate()
    module(hours=10, teaches=[first], position=1)
    module(hours=10, teaches=[second], position=2)
    both = module(hours=12, teaches=[first, second], position=3)

    path = path_generate(candidate=user, role=role)

    assert step_modules(path) == [both.pk]


def test_practice_tests_verify_declared_skills_after_the_related_module():
    taught, declared = factories.SkillFactory(), factories.SkillFactory()
    role = make_role(taught, declared, level=2)
    user, profile = make_candidate()
    factories.CandidateSkillFactory(profile=profile, skill=declared, level=2)
    teacher = module(hours=10, teaches=[taught], level=2)
    other = module(hours=3, teaches=[factories.SkillFactory()])
    test = battery(taught, declared, slug="path-test-both")

    path = path_generate(candidate=user, role=role)

    steps = list(path.steps.order_by("position"))
    assert [(step.kind, step.module_id or step.battery_id) for step in steps] == [
        ("module", teacher.pk),
        ("test", test.pk),
    ]
    assert other.pk not in step_modules(path)


def test_a_passed_test_is_skipped():
    declared = factories.SkillFactory()
    role = make_role(declared, level=2)
    user, profile = make_candidate()
    factories.CandidateSkillFactory(profile=profile, skill=declared, level=2)
    test = battery(declared, slug="path-test-passed")
    attempt(user, test)

    path = path_generate(candidate=user, role=role)

    assert not path.steps.filter(battery=test).exists()


def test_regeneration_keeps_the_steps_a_counsellor_added(cast):
    skill = factories.SkillFactory()
    role = make_role(skill)
    user = cast.candidate
    teacher = module(hours=8, teaches=[skill])
    extra = module(hours=2)
    path = path_generate(candidate=user, role=role)
    path_step_add(path=path, by=cast.counsellor, module=extra, note="Utile pour vous.")

    path = path_generate(candidate=user, role=role, by=cast.counsellor)

    steps = list(path.steps.order_by("position"))
    assert [step.module_id for step in steps] == [teacher.pk, extra.pk]
    assert steps[1].note == "Utile pour vous."
    assert path.edited_by == cast.counsellor


def test_progress_statuses_hours_and_percent():
    skills = [factories.SkillFactory() for _ in range(4)]
    role = make_role(*skills)
    user, _profile = make_candidate()
    done_module = module(hours=10, teaches=[skills[0]], position=1)
    open_module = module(hours=20, teaches=[skills[1]], position=2)
    todo_module = module(hours=30, teaches=[skills[2]], position=3)
    test = battery(skills[3], slug="path-progress-test")
    path = TrainingPath.objects.create(candidate=user, role=role)
    for position, item in enumerate([done_module, open_module, todo_module], start=1):
        PathStep.objects.create(path=path, position=position, kind="module", module=item)
    PathStep.objects.create(path=path, position=4, kind="test", battery=test)
    passed(user, done_module)
    factories.EnrolmentFactory(
        candidate=user, cohort__module=open_module, status=Enrolment.Status.WAITLISTED
    )
    attempt(user, test, status=Attempt.Status.IN_PROGRESS)

    progress = path_progress(path)

    assert [item.status for item in progress.steps] == [DONE, IN_PROGRESS, TODO, IN_PROGRESS]
    assert (progress.steps_done, progress.steps_total, progress.percent) == (1, 4, 25)
    assert (progress.hours_done, progress.hours_total) == (10, 60)
    assert progress.readiness_after > progress.readiness
    assert sum(item.gain for item in progress.steps) == (
        progress.readiness_after - progress.readiness
    )


def test_a_recorded_pass_makes_the_step_done_at_once():
    skill = factories.SkillFactory()
    role = make_role(skill)
    user, _profile = make_candidate()
    teacher = module(hours=8, teaches=[skill])
    path = path_generate(candidate=user, role=role)
    enrolment = factories.EnrolmentFactory(candidate=user, cohort__module=teacher)
    assert path_progress(path).steps[0].status == IN_PROGRESS

    enrolment.result = Enrolment.Result.PASSED
    enrolment.save()

    assert path_progress(path).steps[0].status == DONE


def _long_path(user, role, count):
    path = TrainingPath.objects.create(candidate=user, role=role)
    for position in range(1, count + 1):
        skill = factories.SkillFactory()
        factories.RoleRequirementFactory(role=role, skill=skill)
        item = module(teaches=[skill])
        PathStep.objects.create(path=path, position=position, kind="module", module=item)
        test = battery(skill, slug=f"path-count-{position}-{path.pk}")
        PathStep.objects.create(path=path, position=100 + position, kind="test", battery=test)
    return TrainingPath.objects.select_related("role").get(pk=path.pk)


@pytest.mark.parametrize("count", [1, 8])
def test_progress_runs_a_constant_number_of_queries(count, django_assert_max_num_queries):
    user, _profile = make_candidate()
    path = _long_path(user, factories.RoleFactory(), count)

    with django_assert_max_num_queries(10):
        progress = path_progress(path)

    assert progress.steps_total == 2 * count


@pytest.mark.parametrize("count", [1, 8])
def test_the_summary_runs_three_queries(count, django_assert_num_queries):
    user, profile = make_candidate()
    role = factories.RoleFactory()
    profile.target_roles.add(role)
    path = _long_path(user, role, count)

    with django_assert_num_queries(3):
        summary = path_summary_for(user)

    assert summary.steps_total == 2 * count
    assert summary.readiness == path_progress(path).readiness


def test_the_summary_score_is_the_engines_with_languages():
    skill = factories.SkillFactory()
    role = make_role(skill, level=2)
    factories.RoleLanguageRequirementFactory(role=role, min_cefr="B2")
    nl = factories.RoleLanguageRequirementFactory(role=role, min_cefr="B1", is_alternative=True)
    user, profile = make_candidate()
    profile.target_roles.add(role)
    factories.CandidateSkillFactory(profile=profile, skill=skill, level=1)
    factories.CandidateLanguageFactory(profile=profile, language=nl.language, cefr="A2")

    summary = path_summary_for(user)

    engine = matching.evaluate_role(profile=profile, role=role).score
    assert summary.readiness == engine
    assert summary.path_id is None


def test_no_summary_without_a_target_role():
    user, _profile = make_candidate()

    assert path_summary_for(user) is None


def test_adding_a_module_with_missing_prerequisites_names_them(cast):
    role = factories.RoleFactory()
    path = TrainingPath.objects.create(candidate=cast.candidate, role=role)
    first = module(hours=2)
    second = module(hours=2, prerequisites=[first])
    third = module(hours=2, prerequisites=[second])

    with pytest.raises(ValidationError) as error:
        path_step_add(path=path, by=cast.counsellor, module=third)

    message = " ".join(error.value.message_dict["module"])
    assert first.title in message and second.title in message
    assert not path.steps.exists()

    path_step_add(path=path, by=cast.counsellor, module=third, with_prerequisites=True)

    assert step_modules(path) == [first.pk, second.pk, third.pk]


def test_counsellor_edits_record_who_and_when(cast):
    role = factories.RoleFactory()
    path = TrainingPath.objects.create(candidate=cast.candidate, role=role)
    first = path_step_add(path=path, by=cast.counsellor, module=module(hours=2))
    second = path_step_add(path=path, by=cast.counsellor, module=module(hours=2))

    path_step_move(step=second, direction="up", by=cast.counsellor)
    assert step_modules(path) == [second.module_id, first.module_id]
    path_step_note(step=first, note="  Pour la confiance.  ", by=cast.counsellor)
    path_explain(path=path, explanation="D'abord la base.", by=cast.counsellor)
    path_step_remove(step=second, by=cast.counsellor)

    path.refresh_from_db()
    assert step_modules(path) == [first.module_id]
    assert path.steps.get().note == "Pour la confiance."
    assert path.steps.get().position == 1
    assert path.explanation == "D'abord la base."
    assert path.edited_by == cast.counsellor and path.edited_at is not None


def test_adding_the_same_module_twice_is_refused(cast):
    path = TrainingPath.objects.create(candidate=cast.candidate, role=factories.RoleFactory())
    item = module(hours=2)
    path_step_add(path=path, by=cast.counsellor, module=item)

    with pytest.raises(ValidationError):
        path_step_add(path=path, by=cast.counsellor, module=item)
