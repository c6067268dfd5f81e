"""One fit, one plan, and matches that start from the person: the same engine number with the
same words on every page and in the alert e-mail, the role page's next steps are the path's,
the dashboard always names one next action."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from candidates.models import CandidateProfile
from college import matching
from college.guidance import paths
from college.models import Commune, Language, Role, RoleLanguageRequirement, RoleRequirement
from college.reference.fit import FIT_BANDS, fit_of
from employers.models import VacancyLanguage, VacancySkill
from employers.shortlists.alerts import match_alerts_send
from tests import factories

pytestmark = pytest.mark.django_db

FIT_VALUE = re.compile(r'<data class="fit-value" value="(\d+)">')


def page_client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def vacancy_like_its_role(role, commune):
    """A vacancy asking exactly what its role asks, near home and with no schedule demand: its
    fit and the role's are then one and the same engine number."""
    vacancy = factories.VacancyFactory(role=role, commune=commune)
    VacancySkill.objects.bulk_create(
        VacancySkill(
            vacancy=vacancy,
            skill_id=row.skill_id,
            importance=row.importance,
            min_level=row.target_level,
            stage=row.stage,
        )
        for row in RoleRequirement.objects.filter(role=role)
    )
    VacancyLanguage.objects.bulk_create(
        VacancyLanguage(
            vacancy=vacancy,
            language_id=row.language_id,
            min_cefr=row.min_cefr,
            is_alternative=row.is_alternative,
        )
        for row in RoleLanguageRequirement.objects.filter(role=role)
    )
    return vacancy


@pytest.fixture
def person(cast, reference_data):
    profile = CandidateProfile.objects.get(user=cast.candidate)
    profile.commune = Commune.objects.get(nis_code="21015")
    profile.birth_year = 1995
    profile.save()
    role = Role.objects.get(slug="peace-guard")
    profile.target_roles.set([role])
    requirements = list(RoleRequirement.objects.filter(role=role, stage="entry")[:3])
    for row in requirements:
        factories.CandidateSkillFactory(
            profile=profile, skill=row.skill, level=row.target_level, evidence="self_declared"
        )
    return profile, role


def test_matches_apply_role_path_dashboard_and_email_show_the_same_number(
    person, mailoutbox, django_capture_on_commit_callbacks
):
    profile, role = person
    vacancy = vacancy_like_its_role(role, profile.commune)
    expected = matching.evaluate(profile=profile, vacancy=vacancy).score
    assert expected == matching.evaluate_role(profile=profile, role=role).score
    client = page_client(profile.user)

    matches = client.get(reverse("candidates:matches")).content.decode()
    card = matches[matches.index(f'id="vacancy-{vacancy.pk}"') :]
    shown = {
        "matches": int(FIT_VALUE.search(card).group(1)),
        "apply": int(
            FIT_VALUE.search(
                client.get(reverse("employers:apply", args=[vacancy.pk])).content.decode()
            ).group(1)
        ),
        "role": int(
            FIT_VALUE.search(
                client.get(reverse("candidates:role_gap", args=[role.slug])).content.decode()
            ).group(1)
        ),
        "path": int(FIT_VALUE.search(client.get(reverse("my_path")).content.decode()).group(1)),
        "roles step": int(
            FIT_VALUE.search(
                client.get(reverse("candidates:profile_roles")).content.decode()
            ).group(1)
        ),
        "dashboard": int(
            FIT_VALUE.search(client.get(reverse("candidates:dashboard")).content.decode()).group(1)
        ),
    }
    profile.match_alert_threshold = 0
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        match_alerts_send(vacancy=vacancy)
    (mail,) = [mail for mail in mailoutbox if mail.to == [profile.user.email]]
    shown["email"] = int(re.search(r"\((\d+)/100\)", mail.body).group(1))

    assert set(shown.values()) == {expected}, shown
    assert fit_of(expected).words in card
    with translation.override(profile.user.preferred_language):
        words = fit_of(expected).words  # the e-mail speaks the person's language
    assert words in mail.body and words in mail.subject


@pytest.mark.parametrize("score", range(0, 101))
def test_every_score_reads_as_one_band_with_the_points_to_the_next(score):
    fit = fit_of(score)
    floors = [floor for floor, *_rest in FIT_BANDS]
    assert floors == sorted(floors, reverse=True) and floors[-1] == 0
    assert fit.words and fit.meaning
    if fit.next_floor is None:
        assert score >= floors[0]
    else:
        assert 0 < fit.points_to_next <= fit.next_floor and fit_of(fit.next_floor).key != fit.key


