"""The training catalogue: its loader, its coverage of the roles, its selectors and its pages."""

import datetime
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from college.models import (
    CEFR,
    Enrolment,
    Language,
    Module,
    ModuleSkill,
    Programme,
    RoleLanguageRequirement,
    RoleRequirement,
    Skill,
)
from college.training.catalogue import (
    CATALOGUE_FILE,
    CatalogueError,
    load_catalogue,
    modules_teaching,
    upcoming_cohorts,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(reference_data):
    if not Module.objects.filter(slug="first-aid").exists():
        load_catalogue()


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def catalogue_data():
    with open(CATALOGUE_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def write(tmp_path, data):
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def page_text(response):
    return response.content.decode()


# The loader ------------------------------------------------------------------------------------


def test_the_catalogue_loads_every_programme_and_module_of_the_file(reference_data):
    data = catalogue_data()
    report = load_catalogue()
    assert report.counts["modules"] == len(data["modules"]) == Module.objects.count()
    assert report.counts["programmes"] == len(data["programmes"]) == Programme.objects.count()
    assert ModuleSkill.objects.count() == report.counts["skills taught"]
    assert "modules" in str(report)


def test_loading_twice_changes_nothing_and_repairs_what_was_edited(catalogue):
    first_aid = Module.objects.get(slug="first-aid")
    before = set(ModuleSkill.objects.values_list("module_id", "skill_id", "level"))
    first_aid.hours = 99
    first_aid.save()
    first_aid.outcomes.update(level=1)
    factories.ModuleSkillFactory(module=first_aid, skill=Skill.objects.get(label_en="criminology"))
    first_aid.languages.set([Language.objects.get(code="en")])
    first_aid.prerequisites.set([Module.objects.get(slug="report-writing")])

    load_catalogue()

    first_aid.refresh_from_db()
    assert first_aid.hours == 15
    assert set(ModuleSkill.objects.values_list("module_id", "skill_id", "level")) == before
    assert {language.code for language in first_aid.languages.all()} == {"fr", "nl"}
    assert not first_aid.prerequisites.exists()
    assert Module.objects.count() == len(catalogue_data()["modules"])


def test_every_skill_a_role_requires_is_taught_at_its_target_level(catalogue):
    taught = {}
    for skill_id, level in ModuleSkill.objects.filter(module__is_active=True).values_list(
        "skill_id", "level"
    ):
        taught[skill_id] = max(level, taught.get(skill_id, 0))
    requirements = RoleRequirement.objects.select_related("skill", "role")
    assert requirements.count() > 100
    gaps = [
        f"{item.role.slug}: {item.skill.label_en} needs {item.target_level}"
        for item in requirements
        if taught.get(item.skill_id, 0) < item.target_level
    ]
    assert gaps == []


def test_every_language_level_a_role_asks_for_has_a_chain_of_courses(catalogue):
    courses = Module.objects.active().filter(language_taught__isnull=False)
    for requirement in RoleLanguageRequirement.objects.select_related("language"):
        reaching = [
            course
            for course in courses
            if course.language_taught_id == requirement.language_id
            and CEFR.rank(course.cefr_reached) >= CEFR.rank(requirement.min_cefr)
        ]
        assert reaching, f"no {requirement.language.code} course to {requirement.min_cefr}"
        # Every course of the chain follows a lower course of the same language.
        course = min(reaching, key=lambda item: CEFR.rank(item.cefr_reached))
        while course is not None:
            previous = list(course.prerequisites.all())
            for item in previous:
                assert item.language_taught_id == course.language_taught_id
                assert CEFR.rank(item.cefr_reached) < CEFR.rank(course.cefr_reached)
            course = previous[0] if previous else None


def test_the_dutch_b1_course_requires_the_a2_course_and_prepares_article_8(catalogue):
    b1 = Module.objects.get(slug="nl-security-b1")
    assert b1.language_taught.code == "nl"
    assert b1.cefr_reached == "B1"
    assert [item.slug for item in b1.prerequisites.all()] == ["nl-security-a2"]
    assert "article 8" in b1.certificate_en


def test_the_community_guard_training_has_9_subjects_over_106_hours_with_a_50_pass_mark(catalogue):
    subjects = Module.objects.filter(programme__slug="peace-guard")
    assert subjects.count() == 9
    assert sum(subjects.values_list("hours", flat=True)) == 106
    assert set(subjects.values_list("pass_percent", flat=True)) == {50}
    assert subjects.get(slug="peace-guard-rights-duties").hours == 24
    assert subjects.get(slug="peace-guard-communication").hours == 24


def test_the_sac_and_private_security_trainings_have_their_legal_length(catalogue):
    sac = Module.objects.filter(programme__slug="sac-officer")
    assert sac.count() == 4
    assert 40 <= sum(sac.values_list("hours", flat=True)) <= 45
    guard = Module.objects.filter(programme__slug="security-guard")
    assert sum(guard.values_list("hours", flat=True)) == 139


def test_every_module_has_texts_in_three_languages_and_sources(catalogue):
    for module in Module.objects.all():
        for field in ("title", "summary", "certificate"):
            for code in ("fr", "nl", "en"):
                assert getattr(module, f"{field}_{code}"), (module.slug, field, code)
        assert "ESCO" in module.sources
        assert module.languages.exists()


def catalogue_snapshot():
    """What a failed load must leave untouched: modules, their texts, outcomes, prerequisites."""
    return (
        list(Module.objects.order_by("slug").values_list("slug", "title_nl", "hours", "programme")),
        list(ModuleSkill.objects.order_by("pk").values_list("module", "skill", "level")),
        list(
            Module.prerequisites.through.objects.order_by("pk").values_list(
                "from_module", "to_module"
            )
        ),
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda data: data["modules"][0]["skills"].append({"skill": "http://x/y", "level": 2}),
            "unknown skill",
        ),
        (lambda data: data["modules"][0]["skills"][0].update(level=7), "unknown level"),
        (
            lambda data: data["modules"][0].update(prerequisites=["no-such-module"]),
            "unknown module",
        ),
        (lambda data: data["modules"][0].update(hours=0), "hours"),
        (lambda data: data["modules"][0].update(languages=["xx"]), "unknown language"),
        (lambda data: data["modules"][0].update(cefr_reached="B1"), "language course"),
        (lambda data: data["modules"][0]["title"].update(nl=""), "no nl title"),
        (lambda data: data["modules"][0].update(programme="nowhere"), "unknown programme"),
        (lambda data: data["programmes"][0].update(roles=["astronaut"]), "unknown role"),
    ],
)
def test_bad_data_is_rejected_with_a_clear_error_and_nothing_is_saved(
    reference_data, tmp_path, change, message
):
    before = catalogue_snapshot()
    data = catalogue_data()
    change(data)
    with pytest.raises(CatalogueError, match=message):
        load_catalogue(path=write(tmp_path, data))
    assert catalogue_snapshot() == before


