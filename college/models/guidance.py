from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from college.models.reference import Role, User
from college.models.training import Module


class GuidanceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)

    def guiding(self, counsellor, candidate=None):
        """The active guidances of `counsellor`, of one `candidate` when given (a user, an id
        or an `OuterRef`): the one rule for "guided by this counsellor", which decides what a
        counsellor may see and do."""
        guidances = self.active().filter(counsellor=counsellor)
        return guidances if candidate is None else guidances.filter(candidate=candidate)


class Guidance(models.Model):
    """A counsellor guiding a job-seeker: the counsellor's caseload is their active guidances."""

    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guidances_given",
        limit_choices_to={"role": User.Role.COUNSELLOR},
        verbose_name=_("counsellor"),
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="guidances_received",
        limit_choices_to={"role": User.Role.CANDIDATE},
        verbose_name=_("job-seeker"),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = GuidanceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["counsellor", "candidate"],
                condition=Q(ended_at__isnull=True),
                name="one_active_guidance_per_pair",
            ),
        ]
        verbose_name = _("guidance")
        verbose_name_plural = _("guidances")

    def __str__(self):
        return f"{self.counsellor} → {self.candidate}"


# The training catalogue ------------------------------------------------------------------------


class TrainingPath(models.Model):
    """A job-seeker's ordered steps toward a target role, generated, then shaped by a counsellor."""

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_paths"
    )
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="+")
    explanation = models.TextField(
        _("counsellor's explanation"),
        blank=True,
        help_text=_("Seen by the job-seeker: why these steps, in this order."),
    )
    generated_at = models.DateTimeField(_("generated on"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited on"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "role"], name="one_path_per_role"),
        ]
        verbose_name = _("training path")
        verbose_name_plural = _("training paths")

    def __str__(self):
        return f"{self.candidate} → {self.role.slug}"


class PathStep(models.Model):
    class Kind(models.TextChoices):
        MODULE = "module", _("Module")
        TEST = "test", _("Practice test")

    path = models.ForeignKey(TrainingPath, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    battery = models.ForeignKey(
        "assessments.Battery", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    note = models.CharField(
        _("note"),
        max_length=300,
        blank=True,
        help_text=_("Why this step (seen by the job-seeker)."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="module", module__isnull=False, battery__isnull=True)
                    | Q(kind="test", battery__isnull=False, module__isnull=True)
                ),
                name="path_step_kind_matches_target",
            ),
            models.UniqueConstraint(
                fields=["path", "module"], condition=Q(kind="module"), name="path_module_once"
            ),
            models.UniqueConstraint(
                fields=["path", "battery"], condition=Q(kind="test"), name="path_battery_once"
            ),
        ]
        verbose_name = _("path step")
        verbose_name_plural = _("path steps")

    def __str__(self):
        return f"{self.path_id}#{self.position} {self.kind}"


class CounsellorNote(models.Model):
    """A note about a job-seeker, private to the counselling team (never shown to them)."""

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counsellor_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("written on"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("counsellor note")
        verbose_name_plural = _("counsellor notes")

    def __str__(self):
        return f"note {self.pk} on {self.candidate_id}"


class ActionItem(models.Model):
    """One line of the action plan a counsellor agrees with a job-seeker, who sees it."""

    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_items"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.CharField(_("action"), max_length=300)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at", "due_on", "pk"]
        verbose_name = _("action")
        verbose_name_plural = _("action plan")

    def __str__(self):
        return self.text


# Security: two-step verification and the audit log ----------------------------------------------