def test_the_role_page_lists_the_paths_own_steps_in_the_same_order_and_hours(person):
    profile, role = person
    client = page_client(profile.user)

    role_page = client.get(reverse("candidates:role_gap", args=[role.slug]))
    path = paths.path_get_or_generate(candidate=profile.user, role=role)
    progress = paths.path_progress(path, profile=profile)

    planned = [(item.kind, item.title, item.hours, item.gain) for item in progress.steps]
    listed = [(step.kind, step.title, step.hours, step.gain) for step in role_page.context["steps"]]
    assert listed == planned and listed


def test_a_path_starts_with_the_target_roles_own_programme(reference_data):
    """A cheaper module of another role's programme teaching the same skill is not chosen."""
    skill = 1
    target = matching.Target(
        kind="role", id=1, skills=(matching.SkillRequirement(skill, "essential", 3),)
    )
    candidate = matching.Candidate(skills={}, languages={})

    def module(pk, hours):
        return matching.Step(
            kind="module",
            object_id=pk,
            label=f"module {pk}",
            skill_ids=frozenset({skill}),
            evidence="training_certified",
            skill_levels=((skill, 3),),
            slug=f"module-{pk}",
            hours=hours,
        )

    modules = {10: module(10, 8), 20: module(20, 30)}  # 10: another role's, cheaper
    plan = paths.plan_path(
        candidate, target, modules=modules, prerequisites={}, own_module_ids=frozenset({20})
    )
    assert [step.object_id for step in plan.modules] == [20]
    anyone = paths.plan_path(candidate, target, modules=modules, prerequisites={})
    assert [step.object_id for step in anyone.modules] == [10]


def test_the_demo_police_agent_path_does_not_start_with_a_peace_guard_module(person):
    profile, _peace_guard = person
    role = Role.objects.get(slug="police-agent")
    steps = paths.plan_steps(profile=profile, role=role)
    own = set(Role.objects.get(pk=role.pk).programmes.values_list("modules__pk", flat=True))
    modules = [step for step in steps if step.kind == "module"]
    assert modules and modules[0].object_id in own


def test_the_dashboard_always_names_one_next_action(person):
    profile, role = person
    client = page_client(profile.user)

    incomplete = client.get(reverse("candidates:dashboard"))
    assert incomplete.context["next_action"].kind == "profile"

    from tests.candidates.test_completeness import ALL_STEPS, fill

    fill(profile, ALL_STEPS)
    profile.target_roles.set([role])
    complete = client.get(reverse("candidates:dashboard"))
    action = complete.context["next_action"]
    assert action.kind in {"apply", "practise", "enrol", "attend"}
    assert f'href="{action.url}"' in complete.content.decode()

    vacancy = vacancy_like_its_role(role, profile.commune)
    held = set(profile.skills.values_list("skill_id", flat=True))
    for row in RoleRequirement.objects.filter(role=role, stage="entry").exclude(skill__in=held):
        factories.CandidateSkillFactory(profile=profile, skill=row.skill)
    profile.skills.update(evidence="training_certified", level=4)
    with_good_fit = client.get(reverse("candidates:dashboard")).context["next_action"]
    assert with_good_fit.kind == "apply"
    assert with_good_fit.url == reverse("employers:apply", args=[vacancy.pk])


def test_matches_put_the_target_roles_first_with_apply_before_a_closed_explanation(person):
    profile, role = person
    other = factories.VacancyFactory(role=Role.objects.get(slug="steward"))
    mine = factories.VacancyFactory(role=role)
    response = page_client(profile.user).get(reverse("candidates:matches"))
    text = response.content.decode()

    rows = response.context["rows"]
    assert rows[0].vacancy == mine and rows[-1].vacancy == other
    assert rows[0].is_target_role and not rows[-1].is_target_role
    card = text[text.index(f'id="vacancy-{mine.pk}"') :]
    assert card.index(reverse("employers:apply", args=[mine.pk])) < card.index("<details")
    assert '<details class="match-why" open' not in text
    assert "For my target roles" in text


def test_the_api_keeps_its_ranking_and_marks_target_roles_and_the_band(person, api_client):
    profile, role = person
    other = factories.VacancyFactory(role=Role.objects.get(slug="steward"))
    mine = factories.VacancyFactory(role=role)
    api_client.force_authenticate(profile.user)

    results = api_client.get("/api/v1/me/matches/").data["results"]

    assert [(row["vacancy"]["id"], row["score"]) for row in results] == matching.matches_for(
        profile=profile
    )
    by_id = {row["vacancy"]["id"]: row for row in results}
    assert by_id[mine.pk]["is_target_role"] and not by_id[other.pk]["is_target_role"]
    for row in results:
        fit = fit_of(row["score"])
        assert (row["fit_band"], row["fit_words"]) == (fit.key, fit.words)


