from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from college.models import CEFR, CertificateLevel, Commune, Evidence, Language, Level, Role, Skill


class CandidateProfileQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("user", "commune").annotate(
            skill_count=models.Count("skills", distinct=True)
        )


class Nationality(models.TextChoices):
    """Groups that the legal conditions of Belgian public jobs distinguish, nothing finer."""

    BELGIAN = "belgian", _("Belgian")
    EEA = "eea", _("Another EU/EEA country or Switzerland")
    OTHER = "other", _("Another country")


class DrivingLicence(models.TextChoices):
    AM = "AM", _("AM – moped")
    A = "A", _("A – motorcycle")
    B = "B", _("B – car")
    BE = "BE", _("BE – car with trailer")
    C = "C", _("C – truck")
    D = "D", _("D – bus")


TRAVEL_CHOICES = [
    (15, _("up to 15 minutes")),
    (30, _("up to 30 minutes")),
    (45, _("up to 45 minutes")),
    (60, _("up to an hour")),
    (90, _("up to an hour and a half")),
]


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
    nationality = models.CharField(
        _("nationality"),
        max_length=10,
        choices=Nationality.choices,
        blank=True,
        default="",
        help_text=_(
            "Only to check the legal conditions of some public jobs; never shown to employers."
        ),
    )
    has_no_diploma = models.BooleanField(
        _("I have no diploma or certificate to add"), default=False
    )
    # Conditions: what the job-seeker can accept. Matching reads them for availability fit.
    driving_licences = models.JSONField(
        _("driving licences"), default=list, blank=True, help_text=_("Categories held, e.g. B.")
    )
    full_time = models.BooleanField(_("full time"), default=False)
    part_time = models.BooleanField(_("part time"), default=False)
    shifts = models.BooleanField(_("shifts"), default=False)
    nights = models.BooleanField(_("nights"), default=False)
    weekends = models.BooleanField(_("weekends"), default=False)
    max_travel_minutes = models.PositiveSmallIntegerField(
        _("how far I will travel"), choices=TRAVEL_CHOICES, null=True, blank=True
    )
    available_from = models.DateField(_("I can start on"), null=True, blank=True)
    conditions_saved_at = models.DateTimeField(null=True, blank=True, editable=False)
    match_alert_threshold = models.PositiveSmallIntegerField(
        _("e-mail me new vacancies scoring at least"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Empty: no e-mail alerts."),
    )
    is_visible_in_shortlists = models.BooleanField(
        _("employers may see my blind profile in shortlists"), default=False
    )
    target_roles = models.ManyToManyField(
        Role, blank=True, related_name="interested_candidates", verbose_name=_("target roles")
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # The check code printed on the skills passport (candidates.passports): drawn when a
    # passport is made whose checked content (name, skills, languages) differs from the last
    # one's, whose fingerprint is kept; a code checks only while that content is unchanged.
    passport_code = models.CharField(
        _("skills passport code"), max_length=12, unique=True, null=True, blank=True, editable=False
    )
    passport_issued_on = models.DateField(
        _("skills passport issued on"), null=True, blank=True, editable=False
    )
    passport_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

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
    # `level` is what matching reads: a counsellor's level once they validated the skill. The
    # level the person gave themself is kept beside it, so both stay visible.
    declared_level = models.PositiveSmallIntegerField(
        _("level the person declared"),
        choices=Level.choices,
        null=True,
        blank=True,
        help_text=_("Kept when a counsellor validated the skill at their own level."),
    )
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
        # Matching: a vacancy's skills read by an index-only scan (the index covers the score).
        indexes = [
            models.Index(
                fields=["skill", "profile", "level", "evidence"],
                name="candidateskill_matching",
            )
        ]
        verbose_name = _("skill of a job-seeker")
        verbose_name_plural = _("skills of job-seekers")

    def __str__(self):
        return f"{self.skill.label_en} ({self.level}, {self.evidence})"

    @property
    def has_other_declared_level(self):
        """A counsellor validated this skill at a level other than the one the person gave."""
        return (
            self.evidence == Evidence.COUNSELLOR_VALIDATED
            and self.declared_level is not None
            and self.declared_level != self.level
        )

    @property
    def can_be_validated(self):
        """A counsellor may confirm it unless a test or a training already did."""
        return Evidence.strength(self.evidence) < Evidence.strength(Evidence.TEST_VERIFIED)


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


class LanguageCertificate(models.Model):
    """A Brussels second-language certificate (Selor/BOSA), by article of the language laws."""

    Level = CertificateLevel

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="certificates"
    )
    language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"code__in": ["fr", "nl"]},
        verbose_name=_("language tested"),
    )
    level = models.CharField(_("certificate"), max_length=6, choices=Level.choices)
    obtained_on = models.DateField(_("obtained on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "language", "level"], name="unique_profile_certificate"
            ),
        ]
        ordering = ["language__position", "level"]
        verbose_name = _("language certificate")
        verbose_name_plural = _("language certificates")

    def __str__(self):
        return f"{self.language.code} {self.level}"