def test_a_cycle_in_prerequisites_is_rejected_and_named(reference_data, tmp_path):
    before = catalogue_snapshot()
    data = catalogue_data()
    modules = {entry["slug"]: entry for entry in data["modules"]}
    modules["nl-security-a2"]["prerequisites"] = ["nl-security-b2"]
    with pytest.raises(CatalogueError, match="cycle: .*nl-security-a2"):
        load_catalogue(path=write(tmp_path, data))
    assert catalogue_snapshot() == before


def test_a_file_that_is_not_json_is_rejected(reference_data, tmp_path):
    path = tmp_path / "catalogue.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid JSON"):
        load_catalogue(path=path)


def test_the_management_command_prints_the_counts(reference_data, capsys):
    call_command("load_catalogue")
    output = capsys.readouterr().out
    assert f"{len(catalogue_data()['modules'])} modules" in output


# Selectors -------------------------------------------------------------------------------------


def test_modules_teaching_lists_active_modules_with_their_outcomes(
    catalogue, django_assert_num_queries
):
    first_aid = Skill.objects.get(label_en="provide first aid")
    Module.objects.filter(slug="peace-guard-first-aid").update(is_active=False)
    with django_assert_num_queries(4):
        modules = list(modules_teaching([first_aid.pk]))
        slugs = {module.slug for module in modules}
        assert all(module.outcomes.all() for module in modules)
    assert "first-aid" in slugs
    assert "peace-guard-first-aid" not in slugs
    assert "criminology" not in {outcome.skill.label_en for outcome in modules[0].outcomes.all()}


