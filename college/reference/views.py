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
    Track,
)
from college.models.slugs import get_by_any_slug


@require_GET
def role_list(request):
    """Every role, narrowed by track (?track=digital) or by sector; plain links, no script."""
    sector = request.GET.get("sector", "")
    track = request.GET.get("track", "")
    roles = Role.objects.annotate(requirement_count=Count("requirements")).order_by(
        "sector", "title_fr"
    )
    if track in Track.values:
        roles = roles.in_track(track)
    else:
        track = ""
    if sector in Sector.values:
        roles = roles.filter(sector=sector)
    # The sectors on offer are those of the chosen track.
    sectors = [
        (value, label) for value, label in Sector.choices if not track or Track.of(value) == track
    ]
    return render(
        request,
        "college/reference/role_list.html",
        {
            "roles": roles,
            "sectors": sectors,
            "selected_sector": sector,
            "tracks": Track.choices,
            "selected_track": track,
            "digital_track": track == Track.DIGITAL,
        },
    )


@require_GET
def role_detail(request, slug):
    role = get_by_any_slug(Role.objects.with_profile().with_ladder(), slug)
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
        "previous_rungs": list(role.previous_roles.all()),
        "next_rungs": list(role.next_roles.all()),
    }
    return render(request, "college/reference/role_detail.html", context)
