from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from college.models import (
    CEFR,
    CertificateLevel,
    Commune,
    Diploma,
    Importance,
    Language,
    Level,
    Module,
    PoliceZone,
    RequirementStage,
    Role,
    Sector,
    Skill,
    Translated,
    active_language,
    importance_order,
)


class EmployerQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(is_verified=True)


class Employer(Translated, models.Model):
    class Kind(models.TextChoices):
        LOCAL_POLICE = "local_police", _("Local police zone")
        FEDERAL_POLICE = "federal_police", _("Federal police")
        MUNICIPAL_PREVENTION = "municipal_prevention", _("Municipal prevention service")
        PUBLIC_TRANSPORT = "public_transport", _("Public transport")
        SECURITY_COMPANY = "security_company", _("Security company")
        EVENTS = "events", _("Events and stewarding")
        # The digital and cyber track's employers (shared/data/cyber/belgium.md 2):
        # the national cyber-security centre and its CERT (CCB, CERT.be), public ICT services
        # (the regional IT office Paradigm, a commune's ICT service), the security operations
        # centres of companies and of the managed-security firms NIS2 brings clients to.
        CYBER_AGENCY = "cyber_agency", _("National cyber-security centre")
        PUBLIC_ICT = "public_ict", _("Public ICT service")
        SECURITY_OPERATIONS = "security_operations", _("Security operations centre (company)")
        OTHER = "other", _("Other")

    # Brussels public bodies have official French and Dutch names ("Commune de Schaerbeek",
    # "Gemeente Schaarbeek"); a private company keeps its one name in name_fr and leaves the
    # others empty. `name` reads the reader's, falling back to French.
    name_fr = models.CharField(
        _("name (French)"),
        max_length=200,
        help_text=_("The official French name, or the organisation's only name."),
    )
    name_nl = models.CharField(
        _("name (Dutch)"),
        max_length=200,
        blank=True,
        help_text=_("The official Dutch name; empty when the organisation has only one name."),
    )
    name_en = models.CharField(
        _("name (English)"),
        max_length=200,
        blank=True,
        help_text=_("Only where the English name differs from the French one."),
    )
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
        ordering = ["name_fr"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.translated("name")

    @name.setter
    def name(self, value):
        # Employer(name=…) names an organisation with one name, as before names were
        # bilingual: it is the French (main) name.
        self.name_fr = value


# Which roles each kind of organisation recruits for: the sectors it works in, and the roles
# whose sector says too little about who hires them. The one place the rule lives: the
# editor's role picker, the API and the services all ask `roles_for_employer`.
ROLE_SECTORS_BY_EMPLOYER_KIND = {
    # In Belgium the 101 calls are answered by the federal police's communication and
    # information centres (CIC), the 112 calls by the FPS Interior's 112 centres: a local
    # police zone does not recruit their call-takers, the federal police does.
    Employer.Kind.LOCAL_POLICE: {Sector.POLICE},
    Employer.Kind.FEDERAL_POLICE: {Sector.POLICE, Sector.EMERGENCY},
    Employer.Kind.MUNICIPAL_PREVENTION: {Sector.MUNICIPAL_PREVENTION, Sector.SOCIAL_PREVENTION},
    Employer.Kind.PUBLIC_TRANSPORT: {Sector.PUBLIC_TRANSPORT},
    Employer.Kind.SECURITY_COMPANY: {Sector.PRIVATE_SECURITY, Sector.EVENTS},
    Employer.Kind.EVENTS: {Sector.EVENTS},
    Employer.Kind.CYBER_AGENCY: {Sector.DIGITAL},
    Employer.Kind.PUBLIC_ICT: {Sector.DIGITAL},
    Employer.Kind.SECURITY_OPERATIONS: {Sector.DIGITAL},
    # An organisation the college could not place in a kind is not held to one.
    Employer.Kind.OTHER: set(Sector.values),
}
EMPLOYER_KINDS_BY_ROLE = {
    # The federal police's security agents (DAB) are hired by the federal police only.
    "federal-security-agent": {Employer.Kind.FEDERAL_POLICE},
    # Camera rooms exist in police zones, STIB and licensed security companies alike.
    "cctv-operator": {
        Employer.Kind.LOCAL_POLICE,
        Employer.Kind.FEDERAL_POLICE,
        Employer.Kind.PUBLIC_TRANSPORT,
        Employer.Kind.SECURITY_COMPANY,
        Employer.Kind.OTHER,
    },
    # The digital and cyber track (shared/data/cyber/belgium.md 2): each role goes to the
    # kinds that hire for it, police and municipal kinds included, without opening their other
    # digital roles to them.
    # The first rung: every public ICT service, the police zones' and the federal police's
    # ICT (a zone runs its own workstations and network), and the companies' IT.
    "ict-support-technician": {
        Employer.Kind.PUBLIC_ICT,
        Employer.Kind.LOCAL_POLICE,
        Employer.Kind.FEDERAL_POLICE,
        Employer.Kind.PUBLIC_TRANSPORT,
        Employer.Kind.SECURITY_OPERATIONS,
        Employer.Kind.OTHER,
    },
    "cybersecurity-technician": {
        Employer.Kind.CYBER_AGENCY,
        Employer.Kind.PUBLIC_ICT,
        Employer.Kind.SECURITY_OPERATIONS,
        Employer.Kind.OTHER,
    },
    # Monitoring and first response: company SOCs, CERT.be, the regional IT office, and the
    # federal judicial police's computer-crime units (FCCU, RCCU: belgium.md 2.3).
    "soc-analyst": {
        Employer.Kind.SECURITY_OPERATIONS,
        Employer.Kind.CYBER_AGENCY,
        Employer.Kind.PUBLIC_ICT,
        Employer.Kind.FEDERAL_POLICE,
        Employer.Kind.OTHER,
    },
    # Seized devices are analysed by the federal police's RCCUs and FCCU, not by the local
    # zones (belgium.md 2.3); private incident-response teams do forensics too.
    "digital-forensics-assistant": {
        Employer.Kind.FEDERAL_POLICE,
        Employer.Kind.SECURITY_OPERATIONS,
        Employer.Kind.OTHER,
    },
    # Awareness for staff and citizens: the CCB (Safeonweb), public ICT services, and the
    # municipal prevention services that already run prevention campaigns.
    "cyber-awareness-trainer": {
        Employer.Kind.CYBER_AGENCY,
        Employer.Kind.PUBLIC_ICT,
        Employer.Kind.MUNICIPAL_PREVENTION,
        Employer.Kind.SECURITY_OPERATIONS,
        Employer.Kind.OTHER,
    },
    # Authorised intrusion tests are sold by security firms, not run by public services.
    "junior-penetration-tester": {Employer.Kind.SECURITY_OPERATIONS, Employer.Kind.OTHER},
}


def roles_for_employer(*, employer):
    """The roles `employer` may recruit for, as a Role queryset (its kind decides)."""
    sectors = ROLE_SECTORS_BY_EMPLOYER_KIND.get(employer.kind, set())
    by_sector = models.Q(sector__in=sectors) & ~models.Q(slug__in=EMPLOYER_KINDS_BY_ROLE)
    by_role = models.Q(
        slug__in=[slug for slug, kinds in EMPLOYER_KINDS_BY_ROLE.items() if employer.kind in kinds]
    )
    return Role.objects.filter(by_sector | by_role)


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


class Invitation(models.Model):
    """A member's invitation of a colleague, by e-mail, to join their organisation."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.employer}"

    @property
    def is_usable(self):
        return self.accepted_at is None and self.expires_at > timezone.now()


class Contract(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    FIXED_TERM = "fixed_term", _("Fixed term")
    STUDENT = "student", _("Student job")
    INTERNSHIP = "internship", _("Internship")


class VacancyQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: published, by a verified organisation, not yet closed."""
        return self.filter(
            status=Vacancy.Status.PUBLISHED,
            employer__is_verified=True,
            closes_on__gte=timezone.localdate(),
        )

    def of(self, employer):
        return self.filter(employer=employer)

    def for_list(self):
        return self.select_related("employer", "role", "commune")

    def with_requirements(self):
        return self.prefetch_related(
            models.Prefetch(
                "skill_requirements",
                queryset=VacancySkill.objects.select_related("skill").order_by(
                    importance_order(), "skill__label_en"
                ),
            ),
            models.Prefetch(
                "language_requirements",
                queryset=VacancyLanguage.objects.select_related("language").order_by(
                    "language__position"
                ),
            ),
        )


class Vacancy(models.Model):
    """A post an employer offers, built from a role's requirement profile."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        FILLED = "filled", _("Filled")

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="vacancies")
    role = models.ForeignKey(
        Role, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("role")
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"))
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"), blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("commune")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contract = models.CharField(_("contract"), max_length=20, choices=Contract.choices)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    shifts = models.BooleanField(_("shifts"), default=False)
    nights = models.BooleanField(_("nights"), default=False)
    weekends = models.BooleanField(_("weekends"), default=False)
    salary_scale = models.CharField(
        _("salary scale"), max_length=60, blank=True, help_text=_("For example: D1, C1, B1.")
    )
    salary_min = models.PositiveIntegerField(
        _("gross monthly salary from (€)"), null=True, blank=True
    )
    salary_max = models.PositiveIntegerField(
        _("gross monthly salary to (€)"), null=True, blank=True
    )
    posts = models.PositiveSmallIntegerField(_("number of posts"), default=1)
    closes_on = models.DateField(_("closing date"))
    # Legal conditions: start from the role's, which the law sets.
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    nationality = models.CharField(
        _("nationality"), max_length=10, choices=Role.Nationality.choices, default="any"
    )
    clean_record_required = models.BooleanField(_("clean criminal record required"), default=False)
    driving_licence = models.CharField(_("driving licence"), max_length=10, blank=True)
    diploma_required = models.BooleanField(
        _("diploma required"),
        default=False,
        help_text=_(
            "Only where the law requires one for this role; the alternative route is shown."
        ),
    )
    required_diploma = models.CharField(
        _("required diploma"), max_length=20, choices=Diploma.choices, default=Diploma.NONE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed on"), null=True, blank=True)
    filled_at = models.DateTimeField(_("filled on"), null=True, blank=True)
    # Normalised text of titles, descriptions, employer, role and skills: the board's search.
    search_text = models.TextField(editable=False, blank=True)
    skills = models.ManyToManyField(Skill, through="VacancySkill", related_name="vacancies")

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(posts__gte=1), name="vacancy_posts_1_or_more"
            ),
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True)
                | models.Q(salary_max__gte=models.F("salary_min")),
                name="vacancy_salary_range",
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_on"])]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")

    def __str__(self):
        return self.title_fr

    @property
    def title(self):
        code = active_language()
        return getattr(self, f"title_{code}") or self.title_fr

    @property
    def description(self):
        code = active_language()
        return getattr(self, f"description_{code}") or self.description_fr

    @property
    def is_open(self):
        return self.status == self.Status.PUBLISHED and self.closes_on >= timezone.localdate()


class VacancySkill(models.Model):
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="skill_requirements"
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    importance = models.CharField(_("importance"), max_length=20, choices=Importance.choices)
    min_level = models.PositiveSmallIntegerField(_("minimum level"), choices=Level.choices)
    stage = models.CharField(
        _("required when"),
        max_length=20,
        choices=RequirementStage.choices,
        default=RequirementStage.ENTRY,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "skill"], name="unique_vacancy_skill"),
            models.CheckConstraint(
                condition=models.Q(min_level__gte=1, min_level__lte=4),
                name="vacancy_skill_level_1_4",
            ),
        ]
        verbose_name = _("required skill")
        verbose_name_plural = _("required skills")

    def __str__(self):
        return f"{self.skill.label_en} ≥ {self.min_level} ({self.importance})"


class VacancyLanguage(models.Model):
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="language_requirements"
    )
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    min_cefr = models.CharField(_("minimum CEFR level"), max_length=2, choices=CEFR.choices)
    certificate = models.CharField(
        _("or a Brussels language certificate"),
        max_length=6,
        choices=CertificateLevel.choices,
        blank=True,
    )
    is_alternative = models.BooleanField(
        _("either this language or another marked so"), default=False
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "language"], name="unique_vacancy_language"),
        ]
        verbose_name = _("required language")
        verbose_name_plural = _("required languages")

    def __str__(self):
        return f"{self.language.code} ≥ {self.min_cefr}"


class Application(models.Model):
    """A job-seeker's application, with their consent to share their profile with the employer."""

    class Stage(models.TextChoices):
        RECEIVED = "received", _("Received")
        INVITED_TO_TESTS = "invited_to_tests", _("Invited to tests")
        INTERVIEW = "interview", _("Interview")
        OFFER = "offer", _("Offer")
        HIRED = "hired", _("Hired")
        NOT_RETAINED = "not_retained", _("Not retained")

    class Reason(models.TextChoices):
        REQUIREMENTS = "requirements", _("A requirement of the post is not met yet")
        LANGUAGE = "language", _("The language level asked is not reached yet")
        TESTS = "tests", _("The selection tests were not passed")
        INTERVIEW = "interview", _("Another candidate fitted the post better after interviews")
        POSTS_FILLED = "posts_filled", _("All posts have been filled")
        WITHDRAWN = "withdrawn", _("You withdrew your application")
        OTHER = "other", _("Another reason, explained by the employer")

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="applications")
    # Empty once the job-seeker erased their account (see `is_erased`): the row stays, without
    # anything about the person, so that the vacancy's figures and the fairness report hold.
    # PROTECT on the consent keeps a bare deletion of an applicant's account from skipping
    # that anonymisation (candidates.services.candidate_erase is the only way).
    profile = models.ForeignKey(
        "candidates.CandidateProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    motivation = models.TextField(_("motivation"), max_length=2000)
    consent = models.ForeignKey(
        "candidates.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    is_erased = models.BooleanField(
        _("erased at the candidate's request"), default=False, editable=False
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.RECEIVED
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    # The message of the last stage move (any stage, not only a refusal): the candidate sees it.
    reason_note = models.TextField(_("message to the candidate"), blank=True, max_length=1000)
    # The appointment of the "invited to tests" and "interview" stages, sent with an .ics file.
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    appointment_place = models.CharField(_("place"), max_length=200, blank=True)
    appointment_instructions = models.TextField(_("instructions"), blank=True, max_length=1000)
    # Asked at each application: the employer sees the practice-test results only with it.
    shares_test_results = models.BooleanField(
        _("shares practice-test results with the employer"), default=False
    )
    created_at = models.DateTimeField(_("applied on"), default=timezone.now)
    stage_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "profile"], name="one_application_per_vacancy"
            ),
            models.CheckConstraint(
                condition=models.Q(stage="not_retained") | models.Q(reason=""),
                name="reason_only_when_not_retained",
            ),
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self):
        return f"application #{self.pk} ({self.stage})"


