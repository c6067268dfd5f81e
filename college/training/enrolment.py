"""Cohorts and enrolment: places, the waiting list, attendance, results and the calendar.

Every write that can change who holds a place locks the cohort's row first
(`select_for_update` inside `transaction.atomic`), then counts: two requests for the last
place are served one after the other, so a cohort never holds more people than its capacity.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from candidates.models import CandidateLanguage, Evidence
from candidates.services import candidate_profile_get_or_create, candidate_skills_verify
from college.core.converters import MAX_ID
from college.core.ics import ics_escape, ics_fold, ics_time
from college.models import CEFR, Attendance, Cohort, CohortSession, Enrolment, User
from college.training.certificates import certificate_issue
from college.training.tasks import send_enrolment_promoted_email

# Access ---------------------------------------------------------------------------------------


def get_cohort(code):
    """Cohorts are public, cancelled ones included (shown as cancelled)."""
    return get_object_or_404(Cohort.objects.select_related("module", "language"), code=code)


def enrolments_visible_to(user):
    """A job-seeker sees their own enrolments; nobody else sees any through this helper."""
    if not user.is_authenticated or user.role != User.Role.CANDIDATE:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(candidate=user)


def get_enrolment_for(user, pk):
    """The enrolment with this id if it is `user`'s own; a 404 otherwise, never a 403."""
    if pk > MAX_ID:  # would overflow the database's integer instead of matching nothing
        raise Http404
    return get_object_or_404(enrolments_visible_to(user), pk=pk)


# Selectors ------------------------------------------------------------------------------------


def with_waitlist_position(enrolments):
    """Annotates `waitlist_position` (1 = next to get a place) on waitlisted rows; 0 on others.

    The order is the order of asking (`created_at`, then id), among the cohort's waitlisted.
    """
    ahead = (
        Enrolment.objects.filter(cohort=OuterRef("cohort"), status=Enrolment.Status.WAITLISTED)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("cohort")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return enrolments.annotate(
        waitlist_ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0))
    )


def waitlist_position(enrolment):
    if enrolment.status != Enrolment.Status.WAITLISTED:
        return None
    ahead = getattr(enrolment, "waitlist_ahead", None)
    if ahead is None:
        ahead = (
            Enrolment.objects.filter(
                cohort_id=enrolment.cohort_id, status=Enrolment.Status.WAITLISTED
            )
            .filter(
                Q(created_at__lt=enrolment.created_at)
                | Q(created_at=enrolment.created_at, pk__lt=enrolment.pk)
            )
            .count()
        )
    return ahead + 1


def cohorts_with_counts(cohorts):
    return cohorts.annotate(
        enrolled_count=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED)),
        waitlisted_count=Count(
            "enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED)
        ),
    )


def cohort_phase(cohort, today=None):
    """upcoming, running or past, by the cohort's dates."""
    today = today or timezone.localdate()
    if cohort.starts_on > today:
        return "upcoming"
    if cohort.ends_on >= today:
        return "running"
    return "past"


def cohort_is_open(cohort, today=None):
    today = today or timezone.localdate()
    return not cohort.is_cancelled and today <= cohort.enrolment_closes_on


def enrolment_can_be_cancelled(enrolment, today=None):
    today = today or timezone.localdate()
    return (
        enrolment.status != Enrolment.Status.CANCELLED
        and not enrolment.result
        and today <= enrolment.cohort.ends_on
    )


def missing_prerequisites(*, module, candidate):
    """The prerequisites of `module` that `candidate` has not passed yet, in catalogue order."""
    passed = Enrolment.objects.filter(
        candidate=candidate, result=Enrolment.Result.PASSED
    ).values_list("cohort__module_id", flat=True)
    return list(module.prerequisites.exclude(pk__in=passed))


