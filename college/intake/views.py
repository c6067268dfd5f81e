"""Intake pages: the public list and detail, applying, a job-seeker's file, and the staff's
ranking, blind rating, decisions and fairness."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from college.core.access import role_required
from college.core.audit import audit_record
from college.intake.fairness import intake_fairness
from college.intake.forms import ApplyForm, DecisionForm, RatingForm
from college.intake.questions import QUESTIONS
from college.intake.ranking import intake_ranking
from college.intake.selectors import (
    application_file,
    get_intake,
    get_intake_application_for,
    get_intake_for_staff,
    intake_steps,
    my_application_files,
    open_intakes,
)
from college.intake.services import (
    intake_application_withdraw,
    intake_apply,
    intake_decide,
    motivation_rate,
)
from college.models import AuditEvent, Intake, IntakeApplication, MotivationRating, User


def _messages_of(error):
    if hasattr(error, "message_dict"):
        return [message for values in error.message_dict.values() for message in values]
    return error.messages


# Public and job-seekers' pages ----------------------------------------------------------------


@require_GET
def intake_list(request):
    return render(request, "college/intake/intake_list.html", {"intakes": list(open_intakes())})


@require_GET
def intake_detail(request, pk):
    intake = get_intake(pk)
    application = None
    if request.user.is_authenticated and request.user.role == User.Role.CANDIDATE:
        application = IntakeApplication.objects.filter(
            intake=intake, candidate=request.user
        ).first()
    context = {
        "intake": intake,
        "steps": intake_steps(intake),
        "is_open": intake.is_open_on(timezone.localdate()),
        "application": application,
    }
    return render(request, "college/intake/intake_detail.html", context)


@never_cache
@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def intake_apply_view(request, pk):
    intake = get_intake(pk)
    existing = IntakeApplication.objects.filter(intake=intake, candidate=request.user).first()
    if existing is not None:
        return redirect("intake:my_application", pk=existing.pk)
    form = ApplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                application, _created = intake_apply(
                    intake=intake,
                    candidate=request.user,
                    motivation=form.motivation(),
                    consent=form.cleaned_data["consent"],
                )
            except ValidationError as error:
                for message in _messages_of(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Your application is in."))
                return redirect("intake:my_application", pk=application.pk)
        status = 400
    context = {"intake": intake, "form": form, "is_open": intake.is_open_on(timezone.localdate())}
    return render(request, "college/intake/apply.html", context, status=status)


@never_cache
@role_required(User.Role.CANDIDATE)
@require_GET
def my_applications(request):
    files = my_application_files(request.user)
    return render(request, "college/intake/my_applications.html", {"files": files})


@never_cache
@role_required(User.Role.CANDIDATE)
@require_GET
def my_application(request, pk):
    application = get_intake_application_for(request.user, pk)
    context = {"file": application_file(application), "questions": QUESTIONS}
    return render(request, "college/intake/my_application.html", context)


@role_required(User.Role.CANDIDATE)
@require_POST
def my_application_withdraw(request, pk):
    application = get_intake_application_for(request.user, pk)
    intake_application_withdraw(application=application, by=request.user)
    messages.success(request, _("Your application is withdrawn."))
    return redirect("intake:my_application", pk=application.pk)


# Staff pages ----------------------------------------------------------------------------------


@role_required(User.Role.STAFF)
@require_GET
def staff_intake_list(request):
    intakes = (
        Intake.objects.select_related("programme")
        .annotate(
            applicant_count=Count(
                "applications",
                filter=~Q(applications__status=IntakeApplication.Status.WITHDRAWN),
            ),
            admitted_count=Count(
                "applications", filter=Q(applications__status=IntakeApplication.Status.ADMITTED)
            ),
        )
        .order_by("-closes_on", "pk")
    )
    return render(request, "college/intake/staff_intake_list.html", {"intakes": intakes})


def _ranking_page(request, intake, *, form=None, status=200):
    rows = intake_ranking(intake)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.INTAKE_RANKING_VIEWED,
        object_type="intake",
        object_id=intake.pk,
        request=request,
    )
    admitted = sum(1 for row in rows if row.status == IntakeApplication.Status.ADMITTED)
    context = {
        "intake": intake,
        "rows": rows,
        "admitted": admitted,
        "places_left": max(intake.places - admitted, 0),
        "can_decide": timezone.localdate() > intake.closes_on,
        "decisions": DecisionForm.base_fields["decision"].choices,
        "form": form,
    }
    return render(request, "college/intake/staff_ranking.html", context, status=status)


@never_cache
@role_required(User.Role.STAFF)
@require_GET
def staff_ranking(request, pk):
    return _ranking_page(request, get_intake_for_staff(request.user, pk))


@role_required(User.Role.STAFF)
@require_POST
def staff_decide(request, pk):
    intake = get_intake_for_staff(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _ranking_page(request, intake, form=form, status=400)
    try:
        intake_decide(
            intake=intake,
            ref=form.cleaned_data["candidate_ref"],
            decision=form.cleaned_data["decision"],
            message=form.cleaned_data["message"],
            author=request.user,
            request=request,
        )
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Decision recorded for %(ref)s.") % {"ref": form.cleaned_data["candidate_ref"]},
        )
    return redirect("intake:ranking", pk=intake.pk)


def _next_to_rate(intake, rater):
    """The next motivation this staff member has not rated and fewer than two have: by
    pseudonym, which is random, so that no order gives anyone away."""
    return (
        IntakeApplication.objects.filter(intake=intake)
        .exclude(status=IntakeApplication.Status.WITHDRAWN)
        .exclude(ratings__rater=rater)
        .annotate(rating_count=Count("ratings"))
        .filter(rating_count__lt=2)
        .order_by("ref")
    )


@never_cache
@role_required(User.Role.STAFF)
@require_http_methods(["GET", "POST"])
def staff_rate(request, pk):
    """One motivation at a time, without a name and without the other rater's rating."""
    intake = get_intake_for_staff(request.user, pk)
    waiting = _next_to_rate(intake, request.user)
    if request.method == "POST":
        form = RatingForm(request.POST)
        application = (
            IntakeApplication.objects.filter(intake=intake, ref=request.POST.get("ref", ""))
            .exclude(status=IntakeApplication.Status.WITHDRAWN)
            .first()
        )
        if form.is_valid() and application is not None:
            try:
                motivation_rate(
                    application=application,
                    rater=request.user,
                    score=form.cleaned_data["score"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                for message in _messages_of(error):
                    messages.error(request, message)
            else:
                messages.success(request, _("Rating saved."))
            return redirect("intake:rate", pk=intake.pk)
        status = 400
    else:
        form, status = None, 200
    application = waiting.first()
    if form is None and application is not None:
        form = RatingForm(initial={"ref": application.ref})
    answers = []
    if application is not None:
        answers = [(label, application.motivation.get(key, "")) for key, label, _hint in QUESTIONS]
    context = {
        "intake": intake,
        "application": application,
        "answers": answers,
        "form": form,
        "left": waiting.count(),
        "rated_by_me": MotivationRating.objects.filter(
            application__intake=intake, rater=request.user
        ).count(),
    }
    return render(request, "college/intake/staff_rate.html", context, status=status)


@never_cache
@role_required(User.Role.STAFF)
@require_GET
def staff_fairness(request, pk):
    intake = get_intake_for_staff(request.user, pk)
    report = intake_fairness(intake)
    context = {
        "intake": intake,
        "report": report,
        "sections": [
            (_("This intake"), report.tables),
            (_("Every intake of the programme"), report.programme_tables),
        ],
    }
    return render(request, "college/intake/staff_fairness.html", context)