def test_a_step_that_changes_nothing_for_the_target_is_not_offered(person):
    """Languages already held at the level asked bring no course into the plan, and the
    matches page offers only steps that raise the fit."""
    profile, role = person
    for language in Language.objects.filter(code__in=["fr", "nl", "en", "de"]):
        factories.CandidateLanguageFactory(profile=profile, language=language, cefr="C2")
    factories.VacancyFactory(role=role)
    client = page_client(profile.user)

    steps = client.get(reverse("candidates:role_gap", args=[role.slug])).context["steps"]
    rows = client.get(reverse("candidates:matches")).context["rows"]

    assert steps and not [step for step in steps if step.language_id]
    assert all(step.gain > 0 for step in steps if step.kind == "module")
    for row in rows:
        assert all(step.gain > 0 for step in row.useful_steps)
        assert all(step.gain > 0 for gap in row.gaps + row.language_gaps for step in gap.steps)


def test_without_a_good_fit_the_next_action_is_the_plans_next_step(person):
    from candidates.selectors import candidate_profile_completeness
    from college.guidance.next_action import next_action_for
    from tests.candidates.test_completeness import ALL_STEPS, fill

    profile, role = person
    fill(profile, ALL_STEPS)
    profile.target_roles.set([role])

    action = next_action_for(
        profile=profile, completeness=candidate_profile_completeness(profile=profile)
    )

    todo = [step for step in paths.plan_steps(profile=profile, role=role) if step.status == "todo"]
    first_test = next((step for step in todo if step.kind == "test"), None)
    expected = first_test or next(step for step in todo if step.kind == "module")
    assert action.kind == ("practise" if first_test else "enrol")
    assert action.url == expected.url


def test_with_nothing_left_in_the_loop_the_dashboard_still_points_to_practising(person):
    from candidates.selectors import candidate_profile_completeness
    from college.guidance.next_action import next_action_for
    from tests.candidates.test_completeness import ALL_STEPS, fill

    profile, _role = person
    fill(profile, ALL_STEPS)
    completeness = candidate_profile_completeness(profile=profile)
    profile.target_roles.clear()  # no path, no vacancy: nothing else to point at

    action = next_action_for(profile=profile, completeness=completeness)

    assert action.kind == "practise" and action.url == reverse("assessments:battery_list")


def test_once_enrolled_the_next_action_is_to_attend_the_group(person):
    from candidates.selectors import candidate_profile_completeness
    from college.guidance.next_action import next_action_for
    from tests.candidates.test_completeness import ALL_STEPS, fill

    profile, _role = person
    fill(profile, ALL_STEPS)
    completeness = candidate_profile_completeness(profile=profile)
    profile.target_roles.clear()
    enrolment = factories.EnrolmentFactory(candidate=profile.user)

    with translation.override("en"):
        action = next_action_for(profile=profile, completeness=completeness)

    assert action.kind == "attend" and action.url == reverse("my_training")
    assert enrolment.cohort.module.title_en in action.hint and "Brusafe, Haren" in action.hint


def test_the_dashboards_next_action_costs_the_same_queries_whatever_the_vacancies(person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.candidates.test_completeness import ALL_STEPS, fill

    profile, role = person
    fill(profile, ALL_STEPS)
    profile.target_roles.set([role])
    client = page_client(profile.user)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("candidates:dashboard")).status_code == 200
        return len(context.captured_queries)

    factories.VacancyFactory(role=Role.objects.get(slug="steward"))
    count()  # the first visit fills the per-process caches (roles, translations)
    few = count()
    for _index in range(15):
        factories.VacancyFactory(role=Role.objects.get(slug="steward"))
    assert count() == few


def test_the_counsellor_sees_the_fit_the_job_seeker_sees_for_a_target_role(person, cast):
    profile, role = person
    expected = matching.evaluate_role(profile=profile, role=role).score
    client = page_client(cast.counsellor)

    page = client.get(reverse("candidates:counsellor_profile", args=[profile.pk]))

    assert page.status_code == 200
    assert [int(value) for value in FIT_VALUE.findall(page.content.decode())] == [expected]
    assert fit_of(expected).words in page.content.decode()