def test_upcoming_cohorts_count_enrolled_people_and_places_left(catalogue):
    module = Module.objects.get(slug="first-aid")
    today = timezone.localdate()
    soon = factories.CohortFactory(module=module, capacity=2, code="first-aid-soon")
    full = factories.CohortFactory(
        module=module, capacity=1, code="first-aid-full", starts_on=today + datetime.timedelta(40)
    )
    factories.CohortFactory(module=module, code="first-aid-cancelled", is_cancelled=True)
    factories.CohortFactory(
        module=module,
        code="first-aid-past",
        starts_on=today - datetime.timedelta(10),
        enrolment_closes_on=today - datetime.timedelta(20),
    )
    factories.EnrolmentFactory(cohort=soon)
    factories.EnrolmentFactory(cohort=soon, status=Enrolment.Status.WAITLISTED)
    factories.EnrolmentFactory(cohort=soon, status=Enrolment.Status.CANCELLED)
    factories.EnrolmentFactory(cohort=full)
    factories.EnrolmentFactory(cohort=full, status=Enrolment.Status.WAITLISTED)

    cohorts = {cohort.code: cohort for cohort in upcoming_cohorts(module)}

    assert set(cohorts) == {"first-aid-soon", "first-aid-full"}
    assert (cohorts["first-aid-soon"].enrolled_count, cohorts["first-aid-soon"].places_left) == (
        1,
        1,
    )
    assert (cohorts["first-aid-full"].enrolled_count, cohorts["first-aid-full"].places_left) == (
        1,
        0,
    )
    assert list(upcoming_cohorts(module.pk)) == list(upcoming_cohorts(module))


# The catalogue page ----------------------------------------------------------------------------


