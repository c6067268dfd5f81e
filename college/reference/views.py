"""The public role pages: every role of the reference data, and one role with its requirement
profile."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from college.models import (
    Importance,
    RequirementStage,
    Role,
    Sector,
)
from college.models.slugs import get_by_any_slug


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
        "college/reference/role_list.html",
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
    return render(request, "college/reference/role_detail.html", context)
