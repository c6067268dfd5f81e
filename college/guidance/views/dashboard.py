from django.shortcuts import render
from django.views.decorators.http import require_GET

from candidates.selectors import (
    candidate_profile_completeness,
    candidate_profile_detail,
)
from candidates.services import (
    candidate_profile_get_or_create,
)
from college.core.access import role_required
from college.guidance.caseload import action_plan_context
from college.guidance.digital import digital_track_for
from college.guidance.next_action import next_action_for
from college.guidance.paths import path_summary_for
from college.models import Guidance, User


@role_required(User.Role.CANDIDATE)
@require_GET
def dashboard(request):
    profile = candidate_profile_detail(profile=candidate_profile_get_or_create(user=request.user))
    completeness = candidate_profile_completeness(profile=profile)
    counsellors = [
        guidance.counsellor
        for guidance in Guidance.objects.active()
        .filter(candidate=request.user)
        .select_related("counsellor")
    ]
    return render(
        request,
        "college/guidance/dashboard.html",
        {
            "profile": profile,
            "counsellors": counsellors,
            "completeness": completeness,
            "next_action": next_action_for(profile=profile, completeness=completeness),
            "path_summary": path_summary_for(request.user),
            "digital_track": digital_track_for(profile),
            **action_plan_context(request.user),
        },
    )
