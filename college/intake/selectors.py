"""Who sees which intake, and a job-seeker's own file: steps, outcome and the way forward."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from college.core import typography
from college.guidance.paths import plan_steps
from college.intake.ranking import APTITUDE, person_rows
from college.models import Intake, IntakeApplication, User

MAX_ID = 2**63 - 1
PATH_STEPS_SHOWN = 3
Status = IntakeApplication.Status
DECIDED = (Status.ADMITTED, Status.WAITLISTED, Status.DECLINED, Status.INTERVIEW)


# Access ---------------------------------------------------------------------------------------


def _intakes():
    return Intake.objects.select_related("programme", "role", "cohort").prefetch_related(
        "languages", "batteries__battery"
    )


def open_intakes(today=None):
    """Intakes taking applications today: public."""
    return _intakes().open_on(today or timezone.localdate()).order_by("closes_on", "pk")


def get_intake(pk):
    """Any intake, open or not: its page says whether it takes applications (public)."""
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(_intakes(), pk=pk)


def get_intake_for_staff(user, pk):
    """An intake's ranking, ratings, decisions and fairness: college staff only (a 404 for
    everyone else, who has no business knowing which intakes have applicants)."""
    if not user.is_authenticated or user.role != User.Role.STAFF:
        raise Http404
    return get_intake(pk)


def intake_applications_of(user):
    """A job-seeker's own applications; nobody else's through this helper."""
    if not user.is_authenticated or user.role != User.Role.CANDIDATE:
        return IntakeApplication.objects.none()
    return IntakeApplication.objects.filter(candidate=user)


def get_intake_application_for(user, pk):
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(
        intake_applications_of(user).select_related(
            "intake__programme", "intake__role", "candidate__candidate_profile"
        ),
        pk=pk,
    )


def day(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT")


# Steps in plain words -------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeStep:
    kind: str  # "test", "motivation" or "interview"
    title: str
    text: str
    url: str = ""


def intake_steps(intake):
    """The selection's steps in plain words, in order (the counted tests, the motivation
    form, the interview)."""
    steps = []
    total = sum(row.weight for row in intake.batteries.all())
    for row in intake.batteries.all():
        steps.append(
            IntakeStep(
                kind="test",
                title=row.battery.title,
                text=_(
                    "A practice test you take on Passerelle before %(date)s; it makes "
                    "%(share)s %% of your aptitude."
                )
                % {
                    "date": day(intake.closes_on),
                    "share": round(100 * row.weight / total) if total else 0,
                },
                url=reverse("assessments:battery_detail", args=[row.battery.slug]),
            )
        )
    steps.append(
        IntakeStep(
            kind="motivation",
            title=_("Motivation"),
            text=_(
                "Three short questions about why, what you have done and how you will make "
                "time; two staff members read your answers separately."
            ),
        )
    )
    if intake.has_interview:
        steps.append(
            IntakeStep(
                kind="interview",
                title=_("Interview"),
                text=_("A conversation with the college for the people invited."),
            )
        )
    return steps


# The job-seeker's file ------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    kind: str  # "module", "test", "intake" or "start"
    title: str
    url: str = ""


@dataclass(frozen=True)
class ApplicationFile:
    application: IntakeApplication
    status: str  # submitted, in_review, interview, decided, withdrawn
    decision: str | None
    outcome: str  # the outcome in one sentence
    reasons: tuple[str, ...]
    next_steps: tuple[NextStep, ...]
    steps_done: tuple[str, ...]
    steps_left: tuple[str, ...]
    message: str = ""

    @property
    def intake(self):
        return self.application.intake


def file_status(application, today):
    if application.status == Status.WITHDRAWN:
        return "withdrawn"
    if application.status == Status.INTERVIEW:
        return "interview"
    if application.status in DECIDED:
        return "decided"
    return "submitted" if today <= application.intake.closes_on else "in_review"


def _outcome(application, row, status):
    if status == "withdrawn":
        return _("You withdrew this application.")
    if status == "submitted":
        return _("Your application is in. Decisions come after the closing date.")
    if status == "in_review":
        return _("The intake is closed: the college is reviewing every application.")
    if application.status == Status.INTERVIEW:
        return _("You are invited to an interview.")
    if application.status == Status.ADMITTED:
        return _("You are admitted.")
    if row is not None and row.is_eligible:
        if application.status == Status.WAITLISTED:
            return _(
                "Admissible but no place: you meet the conditions, and you are on the waiting list."
            )
        return _(
            "Admissible but no place: you meet the conditions, but the places went to "
            "other applicants this time."
        )
    return _("Not admitted this time: some conditions are not met yet.")


def _next_intakes(applications, today):
    """{programme id: its intakes not yet closed, the first to open first}: one query (none
    without an application that needs a way forward)."""
    programmes = {
        application.intake.programme_id
        for application in applications
        if application.status in (Status.WAITLISTED, Status.DECLINED)
    }
    following = {}
    if programmes:
        for intake in Intake.objects.filter(
            programme_id__in=programmes, closes_on__gte=today
        ).order_by("opens_on", "pk"):
            following.setdefault(intake.programme_id, []).append(intake)
    return following


def _next_intake(application, following):
    """The next intake of the application's programme, other than its own."""
    return next(
        (
            intake
            for intake in following.get(application.intake.programme_id, ())
            if intake.pk != application.intake_id
        ),
        None,
    )


