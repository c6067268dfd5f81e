"""The job-seeker's path page and the counsellor's path editor."""

import pytest
from django.urls import reverse
from django.utils import translation

from college.models import PathStep, TrainingPath
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(cast):
    """A target role with one gap skill a module teaches, for the cast's candidate."""
    skill = factories.SkillFactory(label_en="Conflict calming")
    role = factories.RoleFactory(title_en="Street warden")
    factories.RoleRequirementFactory(role=role, skill=skill, target_level=3)
    module = factories.ModuleFactory(title_en="De-escalation", hours=12)
    factories.ModuleSkillFactory(module=module, skill=skill, level=3)
    profile = cast.candidate.candidate_profile
    profile.target_roles.add(role)
    return cast, profile, role, module


def editor_url(profile):
    return reverse("counsellor_path", args=[profile.pk])


def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_candidate_sees_a_path_generated_on_first_visit(client, setup):
    cast, _profile, role, module = setup
    client.force_login(cast.candidate)

    with translation.override("en"):
        response = english(client).get(reverse("my_path"))

    assert response.status_code == 200
    path = TrainingPath.objects.get(candidate=cast.candidate, role=role)
    assert list(path.steps.values_list("module_id", flat=True)) == [module.pk]
    body = response.content.decode()
    assert "De-escalation" in body and "Street warden" in body
    assert "<progress" in body and 'role="img"' in body
    assert "Prepare my path again" in body


def test_the_candidate_without_target_role_is_sent_to_the_roles_step(client, cast):
    client.force_login(cast.candidate)

    response = english(client).get(reverse("my_path"))

    assert response.status_code == 200
    assert reverse("candidates:profile_roles") in response.content.decode()


def test_the_candidate_can_regenerate_until_a_counsellor_edits(client, setup):
    cast, _profile, role, _module = setup
    client.force_login(cast.candidate)
    client.get(reverse("my_path"))
    path = TrainingPath.objects.get(candidate=cast.candidate, role=role)

    response = client.post(reverse("my_path_regenerate"), {"role": role.slug})
    assert response.status_code == 302
    path.refresh_from_db()
    assert path.edited_by is None

    path.edited_by = cast.counsellor
    path.save()
    path.steps.all().delete()
    client.post(reverse("my_path_regenerate"), {"role": role.slug})
    assert not path.steps.exists()


def test_the_candidate_cannot_regenerate_a_role_they_do_not_target(client, setup):
    cast, *_rest = setup
    client.force_login(cast.candidate)

    response = client.post(reverse("my_path_regenerate"), {"role": factories.RoleFactory().slug})

    assert response.status_code == 404


def test_anonymous_visitors_go_to_login(client, setup):
    _cast, profile, *_rest = setup

    for url in (reverse("my_path"), editor_url(profile)):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response["Location"]


def test_the_candidate_page_is_for_candidates_only(client, setup):
    cast, *_rest = setup
    client.force_login(cast.counsellor)

    assert client.get(reverse("my_path")).status_code == 403


@pytest.mark.parametrize("who", ["other_counsellor", "candidate", "other_candidate", "employer"])
def test_outsiders_get_a_404_on_the_editor(client, setup, who):
    cast, profile, *_rest = setup
    user = {
        "other_counsellor": cast.other_counsellor,
        "candidate": cast.candidate,
        "other_candidate": cast.other_candidate,
        "employer": cast.employer_member,
    }[who]
    client.force_login(user)

    assert client.get(editor_url(profile)).status_code == 404
    assert client.post(editor_url(profile), {"action": "generate"}).status_code == 404


def test_staff_may_view_but_not_edit(client, setup):
    cast, profile, *_rest = setup
    client.force_login(cast.staff)

    assert client.get(editor_url(profile)).status_code == 200
    assert client.post(editor_url(profile), {"action": "generate"}).status_code == 403


