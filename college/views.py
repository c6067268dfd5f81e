from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from candidates.models import CandidateProfile, CandidateSkill, Evidence
from employers.models import Employer

from .access import role_required
from .forms import ThrottledAuthenticationForm
from .models import Importance, Role, Sector, Skill, User

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
    role = get_object_or_404(Role.objects.with_profile(), slug=slug)
    requirements = list(role.requirements.all())
    context = {
        "role": role,
        "requirement_groups": [
            (label, [item for item in requirements if item.importance == value])
            for value, label in Importance.choices
        ],
        "languages": list(role.language_requirements.all()),
    }
    return render(request, "college/role_detail.html", context)


@role_required(User.Role.COUNSELLOR)
@require_GET
def caseload(request):
    profiles = (
        CandidateProfile.objects.for_list()
        .filter(
            user__guidances_received__counsellor=request.user,
            user__guidances_received__ended_at__isnull=True,
        )
        .annotate(
            verified_skill_count=Count(
                "skills", filter=~Q(skills__evidence=Evidence.SELF_DECLARED), distinct=True
            )
        )
        .prefetch_related("target_roles")
        .order_by("user__full_name")
    )
    return render(request, "college/caseload.html", {"profiles": profiles})


@role_required(User.Role.STAFF)
@require_GET
def staff_dashboard(request):
    users_by_role = dict(
        User.objects.values_list("role").annotate(count=Count("id")).values_list("role", "count")
    )
    evidence_counts = dict(
        CandidateSkill.objects.values_list("evidence").annotate(count=Count("id"))
    )
    context = {
        "users_by_role": [
            (label, users_by_role.get(value, 0)) for value, label in User.Role.choices
        ],
        "employers_to_verify": Employer.objects.filter(is_verified=False).order_by("name"),
        "verified_employer_count": Employer.objects.verified().count(),
        "skill_count": Skill.objects.count(),
        "role_count": Role.objects.count(),
        "evidence_counts": [
            (label, evidence_counts.get(value, 0)) for value, label in Evidence.choices
        ],
    }
    return render(request, "college/staff_dashboard.html", context)