def candidate_training(user):
    """The job-seeker's enrolments, newest cohort first, with everything `my_training` shows,
    in a constant number of queries."""
    now = timezone.now()
    enrolments = with_waitlist_position(
        Enrolment.objects.filter(candidate=user)
        .select_related("cohort__module", "cohort__language", "certificate")
        .annotate(
            attended=Count(
                "attendances",
                filter=Q(attendances__status=Attendance.Status.PRESENT),
                distinct=True,
            ),
        )
        .prefetch_related(
            Prefetch("cohort__sessions", queryset=CohortSession.objects.order_by("starts_at"))
        )
        .order_by("-cohort__starts_on", "-created_at")
    )
    rows = list(enrolments)
    for enrolment in rows:
        sessions = list(enrolment.cohort.sessions.all())
        enrolment.sessions_held = sum(1 for session in sessions if session.starts_at <= now)
        enrolment.upcoming_sessions = [session for session in sessions if session.ends_at > now]
        enrolment.position = waitlist_position(enrolment)
        enrolment.attendance_percent = (
            round(100 * enrolment.attended / enrolment.sessions_held)
            if enrolment.sessions_held
            else 0
        )
        enrolment.can_cancel = enrolment_can_be_cancelled(enrolment)
        enrolment.certificate_code = _certificate_code(enrolment)
    return rows


def _certificate_code(enrolment):
    try:
        return enrolment.certificate.code
    except Enrolment.certificate.RelatedObjectDoesNotExist:
        return ""


# Services -------------------------------------------------------------------------------------


def _lock_cohort(cohort):
    return Cohort.objects.select_for_update().select_related("module").get(pk=cohort.pk)


def _refuse(message, code):
    raise ValidationError(message, code=code)


@transaction.atomic
def cohort_enrol(*, cohort, candidate, by=None):
    """Gives `candidate` a place in `cohort`, or a place on its waiting list when it is full.

    Idempotent: a candidate already enrolled or waitlisted gets that enrolment back. Staff
    (`by` a staff member) may enrol someone after enrolment closed (until the cohort ends) and
    without the prerequisites; capacity binds everyone.
    """
    cohort = _lock_cohort(cohort)
    live = (
        Enrolment.objects.filter(cohort=cohort, candidate=candidate)
        .exclude(status=Enrolment.Status.CANCELLED)
        .first()
    )
    if live is not None:
        return live
    if candidate.role != User.Role.CANDIDATE:
        _refuse(_("Only job-seekers can enrol in a cohort."), "not_a_candidate")
    is_staff = by is not None and by.role == User.Role.STAFF
    today = timezone.localdate()
    if cohort.is_cancelled:
        _refuse(_("This cohort is cancelled."), "cancelled")
    if is_staff:
        if today > cohort.ends_on:
            _refuse(_("This cohort has ended."), "ended")
    elif not cohort_is_open(cohort, today):
        _refuse(_("Enrolment for this cohort is closed."), "closed")
    if not is_staff:
        missing = missing_prerequisites(module=cohort.module, candidate=candidate)
        if missing:
            _refuse(
                _("Pass these modules first: %(modules)s.")
                % {"modules": ", ".join(module.title for module in missing)},
                "prerequisites",
            )
    enrolled = cohort.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    now = timezone.now()
    if enrolled < cohort.capacity:
        return Enrolment.objects.create(
            cohort=cohort,
            candidate=candidate,
            status=Enrolment.Status.ENROLLED,
            created_at=now,
            enrolled_at=now,
        )
    return Enrolment.objects.create(
        cohort=cohort, candidate=candidate, status=Enrolment.Status.WAITLISTED, created_at=now
    )