def test_the_counsellor_shapes_the_path(client, setup):
    cast, profile, role, module = setup
    extra = factories.ModuleFactory(title_en="Report writing", hours=6)
    client.force_login(cast.counsellor)
    english(client)

    response = client.get(editor_url(profile))
    assert response.status_code == 200
    assert "De-escalation" in response.content.decode()

    response = client.post(
        editor_url(profile),
        {"action": "add_module", "role": role.slug, "module-module": extra.pk, "module-note": "Ok"},
    )
    assert response.status_code == 302
    path = TrainingPath.objects.get(candidate=cast.candidate, role=role)
    added = path.steps.get(module=extra)
    assert added.added_by == cast.counsellor and added.note == "Ok"

    client.post(editor_url(profile), {"action": "up", "role": role.slug, "step": added.pk})
    assert list(path.steps.values_list("module_id", flat=True)) == [extra.pk, module.pk]

    client.post(
        editor_url(profile),
        {"action": "note", "role": role.slug, "step": added.pk, f"step-{added.pk}-note": "Lu"},
    )
    client.post(
        editor_url(profile),
        {"action": "explain", "role": role.slug, "path-explanation": "D'abord écrire."},
    )
    path.refresh_from_db()
    assert path.explanation == "D'abord écrire." and path.steps.get(pk=added.pk).note == "Lu"
    assert path.edited_by == cast.counsellor

    client.post(editor_url(profile), {"action": "remove", "role": role.slug, "step": added.pk})
    assert not path.steps.filter(pk=added.pk).exists()

    client.force_login(cast.candidate)
    body = english(client).get(reverse("my_path")).content.decode()
    assert "D&#x27;abord écrire." in body
    assert "Prepare my path again" not in body


def test_a_module_with_missing_prerequisites_gets_a_field_error(client, setup):
    cast, profile, role, _module = setup
    basic = factories.ModuleFactory(title_en="Basics first")
    advanced = factories.ModuleFactory(title_en="Advanced")
    advanced.prerequisites.add(basic)
    client.force_login(cast.counsellor)

    response = english(client).post(
        editor_url(profile),
        {"action": "add_module", "role": role.slug, "module-module": advanced.pk},
    )

    assert response.status_code == 400
    assert "Basics first" in response.content.decode()
    assert not PathStep.objects.filter(module=advanced).exists()


def test_a_note_too_long_is_an_error_at_the_field(client, setup):
    cast, profile, role, _module = setup
    client.force_login(cast.counsellor)
    client.get(editor_url(profile))
    step = PathStep.objects.get(path__candidate=cast.candidate)

    response = english(client).post(
        editor_url(profile),
        {"action": "note", "role": role.slug, "step": step.pk, f"step-{step.pk}-note": "x" * 301},
    )

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_step_of_another_path_is_a_404(client, setup):
    cast, profile, role, _module = setup
    foreign = factories.PathStepFactory()
    client.force_login(cast.counsellor)

    response = client.post(
        editor_url(profile), {"action": "remove", "role": role.slug, "step": foreign.pk}
    )

    assert response.status_code == 404
    assert PathStep.objects.filter(pk=foreign.pk).exists()


def test_the_candidate_page_runs_a_bounded_number_of_queries(
    client, setup, django_assert_max_num_queries
):
    cast, *_rest = setup
    client.force_login(cast.candidate)
    client.get(reverse("my_path"))

    with django_assert_max_num_queries(25):
        assert client.get(reverse("my_path")).status_code == 200


def test_the_dashboard_include_renders_the_summary(setup):
    from django.template.loader import render_to_string

    from college.guidance.paths import path_summary_for

    cast, *_rest = setup
    with translation.override("en"):
        html = render_to_string(
            "college/guidance/includes/path_progress.html",
            {"path_summary": path_summary_for(cast.candidate)},
        )
        empty = render_to_string(
            "college/guidance/includes/path_progress.html", {"path_summary": None}
        )

    assert "Street warden" in html and "Fit with this role" in html
    assert reverse("candidates:profile_roles") in empty
