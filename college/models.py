import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.auth.signals import user_logged_in
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from college.slugs import LocalSlugs

LANGUAGE_CODES = ("fr", "nl", "en")


def active_language():
    """The active UI language reduced to one of ours (fr when anything else is active)."""
    code = (get_language() or "fr").split("-")[0]
    return code if code in LANGUAGE_CODES else "fr"


def normalise_for_search(text):
    """Lower-case, accent-free, apostrophe-free text, so that 'sécurité' finds 'Securite'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    stripped = stripped.replace("’", "'").replace("'", " ")
    return " ".join(stripped.casefold().split())


class Translated:
    """Reads `<field>_<lang>` in the active language, falling back to French, then English."""

    def translated(self, field):
        for code in (active_language(), "fr", "en"):
            value = getattr(self, f"{field}_{code}", "")
            if value:
                return value
        return ""


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.STAFF)
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        CANDIDATE = "candidate", _("Job-seeker")
        COUNSELLOR = "counsellor", _("Career counsellor")
        EMPLOYER = "employer", _("Employer member")
        STAFF = "staff", _("College staff")

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CANDIDATE)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default="fr"
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Can log into the administration site.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Moved on by college.credentials.user_credentials_revoke: every session signed with an
    # older epoch no longer matches get_session_auth_hash() and is logged out on its next
    # request, whatever store holds it (a Redis session store cannot be listed).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    privacy_notice_version = models.CharField(
        _("privacy notice read"),
        max_length=20,
        blank=True,
        editable=False,
        help_text=_("The version of the privacy notice acknowledged at sign-up."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.email

    def get_full_name(self):
        return self.full_name

    def _get_session_auth_hash(self, secret=None):
        # Django's hash covers the password; the epoch joins it once moved on, so that the
        # sessions of everyone who never signed out everywhere stay valid across the upgrade.
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "college.models.User.session_epoch",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_candidate(self):
        return self.role == self.Role.CANDIDATE

    @property
    def is_counsellor(self):
        return self.role == self.Role.COUNSELLOR

    @property
    def is_employer_member(self):
        return self.role == self.Role.EMPLOYER

    @property
    def is_college_staff(self):
        return self.role == self.Role.STAFF


class PoliceZone(Translated, models.Model):
    number = models.PositiveIntegerField(_("zone number"), unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=60)

    class Meta:
        ordering = ["number"]
        verbose_name = _("police zone")
        verbose_name_plural = _("police zones")

    def __str__(self):
        return f"{self.number} {self.short_name}"

    @property
    def name(self):
        return self.translated("name")


class Commune(Translated, models.Model):
    nis_code = models.CharField(_("NIS code"), max_length=5, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=80)
    name_nl = models.CharField(_("name (Dutch)"), max_length=80)
    # Only where English has its own name (Bruxelles: Brussels); otherwise the French one.
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    postcodes = models.CharField(_("postcodes"), max_length=60, help_text=_("Separated by spaces."))
    police_zone = models.ForeignKey(
        PoliceZone, on_delete=models.PROTECT, related_name="communes", verbose_name=_("police zone")
    )

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return self.name_fr

    @property
    def name(self):
        # Brussels communes have official French and Dutch names; English uses the French one
        # unless it has its own.
        return self.translated("name")

    @property
    def postcode_list(self):
        return self.postcodes.split()

    @property
    def main_postcode(self):
        return self.postcode_list[0]


class Language(Translated, models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True, help_text=_("ISO 639-1"))
    name_fr = models.CharField(_("name (French)"), max_length=60)
    name_nl = models.CharField(_("name (Dutch)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=60)
    is_national = models.BooleanField(_("national language of Belgium"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return self.name_en

    @property
    def name(self):
        return self.translated("name")


class CEFR(models.TextChoices):
    A1 = "A1", _("A1 – I understand and use familiar everyday expressions")
    A2 = "A2", _("A2 – I manage simple, routine exchanges")
    B1 = "B1", _("B1 – I deal with most situations at work and can write a simple report")
    B2 = "B2", _("B2 – I speak fluently and write clear, detailed texts")
    C1 = "C1", _("C1 – I express myself fluently and precisely, also in complex situations")
    C2 = "C2", _("C2 – I understand virtually everything, like an educated native speaker")

    @classmethod
    def rank(cls, value):
        """1 for A1 … 6 for C2, 0 for anything else (a hot path of matching: a dict lookup)."""
        return CEFR_RANKS.get(value, 0)


CEFR_RANKS = {code: position for position, code in enumerate(CEFR.values, start=1)}


class CertificateLevel(models.TextChoices):
    """The Brussels second-language certificates (Selor/BOSA), by article of the language laws."""

    ART_7 = "art7", _("Article 7")
    ART_8 = "art8", _("Article 8 – elementary knowledge")
    ART_9_1 = "art9_1", _("Article 9 §1")
    ART_9_2 = "art9_2", _("Article 9 §2")
    ART_10 = "art10", _("Article 10")
    ART_11 = "art11", _("Article 11")
    ART_12 = "art12", _("Article 12 – sufficient knowledge")


class SkillQuerySet(models.QuerySet):
    def search(self, query, language="fr"):
        """Skills whose labels (any language, alternatives included) contain every word.

        Best first: the label in `language` starting with the query, then containing it, then
        a label in another language containing it, then matches on alternative labels only.
        """
        words = normalise_for_search(query).split()
        condition = Q()
        for word in words:
            condition &= Q(search_text__contains=word)
        phrase = query.strip()
        label = f"label_{language if language in LANGUAGE_CODES else 'fr'}"
        any_label = Q(label_fr__icontains=phrase) | Q(label_nl__icontains=phrase)
        any_label |= Q(label_en__icontains=phrase)
        rank = models.Case(
            models.When(**{f"{label}__istartswith": phrase}, then=models.Value(0)),
            models.When(**{f"{label}__icontains": phrase}, then=models.Value(1)),
            models.When(any_label, then=models.Value(2)),
            default=models.Value(3),
        )
        return (
            self.filter(condition).annotate(search_rank=rank).order_by("search_rank", label, "id")
        )


class Skill(Translated, models.Model):
    class Type(models.TextChoices):
        SKILL = "skill", _("Skill or competence")
        KNOWLEDGE = "knowledge", _("Knowledge")

    esco_uri = models.URLField(_("ESCO URI"), max_length=200, unique=True)
    skill_type = models.CharField(_("type"), max_length=12, choices=Type.choices)
    reuse_level = models.CharField(_("reuse level"), max_length=30, blank=True)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_nl = models.CharField(_("label (Dutch)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    alt_labels = models.TextField(_("alternative labels"), blank=True)
    description_en = models.TextField(_("description (English, from ESCO)"), blank=True)
    search_text = models.TextField(editable=False, blank=True)
    is_transversal = models.BooleanField(_("transversal"), default=False)

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["label_en"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.label_en

    @property
    def label(self):
        return self.translated("label")

    def searchable_text(self):
        return normalise_for_search(
            " ".join([self.label_fr, self.label_nl, self.label_en, self.alt_labels])
        )


class Level(models.IntegerChoices):
    """How well a person masters a skill; also a role's target level."""

    BASIC = 1, _("1 – Basic: I have done it with help")
    INDEPENDENT = 2, _("2 – Independent: I do it on my own in usual situations")
    EXPERIENCED = 3, _("3 – Experienced: I handle difficult situations")
    EXPERT = 4, _("4 – Expert: I could teach or supervise it")