def _promote_from_waitlist(cohort):
    """Fills free places from the waiting list, first asked first served, and tells each
    person promoted by e-mail. The cohort's row must be locked. A cohort that has started
    (or is cancelled) promotes nobody: a freed place then stays free."""
    if cohort.is_cancelled or timezone.localdate() >= cohort.starts_on:
        return []
    enrolled = cohort.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    free = cohort.capacity - enrolled
    if free <= 0:
        return []
    promoted = list(
        cohort.enrolments.filter(status=Enrolment.Status.WAITLISTED).order_by("created_at", "pk")[
            :free
        ]
    )
    now = timezone.now()
    for enrolment in promoted:
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.enrolled_at = now
    Enrolment.objects.bulk_update(promoted, ["status", "enrolled_at"])
    for enrolment in promoted:
        transaction.on_commit(lambda pk=enrolment.pk: send_enrolment_promoted_email.enqueue(pk))
    return promoted


@transaction.atomic
def enrolment_cancel(*, enrolment, by):
    """Cancels a place or a place on the waiting list; a freed place goes at once to the first
    person waiting. Idempotent on an enrolment already cancelled."""
    cohort = _lock_cohort(enrolment.cohort)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    enrolment.cohort = cohort
    if enrolment.status == Enrolment.Status.CANCELLED:
        return enrolment
    if enrolment.result:
        _refuse(_("A result is recorded: this enrolment can no longer be cancelled."), "result")
    if timezone.localdate() > cohort.ends_on:
        _refuse(_("This cohort has ended."), "ended")
    was_enrolled = enrolment.status == Enrolment.Status.ENROLLED
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.cancelled_at = timezone.now()
    enrolment.save(update_fields=["status", "cancelled_at"])
    if was_enrolled:
        _promote_from_waitlist(cohort)
    return enrolment


@transaction.atomic
def cohort_capacity_set(*, cohort, capacity, by):
    """Changes the number of places; more places go at once to the people waiting."""
    cohort = _lock_cohort(cohort)
    enrolled = cohort.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    if capacity < max(enrolled, 1):
        raise ValidationError(
            {
                "capacity": _("%(count)s people hold a place: the capacity cannot be lower.")
                % {"count": enrolled}
            },
            code="below_enrolled",
        )
    cohort.capacity = capacity
    cohort.save(update_fields=["capacity"])
    promoted = _promote_from_waitlist(cohort)
    return cohort, promoted


@transaction.atomic
def attendance_record(*, cohort, marks, by):
    """Records attendance: `marks` maps (enrolment id, session id) to a status, or to "" to
    clear a mark. Only people holding a place and the cohort's own sessions count."""
    enrolment_ids = set(
        cohort.enrolments.filter(status=Enrolment.Status.ENROLLED).values_list("pk", flat=True)
    )
    session_ids = set(cohort.sessions.values_list("pk", flat=True))
    keep, clear = [], Q(pk__in=[])
    for (enrolment_id, session_id), status in marks.items():
        if enrolment_id not in enrolment_ids or session_id not in session_ids:
            continue
        if status:
            keep.append(
                Attendance(
                    enrolment_id=enrolment_id, session_id=session_id, status=status, recorded_by=by
                )
            )
        else:
            clear |= Q(enrolment_id=enrolment_id, session_id=session_id)
    Attendance.objects.filter(clear).delete()
    Attendance.objects.bulk_create(
        keep,
        update_conflicts=True,
        unique_fields=["enrolment", "session"],
        update_fields=["status", "recorded_by", "recorded_at"],
    )
    return len(keep)


def result_errors(*, module, result, score):
    """Field errors for a result that does not fit the module's pass mark, or {}."""
    if not result:
        if score is not None:
            return {"result": _("Choose passed or failed for this score.")}
        return {}
    if score is None:
        return {"score": _("Give the score in percent.")}
    if result == Enrolment.Result.PASSED and score < module.pass_percent:
        return {"score": _("A pass needs at least %(mark)s %%.") % {"mark": module.pass_percent}}
    if result == Enrolment.Result.FAILED and score >= module.pass_percent:
        return {
            "score": _("%(score)s %% reaches the pass mark (%(mark)s %%): this is a pass.")
            % {"score": score, "mark": module.pass_percent}
        }
    return {}