def test_anyone_sees_the_catalogue_grouped_by_programme_in_english(english, catalogue):
    response = english.get(reverse("module_list"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Basic training of a community guard (gardien de la paix)" in text
    assert "A community guard&#x27;s rights and duties" in text
    assert "24 hours" in text
    assert "No group planned yet." in text
    assert text.index("Preparing for the police selection") < text.index("Languages for security")


def test_the_catalogue_shows_each_modules_skill_count_and_next_group(english, catalogue):
    module = Module.objects.get(slug="report-writing")
    cohort = factories.CohortFactory(module=module, code="report-writing-1")
    response = english.get(reverse("module_list"), {"q": "report writing"})
    text = page_text(response)
    assert f"{module.outcomes.count()} skills taught" in text
    assert "Next group starts on" in text
    assert cohort.starts_on.strftime("%Y") in text


def test_the_catalogue_filters_by_the_role_it_prepares_for(client, catalogue):
    response = client.get(reverse("module_list"), {"role": "sac-officer"})
    slugs = {
        module.slug for _programme, modules in response.context["groups"] for module in modules
    }
    assert {"sac-law", "sac-reports", "first-aid", "fr-security-b2"} <= slugs
    assert "airport-screening" not in slugs
    assert "emergency-dispatch" not in slugs


@pytest.mark.parametrize(
    "query", ["premiers secours", "PREMIERS SOINS", "eerste hulp", "first aid"]
)
def test_the_catalogue_search_finds_skills_and_titles_in_any_language_without_accents(
    client, catalogue, query
):
    response = client.get(reverse("module_list"), {"q": query})
    slugs = {
        module.slug for _programme, modules in response.context["groups"] for module in modules
    }
    assert "first-aid" in slugs
    assert "sac-law" not in slugs


def test_the_catalogue_search_ignores_accents(client, catalogue):
    plain = client.get(reverse("module_list"), {"q": "SURETE aeroportuaire"})
    accented = client.get(reverse("module_list"), {"q": "sûreté aéroportuaire"})
    assert plain.context["module_count"] == accented.context["module_count"] >= 1


def test_the_catalogue_filters_by_language_of_instruction(client, catalogue):
    response = client.get(reverse("module_list"), {"language": "nl"})
    slugs = {
        module.slug for _programme, modules in response.context["groups"] for module in modules
    }
    assert "nl-security-b1" in slugs
    assert "fr-security-b1" not in slugs
    assert "first-aid" in slugs


def test_an_unknown_filter_value_is_a_field_error_not_a_500(english, catalogue):
    response = english.get(reverse("module_list"), {"role": "astronaut", "language": "xx"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"role", "language"}
    assert "Select a valid choice" in page_text(response)


def test_inactive_modules_are_not_in_the_catalogue(client, catalogue):
    Module.objects.filter(slug="first-aid").update(is_active=False)
    response = client.get(reverse("module_list"))
    assert reverse("module_detail", args=["first-aid"]) not in page_text(response)


def test_the_catalogue_page_runs_a_constant_number_of_queries(client, catalogue):
    url = reverse("module_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"role": "peace-guard", "language": "fr", "q": "secours"})
    for _number in range(5):
        module = factories.ModuleFactory(programme=Programme.objects.get(slug="core-skills"))
        factories.ModuleSkillFactory(module=module)
        factories.CohortFactory(module=module)
    with CaptureQueriesContext(connection) as many:
        client.get(url, {"role": "peace-guard", "language": "fr", "q": "secours"})
    with CaptureQueriesContext(connection) as unfiltered:
        client.get(url)
    assert len(many) == len(few)
    assert len(unfiltered) <= len(few)


# The module page -------------------------------------------------------------------------------


def test_a_module_page_shows_its_facts_skills_and_neighbours_in_english(english, catalogue):
    response = english.get(reverse("module_detail", args=["sac-reports"]))
    assert response.status_code == 200
    text = page_text(response)
    assert "Recording offences and writing reports" in text
    assert "12 hours" in text
    assert "Training of a municipal sanctions officer (SAC/GAS)" in text
    assert "60 %" in text
    assert "Certificate of completion – municipal sanctions officer" in text
    assert "Issue fines" in text
    assert "2 – Independent: I do it on my own in usual situations" in text
    assert reverse("module_detail", args=["sac-law"]) in text
    assert "Law of 24 June 2013" in text


def test_a_module_page_lists_the_modules_it_unlocks(english, catalogue):
    text = page_text(english.get(reverse("module_detail", args=["nl-security-a2"])))
    assert "No module to pass first" in text
    assert reverse("module_detail", args=["nl-security-b1"]) in text
    assert "Dutch, level reached: A2" in text


def test_a_module_page_lists_upcoming_groups_with_places_or_waiting_list(english, catalogue):
    module = Module.objects.get(slug="first-aid")
    open_cohort = factories.CohortFactory(
        module=module, code="first-aid-open", capacity=3, place="Brusafe, Haren"
    )
    full = factories.CohortFactory(
        module=module,
        code="first-aid-nl-full",
        capacity=1,
        language=Language.objects.get(code="nl"),
    )
    factories.EnrolmentFactory(cohort=full)
    factories.CohortFactory(module=module, code="first-aid-cancelled", is_cancelled=True)
    text = page_text(english.get(reverse("module_detail", args=["first-aid"])))
    assert reverse("cohort_detail", args=[open_cohort.code]) in text
    assert "3 places left" in text
    assert "Full: waiting list" in text
    assert "Dutch" in text
    assert "first-aid-cancelled" not in text


def test_labels_of_a_module_page_follow_the_active_language(client, catalogue):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    text = page_text(client.get(reverse("module_detail", args=["first-aid"])))
    assert "Eerste hulp (Europees brevet)" in text


def test_an_unknown_or_inactive_module_is_a_404(client, catalogue):
    assert client.get(reverse("module_detail", args=["no-such-module"])).status_code == 404
    Module.objects.filter(slug="first-aid").update(is_active=False)
    assert client.get(reverse("module_detail", args=["first-aid"])).status_code == 404


def test_a_module_page_runs_a_constant_number_of_queries(client, catalogue):
    module = Module.objects.get(slug="sac-reports")
    url = reverse("module_detail", args=[module.slug])
    factories.CohortFactory(module=module)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _number in range(4):
        cohort = factories.CohortFactory(module=module)
        factories.EnrolmentFactory(cohort=cohort)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["cohorts"]) == 5
    assert len(many) == len(few)