class Experience(models.Model):
    """Something the job-seeker did, paid or not, and the skills it shows."""

    class Kind(models.TextChoices):
        JOB = "job", _("Job")
        VOLUNTEERING = "volunteering", _("Volunteering")
        SPORT = "sport", _("Sport coaching or refereeing")
        CARING = "caring", _("Caring for someone")
        ASSOCIATION = "association", _("Association or neighbourhood work")
        INTERNSHIP = "internship", _("Internship or training placement")
        OTHER = "other", _("Other")

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="experiences"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("what you did"), max_length=150)
    organisation = models.CharField(_("where"), max_length=150, blank=True)
    description = models.TextField(_("in a few words"), blank=True, max_length=2000)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="+", verbose_name=_("skills it shows")
    )

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="experience_ends_after_start",
            ),
        ]
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")

    def __str__(self):
        return f"{self.kind}: {self.title}"


class Education(models.Model):
    """A diploma or certificate: one signal among many, never required unless the law says so."""

    class Level(models.TextChoices):
        PRIMARY = "ceb", _("Primary school certificate (CEB)")
        LOWER_SECONDARY = "ce1d", _("Lower secondary (CE1D)")
        UPPER_SECONDARY = "cess", _("Upper secondary (CESS)")
        VOCATIONAL = "vocational", _("Vocational training certificate")
        BACHELOR = "bachelor", _("Bachelor")
        MASTER = "master", _("Master")

    class Recognition(models.TextChoices):
        BELGIAN = "belgian", _("Belgian diploma")
        RECOGNISED = "recognised", _("Foreign, recognised in Belgium")
        PENDING = "pending", _("Foreign, recognition pending")
        NOT_RECOGNISED = "not_recognised", _("Foreign, not recognised")

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="education"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    title = models.CharField(_("diploma or field of study"), max_length=150, blank=True)
    institution = models.CharField(_("school or institution"), max_length=150, blank=True)
    country = models.CharField(_("country"), max_length=60, blank=True)
    recognition = models.CharField(
        _("recognition in Belgium"),
        max_length=15,
        choices=Recognition.choices,
        default=Recognition.BELGIAN,
    )
    year = models.PositiveSmallIntegerField(_("year obtained"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("diploma")
        verbose_name_plural = _("diplomas")

    def __str__(self):
        return f"{self.level} ({self.recognition})"

    @property
    def is_foreign(self):
        return self.recognition != self.Recognition.BELGIAN


class Consent(models.Model):
    """One decision of a job-seeker to share (or stop sharing) their profile, as it was shown.

    Rows are never changed: a withdrawal is a new row. The current state of a purpose is its
    latest row. The text is stored as shown, in the language it was shown in, with its version.
    """

    class Purpose(models.TextChoices):
        SHORTLISTS = "shortlists", _("Blind profile in employers' shortlists")
        APPLICATION = "application", _("Sharing my profile with an employer I apply to")

    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employer"),
    )
    given = models.BooleanField(_("given"))
    text_version = models.CharField(_("text version"), max_length=40)
    text = models.TextField(_("text shown"))
    language = models.CharField(_("language"), max_length=2)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["profile", "purpose", "-recorded_at"])]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return f"{self.purpose} {'given' if self.given else 'withdrawn'} {self.text_version}"


