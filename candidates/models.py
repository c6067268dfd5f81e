from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from college.models import CEFR, Commune, Language, Level, Role, Skill


class Evidence(models.TextChoices):
    """How a skill is known, weakest first; matching weighs the stronger more."""

    SELF_DECLARED = "self_declared", _("Self-declared")
    COUNSELLOR_VALIDATED = "counsellor_validated", _("Validated by a counsellor")
    TEST_VERIFIED = "test_verified", _("Verified by a test")
    TRAINING_CERTIFIED = "training_certified", _("Certified by training")

    @classmethod
    def strength(cls, value):
        return cls.values.index(value) + 1


class CandidateProfileQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("user", "commune").annotate(
            skill_count=models.Count("skills", distinct=True)
        )


class CandidateProfile(models.Model):
    class Gender(models.TextChoices):
        UNDISCLOSED = "", _("I prefer not to say")
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        OTHER = "other", _("Other")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate_profile"
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    lives_outside_brussels = models.BooleanField(_("I live outside Brussels"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        help_text=_("Used only to check legal age conditions."),
    )
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, blank=True, default=""
    )
    headline = models.CharField(_("in one sentence"), max_length=200, blank=True)
    is_visible_in_shortlists = models.BooleanField(
        _("employers may see my blind profile in shortlists"), default=False
    )
    target_roles = models.ManyToManyField(
        Role, blank=True, related_name="interested_candidates", verbose_name=_("target roles")
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("job-seeker profile")
        verbose_name_plural = _("job-seeker profiles")

    def __str__(self):
        return f"profile #{self.pk}"


class CandidateSkill(models.Model):
    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    evidence = models.CharField(
        _("evidence"), max_length=20, choices=Evidence.choices, default=Evidence.SELF_DECLARED
    )
    evidence_note = models.TextField(_("evidence note"), blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "skill"], name="unique_profile_skill"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="candidate_skill_level_1_4"
            ),
        ]
        verbose_name = _("skill of a job-seeker")
        verbose_name_plural = _("skills of job-seekers")

    def __str__(self):
        return f"{self.skill.label_en} ({self.level}, {self.evidence})"


class CandidateLanguage(models.Model):
    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="languages"
    )
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    cefr = models.CharField(_("level (CEFR)"), max_length=2, choices=CEFR.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "language"], name="unique_profile_language"),
        ]
        verbose_name = _("language of a job-seeker")
        verbose_name_plural = _("languages of job-seekers")

    def __str__(self):
        return f"{self.language.code} {self.cefr}"


class ErasedProfileStatistic(models.Model):
    """What remains of an erased account: anonymous figures for the college's statistics.

    Nothing here points to a person: no name, no contact, no exact dates (only the month),
    no free text. The commune and target roles are kept as labels shared by many people.
    """

    erased_month = models.DateField(_("month of erasure"))
    commune = models.ForeignKey(
        Commune, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_role_slugs = models.JSONField(_("target roles"), default=list, blank=True)
    skill_count = models.PositiveIntegerField(_("number of skills"), default=0)
    evidence_counts = models.JSONField(_("skills by evidence"), default=dict, blank=True)
    language_count = models.PositiveIntegerField(_("number of languages"), default=0)
    had_counsellor = models.BooleanField(_("was guided by a counsellor"), default=False)

    class Meta:
        verbose_name = _("erased profile (anonymous statistics)")
        verbose_name_plural = _("erased profiles (anonymous statistics)")

    def __str__(self):
        return f"erased {self.erased_month:%Y-%m}"
