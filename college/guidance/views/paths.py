"""The training path pages: the job-seeker's own paths and the counsellor's editor."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from candidates.access import get_own_profile
from candidates.matches.selectors import Gap
from candidates.models import ProfileView
from candidates.services import candidate_profile_get_or_create, profile_view_log
from college import matching
from college.core.access import role_required
from college.guidance import paths
from college.guidance.forms.paths import (
    ExplanationForm,
    StepAddModuleForm,
    StepAddTestForm,
    StepNoteForm,
)
from college.models import PathStep, Role, TrainingPath, User
from college.models.slugs import get_by_any_slug
from college.reference.fit import fit_of


def _with_cohorts(progresses):
    """Puts the next open cohort on every module step: one query for all paths."""
    module_ids = {
        item.object_id
        for progress in progresses
        for item in progress.steps
        if item.kind == "module"
    }
    cohorts = paths.next_cohorts(module_ids) if module_ids else {}
    for progress in progresses:
        for item in progress.steps:
            if item.kind == "module":
                item.next_cohort = cohorts.get(item.object_id)
    return progresses


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET"])
def my_path(request):
    profile = get_own_profile(request.user)
    roles = paths.target_roles_of(profile)
    progresses = []
    for role in roles:
        path = paths.path_get_or_generate(candidate=request.user, role=role)
        progresses.append(paths.path_progress(path, profile=profile))
    context = {"progresses": _with_cohorts(progresses), "good_score": paths.GOOD_SCORE}
    return render(request, "college/guidance/my_path.html", context)


@role_required(User.Role.CANDIDATE)
@require_POST
def my_path_regenerate(request):
    profile = get_own_profile(request.user)
    roles = {role.slug: role for role in paths.target_roles_of(profile)}
    role = roles.get(request.POST.get("role", ""))
    if role is None:
        raise Http404
    path = TrainingPath.objects.filter(candidate=request.user, role=role).first()
    if path is not None and path.edited_by_id is not None:
        messages.error(
            request,
            _("Your counsellor has shaped this path: ask them before changing it."),
        )
    else:
        paths.path_generate(candidate=request.user, role=role, by=request.user)
        messages.success(request, _("Your path has been prepared again from your profile."))
    return redirect(reverse("my_path") + f"#path-{role.slug}")


# The counsellor's editor ------------------------------------------------------------------------

ACTIONS = ("generate", "add_module", "add_test", "remove", "up", "down", "note", "explain")


def _selected_role(roles, slug):
    if not roles:
        return None
    if not slug:
        return roles[0]
    for role in roles:
        if role.slug == slug:
            return role
    raise Http404


def _editor_page(request, profile, role, *, status=200, **forms):
    roles = paths.target_roles_of(profile)
    context = {"profile": profile, "roles": roles, "role": role, "progress": None}
    if role is not None:
        path = paths.path_get_or_generate(candidate=profile.user, role=role)
        progress = paths.path_progress(path, profile=profile)
        _with_cohorts([progress])
        note_errors = forms.get("note_errors", {})
        for item in progress.steps:
            item.note_errors = note_errors.get(item.step.pk, [])
        context.update(
            progress=progress,
            can_edit=request.user.role == User.Role.COUNSELLOR,
            module_form=forms.get("module_form") or StepAddModuleForm(prefix="module"),
            test_form=forms.get("test_form") or StepAddTestForm(prefix="test"),
            explanation_form=forms.get("explanation_form")
            or ExplanationForm(initial={"explanation": path.explanation}, prefix="path"),
        )
    return render(request, "college/guidance/counsellor_path.html", context, status=status)


@require_http_methods(["GET", "POST"])
def counsellor_path(request, profile_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    is_post = request.method == "POST"
    profile = paths.get_path_profile_for(request.user, profile_id, to_edit=is_post)
    roles = paths.target_roles_of(profile)
    role = _selected_role(roles, (request.POST if is_post else request.GET).get("role", ""))
    if not is_post:
        profile_view_log(profile=profile, viewer=request.user, channel=ProfileView.Channel.PAGE)
        return _editor_page(request, profile, role)
    action = request.POST.get("action", "")
    if role is None or action not in ACTIONS:
        raise Http404
    path = paths.path_get_or_generate(candidate=profile.user, role=role)
    done_url = reverse("counsellor_path", args=[profile.pk]) + f"?role={role.slug}"
    by = request.user
    if action == "generate":
        paths.path_generate(candidate=profile.user, role=role, by=by)
        messages.success(request, _("The path has been generated again; your own steps stay."))
    elif action == "explain":
        form = ExplanationForm(request.POST, prefix="path")
        if not form.is_valid():
            return _editor_page(request, profile, role, status=400, explanation_form=form)
        paths.path_explain(path=path, explanation=form.cleaned_data["explanation"], by=by)
        messages.success(request, _("Explanation saved."))
    elif action in ("add_module", "add_test"):
        form_class, prefix, key = (
            (StepAddModuleForm, "module", "module_form")
            if action == "add_module"
            else (StepAddTestForm, "test", "test_form")
        )
        form = form_class(request.POST, prefix=prefix)
        if form.is_valid():
            data = form.cleaned_data
            try:
                paths.path_step_add(
                    path=path,
                    by=by,
                    module=data.get("module"),
                    battery=data.get("battery"),
                    note=data["note"],
                    with_prerequisites=data.get("with_prerequisites", False),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
        if form.errors:
            return _editor_page(request, profile, role, status=400, **{key: form})
        messages.success(request, _("Step added to the path."))
    else:
        step = get_object_or_404(PathStep, path=path, pk=request.POST.get("step") or 0)
        if action == "remove":
            paths.path_step_remove(step=step, by=by)
            messages.success(request, _("Step removed."))
        elif action in ("up", "down"):
            paths.path_step_move(step=step, direction=action, by=by)
        else:
            form = StepNoteForm(request.POST, prefix=f"step-{step.pk}")
            if not form.is_valid():
                return _editor_page(
                    request, profile, role, status=400, note_errors={step.pk: form["note"].errors}
                )
            paths.path_step_note(step=step, note=form.cleaned_data["note"], by=by)
            messages.success(request, _("Note saved."))
    return redirect(done_url)


@role_required(User.Role.CANDIDATE)
@require_GET
def role_gap(request, slug):
    profile = candidate_profile_get_or_create(user=request.user)
    role = get_by_any_slug(Role.objects.all(), slug)
    if role is None:
        raise Http404
    match = matching.evaluate_role(profile=profile, role=role)
    is_target = profile.target_roles.filter(pk=role.pk).exists()
    # One plan: the next steps are the path's own (generated for a target role as the path
    # page does), never a second list ranked another way.
    steps = paths.plan_steps(profile=profile, role=role, generate=is_target)
    gaps = [
        Gap(line=line, steps=[step for step in steps if line.skill_id in step.skill_ids])
        for line in match.skills
        if line.state != matching.MATCHED
    ]
    language_gaps = [
        Gap(line=line, steps=[step for step in steps if step.language_id == line.language_id])
        for line in match.languages
        if not line.met
    ]
    context = {
        "role": role,
        "match": match,
        "fit": fit_of(match.score),
        "steps": steps,
        "hours": sum(step.hours for step in steps),
        "gaps": gaps,
        "language_gaps": language_gaps,
        "is_target": is_target,
    }
    return render(request, "college/guidance/role_gap.html", context)
