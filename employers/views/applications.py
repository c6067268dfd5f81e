"""Applications: job-seekers apply and follow; employers move applicants through stages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from candidates.models import ProfileView
from candidates.selectors import (
    candidate_profile_detail,
)
from candidates.services import profile_view_log
from college.core.access import role_required
from college.models import User
from employers.access import (
    applications_visible_to,
    get_application_for,
)
from employers.forms.applications import NoteForm, StageForm, WithdrawForm, stage_choices
from employers.models import Application, ApplicationEvent, ApplicationNote
from employers.services import (
    FINAL_STAGES,
    STAGE_ORDER,
    application_move,
    application_note_add,
    application_withdraw,
)

# Job-seekers' side: apply, follow, withdraw.


@role_required(User.Role.CANDIDATE)
@require_GET
def my_applications(request):
    return _my_applications_page(request)


@role_required(User.Role.CANDIDATE)
@require_POST
def withdraw(request, pk):
    application = get_application_for(request.user, pk)
    form = WithdrawForm(request.POST, prefix=f"withdraw-{application.pk}")
    if not form.is_valid():
        return _my_applications_page(request, failed_form=(application.pk, form), status=400)
    try:
        application_withdraw(application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Your application is withdrawn. The employer no longer sees your profile for it."),
        )
    return redirect("employers:my_applications")


def _my_applications_page(request, failed_form=None, status=200):
    applications = (
        applications_visible_to(request.user)
        .select_related("vacancy__employer")
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("changed_at", "pk"))
        )
    )
    rows = []
    for application in applications:
        events = list(application.events.all())
        can_withdraw = application.stage not in FINAL_STAGES
        form = None
        if can_withdraw:
            if failed_form and failed_form[0] == application.pk:
                form = failed_form[1]
            else:
                form = WithdrawForm(prefix=f"withdraw-{application.pk}")
        vacancy = application.vacancy
        rows.append(
            {
                "application": application,
                "is_public": vacancy.is_open and vacancy.employer.is_verified,
                "is_withdrawn": application.reason == Application.Reason.WITHDRAWN,
                "steps": _steps(application, events),
                "events": events,
                "form": form,
            }
        )
    return render(request, "employers/my_applications.html", {"rows": rows}, status=status)


def _steps(application, events):
    """The pipeline's steps, each done, current or to come; a decision leaves none current."""
    reached = {event.stage for event in events} | {application.stage}
    furthest = max(
        (STAGE_ORDER.index(stage) for stage in reached if stage in STAGE_ORDER), default=0
    )
    is_decided = application.stage in FINAL_STAGES
    steps = []
    for index, stage in enumerate(STAGE_ORDER):
        if index < furthest or (index == furthest and is_decided):
            state = "done"
        elif index == furthest:
            state = "current"
        else:
            state = "todo"
        steps.append({"stage": stage, "label": stage.label, "state": state})
    return steps


# Employers' side: the pipeline of a vacancy, one application, its next stage.


@role_required(User.Role.EMPLOYER)
@require_GET
def application_detail(request, pk):
    application = get_application_for(request.user, pk)
    return _application_page(request, application)


@role_required(User.Role.EMPLOYER)
@require_POST
def application_stage(request, pk):
    application = get_application_for(request.user, pk)
    if not stage_choices(application):
        messages.error(request, _("This application is already decided."))
        return redirect("employers:application_detail", application.pk)
    form = StageForm(request.POST, application=application)
    if form.is_valid():
        try:
            application = application_move(
                application=application,
                stage=form.cleaned_data["stage"],
                user=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                appointment_at=form.cleaned_data["appointment_at"],
                appointment_place=form.cleaned_data["appointment_place"],
                appointment_instructions=form.cleaned_data["appointment_instructions"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Saved: the application is now at “%(stage)s”. The candidate will be e-mailed.")
                % {"stage": application.get_stage_display()},
            )
            return redirect("employers:application_detail", application.pk)
    return _application_page(request, application, form=form, status=400)


@role_required(User.Role.EMPLOYER)
@require_POST
def application_note(request, pk):
    application = get_application_for(request.user, pk)
    note_form = NoteForm(request.POST)
    if note_form.is_valid():
        try:
            application_note_add(
                application=application, author=request.user, text=note_form.cleaned_data["text"]
            )
        except ValidationError as error:
            note_form.add_error(None, error)
        else:
            messages.success(request, _("Note saved. Only your organisation sees it."))
            return redirect(
                reverse("employers:application_detail", args=[application.pk]) + "#notes"
            )
    return _application_page(request, application, note_form=note_form, status=400)


def _application_page(request, application, form=None, note_form=None, status=200):
    application = (
        Application.objects.select_related("vacancy", "consent", "profile__user")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=ApplicationEvent.objects.select_related("changed_by").order_by(
                    "changed_at", "pk"
                ),
            ),
            Prefetch("notes", queryset=ApplicationNote.objects.select_related("author")),
        )
        .get(pk=application.pk)
    )
    is_withdrawn = application.reason == Application.Reason.WITHDRAWN
    profile = None
    if not is_withdrawn:
        profile = candidate_profile_detail(profile=application.profile)
        # The job-seeker sees every opening of their profile on their data page.
        profile_view_log(profile=profile, viewer=request.user, channel=ProfileView.Channel.PAGE)
    if not stage_choices(application):
        form = None  # decided, maybe by a colleague meanwhile: nothing left to choose
    elif form is None:
        form = StageForm(application=application)
    context = {
        "application": application,
        "vacancy": application.vacancy,
        "is_withdrawn": is_withdrawn,
        "profile": profile,
        "events": application.events.all(),
        "form": form,
        "notes": application.notes.all(),
        "note_form": note_form or NoteForm(),
        "pipeline_url": reverse("employers:pipeline", args=[application.vacancy_id]),
    }
    return render(request, "employers/application_detail.html", context, status=status)
