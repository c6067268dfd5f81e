from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from college.models import Commune, PoliceZone


class EmployerQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(is_verified=True)


class Employer(models.Model):
    class Kind(models.TextChoices):
        LOCAL_POLICE = "local_police", _("Local police zone")
        FEDERAL_POLICE = "federal_police", _("Federal police")
        MUNICIPAL_PREVENTION = "municipal_prevention", _("Municipal prevention service")
        PUBLIC_TRANSPORT = "public_transport", _("Public transport")
        SECURITY_COMPANY = "security_company", _("Security company")
        EVENTS = "events", _("Events and stewarding")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    police_zone = models.OneToOneField(
        PoliceZone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employer",
        verbose_name=_("police zone"),
    )
    communes = models.ManyToManyField(
        Commune, blank=True, related_name="employers", verbose_name=_("communes served")
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_verified = models.BooleanField(_("verified by the college"), default=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A user acting for an employer organisation; one organisation per member."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="memberships")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    is_admin = models.BooleanField(_("can manage members"), default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.employer}"
