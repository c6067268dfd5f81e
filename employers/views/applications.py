"""Applications: job-seekers apply and follow; employers move applicants through stages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from candidates.matches.views import vacancy_matches
from candidates.models import ProfileView
from candidates.selectors import (
    candidate_holdings,
    candidate_profile_detail,
    requirements_checklist,
)
from candidates.services import candidate_profile_get_or_create, profile_view_log
from college.core.access import role_required
from college.models import User
from employers.access import (
    applications_visible_to,
    get_application_for,
    get_published_vacancy,
    get_vacancy_for_member,
)
from employers.forms.applications import ApplyForm, NoteForm, StageForm, WithdrawForm, stage_choices
from employers.models import Application, ApplicationEvent, ApplicationNote, Vacancy
from employers.services import (
    FINAL_STAGES,
    STAGE_ORDER,
    AlreadyApplied,
    application_move,
    application_note_add,
    application_submit,
    application_withdraw,
)
from employers.shortlists.applicants import DEFAULT_SORT, SORTS, applicant_rows, stage_filters

# Job-seekers' side: apply, follow, withdraw.


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def apply(request, pk):
    try:
        vacancy = get_published_vacancy(pk)
    except Http404:
        if request.method == "POST" and _was_published(pk):
            # It closed while the job-seeker was writing: say so rather than a bare 404.
            messages.error(request, _("This vacancy has closed: applications are no longer taken."))
            return redirect("employers:board")
        raise
    vacancy = Vacancy.objects.for_list().with_requirements().get(pk=vacancy.pk)
    profile = candidate_profile_get_or_create(user=request.user)
    existing = Application.objects.filter(vacancy=vacancy, profile=profile).first()
    form = None
    if existing is None:
        form = ApplyForm(
            request.POST if request.method == "POST" else None, employer=vacancy.employer
        )
    if request.method == "POST":
        if existing is not None:
            messages.info(request, _("You have already applied to this vacancy."))
            return redirect("employers:my_applications")
        if form.is_valid():
            try:
                application_submit(
                    profile=profile,
                    vacancy=vacancy,
                    motivation=form.cleaned_data["motivation"],
                    shares_test_results=form.cleaned_data["shares_test_results"],
                )
            except AlreadyApplied:
                messages.info(request, _("You have already applied to this vacancy."))
                return redirect("employers:my_applications")
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("employers:board")
            messages.success(
                request,
                _(
                    "Your application has been sent to %(employer)s. You can follow it here, "
                    "and you will receive an e-mail at each step."
                )
                % {"employer": vacancy.employer.name},
            )
            return redirect("employers:my_applications")
    context = {
        "vacancy": vacancy,
        "existing": existing,
        "form": form,
        # The engine's own fit, the number the matches page and the e-mails show.
        "vacancy_match": vacancy_matches(profile=profile, vacancy_ids=[vacancy.pk])[0]
        if existing is None
        else None,
        "fit": requirements_checklist(
            holdings=candidate_holdings(profile),
            skill_requirements=vacancy.skill_requirements.all(),
            language_requirements=vacancy.language_requirements.all(),
            level_field="min_level",
        ),
    }
    return render(
        request,
        "employers/apply.html",
        context,
        status=400 if form is not None and form.is_bound else 200,
    )


def _was_published(pk):
    return (
        Vacancy.objects.filter(pk=pk, employer__is_verified=True)
        .exclude(status=Vacancy.Status.DRAFT)
        .exists()
    )


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
def pipeline(request, pk):
    vacancy = get_vacancy_for_member(request.user, pk)
    # Unknown values fall back to the defaults: a hand-edited address still shows the list.
    stages = stage_filters()
    stage = request.GET.get("stage", "")
    if stage not in {value for value, _label in stages}:
        stage = ""
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    applications = vacancy.applications.select_related("profile__user").order_by("created_at", "pk")
    sections = {stage.value: [] for stage in STAGE_ORDER}
    sections[Application.Stage.NOT_RETAINED.value] = []
    withdrawn, erased = [], []
    for application in applications:
        if application.is_erased:
            erased.append(application)
        elif application.reason == Application.Reason.WITHDRAWN:
            withdrawn.append(application)
        else:
            sections[application.stage].append(application)
    groups = [
        {
            "key": key,
            "label": Application.Stage(key).label,
            "applications": items,
        }
        for key, items in sections.items()
    ]
    groups.append({"key": "withdrawn", "label": _("Withdrawn"), "applications": withdrawn})
    if erased:
        groups.append({"key": "erased", "label": _("Erased"), "applications": erased})
    context = {
        "vacancy": vacancy,
        "groups": groups,
        "total": sum(len(group["applications"]) for group in groups),
        "rows": applicant_rows(vacancy=vacancy, stage=stage, sort=sort),
        "stage": stage,
        "stages": stages,
        "sort": sort,
        "sorts": list(SORTS.items()),
    }
    return render(request, "employers/pipeline.html", context)


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
