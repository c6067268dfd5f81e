"""Jobs for me: the job-seeker's ranked vacancies, what a role needs, and the alert threshold.

Ranking is the engine's (`college.matching.matches_for`, one SQL statement over every
published vacancy). Only the vacancies of the page shown are then explained, all together:
`vacancy_matches` reads the profile once, the page's requirements in two queries, their
police zones in one and the next steps in one per provider, then builds each match with the
engine's own pure functions. The pages and `/api/v1/me/matches/` thus answer in a constant
number of queries, whatever the page size or the number of published vacancies; `evaluate`
would cost a handful per vacancy.

Eligibility is shown, never used to hide a vacancy: a vacancy the job-seeker cannot take yet
stays in the list with what is missing and what to do.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from candidates.forms.skills import MAX_TARGET_ROLES, TargetRolesForm
from candidates.matches.forms import MatchAlertForm
from candidates.matches.selectors import candidate_role_fit, ranked_for_person, vacancy_matches
from candidates.selectors import (
    candidate_holdings,
    candidate_profile_completeness,
    requirements_checklist,
)
from candidates.services import candidate_profile_get_or_create, candidate_profile_update
from college.core.access import role_required
from college.models import Role, Sector, User
from employers.access import get_published_vacancy
from employers.forms.applications import ApplyForm
from employers.models import Application, Vacancy
from employers.services import AlreadyApplied, application_submit

PAGE_SIZE = 10


# Pages ----------------------------------------------------------------------------------------


def _matches_page(request, profile, alert_form, *, status=200):
    target_roles = list(profile.target_roles.order_by("title_fr", "pk"))
    ranked = ranked_for_person(profile)
    paginator = Paginator(ranked, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = vacancy_matches(
        profile=profile,
        vacancy_ids=[pk for pk, _score, _is_target in page.object_list],
        target_vacancy_ids={pk for pk, _score, is_target in page.object_list if is_target},
    )
    target_rows = [row for row in rows if row.is_target_role]
    context = {
        "page": page,
        "paginator": paginator,
        "rows": rows,
        "target_rows": target_rows,
        "other_rows": [row for row in rows if not row.is_target_role],
        "other_start": page.start_index() + len(target_rows),
        "target_count": sum(1 for _pk, _score, is_target in ranked if is_target),
        "alert_form": alert_form,
        "profile": profile,
        "target_roles": target_roles,
    }
    return render(request, "candidates/matches/matches.html", context, status=status)


@role_required(User.Role.CANDIDATE)
@require_GET
def matches(request):
    profile = candidate_profile_get_or_create(user=request.user)
    return _matches_page(request, profile, MatchAlertForm(profile=profile))


@role_required(User.Role.CANDIDATE)
@require_http_methods(["POST"])
def match_alerts(request):
    """Saves the alert threshold; a bad value is shown at the field and nothing is saved."""
    profile = candidate_profile_get_or_create(user=request.user)
    form = MatchAlertForm(request.POST, profile=profile)
    if not form.is_valid():
        return _matches_page(request, profile, form, status=400)
    threshold = form.cleaned_data["threshold"]
    profile.match_alert_threshold = threshold
    profile.save(update_fields=["match_alert_threshold", "updated_at"])
    if threshold is None:
        messages.success(request, _("Saved: you will not receive e-mail alerts."))
    else:
        messages.success(
            request,
            _("Saved: we will e-mail you each new vacancy that fits you at %(score)s or more.")
            % {"score": threshold},
        )
    return redirect("candidates:matches")


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def apply(request, pk):
    try:
        vacancy = get_published_vacancy(pk)
    except Http404:
        if request.method == "POST" and _was_published(pk):
            # It closed while the job-seeker was writing: say so rather than a bare 404.
            messages.error(request, _("This vacancy has closed: applications are no longer taken."))
            return redirect("employers:board")
        raise
    vacancy = Vacancy.objects.for_list().with_requirements().get(pk=vacancy.pk)
    profile = candidate_profile_get_or_create(user=request.user)
    existing = Application.objects.filter(vacancy=vacancy, profile=profile).first()
    form = None
    if existing is None:
        form = ApplyForm(
            request.POST if request.method == "POST" else None, employer=vacancy.employer
        )
    if request.method == "POST":
        if existing is not None:
            messages.info(request, _("You have already applied to this vacancy."))
            return redirect("employers:my_applications")
        if form.is_valid():
            try:
                application_submit(
                    profile=profile,
                    vacancy=vacancy,
                    motivation=form.cleaned_data["motivation"],
                    shares_test_results=form.cleaned_data["shares_test_results"],
                )
            except AlreadyApplied:
                messages.info(request, _("You have already applied to this vacancy."))
                return redirect("employers:my_applications")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("employers:board")
            messages.success(
                request,
                _(
                    "Your application has been sent to %(employer)s. You can follow it here, "
                    "and you will receive an e-mail at each step."
                )
                % {"employer": vacancy.employer.name},
            )
            return redirect("employers:my_applications")
    context = {
        "vacancy": vacancy,
        "existing": existing,
        "form": form,
        # The engine's own fit, the number the matches page and the e-mails show.
        "vacancy_match": vacancy_matches(profile=profile, vacancy_ids=[vacancy.pk])[0]
        if existing is None
        else None,
        "fit": requirements_checklist(
            holdings=candidate_holdings(profile),
            skill_requirements=vacancy.skill_requirements.all(),
            language_requirements=vacancy.language_requirements.all(),
            level_field="min_level",
        ),
    }
    return render(
        request,
        "candidates/matches/apply.html",
        context,
        status=400 if form is not None and form.is_bound else 200,
    )


def _was_published(pk):
    return (
        Vacancy.objects.filter(pk=pk, employer__is_verified=True)
        .exclude(status=Vacancy.Status.DRAFT)
        .exists()
    )


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def roles(request):
    """Choose up to five target roles; see, for each, which of its requirements are met."""
    profile = candidate_profile_get_or_create(user=request.user)
    chosen = list(profile.target_roles.all())
    form = TargetRolesForm(
        request.POST if request.method == "POST" else None,
        initial={"target_roles": [role.pk for role in chosen]},
    )
    if request.method == "POST" and form.is_valid():
        target_roles = form.cleaned_data["target_roles"]
        candidate_profile_update(profile=profile, data={"target_roles": target_roles})
        if target_roles:
            messages.success(request, _("Your target roles are saved."))
        else:
            messages.success(request, _("You have no target roles now."))
        return redirect("candidates:profile_roles")
    if form.is_bound:
        checked = set(form.data.getlist("target_roles"))
    else:
        checked = {str(role.pk) for role in chosen}
    return render(
        request,
        "candidates/matches/roles.html",
        {
            "completeness": candidate_profile_completeness(profile=profile),
            "step": "roles",
            "form": form,
            "max_roles": MAX_TARGET_ROLES,
            "role_groups": _role_groups(checked),
            "fits": _role_fits(profile, chosen),
        },
    )


def _role_groups(checked):
    """Every role, by sector (in the order of the sectors), then by title in the language."""
    sectors = list(Sector.values)
    groups = {}
    for role in Role.objects.only("pk", "slug", "sector", "title_fr", "title_nl", "title_en"):
        groups.setdefault(role.sector, []).append(role)
    return [
        {
            "sector": sector,
            "label": Sector(sector).label,
            "roles": [
                {"role": role, "checked": str(role.pk) in checked}
                for role in sorted(groups[sector], key=lambda role: role.title.casefold())
            ],
        }
        for sector in sorted(groups, key=lambda sector: sectors.index(sector))
    ]


def _role_fits(profile, roles):
    if not roles:
        return []
    fits = candidate_role_fit(profile=profile, roles=roles)
    return sorted(fits, key=lambda fit: fit["role"].title.casefold())