class ProfileView(models.Model):
    """Someone other than the job-seeker looked at their profile: shown to them, kept for audit."""

    class Channel(models.TextChoices):
        PAGE = "page", _("profile page")
        PASSPORT = "passport", _("skills passport")
        ADMIN = "admin", _("administration")
        API = "api", _("API")
        REPORT = "report", _("progress report")

    profile = models.ForeignKey(CandidateProfile, on_delete=models.CASCADE, related_name="views")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("viewed by"),
    )
    viewer_role = models.CharField(_("role"), max_length=20)
    channel = models.CharField(_("through"), max_length=10, choices=Channel.choices)
    viewed_at = models.DateTimeField(_("viewed at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        verbose_name = _("profile view")
        verbose_name_plural = _("profile views")

    def __str__(self):
        return f"{self.viewer_role} viewed profile #{self.profile_id}"


class ProfileChange(models.Model):
    """A job-seeker's matching data changed (skills, languages, conditions, sharing, account).

    An append-only log read by the vacancy rankings kept by the matching engine: each ranking
    re-scores the job-seekers changed since the last change it processed (see
    college/matching/rankings.py). Old rows are pruned once every ranking has read them.
    """

    id = models.BigAutoField(primary_key=True)
    # Indexed with the id below: a shortlist reads each shown job-seeker's last change.
    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("profile change")
        verbose_name_plural = _("profile changes")
        indexes = [
            # A job-seeker's last change (MAX(id) for one profile) is one probe of this index.
            # On the profile alone, the planner walked the whole log backwards by id instead,
            # filtering each row (3 ms for a shortlist of 20 at 3,000 changes; it grows with
            # the log).
            models.Index(fields=["profile", "id"], name="profilechange_profile_last"),
        ]

    def __str__(self):
        return f"change {self.pk} of profile {self.profile_id}"


class DigitalSelfAssessment(models.Model):
    """A job-seeker's DigComp 2.2 self-assessment: a level 0–6 for each of the 21 competences.

    `answers` maps a competence number ("4.2") to the level chosen: 1–6, or 0 for "I have not
    done this" (the texts and the competences are in college/reference/data/digcomp.json). It
    is saved area by area; `completed_at` is set when every area is answered, and the
    self-declared skills are then written on the profile. Retakes keep history: each take is a
    row, at most one of them open, so that a person (and their counsellor) can see progress.
    """

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="digital_self_assessments"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved at"), auto_now=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile"],
                condition=models.Q(completed_at__isnull=True),
                name="one_open_digital_self_assessment",
            ),
        ]
        verbose_name = _("digital skills self-assessment")
        verbose_name_plural = _("digital skills self-assessments")

    def __str__(self):
        return f"digital self-assessment #{self.pk} of profile #{self.profile_id}"


class ExternalCertification(models.Model):
    """A recognised external certification the job-seeker holds (ISC2 CC, Security+, CCST…).

    `certification` is a slug of college/reference/data/certifications.json. Recorded by the
    person, checked by a counsellor guiding them or by staff: once verified it certifies the
    skills it covers (`granted` keeps, per skill id, what the profile held before, so that
    withdrawing the certification gives it back); a rejection says why.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a check")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Not verified")

    profile = models.ForeignKey(
        CandidateProfile, on_delete=models.CASCADE, related_name="external_certifications"
    )
    certification = models.CharField(_("certification"), max_length=40)
    obtained_on = models.DateField(_("obtained on"))
    credential_id = models.CharField(
        _("credential identifier"),
        max_length=100,
        help_text=_("The number or code on the certificate, as the issuer wrote it."),
    )
    verification_url = models.URLField(
        _("verification address"),
        max_length=300,
        blank=True,
        help_text=_("Optional: the issuer's page where the certification can be checked."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    check_note = models.TextField(_("note of the check"), blank=True, max_length=1000)
    granted = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-obtained_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "certification", "credential_id"],
                name="unique_profile_external_certification",
            ),
        ]
        verbose_name = _("external certification")
        verbose_name_plural = _("external certifications")

    def __str__(self):
        return f"{self.certification} ({self.status})"