def application_file(application, *, today=None) -> ApplicationFile:
    """The person's own file: where it stands, why, and what they can do next."""
    prefetch_related_objects([application], "intake__batteries__battery", "decisions")
    return _files([application], today=today or timezone.localdate())[0]


def _files(applications, *, today):
    """The files of one person's `applications` (rows with ``intake__programme``,
    ``intake__role`` and ``candidate__candidate_profile`` selected): what every file reads is
    read once for all of them (:func:`college.intake.ranking.person_rows`, the next intakes
    of their programmes), and a way forward's path once per role."""
    rows = person_rows(
        application for application in applications if application.status != Status.WITHDRAWN
    )
    following = _next_intakes(applications, today)
    paths = {}
    return [
        _file(
            application,
            rows.get(application.pk),
            today=today,
            following=following,
            paths=paths,
        )
        for application in applications
    ]


def _latest_decision(application):
    """The latest decision, from the prefetched decisions when they are."""
    return max(
        application.decisions.all(), key=lambda item: (item.created_at, item.pk), default=None
    )


def _file(application, row, *, today, following, paths) -> ApplicationFile:
    intake = application.intake
    status = file_status(application, today)
    if status == "withdrawn":
        row = None
    reasons, next_steps = [], []
    latest = _latest_decision(application)
    message = latest.message if latest else ""
    if row is not None and status in ("decided", "interview"):
        reasons.extend(row.reasons)
    taken = set()
    if row is not None and row.component(APTITUDE):
        for test in row.component(APTITUDE).detail["tests"]:
            if test.value is not None:
                taken.add(test.battery_id)
    tests = [line.battery for line in intake.batteries.all()]
    steps_done = [_("Application and motivation sent")] + [
        _("Test taken: %(test)s") % {"test": battery.title}
        for battery in tests
        if battery.pk in taken
    ]
    steps_left = []
    if status == "submitted":
        steps_left = [
            _("Take the test before the closing date: %(test)s") % {"test": battery.title}
            for battery in tests
            if battery.pk not in taken
        ]
        for battery in tests:
            if battery.pk not in taken:
                next_steps.append(
                    NextStep(
                        "test",
                        battery.title,
                        reverse("assessments:battery_detail", args=[battery.slug]),
                    )
                )
    if status in ("submitted", "in_review", "interview"):
        steps_left.append(_("The decision, after %(date)s") % {"date": day(intake.closes_on)})
    if application.status == Status.ADMITTED:
        next_steps.append(
            NextStep(
                "start", _("The programme starts on %(date)s") % {"date": day(intake.starts_on)}
            )
        )
    if application.status in (Status.WAITLISTED, Status.DECLINED):
        next_steps.extend(_way_forward(application, row, following=following, paths=paths))
    return ApplicationFile(
        application=application,
        status=status,
        decision=application.status if application.status in DECIDED else None,
        outcome=_outcome(application, row, status),
        reasons=tuple(reasons),
        next_steps=tuple(next_steps),
        steps_done=tuple(steps_done),
        steps_left=tuple(steps_left),
        message=message,
    )


def _way_forward(application, row, *, following, paths):
    """A personal path toward the programme's role, the counted tests to practise again, and
    the next intake of the same programme. `paths`: the path's steps already planned, by role
    (one person's files plan each role once)."""
    intake = application.intake
    steps = []
    if intake.role_id:
        if intake.role_id not in paths:
            profile = application.candidate.candidate_profile
            paths[intake.role_id] = plan_steps(profile=profile, role=intake.role)
        for step in paths[intake.role_id][:PATH_STEPS_SHOWN]:
            steps.append(NextStep(step.kind, step.title, step.url))
    if row is not None and row.component(APTITUDE):
        for line, test in zip(
            intake.batteries.all(), row.component(APTITUDE).detail["tests"], strict=True
        ):
            # A test without a pass mark (work style, judgement) is worth practising again
            # below half marks.
            threshold = line.battery.pass_percent
            if test.value is None or test.value < (50 if threshold is None else threshold):
                steps.append(
                    NextStep(
                        "test",
                        _("Practise: %(test)s") % {"test": test.title},
                        reverse("assessments:battery_detail", args=[line.battery.slug]),
                    )
                )
    next_intake = _next_intake(application, following)
    if next_intake is not None:
        steps.append(
            NextStep(
                "intake",
                _("Apply to the next intake (closes on %(date)s)")
                % {"date": typography.date_format(next_intake.closes_on, "DATE_FORMAT")},
                reverse("intake:detail", args=[next_intake.pk]),
            )
        )
    else:
        steps.append(
            NextStep(
                "intake",
                _("You are welcome at the next intake: the open ones are listed here."),
                reverse("intake:list"),
            )
        )
    return steps


def my_application_files(user, *, today=None):
    """The person's files, the latest intake first, in a number of queries that does not grow
    with the applications (:func:`_files`; a way forward plans the path once per role)."""
    applications = list(
        intake_applications_of(user)
        .select_related("intake__programme", "intake__role", "candidate__candidate_profile")
        .prefetch_related("intake__batteries__battery", "decisions")
        .filter(~Q(intake=None))
        .order_by("-intake__closes_on", "-pk")
    )
    return _files(applications, today=today or timezone.localdate())
