from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from candidates.access import get_profile_for
from candidates.digital.forms import CertificationCheckForm
from candidates.digital.services import (
    external_certification_reject,
    external_certification_verify,
)
from candidates.forms.profile import (
    SkillValidationForm,
)
from candidates.matches.selectors import candidate_role_fit
from candidates.models import CandidateSkill, Consent, ExternalCertification, ProfileView
from candidates.selectors import candidate_profile_completeness, candidate_profile_detail
from candidates.services import (
    candidate_skill_validate,
    profile_view_log,
)
from college.core.access import role_required
from college.guidance import caseload
from college.guidance.digital import digital_track_for
from college.guidance.forms.caseload import ActionItemForm, CounsellorNoteForm
from college.models import User


@role_required(User.Role.COUNSELLOR)
@require_GET
def counsellor_profile(request, profile_id):
    """A job-seeker's full profile as their counsellor sees it; every view is logged."""
    profile = get_profile_for(request.user, profile_id)
    profile_view_log(profile=profile, viewer=request.user, channel=ProfileView.Channel.PAGE)
    return counsellor_profile_page(request, profile)


@role_required(User.Role.COUNSELLOR)
@require_http_methods(["POST"])
def counsellor_skill_validate(request, profile_id, skill_id):
    profile = get_profile_for(request.user, profile_id)
    candidate_skill = get_object_or_404(CandidateSkill, profile=profile, skill_id=skill_id)
    form = SkillValidationForm(request.POST, prefix=f"validate-{skill_id}")
    if form.is_valid():
        try:
            validated = candidate_skill_validate(
                candidate_skill=candidate_skill,
                counsellor=request.user,
                note=form.cleaned_data["note"],
                level=form.cleaned_data["level"],
            )
        except ValidationError as error:
            form.add_error(None, error)  # a dict of field errors lands on its fields
        else:
            messages.success(
                request,
                _("Skill validated at level %(level)s: %(skill)s.")
                % {"level": validated.level, "skill": candidate_skill.skill.label},
            )
            return redirect(
                f"{reverse('candidates:counsellor_profile', args=[profile.pk])}#skill-{skill_id}"
            )
    return counsellor_profile_page(request, profile, failed_form=(skill_id, form), status=400)


@role_required(User.Role.COUNSELLOR)
@require_http_methods(["POST"])
def counsellor_certification_check(request, profile_id, pk):
    """A counsellor guiding the person verifies or rejects a recorded certification; a check
    refused comes back on the profile page, its errors at their fields (400)."""
    profile = get_profile_for(request.user, profile_id)
    record = get_object_or_404(ExternalCertification, profile=profile, pk=pk)
    form = CertificationCheckForm(request.POST, prefix=f"check-{record.pk}")
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == CertificationCheckForm.VERIFY:
                external_certification_verify(
                    certification=record, by=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("Certification verified: its skills are certified."))
            else:
                external_certification_reject(
                    certification=record, by=request.user, reason=form.cleaned_data["note"]
                )
                messages.success(request, _("Certification marked as not verified."))
        except ValidationError as error:
            form.add_error(None, error)  # already checked by another person meanwhile
        else:
            return redirect(
                f"{reverse('candidates:counsellor_profile', args=[profile.pk])}#certifications"
            )
    return counsellor_profile_page(request, profile, failed_check=(record.pk, form), status=400)


def counsellor_profile_page(
    request,
    profile,
    failed_form=None,
    status=200,
    note_form=None,
    action_form=None,
    failed_check=None,
):
    context = candidate_profile_for_counsellor(profile=profile)
    forms = {}
    for item in context["profile"].skills.all():
        if failed_form and failed_form[0] == item.skill_id:
            forms[item.skill_id] = failed_form[1]
        else:
            forms[item.skill_id] = SkillValidationForm(
                prefix=f"validate-{item.skill_id}", initial={"level": item.level}
            )
    context["skill_rows"] = [
        {"item": item, "form": forms[item.skill_id], "can_validate": item.can_be_validated}
        for item in context["profile"].skills.all()
    ]
    # What happened, the team's private notes and the plan agreed with the person.
    context["timeline"] = caseload.timeline(context["profile"])
    context["glance"] = caseload.person_summary(context["profile"])
    context["notes"] = list(caseload.notes_for(context["profile"]))
    context["action_items"] = caseload.action_plan_for(context["profile"].user)
    context["note_form"] = note_form or CounsellorNoteForm(prefix="note")
    context["action_form"] = action_form or ActionItemForm(prefix="action")
    context["today"] = timezone.localdate()
    # The digital and cyber track: the self-assessment by area, certifications to check.
    context["digital_track"] = digital_track = digital_track_for(context["profile"])
    context["certification_checks"] = [
        {
            "row": row,
            "form": failed_check[1]
            if failed_check and failed_check[0] == row.record.pk
            else CertificationCheckForm(prefix=f"check-{row.record.pk}"),
        }
        for row in digital_track.certifications
    ]
    return render(request, "college/guidance/counsellor_profile.html", context, status=status)


def candidate_profile_for_counsellor(*, profile):
    """What a counsellor's profile page shows: the whole profile, its completeness and fit."""
    profile = candidate_profile_detail(profile=profile)
    return {
        "profile": profile,
        "completeness": candidate_profile_completeness(profile=profile),
        "role_fit": candidate_role_fit(profile=profile, roles=list(profile.target_roles.all())),
        "shortlist_consent": profile.consents.filter(purpose=Consent.Purpose.SHORTLISTS).first(),
    }