class ApplicationEvent(models.Model):
    """One stage change of an application: the pipeline's history."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(_("stage"), max_length=20, choices=Application.Stage.choices)
    reason = models.CharField(
        _("reason"), max_length=20, choices=Application.Reason.choices, blank=True
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("application stage change")
        verbose_name_plural = _("application stage changes")

    def __str__(self):
        return f"{self.application_id} → {self.stage}"


class ApplicationNote(models.Model):
    """An internal note on an application, shared by the members of the organisation that owns
    the vacancy; never shown to the candidate, but part of their data export."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"), max_length=2000)
    created_at = models.DateTimeField(_("written on"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("internal note on an application")
        verbose_name_plural = _("internal notes on applications")

    def __str__(self):
        return f"note #{self.pk} on application {self.application_id}"


class ShortlistInvitation(models.Model):
    """An employer invites a candidate seen blind in a shortlist: the reveal, logged.

    Until this row exists the employer sees only a pseudonymous reference; from then on the
    candidate's name and contact details, and the candidate is told who invited them.
    """

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="shortlist_invitations"
    )
    profile = models.ForeignKey(
        "candidates.CandidateProfile",
        on_delete=models.CASCADE,
        related_name="shortlist_invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message to the candidate"), blank=True, max_length=1000)
    invited_at = models.DateTimeField(_("invited on"), default=timezone.now)

    class Meta:
        ordering = ["-invited_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "profile"], name="one_shortlist_invitation_per_vacancy"
            ),
        ]
        verbose_name = _("shortlist invitation")
        verbose_name_plural = _("shortlist invitations")

    def __str__(self):
        return f"invitation to profile #{self.profile_id} for vacancy #{self.vacancy_id}"


