from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from college.models.language import active_language
from college.models.reference import CEFR, Language, Level, Role, Skill, Translated
from college.models.slugs import LocalSlugs


class Programme(Translated, models.Model):
    """A group of college modules that prepares for one job (e.g. gardien de la paix training)."""

    slug = models.SlugField(_("slug"), unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    summary_nl = models.TextField(_("summary (Dutch)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    roles = models.ManyToManyField(
        Role, related_name="programmes", blank=True, verbose_name=_("prepares for")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.title_en

    @property
    def title(self):
        return self.translated("title")

    @property
    def summary(self):
        return self.translated("summary")


class ModuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_outcomes(self):
        return self.select_related("programme").prefetch_related(
            models.Prefetch(
                "outcomes", queryset=ModuleSkill.objects.select_related("skill").order_by("pk")
            ),
            "prerequisites",
            "languages",
        )


class Module(LocalSlugs, Translated, models.Model):
    """A unit of college training: hours, the skills it teaches and to which level."""

    slug = models.SlugField(_("slug"), unique=True)
    # The address in French and Dutch (`college.models.slugs`): derived from the title, then kept.
    slug_fr = models.SlugField(
        _("slug (French)"), max_length=200, unique=True, null=True, blank=True
    )
    slug_nl = models.SlugField(
        _("slug (Dutch)"), max_length=200, unique=True, null=True, blank=True
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="modules",
        verbose_name=_("programme"),
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_fr = models.TextField(_("summary (French)"))
    summary_nl = models.TextField(_("summary (Dutch)"))
    summary_en = models.TextField(_("summary (English)"))
    hours = models.PositiveSmallIntegerField(_("hours"))
    languages = models.ManyToManyField(
        Language, related_name="+", verbose_name=_("languages of instruction")
    )
    certificate_fr = models.CharField(_("certificate (French)"), max_length=200, blank=True)
    certificate_nl = models.CharField(_("certificate (Dutch)"), max_length=200, blank=True)
    certificate_en = models.CharField(_("certificate (English)"), max_length=200, blank=True)
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, help_text=_("The result needed to pass, in percent.")
    )
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="unlocks",
        blank=True,
        verbose_name=_("prerequisites"),
        help_text=_("Modules to pass before this one."),
    )
    skills = models.ManyToManyField(Skill, through="ModuleSkill", related_name="modules")
    language_taught = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("language taught"),
        help_text=_("For a language course: the language it teaches."),
    )
    cefr_reached = models.CharField(
        _("CEFR level reached"),
        max_length=2,
        choices=CEFR.choices,
        blank=True,
        help_text=_("For a language course: the level a pass certifies."),
    )
    is_active = models.BooleanField(_("in the catalogue"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    sources = models.TextField(_("sources"), blank=True)
    # The external certifications the module prepares for: a list of {"slug", "fr", "nl",
    # "en"} from the catalogue file (their names, shown on the module page). Slugs only: the
    # certifications' own records are reference data of their own.
    certifications = models.JSONField(
        _("prepares for the certifications"), default=list, blank=True
    )
    offered_to_employers = models.BooleanField(
        _("open to employers' staff"),
        default=False,
        help_text=_("Public services may enrol their own staff in it (awareness modules)."),
    )

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gte=1), name="module_hours_positive"),
            models.CheckConstraint(
                condition=Q(pass_percent__gte=1, pass_percent__lte=100),
                name="module_pass_percent_1_to_100",
            ),
            models.CheckConstraint(
                condition=Q(language_taught__isnull=True, cefr_reached="")
                | (Q(language_taught__isnull=False) & ~Q(cefr_reached="")),
                name="module_language_with_level",
            ),
        ]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self):
        return self.title_en

    @property
    def title(self):
        return self.translated("title")

    @property
    def summary(self):
        return self.translated("summary")

    @property
    def certificate(self):
        return self.translated("certificate")

    @property
    def certification_names(self):
        """The names of the certifications it prepares for, in the active language."""
        code = active_language()
        return [
            entry.get(code) or entry.get("fr") or entry["slug"] for entry in self.certifications
        ]


class ModuleSkill(models.Model):
    """A learning outcome: passing the module certifies `skill` at `level`."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="outcomes")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="module_outcomes")
    level = models.PositiveSmallIntegerField(_("level taught"), choices=Level.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["module", "skill"], name="unique_module_skill"),
        ]
        verbose_name = _("skill taught")
        verbose_name_plural = _("skills taught")

    def __str__(self):
        return f"{self.module.slug}: {self.skill.label_en} → {self.level}"


class Cohort(models.Model):
    """One run of a module: dates, place, capacity and language of instruction."""

    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("module")
    )
    code = models.SlugField(_("code"), unique=True, max_length=40)
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    enrolment_closes_on = models.DateField(_("enrolment closes on"))
    trainer = models.CharField(_("trainer"), max_length=150, blank=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cohort_capacity_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="cohort_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(enrolment_closes_on__lte=models.F("starts_on")),
                name="cohort_enrolment_closes_before_start",
            ),
        ]
        # Not "groups": the admin already lists Django's permission groups under that word.
        verbose_name = _("training group")
        verbose_name_plural = _("training groups")

    def __str__(self):
        return self.code


class CohortSession(models.Model):
    """A class meeting of a cohort; attendance is taken per session."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Empty: the cohort's place.")
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.cohort.code} {self.starts_at:%Y-%m-%d %H:%M}"


class Enrolment(models.Model):
    """A job-seeker's place in a cohort, or on its waiting list; and their result."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Result(models.TextChoices):
        PENDING = "", _("No result yet")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(_("asked on"), default=timezone.now)
    enrolled_at = models.DateTimeField(_("enrolled on"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled on"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=8, choices=Result.choices, default=Result.PENDING, blank=True
    )
    score = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    result_recorded_at = models.DateTimeField(null=True, blank=True)
    result_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "candidate"],
                condition=~Q(status="cancelled"),
                name="one_live_enrolment_per_cohort",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="enrolment_score_le_100"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status", "created_at"])]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self):
        return f"{self.candidate} in {self.cohort} ({self.status})"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    session = models.ForeignKey(CohortSession, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("attendance"), max_length=8, choices=Status.choices)
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "session"], name="one_attendance"),
        ]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.enrolment_id}/{self.session_id}: {self.status}"


class Certificate(models.Model):
    """Proof of a passed module; its code can be checked on a public page."""

    # Empty once the holder erased their account: the code then still proves "issued on
    # <date> for <module>", with no name (holder_name is blanked too).
    enrolment = models.OneToOneField(
        Enrolment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificate",
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("module")
    )
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    holder_name = models.CharField(_("holder"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=2, default="fr")
    issued_at = models.DateTimeField(_("issued on"), default=timezone.now)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.code


# Training paths and counsellor guidance ------------------------------------------------------
