"""The shell's own pages: the home page, which gathers from every floor, and where a signed-in
person starts."""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from college.models import (
    Role,
    Skill,
    Track,
    User,
)
from employers.models import Employer

START_PAGES = {
    User.Role.CANDIDATE: "candidates:dashboard",
    User.Role.COUNSELLOR: "caseload",
    User.Role.EMPLOYER: "employers:dashboard",
    User.Role.STAFF: "staff_dashboard",
}


def _by_rung(roles):
    """The track's roles in ladder order: each after the rungs that lead to it, first rungs
    first (the ladder is acyclic, the loader checks it), then by title."""
    in_track = {role.pk for role in roles}
    depth = {}

    def rung(role):
        if role.pk not in depth:
            before = [item for item in role.previous_roles.all() if item.pk in in_track]
            depth[role.pk] = 1 + max((rung(item) for item in before), default=-1)
        return depth[role.pk]

    return sorted(roles, key=lambda role: (rung(role), role.title))


@require_GET
def home(request):
    roles = Role.objects.order_by("sector", "title_fr")
    track_roles = Role.objects.in_track(Track.DIGITAL).prefetch_related("previous_roles")
    context = {
        "track_roles": _by_rung(list(track_roles)),
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