class MatchAlert(models.Model):
    """A vacancy e-mailed to a job-seeker because it scored above their threshold: once only."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(
        "candidates.CandidateProfile", on_delete=models.CASCADE, related_name="match_alerts"
    )
    score = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "profile"], name="one_alert_per_vacancy"),
        ]
        verbose_name = _("match alert")
        verbose_name_plural = _("match alerts")

    def __str__(self):
        return f"alert {self.score} for vacancy #{self.vacancy_id}"


class VacancyRanking(models.Model):
    """The kept ranking of a vacancy's shortlist pool: every member scoring `threshold` or more.

    Built by the matching engine when a shortlist is first asked for (and when the vacancy is
    published), kept exact by re-scoring the job-seekers whose data changed (ProfileChange after
    `last_change`), and dropped whenever the vacancy or its requirements change.
    """

    vacancy = models.OneToOneField(
        Vacancy, on_delete=models.CASCADE, primary_key=True, related_name="ranking"
    )
    threshold = models.PositiveSmallIntegerField()
    last_change = models.BigIntegerField(default=0)
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vacancy ranking")
        verbose_name_plural = _("vacancy rankings")

    def __str__(self):
        return f"ranking of vacancy #{self.vacancy_id} (≥ {self.threshold})"


class RankedCandidate(models.Model):
    ranking = models.ForeignKey(VacancyRanking, on_delete=models.CASCADE, related_name="entries")
    profile = models.ForeignKey(
        "candidates.CandidateProfile", on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ranking", "profile"], name="ranked_once"),
        ]
        indexes = [
            models.Index(fields=["ranking", "-score", "profile"], name="ranking_order"),
        ]
        verbose_name = _("ranked job-seeker")
        verbose_name_plural = _("ranked job-seekers")

    def __str__(self):
        return f"{self.profile_id}: {self.score}"


# Staff awareness ---------------------------------------------------------------------------

# Public services may book the college's awareness modules for their own staff (the founding
# text asks for better-trained public services; NIS2 art. 21(2)(g) names "basic cyber hygiene
# practices and cybersecurity training", shared/data/cyber/belgium.md 2.6).
PUBLIC_SERVICE_KINDS = frozenset(
    {
        Employer.Kind.LOCAL_POLICE,
        Employer.Kind.FEDERAL_POLICE,
        Employer.Kind.MUNICIPAL_PREVENTION,
        Employer.Kind.PUBLIC_TRANSPORT,
        Employer.Kind.CYBER_AGENCY,
        Employer.Kind.PUBLIC_ICT,
    }
)


class StaffAwarenessBooking(models.Model):
    """Seats a public service books for its own staff in one of the college's awareness modules.

    Nobody is named: the service hands its staff the invitation code, which they show at the
    session; the college's trainer then records how many completed it. Staff members are not
    job-seekers and get no profile; their employer sees counts per module, small groups
    withheld (employers/awareness.py), never a person's result.
    """

    class SessionLanguage(models.TextChoices):
        FRENCH = "fr", _("French")
        DUTCH = "nl", _("Dutch")

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="awareness_bookings"
    )
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="+", verbose_name=_("module")
    )
    seats = models.PositiveSmallIntegerField(_("seats"))
    language = models.CharField(
        _("language of the session"), max_length=2, choices=SessionLanguage.choices
    )
    invitation_code = models.CharField(_("invitation code"), max_length=12, unique=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    booked_at = models.DateTimeField(_("booked on"), default=timezone.now)
    completed = models.PositiveSmallIntegerField(_("completed"), null=True, blank=True)
    completed_recorded_at = models.DateTimeField(null=True, blank=True)
    completed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-booked_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats__gte=1, seats__lte=500), name="awareness_seats_1_to_500"
            ),
            models.CheckConstraint(
                condition=models.Q(completed__isnull=True)
                | models.Q(completed__lte=models.F("seats")),
                name="awareness_completed_within_seats",
            ),
        ]
        verbose_name = _("staff awareness booking")
        verbose_name_plural = _("staff awareness bookings")

    def __str__(self):
        return f"{self.employer_id}: {self.seats} × {self.module_id}"
