from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from college.models.reference import User


class MfaDevice(models.Model):
    """A person's TOTP authenticator (RFC 6238) and their single-use recovery codes.

    The device counts once `confirmed_at` is set, after the person typed a first code. The
    recovery codes are kept hashed; using one removes it. `last_used_step` refuses a code
    replayed within its 30-second step.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mfa_device"
    )
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(_("set up on"), null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)
    recovery_code_hashes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self):
        return f"authenticator of user {self.user_id}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class AuditEvent(models.Model):
    """One sensitive read or write: who, in which role, did what to which object, and when.

    Holds no personal data of the subject beyond an object id (an erased job-seeker is named
    by an anonymous reference) and, for the actor, a keyed hash of the IP address.
    """

    class Action(models.TextChoices):
        PROFILE_VIEWED = "profile_viewed", _("Profile viewed")
        CANDIDATE_REVEALED = "candidate_revealed", _("Candidate revealed (shortlist invitation)")
        DATA_EXPORTED = "data_exported", _("Data exported")
        ACCOUNT_ERASED = "account_erased", _("Account erased")
        ROLE_CHANGED = "role_changed", _("Role or permissions changed")
        MFA_ENABLED = "mfa_enabled", _("Two-step verification set up")
        RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
        MFA_RESET = "mfa_reset", _("Two-step verification reset by staff")
        CREDENTIALS_REVOKED = "credentials_revoked", _("Sessions and API tokens revoked")
        INTAKE_RANKING_VIEWED = "intake_ranking_viewed", _("Intake ranking viewed")
        INTAKE_DECIDED = "intake_decided", _("Intake decision taken")
        AWARENESS_VIEWED = "awareness_viewed", _("Staff awareness bookings viewed")
        AWARENESS_COMPLETION = "awareness_completion", _("Staff awareness completion recorded")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=40, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    ip_hash = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["action", "-created_at"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.action} {self.object_type} {self.object_id}"

    @property
    def actor_role_label(self):
        if self.actor_role in User.Role.values:
            return User.Role(self.actor_role).label
        return _("automatic")