class Sector(models.TextChoices):
    POLICE = "police", _("Police")
    MUNICIPAL_PREVENTION = "municipal_prevention", _("Municipal prevention")
    PUBLIC_TRANSPORT = "public_transport", _("Public transport")
    PRIVATE_SECURITY = "private_security", _("Private security")
    EVENTS = "events", _("Events and stewarding")
    SOCIAL_PREVENTION = "social_prevention", _("Social prevention")
    EMERGENCY = "emergency", _("Emergency services")


class Diploma(models.TextChoices):
    NONE = "none", _("No diploma")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary (CE1D)")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary (CESS)")
    BACHELOR = "bachelor", _("Bachelor")


class RoleQuerySet(models.QuerySet):
    def with_profile(self):
        return self.prefetch_related(
            models.Prefetch(
                "requirements",
                queryset=RoleRequirement.objects.select_related("skill").order_by(
                    importance_order(), "skill__label_en"
                ),
            ),
            models.Prefetch(
                "language_requirements",
                queryset=RoleLanguageRequirement.objects.select_related("language"),
            ),
        )


class Role(LocalSlugs, Translated, models.Model):
    """An occupation the college prepares people for, with its requirement profile."""

    class Nationality(models.TextChoices):
        ANY = "any", _("Any nationality")
        EEA = "eea", _("EEA or Swiss national")
        BELGIAN = "belgian", _("Belgian nationality")

    slug = models.SlugField(_("slug"), unique=True)
    # The address in French and Dutch (`college.slugs`): derived once from the title, then kept.
    slug_fr = models.SlugField(
        _("slug (French)"), max_length=200, unique=True, null=True, blank=True
    )
    slug_nl = models.SlugField(
        _("slug (Dutch)"), max_length=200, unique=True, null=True, blank=True
    )
    esco_uri = models.URLField(_("ESCO occupation URI"), max_length=200)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    title_fr = models.CharField(_("title (French)"), max_length=150)
    title_nl = models.CharField(_("title (Dutch)"), max_length=150)
    title_en = models.CharField(_("title (English)"), max_length=150)
    summary_fr = models.TextField(_("summary (French)"))
    summary_nl = models.TextField(_("summary (Dutch)"))
    summary_en = models.TextField(_("summary (English)"))
    diploma_required_by_law = models.BooleanField(_("diploma required by law"), default=False)
    required_diploma = models.CharField(
        _("required diploma"), max_length=20, choices=Diploma.choices, default=Diploma.NONE
    )
    alternative_route_fr = models.TextField(_("alternative route (French)"), blank=True)
    alternative_route_nl = models.TextField(_("alternative route (Dutch)"), blank=True)
    alternative_route_en = models.TextField(_("alternative route (English)"), blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    nationality = models.CharField(
        _("nationality"), max_length=10, choices=Nationality.choices, default=Nationality.ANY
    )
    clean_record_required = models.BooleanField(_("clean criminal record required"), default=False)
    driving_licence = models.CharField(_("driving licence"), max_length=10, blank=True)
    other_conditions_fr = models.TextField(_("other conditions (French)"), blank=True)
    other_conditions_nl = models.TextField(_("other conditions (Dutch)"), blank=True)
    other_conditions_en = models.TextField(_("other conditions (English)"), blank=True)
    selection_fr = models.TextField(_("selection (French)"), blank=True)
    selection_nl = models.TextField(_("selection (Dutch)"), blank=True)
    selection_en = models.TextField(_("selection (English)"), blank=True)
    training_fr = models.TextField(_("training (French)"), blank=True)
    training_nl = models.TextField(_("training (Dutch)"), blank=True)
    training_en = models.TextField(_("training (English)"), blank=True)
    language_note_fr = models.TextField(_("language rule (French)"), blank=True)
    language_note_nl = models.TextField(_("language rule (Dutch)"), blank=True)
    language_note_en = models.TextField(_("language rule (English)"), blank=True)
    sources = models.TextField(_("sources"), blank=True)
    skills = models.ManyToManyField(Skill, through="RoleRequirement", related_name="roles")

    objects = RoleQuerySet.as_manager()

    class Meta:
        ordering = ["title_fr"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self):
        return self.title_en

    @property
    def title(self):
        return self.translated("title")

    @property
    def summary(self):
        return self.translated("summary")

    @property
    def alternative_route(self):
        return self.translated("alternative_route")

    @property
    def other_conditions(self):
        return self.translated("other_conditions")

    @property
    def selection(self):
        return self.translated("selection")

    @property
    def training(self):
        return self.translated("training")

    @property
    def language_note(self):
        return self.translated("language_note")


class Importance(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    IMPORTANT = "important", _("Important")
    NICE_TO_HAVE = "nice_to_have", _("Nice to have")


def importance_order(prefix=""):
    """An expression sorting essential requirements first, then important, then nice to have."""
    field = f"{prefix}importance"
    return models.Case(
        models.When(**{field: "essential"}, then=models.Value(1)),
        models.When(**{field: "important"}, then=models.Value(2)),
        default=models.Value(3),
    )


class RequirementStage(models.TextChoices):
    """Whether a skill is asked of applicants or taught by the employer's school after hiring.

    Only entry requirements count in a score and in gaps; a skill taught after hiring is shown
    as "learned in training", never as missing.
    """

    ENTRY = "entry", _("Required at entry")
    TRAINING = "training", _("Learned in training after hiring")


class RoleRequirement(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="requirements")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="role_requirements")
    importance = models.CharField(_("importance"), max_length=20, choices=Importance.choices)
    target_level = models.PositiveSmallIntegerField(_("target level"), choices=Level.choices)
    stage = models.CharField(
        _("required when"),
        max_length=20,
        choices=RequirementStage.choices,
        default=RequirementStage.ENTRY,
    )
    # The reference data records each source in English with its French and Dutch wording.
    source = models.CharField(_("source (English)"), max_length=300, blank=True)
    source_fr = models.CharField(_("source (French)"), max_length=300, blank=True)
    source_nl = models.CharField(_("source (Dutch)"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "skill"], name="unique_role_skill"),
        ]
        verbose_name = _("role requirement")
        verbose_name_plural = _("role requirements")

    def __str__(self):
        return f"{self.role.slug}: {self.skill.label_en} ({self.importance}, {self.target_level})"

    @property
    def source_label(self):
        """The source in the reader's language, English where no translation is recorded."""
        return {"fr": self.source_fr, "nl": self.source_nl}.get(active_language()) or self.source


class RoleLanguageRequirement(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="language_requirements")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    min_cefr = models.CharField(_("minimum CEFR level"), max_length=2, choices=CEFR.choices)
    is_alternative = models.BooleanField(
        _("one of a group"),
        default=False,
        help_text=_(
            "Languages marked so form one group: the candidate needs at least one of them."
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "language"], name="unique_role_language"),
        ]
        ordering = ["language__position"]
        verbose_name = _("role language requirement")
        verbose_name_plural = _("role language requirements")

    def __str__(self):
        return f"{self.role.slug}: {self.language.code} ≥ {self.min_cefr}"


class GuidanceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


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
    # The address in French and Dutch (`college.slugs`): derived once from the title, then kept.
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


@receiver(user_logged_in)
def _session_start(sender, request, user, **kwargs):
    # Every way in (the login page, the admin's, tests' force_login) goes through login(),
    # so the session's clocks and second-step state start here, in the session login() saves.
    from college.middleware import session_start

    if request is not None and hasattr(request, "session"):
        session_start(request, user)