@transaction.atomic
def enrolment_record_result(*, enrolment, result, score, by):
    """Records a person's result in a module. A pass is final: it certifies the skills the
    module teaches (`training_certified`, at the level taught), raises the CEFR level of a
    language course's language, and issues the certificate. Nothing is ever lowered."""
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("cohort__module", "candidate")
        .get(pk=enrolment.pk)
    )
    module = enrolment.cohort.module
    if enrolment.status != Enrolment.Status.ENROLLED:
        _refuse(_("Only people holding a place get a result."), "not_enrolled")
    errors = result_errors(module=module, result=result, score=score)
    if errors:
        raise ValidationError(errors, code="inconsistent")
    if enrolment.result == Enrolment.Result.PASSED:
        if result == Enrolment.Result.PASSED and score == enrolment.score:
            return enrolment
        _refuse(_("A pass is final: its certificate is issued."), "final")
    enrolment.result = result
    enrolment.score = score
    enrolment.result_recorded_at = timezone.now() if result else None
    enrolment.result_recorded_by = by if result else None
    enrolment.save(update_fields=["result", "score", "result_recorded_at", "result_recorded_by"])
    if result == Enrolment.Result.PASSED:
        _certify(enrolment)
    return enrolment


def _certify(enrolment):
    candidate = enrolment.candidate
    module = enrolment.cohort.module
    profile = candidate_profile_get_or_create(user=candidate)
    outcomes = list(module.outcomes.select_related("skill"))
    if outcomes:
        with translation.override(candidate.preferred_language):
            note = _("Passed the college module “%(module)s” (%(code)s).") % {
                "module": module.title,
                "code": enrolment.cohort.code,
            }
        candidate_skills_verify(
            profile=profile,
            skills=[outcome.skill for outcome in outcomes],
            evidence=Evidence.TRAINING_CERTIFIED,
            levels={outcome.skill_id: outcome.level for outcome in outcomes},
            note=note,
        )
    if module.language_taught_id and module.cefr_reached:
        held = (
            CandidateLanguage.objects.select_for_update()
            .filter(profile=profile, language_id=module.language_taught_id)
            .first()
        )
        if held is None:
            CandidateLanguage.objects.create(
                profile=profile, language_id=module.language_taught_id, cefr=module.cefr_reached
            )
        elif CEFR.rank(held.cefr) < CEFR.rank(module.cefr_reached):
            held.cefr = module.cefr_reached
            held.save(update_fields=["cefr"])
    certificate_issue(enrolment=enrolment)


# The calendar (RFC 5545) ----------------------------------------------------------------------


def calendar_ics(user):
    """The sessions of the cohorts where `user` holds a place, as an iCalendar text, with the
    module titles in the user's preferred language."""
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    sessions = (
        CohortSession.objects.filter(
            cohort__enrolments__candidate=user,
            cohort__enrolments__status=Enrolment.Status.ENROLLED,
            cohort__is_cancelled=False,
        )
        .select_related("cohort__module")
        .order_by("starts_at", "pk")
    )
    stamp = ics_time(timezone.now())
    with translation.override(user.preferred_language):
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Passerelle//College training calendar//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + ics_escape(_("My training sessions")),
        ]
        for session in sessions:
            cohort = session.cohort
            lines += [
                "BEGIN:VEVENT",
                f"UID:cohort-session-{session.pk}@{host}",
                f"DTSTAMP:{stamp}",
                f"DTSTART:{ics_time(session.starts_at)}",
                f"DTEND:{ics_time(session.ends_at)}",
                "SUMMARY:" + ics_escape(cohort.module.title),
                "LOCATION:" + ics_escape(session.place or cohort.place),
            ]
            if session.topic:
                lines.append("DESCRIPTION:" + ics_escape(session.topic))
            lines.append("END:VEVENT")
        lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)
