"""The job-seeker's DigComp self-assessment (one page per area, no JavaScript) and their external
certifications; the check of a certification by a counsellor guiding them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from candidates.access import get_own_profile
from candidates.digital.forms import (
    DigitalAreaForm,
    ExternalCertificationForm,
)
from candidates.digital.selectors import area_chart, certification_rows, self_assessment_state
from candidates.digital.services import (
    digital_self_assessment_save,
    external_certification_add,
    external_certification_delete,
)
from candidates.models import ExternalCertification
from college.core.access import role_required
from college.models import User
from college.reference.digital import digcomp_area, digcomp_areas


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET"])
def self_assessment(request):
    """Where the self-assessment stands: the areas, what is saved, the last result."""
    profile = get_own_profile(request.user)
    state = self_assessment_state(profile=profile)
    areas = [{"area": area, "saved": state.area_is_saved(area)} for area in digcomp_areas()]
    first_unsaved = next((row["area"] for row in areas if not row["saved"]), areas[0]["area"])
    return render(
        request,
        "candidates/digital/self_assessment.html",
        {"state": state, "areas": areas, "next_area": first_unsaved},
    )


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def self_assessment_area(request, area):
    """One area's competences; saving keeps the answers and goes on to the next area."""
    area = digcomp_area(area)
    if area is None:
        raise Http404
    profile = get_own_profile(request.user)
    state = self_assessment_state(profile=profile)
    areas = digcomp_areas()
    position = areas.index(area)
    if request.method == "POST":
        form = DigitalAreaForm(request.POST, area=area)
        if form.is_valid():
            try:
                take = digital_self_assessment_save(profile=profile, answers=form.answers())
            except ValidationError as error:  # pragma: no cover (the form checked the same)
                form.add_error(None, error)
            else:
                if take.completed_at is not None:
                    messages.success(request, _("Done: your digital skills are on your profile."))
                    return redirect("candidates:digital_profile")
                messages.success(request, _("Saved: %(area)s.") % {"area": area.title})
                state = self_assessment_state(profile=profile)
                following = [a for a in areas[position + 1 :] + areas[:position]]
                target = next((a for a in following if not state.area_is_saved(a)), None)
                if target is None:  # pragma: no cover (every area saved completes the take)
                    return redirect("candidates:digital_self_assessment")
                return redirect("candidates:digital_area", area=target.slug)
    else:
        form = DigitalAreaForm(initial=state.initial_for(area), area=area)
    return render(
        request,
        "candidates/digital/area.html",
        {
            "area": area,
            "form": form,
            "position": position + 1,
            "count": len(areas),
            "state": state,
        },
        status=400 if form.errors else 200,
    )


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET"])
def self_assessment_profile(request):
    """The last completed take's profile by area, with the history of takes."""
    profile = get_own_profile(request.user)
    state = self_assessment_state(profile=profile)
    results = state.results
    return render(
        request,
        "candidates/digital/profile.html",
        {"state": state, "results": results, "chart": area_chart(results) if results else None},
    )


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def certifications(request):
    """The certifications the person recorded, and the form to record one."""
    profile = get_own_profile(request.user)
    form = ExternalCertificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            external_certification_add(profile=profile, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Recorded. A counsellor or the college staff will check it.")
            )
            return redirect("candidates:certifications")
    return render(
        request,
        "candidates/digital/certifications.html",
        {"rows": certification_rows(profile=profile), "form": form},
        status=400 if form.errors else 200,
    )


@role_required(User.Role.CANDIDATE)
@require_POST
def certification_delete(request, pk):
    profile = get_own_profile(request.user)
    record = get_object_or_404(ExternalCertification, profile=profile, pk=pk)
    external_certification_delete(certification=record)
    messages.success(request, _("The certification is withdrawn from your profile."))
    return redirect("candidates:certifications")
