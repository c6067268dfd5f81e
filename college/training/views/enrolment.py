"""Cohort pages: the public cohort page, a job-seeker's training, the staff's cohort pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from college.core.access import role_required
from college.models import Attendance, Cohort, Enrolment, User
from college.training.enrolment import (
    attendance_record,
    calendar_ics,
    candidate_training,
    cohort_capacity_set,
    cohort_enrol,
    cohort_is_open,
    cohort_phase,
    cohorts_with_counts,
    enrolment_can_be_cancelled,
    enrolment_cancel,
    enrolment_record_result,
    get_cohort,
    get_enrolment_for,
    missing_prerequisites,
    waitlist_position,
    with_waitlist_position,
)
from college.training.forms import AttendanceForm, CapacityForm, ResultsForm, StaffEnrolForm


def _messages_of(error):
    return error.messages if hasattr(error, "messages") else [str(error)]


# Public and job-seekers' pages ----------------------------------------------------------------


@require_GET
def cohort_detail(request, code):
    cohort = get_cohort(code)
    counts = cohorts_with_counts(Cohort.objects.filter(pk=cohort.pk)).values(
        "enrolled_count", "waitlisted_count"
    )[0]
    enrolment = missing = None
    if request.user.is_authenticated and request.user.role == User.Role.CANDIDATE:
        enrolment = (
            Enrolment.objects.filter(cohort=cohort, candidate=request.user)
            .exclude(status=Enrolment.Status.CANCELLED)
            .first()
        )
        if enrolment is not None:
            enrolment.position = waitlist_position(enrolment)
            enrolment.can_cancel = enrolment_can_be_cancelled(enrolment)
        else:
            missing = missing_prerequisites(module=cohort.module, candidate=request.user)
    context = {
        "cohort": cohort,
        "module": cohort.module,
        "sessions": list(cohort.sessions.all()),
        "places_left": max(cohort.capacity - counts["enrolled_count"], 0),
        "waitlist_length": counts["waitlisted_count"],
        "is_open": cohort_is_open(cohort),
        "phase": cohort_phase(cohort),
        "enrolment": enrolment,
        "missing_prerequisites": missing,
    }
    return render(request, "college/training/cohort_detail.html", context)


@role_required(User.Role.CANDIDATE)
@require_POST
def cohort_enrol_view(request, code):
    cohort = get_cohort(code)
    try:
        enrolment = cohort_enrol(cohort=cohort, candidate=request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        if enrolment.status == Enrolment.Status.ENROLLED:
            messages.success(request, _("You are enrolled. See you at the first session!"))
        else:
            messages.success(
                request,
                _(
                    "The cohort is full: you are on the waiting list. If a place frees up, "
                    "it is yours at once and we tell you by e-mail."
                ),
            )
    return redirect("cohort_detail", code=cohort.code)


@role_required(User.Role.CANDIDATE)
@require_POST
def my_enrolment_cancel(request, pk):
    enrolment = get_enrolment_for(request.user, pk)
    try:
        enrolment_cancel(enrolment=enrolment, by=request.user)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Your enrolment is cancelled."))
    if request.POST.get("next") == "cohort":
        return redirect("cohort_detail", code=enrolment.cohort.code)
    return redirect("my_training")


@never_cache
@role_required(User.Role.CANDIDATE)
@require_GET
def my_training(request):
    enrolments = candidate_training(request.user)
    context = {
        "live": [row for row in enrolments if row.status != Enrolment.Status.CANCELLED],
        "cancelled": [row for row in enrolments if row.status == Enrolment.Status.CANCELLED],
    }
    return render(request, "college/training/my_training.html", context)


@never_cache
@role_required(User.Role.CANDIDATE)
@require_GET
def my_training_ics(request):
    response = HttpResponse(calendar_ics(request.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="passerelle-training.ics"'
    return response


# Staff pages ----------------------------------------------------------------------------------


@role_required(User.Role.STAFF)
@require_GET
def staff_cohort_list(request):
    today = timezone.localdate()
    cohorts = list(
        cohorts_with_counts(Cohort.objects.select_related("module", "language")).order_by(
            "starts_on", "code"
        )
    )
    groups = {"upcoming": [], "running": [], "past": []}
    for cohort in cohorts:
        groups[cohort_phase(cohort, today)].append(cohort)
    groups["past"].reverse()  # the most recent first
    context = {
        "groups": [
            ("running", _("Running"), groups["running"]),
            ("upcoming", _("Upcoming"), groups["upcoming"]),
            ("past", _("Past"), groups["past"]),
        ]
    }
    return render(request, "college/training/staff_cohort_list.html", context)


def _staff_cohort_page(request, cohort, *, status=200, **forms):
    holders = list(
        cohort.enrolments.filter(status=Enrolment.Status.ENROLLED)
        .select_related("candidate", "certificate")
        .order_by("candidate__full_name", "pk")
    )
    waiting = list(
        with_waitlist_position(
            cohort.enrolments.filter(status=Enrolment.Status.WAITLISTED).select_related("candidate")
        ).order_by("created_at", "pk")
    )
    for enrolment in waiting:
        enrolment.position = waitlist_position(enrolment)
    sessions = list(cohort.sessions.all())
    marks = {
        (enrolment_id, session_id): status
        for enrolment_id, session_id, status in Attendance.objects.filter(
            session__cohort=cohort
        ).values_list("enrolment_id", "session_id", "status")
    }
    attended = {}
    for (enrolment_id, _session_id), mark in marks.items():
        if mark == Attendance.Status.PRESENT:
            attended[enrolment_id] = attended.get(enrolment_id, 0) + 1
    for enrolment in holders:
        enrolment.attended = attended.get(enrolment.pk, 0)
    context = {
        "cohort": cohort,
        "module": cohort.module,
        "holders": holders,
        "waiting": waiting,
        "sessions": sessions,
        "phase": cohort_phase(cohort),
        "attendance_form": forms.get("attendance_form")
        or AttendanceForm(enrolments=holders, sessions=sessions, marks=marks),
        "results_form": forms.get("results_form")
        or ResultsForm(enrolments=holders, module=cohort.module),
        "capacity_form": forms.get("capacity_form")
        or CapacityForm(initial={"capacity": cohort.capacity}),
        "enrol_form": forms.get("enrol_form") or StaffEnrolForm(),
    }
    return render(request, "college/training/staff_cohort.html", context, status=status)


@role_required(User.Role.STAFF)
@require_http_methods(["GET", "POST"])
def staff_cohort(request, code):
    """The cohort's people × sessions attendance grid (saved on POST), results, places."""
    cohort = get_cohort(code)
    if request.method == "POST":
        holders = list(
            cohort.enrolments.filter(status=Enrolment.Status.ENROLLED).select_related("candidate")
        )
        form = AttendanceForm(
            request.POST, enrolments=holders, sessions=list(cohort.sessions.all()), marks={}
        )
        if form.is_valid():
            attendance_record(cohort=cohort, marks=form.marks(), by=request.user)
            messages.success(request, _("Attendance saved."))
            return redirect("staff_cohort", code=cohort.code)
        return _staff_cohort_page(request, cohort, status=400, attendance_form=form)
    return _staff_cohort_page(request, cohort)


