"""Profile builder steps: skills (search, suggestions, levels) and target roles."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from candidates.forms.skills import (
    MIN_QUERY_LENGTH,
    SkillAddForm,
    SkillLevelForm,
    SkillSearchForm,
)
from candidates.models import CandidateSkill, Evidence
from candidates.selectors import candidate_profile_completeness
from candidates.services import (
    candidate_profile_get_or_create,
    candidate_skill_set,
)
from college.core.access import role_required
from college.models import (
    Importance,
    Level,
    RoleRequirement,
    Skill,
    User,
    active_language,
    importance_order,
)

SEARCH_LIMIT = 20
DEFAULT_ADD_LEVEL = Level.INDEPENDENT
ADD_SOURCES = ("search", "suggestion")


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def skills(request):
    """The skills in the profile, a search of the framework and suggestions from target roles.

    Adding posts here (`action=add`, `skill`, `level`, and `q` to come back to the same
    results); a skill already held gets the new level, under the evidence rule.
    """
    profile = candidate_profile_get_or_create(user=request.user)
    add_form = None
    if request.method == "POST":
        if request.POST.get("action") != "add":
            return HttpResponseBadRequest(_("This form asks for something unknown."))
        add_form = SkillAddForm(request.POST)
        if add_form.is_valid():
            skill = add_form.cleaned_data["skill"]
            before = CandidateSkill.objects.filter(profile=profile, skill=skill).first()
            after = candidate_skill_set(
                profile=profile, skill=skill, level=add_form.cleaned_data["level"]
            )
            messages.success(request, _skill_saved_message(skill.label, before, after))
            # Back where the person was: the search results, or the suggestions.
            where = "search-results" if add_form.cleaned_data["q"].strip() else "suggestions"
            return redirect(f"{_skills_url(add_form.cleaned_data['q'])}#{where}")
        query = request.POST.get("q", "")
        search_form = SkillSearchForm({"q": query} if query.strip() else {})
    else:
        search_form = SkillSearchForm(request.GET)
    context = _skills_context(profile, search_form, add_form)
    return render(request, "candidates/profile/skills.html", context)


def _skills_context(profile, search_form, add_form):
    language = active_language()
    held = list(
        CandidateSkill.objects.filter(profile=profile)
        .select_related("skill")
        .order_by(f"skill__label_{language}", "skill_id")
    )
    held_ids = {item.skill_id for item in held}
    query = search_form.query()
    searched = "q" in search_form.data
    results = None
    if len(query) >= MIN_QUERY_LENGTH:
        results = [
            {"skill": skill, "held": skill.pk in held_ids}
            for skill in Skill.objects.search(query, language)[:SEARCH_LIMIT]
        ]
    completeness = candidate_profile_completeness(profile=profile)
    has_target_roles = any(
        step["key"] == "roles" and step["done"] for step in completeness["steps"]
    )
    context = {
        "completeness": completeness,
        "step": "skills",
        "held": held,
        "held_ids": ",".join(str(pk) for pk in sorted(held_ids)),
        "search_form": search_form,
        "query": query,
        "searched": searched,
        "query_too_short": searched and len(query) < MIN_QUERY_LENGTH,
        "results": results,
        "search_limit": SEARCH_LIMIT,
        "min_query_length": MIN_QUERY_LENGTH,
        "has_target_roles": has_target_roles,
        "suggestion_groups": _suggestion_groups(profile, held_ids) if has_target_roles else [],
        "level_choices": Level.choices,
        "default_level": DEFAULT_ADD_LEVEL,
        "add_form": add_form,
        "add_error_skill": None,
        "add_error_anchor": "id_q",
    }
    if add_form is not None:
        # Shows the errors beside the form that was sent, when it is still on the page.
        raw_skill = str(add_form.data.get("skill", ""))
        source = add_form.data.get("source", "")
        if raw_skill.isdigit() and source in ADD_SOURCES:
            context["add_error_skill"] = int(raw_skill)
            context["add_error_source"] = source
            context["add_error_anchor"] = f"add-{source}-{int(raw_skill)}"
    return context


def _suggestion_groups(profile, held_ids):
    """Skills the target roles ask for and the profile lacks, essential first: one query."""
    requirements = (
        RoleRequirement.objects.filter(role__interested_candidates=profile)
        .exclude(skill_id__in=held_ids)
        .select_related("skill", "role")
        .order_by(importance_order(), "skill_id", "role_id")
    )
    by_skill = {}
    for requirement in requirements:
        entry = by_skill.get(requirement.skill_id)
        if entry is None:
            # Ordered by importance: the first requirement seen is the most important one.
            entry = by_skill[requirement.skill_id] = {
                "skill": requirement.skill,
                "importance": requirement.importance,
                "target_level": requirement.target_level,
                "roles": [],
            }
        entry["target_level"] = max(entry["target_level"], requirement.target_level)
        entry["roles"].append(requirement.role.title)
    groups = []
    for importance in Importance:
        items = sorted(
            (entry for entry in by_skill.values() if entry["importance"] == importance),
            key=lambda entry: entry["skill"].label.casefold(),
        )
        for entry in items:
            entry["roles"] = sorted(set(entry["roles"]), key=str.casefold)
            entry["target_level_label"] = Level(entry["target_level"]).label
        if items:
            groups.append(
                {"importance": importance.value, "label": importance.label, "items": items}
            )
    return groups


def _skills_url(query=""):
    url = reverse("candidates:profile_skills")
    query = (query or "").strip()
    return f"{url}?{urlencode({'q': query})}" if query else url


def _skill_saved_message(label, before, after):
    values = {"skill": label, "level": after.level, "evidence": after.get_evidence_display()}
    if before is None:
        return _("“%(skill)s” is now in your profile, at level %(level)s.") % values
    if before.level == after.level:
        return _("“%(skill)s” was already in your profile at level %(level)s.") % values
    if after.level > before.level and before.evidence != Evidence.SELF_DECLARED:
        return (
            _(
                "“%(skill)s” is now at level %(level)s. This level is self-declared until a "
                "counsellor, a test or a training confirms it."
            )
            % values
        )
    if after.evidence != Evidence.SELF_DECLARED:
        return _("“%(skill)s” is now at level %(level)s and keeps its evidence: %(evidence)s.") % (
            values
        )
    return _("“%(skill)s” is now at level %(level)s.") % values


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def skill_edit(request, skill_id):
    profile = candidate_profile_get_or_create(user=request.user)
    item = get_object_or_404(
        CandidateSkill.objects.select_related("skill"), profile=profile, skill_id=skill_id
    )
    form = SkillLevelForm(
        request.POST if request.method == "POST" else None, initial={"level": item.level}
    )
    if request.method == "POST" and form.is_valid():
        after = candidate_skill_set(
            profile=profile, skill=item.skill, level=form.cleaned_data["level"]
        )
        messages.success(request, _skill_saved_message(item.skill.label, item, after))
        return redirect("candidates:profile_skills")
    return render(
        request,
        "candidates/profile/skill_edit.html",
        {
            "completeness": candidate_profile_completeness(profile=profile),
            "step": "skills",
            "item": item,
            "form": form,
            "is_confirmed": item.evidence != Evidence.SELF_DECLARED,
        },
    )


@role_required(User.Role.CANDIDATE)
@require_POST
def skill_delete(request, skill_id):
    profile = candidate_profile_get_or_create(user=request.user)
    item = get_object_or_404(
        CandidateSkill.objects.select_related("skill"), profile=profile, skill_id=skill_id
    )
    label = item.skill.label
    item.delete()
    messages.success(request, _("“%(skill)s” was removed from your profile.") % {"skill": label})
    return redirect("candidates:profile_skills")
