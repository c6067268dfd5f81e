"""The item bank, test batteries, attempts and responses of the practice selection tests."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from college.models import Skill, Translated, active_language
from college.models.slugs import LocalSlugs


class Competency(models.TextChoices):
    NUMERICAL = "numerical", _("Numerical reasoning")
    VERBAL = "verbal", _("Verbal reasoning")
    LOGICAL = "logical", _("Logical reasoning")
    ABSTRACT = "abstract", _("Abstract reasoning")
    SITUATIONAL = "situational", _("Situational judgement")
    READING_FR = "reading_fr", _("French comprehension")
    READING_NL = "reading_nl", _("Dutch comprehension")
    WORK_STYLE = "work_style", _("Work style")
    # The digital and cyber track: aptitude parts modelled on how its training programmes select.
    CYBER_PATTERNS = "cyber_patterns", _("Pattern reasoning")
    CYBER_DETAIL = "cyber_detail", _("Attention to detail")
    CYBER_PROCEDURE = "cyber_procedure", _("Following a technical procedure")
    CYBER_CODES = "cyber_codes", _("Codes and ciphers")
    CYBER_ANALYSIS = "cyber_analysis", _("Spotting what is wrong in a log or an e-mail")
    DIGITAL_SAFETY = "digital_safety", _("Digital safety")
    # For a battery's section only: comprehension in the language the test is taken in.
    READING = "reading", _("Comprehension in the test's language")

    @classmethod
    def for_language(cls, competency, language):
        """The competency a section draws from when the test is taken in `language`."""
        if competency == cls.READING:
            return cls.READING_NL if language == "nl" else cls.READING_FR
        return competency


class ScenarioRole(models.TextChoices):
    """The job a situational-judgement scenario is written for; a battery's section draws only
    the scenarios of its role (a gardien de la paix has no police powers, a steward is no
    police inspector…)."""

    PEACE_GUARD = "peace_guard", _("Community warden (gardien de la paix)")
    SAC_OFFICER = "sac_officer", _("SAC enforcement officer")
    SECURITY_GUARD = "security_guard", _("Security guard")
    POLICE = "police", _("Police officer")
    STEWARD = "steward", _("Steward")
    DISPATCHER = "dispatcher", _("Emergency dispatcher")
    STREET_EDUCATOR = "street_educator", _("Street educator")


class Passage(models.Model):
    """A text that reading-comprehension items ask about, in one language."""

    key = models.CharField(_("key"), max_length=20, unique=True)
    language = models.CharField(_("language"), max_length=2)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["key"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")

    def __str__(self):
        return self.key


class Trait(Translated, models.Model):
    """A work-style trait: the inventory gives a profile with feedback, never a pass or fail."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    label_fr = models.CharField(_("label (French)"), max_length=100)
    label_nl = models.CharField(_("label (Dutch)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100)
    feedback_low_fr = models.TextField(_("feedback for a low score (French)"))
    feedback_low_nl = models.TextField(_("feedback for a low score (Dutch)"))
    feedback_low_en = models.TextField(_("feedback for a low score (English)"))
    feedback_high_fr = models.TextField(_("feedback for a high score (French)"))
    feedback_high_nl = models.TextField(_("feedback for a high score (Dutch)"))
    feedback_high_en = models.TextField(_("feedback for a high score (English)"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("work-style trait")
        verbose_name_plural = _("work-style traits")

    def __str__(self):
        return self.code

    @property
    def label(self):
        return self.translated("label")

    @property
    def feedback_low(self):
        return self.translated("feedback_low")

    @property
    def feedback_high(self):
        return self.translated("feedback_high")


class ItemQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status=Item.Status.LIVE)


class Item(Translated, models.Model):
    class Type(models.TextChoices):
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_RESPONSE = "multiple_response", _("Multiple response")
        NUMERIC = "numeric", _("Numeric entry")
        SJT = "sjt", _("Situational judgement")
        LIKERT = "likert", _("Work-style statement")
        MARK = "mark", _("Mark the suspicious parts")
        TYPED = "typed", _("Short typed answer")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEWED = "reviewed", _("Reviewed")
        LIVE = "live", _("Live")
        # Replaced by a new item: kept for the attempts that used it, never drawn again.
        RETIRED = "retired", _("Retired")

    class Exhibit(models.TextChoices):
        EMAIL = "email", _("An e-mail")
        LOG = "log", _("A log excerpt")
        MESSAGE = "message", _("A text message or a web page")

    class Difficulty(models.TextChoices):
        EASY = "easy", _("Easy")
        MEDIUM = "medium", _("Medium")
        HARD = "hard", _("Hard")

    key = models.CharField(_("key"), max_length=20, unique=True)
    competency = models.CharField(
        _("competency"), max_length=20, choices=Competency.choices, db_index=True
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    difficulty = models.CharField(
        _("difficulty (author's estimate)"), max_length=10, choices=Difficulty.choices, blank=True
    )
    passage = models.ForeignKey(
        Passage, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    role = models.CharField(
        _("scenario written for"), max_length=20, choices=ScenarioRole.choices, blank=True
    )
    stem_fr = models.TextField(_("question (French)"), blank=True)
    stem_nl = models.TextField(_("question (Dutch)"), blank=True)
    stem_en = models.TextField(_("question (English)"), blank=True)
    explanation_fr = models.TextField(_("explanation (French)"), blank=True)
    explanation_nl = models.TextField(_("explanation (Dutch)"), blank=True)
    explanation_en = models.TextField(_("explanation (English)"), blank=True)
    # Abstract sequences: figures as small SVG documents, with a text alternative.
    sequence = models.JSONField(_("figures"), default=list, blank=True)
    alt_fr = models.TextField(_("figures described (French)"), blank=True)
    alt_nl = models.TextField(_("figures described (Dutch)"), blank=True)
    alt_en = models.TextField(_("figures described (English)"), blank=True)
    # Numeric entry.
    answer_value = models.DecimalField(
        _("answer"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    answer_tolerance = models.DecimalField(
        _("tolerance"), max_digits=14, decimal_places=4, default=0
    )
    unit_fr = models.CharField(_("unit (French)"), max_length=20, blank=True)
    unit_nl = models.CharField(_("unit (Dutch)"), max_length=20, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=20, blank=True)
    # Mark the suspicious parts: what the segments (the options, in their order) are taken from.
    exhibit = models.CharField(_("exhibit"), max_length=10, choices=Exhibit.choices, blank=True)
    # Short typed answer: the accepted answers, {"fr": [...], "nl": [...], "en": [...],
    # "any": [...]} ("any" in every language), compared after `assessments.typed.normalise`.
    # Never sent to the candidate before the item is answered.
    accepted_answers = models.JSONField(_("accepted answers"), default=dict, blank=True)
    ignore_accents = models.BooleanField(_("accents do not matter"), default=False)
    # Work-style statements.
    trait = models.ForeignKey(
        Trait, on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    reverse = models.BooleanField(_("reverse-scored"), default=False)
    # 2PL IRT parameters, once calibrated from responses (`manage.py calibrate_items`).
    irt_a = models.FloatField(_("discrimination (a)"), null=True, blank=True)
    irt_b = models.FloatField(_("difficulty (b)"), null=True, blank=True)
    calibrated_at = models.DateTimeField(_("calibrated on"), null=True, blank=True)
    calibration_n = models.PositiveIntegerField(_("responses used"), default=0)
    source_version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return self.key

    @property
    def stem(self):
        return self.translated("stem")

    @property
    def explanation(self):
        return self.translated("explanation")

    @property
    def alt(self):
        return self.translated("alt")

    @property
    def unit(self):
        return self.translated("unit")

    @property
    def is_scored(self):
        """Work-style statements have no right answer: they never count toward a score."""
        return self.type != self.Type.LIKERT

    @property
    def is_calibrated(self):
        return self.irt_a is not None and self.irt_b is not None

    def translated(self, field):
        # Reading items exist in their passage's language only.
        value = getattr(self, f"{field}_{active_language()}", "")
        return value or getattr(self, f"{field}_fr", "") or getattr(self, f"{field}_nl", "")


class Option(Translated, models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="options")
    key = models.CharField(_("key"), max_length=5)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    label_fr = models.TextField(_("label (French)"), blank=True)
    label_nl = models.TextField(_("label (Dutch)"), blank=True)
    label_en = models.TextField(_("label (English)"), blank=True)
    svg = models.TextField(_("figure (SVG)"), blank=True)
    alt_fr = models.TextField(_("figure described (French)"), blank=True)
    alt_nl = models.TextField(_("figure described (Dutch)"), blank=True)
    alt_en = models.TextField(_("figure described (English)"), blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)
    effectiveness = models.PositiveSmallIntegerField(
        _("effectiveness (1–4)"), null=True, blank=True
    )

    class Meta:
        ordering = ["item", "position"]
        constraints = [
            models.UniqueConstraint(fields=["item", "key"], name="unique_option_key"),
        ]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return f"{self.item.key}/{self.key}"

    @property
    def label(self):
        value = getattr(self, f"label_{active_language()}", "")
        return value or self.label_fr or self.label_nl

    @property
    def alt(self):
        value = getattr(self, f"alt_{active_language()}", "")
        return value or self.alt_fr or self.alt_nl


class Battery(LocalSlugs, Translated, models.Model):
    """A practice test modelled on a real selection step: sections, time limits, a pass rule."""

    class Kind(models.TextChoices):
        FIXED = "fixed", _("Fixed form")
        ADAPTIVE = "adaptive", _("Adaptive")

    slug = models.SlugField(_("slug"), unique=True)
    # The address in French and Dutch (`college.models.slugs`): derived from the title, then kept.
    slug_fr = models.SlugField(
        _("slug (French)"), max_length=200, unique=True, null=True, blank=True
    )
    slug_nl = models.SlugField(
        _("slug (Dutch)"), max_length=200, unique=True, null=True, blank=True
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FIXED)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_fr = models.TextField(_("description (French)"))
    description_nl = models.TextField(_("description (Dutch)"))
    description_en = models.TextField(_("description (English)"))
    languages = models.JSONField(
        _("languages it can be taken in"), default=list, help_text=_("Codes, such as fr and nl.")
    )
    # The real step's rule, where one exists: each section at least `section_pass_percent`,
    # and overall at least `pass_percent` (the gardien de la paix exam: 50 % and 60 %).
    pass_percent = models.PositiveSmallIntegerField(
        _("overall pass mark (%)"), null=True, blank=True
    )
    section_pass_percent = models.PositiveSmallIntegerField(
        _("pass mark per section (%)"), null=True, blank=True
    )
    # At or above this overall score, the skills below become test-verified evidence.
    evidence_threshold = models.PositiveSmallIntegerField(
        _("score that verifies the skills (%)"), null=True, blank=True
    )
    skills_verified = models.ManyToManyField(
        Skill, blank=True, related_name="batteries", verbose_name=_("skills it verifies")
    )
    # Adaptive batteries: stop when the standard error reaches `se_target`, or at `max_items`.
    se_target = models.FloatField(_("target standard error"), default=0.3)
    max_items = models.PositiveSmallIntegerField(_("maximum number of items"), default=30)
    position = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(_("active"), default=True)
    # What the cue checks and the statistics last found wrong (`assessments.checks`): while
    # a finding is not cleared by staff, the battery verifies no skill.
    check_findings = models.JSONField(_("findings of the checks"), default=list, blank=True)
    checked_at = models.DateTimeField(_("checked on"), null=True, blank=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("test battery")
        verbose_name_plural = _("test batteries")

    def __str__(self):
        return self.slug

    @property
    def title(self):
        return self.translated("title")

    @property
    def description(self):
        return self.translated("description")

    @property
    def total_seconds(self):
        return sum(section.time_limit_seconds for section in self.sections.all())


class BatteryClearance(models.Model):
    """A staff member cleared a battery's findings: it verifies skills again while the checks
    find the same things (a new finding needs a new clearance). The log of who cleared what."""

    battery = models.ForeignKey(Battery, on_delete=models.CASCADE, related_name="clearances")
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cleared_at = models.DateTimeField(default=timezone.now)
    findings = models.JSONField(_("findings cleared"), default=list)
    note = models.CharField(_("why it can verify skills anyway"), max_length=500)

    class Meta:
        ordering = ["-cleared_at"]
        verbose_name = _("battery clearance")
        verbose_name_plural = _("battery clearances")

    def __str__(self):
        return f"{self.battery.slug} {self.cleared_at:%Y-%m-%d}"


class Section(Translated, models.Model):
    battery = models.ForeignKey(Battery, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"))
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    competency = models.CharField(_("competency"), max_length=20, choices=Competency.choices)
    item_count = models.PositiveSmallIntegerField(_("items drawn at random"))
    # Situational judgement: only the scenarios written for this role; blank draws any.
    role = models.CharField(
        _("scenarios of the role"), max_length=20, choices=ScenarioRole.choices, blank=True
    )
    time_limit_seconds = models.PositiveIntegerField(_("time limit (seconds)"))

    class Meta:
        ordering = ["battery", "position"]
        constraints = [
            models.UniqueConstraint(fields=["battery", "position"], name="unique_section_position"),
        ]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return f"{self.battery.slug} #{self.position}"

    @property
    def title(self):
        return self.translated("title")


class TimeAccommodation(models.Model):
    """Extra time for one person (dyslexia, a disability…), set by their counsellor."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_accommodation"
    )
    multiplier = models.DecimalField(
        _("time multiplier"),
        max_digits=3,
        decimal_places=2,
        default=1,
        help_text=_("1.25 gives a quarter more time; 1.5 half as much again."),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(_("reason (seen by counsellors only)"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(multiplier__gte=1, multiplier__lte=2),
                name="time_multiplier_1_to_2",
            ),
        ]
        verbose_name = _("extra time")
        verbose_name_plural = _("extra time")

    def __str__(self):
        return f"×{self.multiplier}"


class EvidenceOutcome:
    """Why an attempt did or did not make the battery's skills test-verified
    (`Attempt.evidence_outcome`)."""

    VERIFIED = "verified"
    BELOW_THRESHOLD = "below_threshold"
    BATTERY_FLAGGED = "battery_flagged"
    NO_EVIDENCE = "no_evidence"  # the battery verifies no skill, or the person is no candidate


class Attempt(models.Model):
    class Mode(models.TextChoices):
        PRACTICE = "practice", _("Practice (explanations after each question)")
        EXAM = "exam", _("Exam (review at the end)")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")
        EXPIRED = "expired", _("Time ran out")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    battery = models.ForeignKey(Battery, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices)
    language = models.CharField(_("language"), max_length=2)
    seed = models.BigIntegerField(_("shuffle seed"))
    time_multiplier = models.DecimalField(max_digits=3, decimal_places=2, default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(default=timezone.now)
    deadline = models.DateTimeField(_("deadline"))
    finished_at = models.DateTimeField(null=True, blank=True)
    # Results, set when the attempt finishes.
    score_percent = models.FloatField(_("score (%)"), null=True, blank=True)
    competency_scores = models.JSONField(_("score per competency"), default=dict, blank=True)
    section_scores = models.JSONField(_("score per section"), default=dict, blank=True)
    trait_scores = models.JSONField(_("work-style profile"), default=dict, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    percentile = models.FloatField(_("percentile"), null=True, blank=True)
    theta = models.FloatField(_("ability estimate"), null=True, blank=True)
    theta_se = models.FloatField(_("standard error"), null=True, blank=True)
    # Fixed batteries time each section: the one open now and when it closes.
    section_position = models.PositiveSmallIntegerField(null=True, blank=True)
    section_deadline = models.DateTimeField(null=True, blank=True)
    # Why this attempt verified skills or not (an `EvidenceOutcome`), and which.
    evidence_outcome = models.CharField(max_length=20, blank=True)
    evidence_skills = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["battery", "status"])]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")

    def __str__(self):
        return f"{self.battery.slug} {self.status}"

    @property
    def is_open(self):
        return self.status == self.Status.IN_PROGRESS and timezone.now() < self.deadline


# The attempts whose results count: in norms, percentiles, statistics and calibration.
CLOSED_STATUSES = (Attempt.Status.FINISHED, Attempt.Status.EXPIRED)


class AttemptItem(models.Model):
    """An item drawn for an attempt, at its place, with its options in the attempt's order."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="attempt_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="attempt_items")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    option_order = models.JSONField(default=list, help_text="Option ids in the order shown.")
    # When the candidate was first shown the item: only a served item can be answered.
    served_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="unique_attempt_position"),
            models.UniqueConstraint(fields=["attempt", "item"], name="unique_attempt_item"),
        ]
        verbose_name = _("question of an attempt")
        verbose_name_plural = _("questions of attempts")

    def __str__(self):
        return f"{self.attempt_id} #{self.position}"


class Response(models.Model):
    """The answer to one drawn item; one per item, so answering again is idempotent."""

    attempt_item = models.OneToOneField(
        AttemptItem, on_delete=models.CASCADE, related_name="response"
    )
    choice = models.ForeignKey(
        Option, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    choices = models.JSONField(
        default=list, blank=True, help_text="Option ids, for multiple response."
    )
    value = models.CharField(max_length=50, blank=True)
    # 0–1 credit for scored items; the 1–5 Likert value for work-style statements.
    score = models.FloatField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return f"{self.attempt_item_id}: {self.score}"
