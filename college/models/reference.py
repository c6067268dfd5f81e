from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from college.models.language import (
    LANGUAGE_CODES,
    Translated,
    active_language,
    normalise_for_search,
)
from college.models.slugs import LocalSlugs


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
    # Moved on by college.core.credentials.user_credentials_revoke: every session signed with an
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
    # The digital and cyber track: ICT support, cyber-security, digital forensics.
    DIGITAL = "digital", _("Digital and cyber security")


class Track(models.TextChoices):
    """The college's two paths. A role's track follows from its sector by one rule: the digital
    sector is the digital and cyber track, every other sector the prevention and security
    track (`Track.of`, `Track.sectors`)."""

    PREVENTION = "security", _("Prevention and security track")
    DIGITAL = "digital", _("Digital and cyber track")

    @classmethod
    def of(cls, sector):
        return cls.DIGITAL if sector == Sector.DIGITAL else cls.PREVENTION

    @classmethod
    def sectors(cls, track):
        """The sectors of `track`, as a list of values."""
        return [value for value in Sector.values if cls.of(value) == track]


class Diploma(models.TextChoices):
    NONE = "none", _("No diploma")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary (CE1D)")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary (CESS)")
    BACHELOR = "bachelor", _("Bachelor")


class RoleQuerySet(models.QuerySet):
    def in_track(self, track):
        return self.filter(sector__in=Track.sectors(track))

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

    def with_ladder(self):
        """The rungs before and after each role (two queries, whatever the count)."""
        rungs = Role.objects.order_by("title_fr")
        return self.prefetch_related(
            models.Prefetch("next_roles", queryset=rungs),
            models.Prefetch("previous_roles", queryset=rungs),
        )


class Role(LocalSlugs, Translated, models.Model):
    """An occupation the college prepares people for, with its requirement profile."""

    class Nationality(models.TextChoices):
        ANY = "any", _("Any nationality")
        EEA = "eea", _("EEA or Swiss national")
        BELGIAN = "belgian", _("Belgian nationality")

    slug = models.SlugField(_("slug"), unique=True)
    # The address in French and Dutch (`college.models.slugs`): derived from the title, then kept.
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
    # The frameworks the role maps to, as loaded from roles.json (never typed by people):
    # {"esco": {"uri", "labels": {fr, nl, en}}, "ecsf": {"id", "profile", "entry_variant":
    # {fr, nl, en}} or null, "ecf": [{"code", "name", "level"}]}.
    frameworks = models.JSONField(_("frameworks"), default=dict, blank=True, editable=False)
    # The ladder: the roles one usually moves on to from this one (ICT support → cyber-security
    # technician → SOC analyst …); acyclic, checked by the loader.
    next_roles = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="previous_roles",
        blank=True,
        verbose_name=_("next rungs on the ladder"),
    )
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

    @property
    def track(self):
        return Track.of(self.sector)

    def get_track_display(self):
        return Track(self.track).label

    @property
    def is_digital_track(self):
        return self.track == Track.DIGITAL

    @property
    def esco_label(self):
        """The ESCO occupation's label in the reader's language (French where none)."""
        labels = ((self.frameworks or {}).get("esco") or {}).get("labels") or {}
        return labels.get(active_language()) or labels.get("fr") or ""

    @property
    def ecsf(self):
        """The ECSF profile and its entry variant in the reader's language, or None."""
        profile = (self.frameworks or {}).get("ecsf")
        if not profile:
            return None
        variants = profile.get("entry_variant") or {}
        return {
            "id": profile.get("id", ""),
            "profile": profile.get("profile", ""),
            "entry_variant": variants.get(active_language()) or variants.get("en", ""),
        }

    @property
    def ecf_competences(self):
        return list((self.frameworks or {}).get("ecf") or [])


class Evidence(models.TextChoices):
    """How a skill is known, weakest first; matching weighs the stronger more.

    The one definition of evidence: the engine's factors and SQL, the API enums and the
    merging of skills all read it from here."""

    SELF_DECLARED = "self_declared", _("Self-declared")
    COUNSELLOR_VALIDATED = "counsellor_validated", _("Validated by a counsellor")
    TEST_VERIFIED = "test_verified", _("Verified by a test")
    TRAINING_CERTIFIED = "training_certified", _("Certified by training or a certificate")

    @classmethod
    def strength(cls, value):
        """1 for the weakest evidence … 4 for the strongest."""
        return cls.values.index(value) + 1


class Importance(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    IMPORTANT = "important", _("Important")
    NICE_TO_HAVE = "nice_to_have", _("Nice to have")

    @classmethod
    def rank(cls, value):
        """3 for essential, 2 for important, 1 for nice to have."""
        return len(cls.values) - cls.values.index(value)


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