@role_required(User.Role.STAFF)
@require_POST
def staff_cohort_results(request, code):
    cohort = get_cohort(code)
    holders = list(
        cohort.enrolments.filter(status=Enrolment.Status.ENROLLED).select_related("candidate")
    )
    form = ResultsForm(request.POST, enrolments=holders, module=cohort.module)
    if form.is_valid():
        try:
            with transaction.atomic():
                for enrolment, result, score in form.changes():
                    try:
                        enrolment_record_result(
                            enrolment=enrolment, result=result, score=score, by=request.user
                        )
                    except ValidationError as error:
                        field = f"result_{enrolment.pk}"
                        if hasattr(error, "error_dict"):
                            for name, errors in error.message_dict.items():
                                form.add_error(f"{name}_{enrolment.pk}", errors)
                        else:
                            form.add_error(field, error.messages)
                        raise
        except ValidationError:
            return _staff_cohort_page(request, cohort, status=400, results_form=form)
        messages.success(request, _("Results saved."))
        return redirect("staff_cohort", code=cohort.code)
    return _staff_cohort_page(request, cohort, status=400, results_form=form)


@role_required(User.Role.STAFF)
@require_POST
def staff_cohort_capacity(request, code):
    cohort = get_cohort(code)
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            _cohort, promoted = cohort_capacity_set(
                cohort=cohort, capacity=form.cleaned_data["capacity"], by=request.user
            )
        except ValidationError as error:
            form.add_error("capacity", error.message_dict["capacity"])
        else:
            messages.success(request, _("Places saved."))
            if promoted:
                messages.success(
                    request,
                    _("%(count)s people on the waiting list got a place and are told by e-mail.")
                    % {"count": len(promoted)},
                )
            return redirect("staff_cohort", code=cohort.code)
    return _staff_cohort_page(request, cohort, status=400, capacity_form=form)


@role_required(User.Role.STAFF)
@require_POST
def staff_cohort_enrol(request, code):
    cohort = get_cohort(code)
    form = StaffEnrolForm(request.POST)
    if form.is_valid():
        try:
            enrolment = cohort_enrol(cohort=cohort, candidate=form.candidate, by=request.user)
        except ValidationError as error:
            form.add_error("email", error.messages)
        else:
            if enrolment.status == Enrolment.Status.ENROLLED:
                messages.success(request, _("Enrolled."))
            else:
                messages.success(request, _("The cohort is full: added to the waiting list."))
            return redirect("staff_cohort", code=cohort.code)
    return _staff_cohort_page(request, cohort, status=400, enrol_form=form)
