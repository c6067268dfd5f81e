"""Selective intakes of oversubscribed programmes: the intake, the applications, the blind
motivation ratings and the decisions people take (college.intake ranks; it never decides)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from college.models.reference import Language, Role
from college.models.training import Cohort, Programme


class IntakeQuerySet(models.QuerySet):
    def open_on(self, day):
        """Intakes taking applications on `day` (both dates included)."""
        return self.filter(opens_on__lte=day, closes_on__gte=day)


class Intake(models.Model):
    """A programme's (or a cohort's) selection: places, dates, steps, conditions and weights.

    The weights of the score's components are the programme's, stated here and the same for
    everyone who applies; see college/intake/ranking.py for the score they make.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="intakes", verbose_name=_("programme")
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intakes",
        verbose_name=_("cohort"),
    )
    role = models.ForeignKey(
        Role,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intakes",
        verbose_name=_("role prepared for"),
        help_text=_("Readiness is the fit for this role; its legal conditions are checked."),
    )
    places = models.PositiveSmallIntegerField(_("places"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    starts_on = models.DateField(
        _("starts on"), help_text=_("Places freed before this day go to the waiting list.")
    )
    languages = models.ManyToManyField(
        Language, related_name="+", verbose_name=_("languages of instruction")
    )
    has_interview = models.BooleanField(_("interview"), default=False)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    aptitude_weight = models.PositiveSmallIntegerField(_("weight of aptitude"), default=50)
    motivation_weight = models.PositiveSmallIntegerField(_("weight of motivation"), default=30)
    readiness_weight = models.PositiveSmallIntegerField(_("weight of readiness"), default=20)
    created_at = models.DateTimeField(default=timezone.now)

    objects = IntakeQuerySet.as_manager()

    class Meta:
        ordering = ["closes_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="intake_places_positive"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")), name="intake_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__gte=F("closes_on")), name="intake_starts_after_closing"
            ),
            models.CheckConstraint(
                condition=Q(aptitude_weight__gt=0)
                | Q(motivation_weight__gt=0)
                | Q(readiness_weight__gt=0),
                name="intake_some_weight",
            ),
        ]
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")

    def __str__(self):
        return f"{self.programme.slug} {self.opens_on:%Y-%m-%d}"

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on


class IntakeBattery(models.Model):
    """A practice battery whose result counts toward aptitude, with its weight."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="batteries")
    battery = models.ForeignKey(
        "assessments.Battery", on_delete=models.PROTECT, related_name="+", verbose_name=_("test")
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    class Meta:
        ordering = ["intake", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "battery"], name="unique_intake_battery"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="intake_battery_weight"),
        ]
        verbose_name = _("counted test")
        verbose_name_plural = _("counted tests")

    def __str__(self):
        return f"{self.intake_id}:{self.battery_id}×{self.weight}"


class IntakeApplication(models.Model):
    """One person's application to one intake, named on staff pages only by `ref`."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        INTERVIEW = "interview", _("Invited to an interview")
        ADMITTED = "admitted", _("Admitted")
        WAITLISTED = "waitlisted", _("On the waiting list")
        DECLINED = "declined", _("Not admitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="applications")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_applications"
    )
    # A random pseudonym drawn once: blind on staff pages, unlinkable across intakes, and the
    # drawing of lots that breaks a tie after every component.
    ref = models.CharField(_("reference"), max_length=12, editable=False)
    motivation = models.JSONField(_("motivation"), default=dict)
    consent_given_at = models.DateTimeField(_("consent given at"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["intake", "ref"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "candidate"], name="one_intake_application_per_person"
            ),
            models.UniqueConstraint(fields=["intake", "ref"], name="unique_intake_ref"),
        ]
        verbose_name = _("intake application")
        verbose_name_plural = _("intake applications")

    def __str__(self):
        return self.ref


class MotivationRating(models.Model):
    """One staff member's rating (1–5) of a motivation, given without seeing the other's."""

    application = models.ForeignKey(
        IntakeApplication, on_delete=models.CASCADE, related_name="ratings"
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("rating"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["application", "rated_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["application", "rater"], name="one_rating_per_rater"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="motivation_rating_1_to_5"
            ),
        ]
        verbose_name = _("motivation rating")
        verbose_name_plural = _("motivation ratings")

    def __str__(self):
        return f"{self.application_id}: {self.score}"


class IntakeDecision(models.Model):
    """A decision on an application, by a person (or by the waiting list's promotion, with no
    author); the latest one is the application's status. Decisions are never edited."""

    class Decision(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        WAITLISTED = "waitlisted", _("On the waiting list")
        INTERVIEW = "interview", _("Invited to an interview")
        DECLINED = "declined", _("Not admitted")

    application = models.ForeignKey(
        IntakeApplication, on_delete=models.CASCADE, related_name="decisions"
    )
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices)
    message = models.TextField(_("message"), blank=True, max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["application", "created_at", "pk"]
        verbose_name = _("intake decision")
        verbose_name_plural = _("intake decisions")

    def __str__(self):
        return f"{self.application_id}: {self.decision}"
