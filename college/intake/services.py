"""Applying to an intake, rating motivations, deciding, and the waiting list.

Every write that can change who holds a place locks the intake's row first
(``select_for_update`` inside ``transaction.atomic``) and counts after: two decisions for the
last place, or a decision and a withdrawal, are served one after the other, so an intake never
admits more people than its places. Applying locks the intake too, so that parallel requests
of one person make one application (the unique constraint stands behind it).

The engine ranks; people decide. Every decision is a row with its author, message and time,
and an audit event; a place freed before the programme starts goes to the first waiting in
rank order, who is told by e-mail.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from college.core.audit import audit_record
from college.intake.questions import QUESTION_KEYS, motivation_errors
from college.intake.ranking import intake_ranking
from college.intake.tasks import send_intake_decision_email
from college.models import (
    AuditEvent,
    Intake,
    IntakeApplication,
    IntakeDecision,
    MotivationRating,
    User,
)

REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no I, O, 0, 1: read aloud without doubt
REF_LENGTH = 8
MAX_RATERS = 2
Decision = IntakeDecision.Decision
Status = IntakeApplication.Status


def _lock(intake):
    return Intake.objects.select_for_update().get(pk=intake.pk)


def _new_ref(intake):
    taken = set(intake.applications.values_list("ref", flat=True))
    while True:
        ref = "A-" + "".join(secrets.choice(REF_ALPHABET) for _ in range(REF_LENGTH))
        if ref not in taken:
            return ref


@transaction.atomic
def intake_apply(*, intake, candidate, motivation, consent, today=None):
    """(application, created): the person's application to the intake, made once.

    Applying again returns the same application unchanged (created False), whatever the body.
    Refused (ValidationError with field errors) for anyone but a job-seeker, without consent,
    outside the intake's dates or with a motivation that does not answer the questions.
    """
    intake = _lock(intake)
    existing = IntakeApplication.objects.filter(intake=intake, candidate=candidate).first()
    if existing is not None:
        return existing, False
    if candidate.role != User.Role.CANDIDATE:
        raise ValidationError({"intake": _("Only job-seekers can apply.")}, code="role")
    today = today or timezone.localdate()
    if today < intake.opens_on:
        raise ValidationError({"intake": _("This intake is not open yet.")}, code="not_open")
    if today > intake.closes_on:
        raise ValidationError({"intake": _("This intake is closed.")}, code="closed")
    errors = motivation_errors(motivation)
    if consent is not True:
        errors["consent"] = [
            _("Consent is needed for the college to use your profile and results here.")
        ]
    if errors:
        raise ValidationError(errors, code="invalid")
    application = IntakeApplication.objects.create(
        intake=intake,
        candidate=candidate,
        ref=_new_ref(intake),
        motivation={key: motivation[key].strip() for key in QUESTION_KEYS},
        consent_given_at=timezone.now(),
    )
    return application, True


@transaction.atomic
def intake_application_withdraw(*, application, by):
    """The person gives up their application; a place they held goes to the waiting list."""
    intake = _lock(application.intake)
    application = IntakeApplication.objects.select_for_update().get(pk=application.pk)
    if application.status == Status.WITHDRAWN:
        return application
    held_a_place = application.status == Status.ADMITTED
    application.status = Status.WITHDRAWN
    application.save(update_fields=["status"])
    if held_a_place:
        _promote_from_waitlist(intake)
    return application


@transaction.atomic
def motivation_rate(*, application, rater, score, note=""):
    """Records `rater`'s rating (1–5) of the motivation; a rater may change their own.

    At most two staff members rate an application; neither sees the other's rating before
    giving theirs (the pages show a rater only their own).
    """
    if rater.role != User.Role.STAFF:
        raise ValidationError({"score": _("Only college staff rate motivations.")}, code="role")
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError({"score": _("Give a rating from 1 to 5.")}, code="range")
    application = IntakeApplication.objects.select_for_update().get(pk=application.pk)
    mine = MotivationRating.objects.filter(application=application, rater=rater).first()
    if mine is not None:
        mine.score, mine.note, mine.rated_at = score, note, timezone.now()
        mine.save(update_fields=["score", "note", "rated_at"])
        return mine
    if MotivationRating.objects.filter(application=application).count() >= MAX_RATERS:
        raise ValidationError(
            {"score": _("Two staff members have rated this motivation already.")}, code="full"
        )
    return MotivationRating.objects.create(
        application=application, rater=rater, score=score, note=note
    )


def _record(*, application, decision, message, author, request=None):
    now = timezone.now()
    IntakeDecision.objects.create(
        application=application, decision=decision, message=message, author=author, created_at=now
    )
    application.status = decision
    application.decided_at = now
    application.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=author,
        action=AuditEvent.Action.INTAKE_DECIDED,
        object_type="intake_application",
        object_id=application.pk,
        detail=f"intake {application.intake_id}: {decision}",
        request=request,
    )
    transaction.on_commit(
        lambda pk=application.pk: send_intake_decision_email.enqueue(pk, decision)
    )


@transaction.atomic
def intake_decide(*, intake, ref, decision, message, author, request=None, today=None):
    """Records a staff member's decision on the application named `ref`.

    Refused before the intake closes (everyone applies before anyone is chosen), for an
    interview when the intake has none, and for an admission when every place is taken
    (wait-list instead). A place given up by this decision goes to the waiting list.
    """
    intake = _lock(intake)
    today = today or timezone.localdate()
    if today <= intake.closes_on:
        raise ValidationError(
            {"decision": _("Decisions are taken once the intake has closed.")}, code="open"
        )
    application = (
        IntakeApplication.objects.select_for_update()
        .filter(intake=intake, ref=ref)
        .exclude(status=Status.WITHDRAWN)
        .first()
    )
    if application is None:
        raise ValidationError({"candidate_ref": _("No such applicant.")}, code="unknown")
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Not a decision.")}, code="unknown")
    if decision == Decision.INTERVIEW and not intake.has_interview:
        raise ValidationError(
            {"decision": _("This intake has no interview step.")}, code="no_interview"
        )
    if application.status == decision:
        return application
    if decision == Decision.ADMITTED:
        admitted = intake.applications.filter(status=Status.ADMITTED).count()
        if admitted >= intake.places:
            raise ValidationError(
                {"decision": _("Every place is taken: put this person on the waiting list.")},
                code="full",
            )
    held_a_place = application.status == Status.ADMITTED
    _record(
        application=application,
        decision=decision,
        message=message,
        author=author,
        request=request,
    )
    if held_a_place:
        _promote_from_waitlist(intake, today=today)
    return application


def _promote_from_waitlist(intake, *, today=None):
    """Gives the free places to the waiting list in rank order, each told by e-mail. The
    intake's row must be locked. Once the programme has started a freed place stays free."""
    today = today or timezone.localdate()
    if today >= intake.starts_on:
        return []
    free = intake.places - intake.applications.filter(status=Status.ADMITTED).count()
    if free <= 0:
        return []
    waiting = [row for row in intake_ranking(intake) if row.status == Status.WAITLISTED][:free]
    promoted = list(
        IntakeApplication.objects.select_for_update().filter(
            pk__in=[row.application_id for row in waiting]
        )
    )
    order = {row.application_id: row.rank for row in waiting}
    promoted.sort(key=lambda application: order[application.pk])
    for application in promoted:
        _record(
            application=application,
            decision=Decision.ADMITTED,
            # Said in the person's own language by the e-mail and their page.
            message="",
            author=None,
        )
    return promoted
