from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from college.core import privacy
from college.core.forms.login import ThrottledAuthenticationForm
from college.models import (
    Importance,
    RequirementStage,
    Role,
    Sector,
    Skill,
    User,
)
from college.models.slugs import get_by_any_slug
from employers.models import Employer

START_PAGES = {
    User.Role.CANDIDATE: "candidates:dashboard",
    User.Role.COUNSELLOR: "caseload",
    User.Role.EMPLOYER: "employers:dashboard",
    User.Role.STAFF: "staff_dashboard",
}


@require_GET
def home(request):
    roles = Role.objects.order_by("sector", "title_fr")
    context = {
        "roles": roles,
        "role_count": len(roles),
        "skill_count": Skill.objects.count(),
        "employer_count": Employer.objects.verified().count(),
        "roles_without_diploma": sum(1 for role in roles if not role.diploma_required_by_law),
    }
    return render(request, "college/home.html", context)


@never_cache
def start(request):
    """Where a signed-in person lands: their role's own start page."""
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect(START_PAGES.get(request.user.role, "home"))


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.is_throttled:
            response.status_code = 429
        return response


@require_GET
def privacy_notice(request):
    """The privacy notice: public, the same address in every language (?lang= or the switch)."""
    return render(
        request,
        "college/privacy_notice.html",
        {
            "notice_version": privacy.NOTICE_VERSION,
            "controller_email": privacy.CONTROLLER_EMAIL,
            "dpo_email": privacy.DPO_EMAIL,
            **privacy.retention_facts(),
        },
    )


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def role_list(request):
    sector = request.GET.get("sector", "")
    roles = Role.objects.annotate(requirement_count=Count("requirements")).order_by(
        "sector", "title_fr"
    )
    if sector in Sector.values:
        roles = roles.filter(sector=sector)
    return render(
        request,
        "college/role_list.html",
        {"roles": roles, "sectors": Sector.choices, "selected_sector": sector},
    )


@require_GET
def role_detail(request, slug):
    role = get_by_any_slug(Role.objects.with_profile(), slug)
    if role is None:
        raise Http404
    requirements = list(role.requirements.all())
    entry = [item for item in requirements if item.stage == RequirementStage.ENTRY]
    context = {
        "role": role,
        "requirement_groups": [
            (label, [item for item in entry if item.importance == value])
            for value, label in Importance.choices
        ],
        "taught_after_hiring": [item for item in requirements if item not in entry],
        "languages": list(role.language_requirements.all()),
    }
    return render(request, "college/role_detail.html", context)
