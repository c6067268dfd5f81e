"""Staff author and review items here: draft → reviewed → live, with the bank's rules enforced.

Moving an item to reviewed or live also runs the option-form cue checks (`assessments.cues`):
an item whose option lengths are out of balance, or whose wrong options alone carry absolute
words, is refused; an item whose key is the longest option or echoes the question most is
moved, with a warning (one item in four is so by chance; the section report checks the
balance).

An item that candidates have already been given keeps what it measures: its key, type, answer
and options are locked (fix a typo, yes; a new key or answer is a new item, see
`assessments/data/README.md`), and it can never be deleted.
"""

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assessments import checks, cues, scoring
from assessments.items import (
    LANGUAGE_NAMES,
    READING_LANGUAGES,
    item_languages,
    svg_is_safe,
)
from assessments.models import (
    Attempt,
    AttemptItem,
    Battery,
    BatteryClearance,
    Competency,
    Item,
    Option,
    Passage,
    Section,
    TimeAccommodation,
    Trait,
)

SVG_RULE = _(
    "Figures are a list of SVG documents made of g, circle, rect, polygon, line and path "
    "only, with no text, style or script (see assessments/data/README.md)."
)


CUED_MESSAGE = _(
    "Refused, because the form of their options gives the key away (option lengths out of "
    "balance, or absolute words only in wrong options; open them to see where): %(keys)s."
)


def item_problems(item):
    """What keeps the item itself (without its options) from being shown: [(field, message)]."""
    problems = []
    if item.competency == Competency.READING:
        problems.append(
            (
                "competency",
                _(
                    "“Comprehension in the test's language” is for sections only: "
                    "choose French or Dutch comprehension."
                ),
            )
        )
    is_work_style = item.competency == Competency.WORK_STYLE
    if item.type == Item.Type.LIKERT and not is_work_style:
        problems.append(("competency", _("A work-style statement measures work style.")))
    if is_work_style and item.type != Item.Type.LIKERT:
        problems.append(("type", _("Work style is measured by work-style statements only.")))
    if item.competency in READING_LANGUAGES:
        expected = READING_LANGUAGES[item.competency]
        if item.passage is None:
            problems.append(("passage", _("A comprehension item needs the text it asks about.")))
        elif item.passage.language != expected:
            problems.append(
                (
                    "passage",
                    _("This passage is in %(passage)s; the item tests %(expected)s.")
                    % {
                        "passage": LANGUAGE_NAMES.get(item.passage.language, item.passage.language),
                        "expected": LANGUAGE_NAMES[expected],
                    },
                )
            )
    for code in item_languages(item):
        if not (getattr(item, f"stem_{code}", "") or "").strip():
            problems.append(
                (f"stem_{code}", _("Write the question in %(language)s.") % _language(code))
            )
    if item.type == Item.Type.NUMERIC:
        if item.answer_value is None:
            problems.append(("answer_value", _("A numeric item needs its answer.")))
        if item.answer_tolerance is not None and item.answer_tolerance < 0:
            problems.append(("answer_tolerance", _("The tolerance cannot be negative.")))
    if item.type == Item.Type.LIKERT and item.trait_id is None:
        problems.append(("trait", _("A work-style statement needs the trait it measures.")))
    if item.type == Item.Type.MARK and not item.exhibit:
        problems.append(("exhibit", _("Say what the parts to mark are taken from.")))
    if item.type == Item.Type.TYPED:
        problems.extend(typed_answer_problems(item))
    sequence = item.sequence if isinstance(item.sequence, list) else None
    if sequence is None or not all(isinstance(s, str) and svg_is_safe(s) for s in sequence):
        problems.append(("sequence", SVG_RULE))
    return problems


def typed_answer_problems(item):
    """What is wrong with a typed item's accepted answers: [(field, message)]."""
    accepted = item.accepted_answers
    if not isinstance(accepted, dict) or not all(
        isinstance(answers, list) and all(isinstance(answer, str) for answer in answers)
        for answers in accepted.values()
    ):
        return [
            (
                "accepted_answers",
                _('Write the accepted answers as {"fr": ["…"], "nl": ["…"], "any": ["…"]}.'),
            )
        ]
    problems = []
    unknown = set(accepted) - {*LANGUAGE_NAMES, scoring.ANY_LANGUAGE}
    if unknown:
        problems.append(
            (
                "accepted_answers",
                _("Unknown language code: %(codes)s.") % {"codes": ", ".join(sorted(unknown))},
            )
        )
    for code in item_languages(item):
        answers = [
            scoring.normalise_typed(answer, ignore_accents=item.ignore_accents)
            for answer in scoring.accepted_answers_for(item, code)
        ]
        if not any(answers):
            problems.append(
                (
                    "accepted_answers",
                    _("A typed item needs at least one accepted answer in %(language)s.")
                    % _language(code),
                )
            )
    return problems


def option_problems(item, options):
    """What is wrong with the options an item would have: [message]."""
    problems = []
    correct = sum(1 for option in options if option.is_correct)
    wrong = len(options) - correct
    if item.type in (Item.Type.NUMERIC, Item.Type.LIKERT):
        if options:
            problems.append(
                _("A numeric item or a work-style statement has no options: remove them.")
            )
        return problems
    if item.type == Item.Type.TYPED:
        if options:
            problems.append(_("A typed answer has no options: remove them."))
        return problems
    if item.type == Item.Type.SINGLE_CHOICE:
        if correct != 1:
            problems.append(_("A single-choice item needs exactly one correct option."))
        if len(options) < 2:
            problems.append(_("A single-choice item needs at least two options."))
    elif item.type == Item.Type.MULTIPLE_RESPONSE:
        if correct < 2 or wrong < 1:
            problems.append(
                _("A multiple-response item needs at least two correct options and one wrong one.")
            )
    elif item.type == Item.Type.MARK:
        if len(options) < 4 or correct < 1 or wrong < 1:
            problems.append(
                _(
                    "An item to mark needs at least four parts, at least one suspicious "
                    "(correct) and one harmless."
                )
            )
    elif item.type == Item.Type.SJT:
        ratings = [option.effectiveness for option in options]
        if len(options) != 4:
            problems.append(_("A situational-judgement item has exactly four options."))
        if any(rating is None or not 1 <= rating <= 4 for rating in ratings):
            problems.append(_("Rate the effectiveness of every option from 1 to 4."))
        elif ratings.count(4) != 1:
            problems.append(_("Exactly one option is the most effective (4)."))
    languages = item_languages(item)
    for option in options:
        if option.svg.strip():
            if not svg_is_safe(option.svg):
                problems.append(
                    _(
                        "The figure of option %(key)s may hold only g, circle, rect, polygon, "
                        "line and path, with no text, style or script."
                    )
                    % {"key": option.key or "?"}
                )
            continue
        missing = [code for code in languages if not getattr(option, f"label_{code}", "").strip()]
        if missing:
            problems.append(
                _("Option %(key)s needs a label in %(languages)s.")
                % {
                    "key": option.key or "?",
                    "languages": ", ".join(str(LANGUAGE_NAMES[code]) for code in missing),
                }
            )
    return problems


def item_cue_reports(item):
    """The form cues of the item in each language it is written in: [ItemCues]."""
    options = sorted(item.options.all(), key=lambda option: option.position)
    reports = []
    # English is optional for items, but checked when written.
    languages = item_languages(item) if item.competency in READING_LANGUAGES else LANGUAGE_NAMES
    for code in languages:
        cue_item = cues.cue_item_from_model(item, code, options)
        if cue_item is not None and any(option.is_key for option in cue_item.options):
            reports.append(cues.item_cues(cue_item))
    return reports


def _language(code):
    return {"language": LANGUAGE_NAMES[code]}


def is_administered(item):
    """True once the item was drawn in an attempt: from then on it keeps what it measures."""
    return item is not None and item.pk is not None and item.attempt_items.exists()


class ItemAdminForm(forms.ModelForm):
    # The model and fields come from ItemAdmin's fieldsets.

    def clean_accepted_answers(self):
        # Left empty on the page (any item but a typed one): no accepted answers.
        return self.cleaned_data.get("accepted_answers") or {}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # The rules read the item as it would be saved, fields locked on the page included.
        item = self.instance
        for name, value in cleaned.items():
            if name in self.fields and hasattr(item, name):
                setattr(item, name, value)
        for name, message in item_problems(item):
            self.add_error(name if name in self.fields else None, message)
        return cleaned


class OptionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        options = []
        for form in self.forms:
            if not getattr(form, "cleaned_data", None):
                continue  # an extra row left empty
            if self.can_delete and self._should_delete_form(form):
                continue
            options.append(form.instance)
        for message in option_problems(self.instance, options):
            raise forms.ValidationError(message)


class OptionInline(admin.TabularInline):
    model = Option
    formset = OptionFormSet
    fields = [
        "key",
        "position",
        "label_fr",
        "label_nl",
        "label_en",
        "is_correct",
        "effectiveness",
        "svg",
    ]
    extra = 0
    ordering = ["position"]

    def get_fields(self, request, obj=None):
        # The figures' descriptions only where there are figures: abstract items.
        if obj is not None and obj.competency == Competency.ABSTRACT:
            return [*self.fields, "alt_fr", "alt_nl", "alt_en"]
        return self.fields

    def get_extra(self, request, obj=None, **kwargs):
        return 4 if obj is None else 0

    def get_readonly_fields(self, request, obj=None):
        if is_administered(obj):
            return ["key", "is_correct", "effectiveness"]
        return []

    def has_add_permission(self, request, obj=None):
        return not is_administered(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_administered(obj) and super().has_delete_permission(request, obj)


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    form = ItemAdminForm
    list_display = [
        "key",
        "competency",
        "type",
        "status",
        "difficulty",
        "irt_a",
        "irt_b",
        "updated_at",
    ]
    list_filter = ["competency", "type", "status"]
    search_fields = ["key", "stem_fr", "stem_nl", "stem_en"]
    autocomplete_fields = ["passage"]
    inlines = [OptionInline]
    actions = ["mark_reviewed", "put_live", "back_to_draft"]
    fieldsets = [
        (
            None,
            {"fields": ["key", "competency", "type", "status", "difficulty", "passage"]},
        ),
        (_("French"), {"fields": ["stem_fr", "explanation_fr", "alt_fr", "unit_fr"]}),
        (_("Dutch"), {"fields": ["stem_nl", "explanation_nl", "alt_nl", "unit_nl"]}),
        (_("English"), {"fields": ["stem_en", "explanation_en", "alt_en", "unit_en"]}),
        (_("Figures (abstract items)"), {"classes": ["collapse"], "fields": ["sequence"]}),
        (_("Numeric answer"), {"fields": ["answer_value", "answer_tolerance"]}),
        (_("Parts to mark"), {"fields": ["exhibit"]}),
        (_("Typed answer"), {"fields": ["accepted_answers", "ignore_accents"]}),
        (_("Work-style statement"), {"fields": ["trait", "reverse"]}),
        (
            _("Calibration (IRT, from the answers)"),
            {"fields": ["irt_a", "irt_b", "calibrated_at", "calibration_n", "statistics"]},
        ),
        (_("Form cues"), {"fields": ["form_cues"]}),
    ]
    # Status changes through the actions only, so that nothing goes live unreviewed.
    base_readonly_fields = [
        "status",
        "irt_a",
        "irt_b",
        "calibrated_at",
        "calibration_n",
        "statistics",
        "form_cues",
    ]
    locked_fields = [
        "key",
        "competency",
        "type",
        "passage",
        "answer_value",
        "answer_tolerance",
        "exhibit",
        "accepted_answers",
        "ignore_accents",
        "trait",
        "reverse",
    ]

    def get_readonly_fields(self, request, obj=None):
        if is_administered(obj):
            return [*self.base_readonly_fields, *self.locked_fields]
        return self.base_readonly_fields

    def has_delete_permission(self, request, obj=None):
        return not is_administered(obj) and super().has_delete_permission(request, obj)

    @admin.display(description=_("Item statistics"))
    def statistics(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("assessments_staff:item", args=[obj.key]),
            _("See how candidates answer it"),
        )

    @admin.display(description=_("Can the key be told by its form?"))
    def form_cues(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        reports = item_cue_reports(obj)
        lines = [str(m) for report in reports for m in report.messages()]
        lines += [str(m) for report in reports for m in report.warning_messages()]
        if not lines:
            return _("No form cue found.")
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))

    def _refuse(self, request, items, message):
        if items:
            self.message_user(
                request,
                message % {"keys": ", ".join(item.key for item in items)},
                messages.WARNING,
            )

    def _valid(self, queryset):
        """The items that meet every rule, those that do not, and those whose options' form
        gives the key away."""
        valid, invalid, cued = [], [], []
        for item in queryset.select_related("passage").prefetch_related("options"):
            problems = item_problems(item) or option_problems(item, list(item.options.all()))
            if problems:
                invalid.append(item)
            elif any(report.problems for report in item_cue_reports(item)):
                cued.append(item)
            else:
                valid.append(item)
        return valid, invalid, cued

    def _move(self, items, status):
        Item.objects.filter(pk__in=[item.pk for item in items]).update(status=status)
        if items:
            # What batteries draw changed: their cue checks may change too.
            checks.batteries_checks_refresh()

    def _warn_cues(self, request, items):
        warned = [item for item in items if any(r.warnings for r in item_cue_reports(item))]
        self._refuse(
            request,
            warned,
            _(
                "Moved, but check the balance of their section: the key is the longest option "
                "or shares the most words with the question in %(keys)s."
            ),
        )

    @admin.action(description=_("Mark as reviewed"))
    def mark_reviewed(self, request, queryset):
        others = list(queryset.exclude(status=Item.Status.DRAFT))
        valid, invalid, cued = self._valid(queryset.filter(status=Item.Status.DRAFT))
        self._move(valid, Item.Status.REVIEWED)
        self.message_user(
            request,
            ngettext(
                "%(count)d item marked as reviewed.",
                "%(count)d items marked as reviewed.",
                len(valid),
            )
            % {"count": len(valid)},
        )
        self._refuse(
            request,
            invalid,
            _("Not reviewed, because they break the item rules (open them to see why): %(keys)s."),
        )
        self._refuse(request, cued, CUED_MESSAGE)
        self._warn_cues(request, valid)
        self._refuse(request, others, _("Unchanged, because they are not drafts: %(keys)s."))

    @admin.action(description=_("Put live"))
    def put_live(self, request, queryset):
        drafts = list(queryset.filter(status=Item.Status.DRAFT))
        valid, invalid, cued = self._valid(queryset.filter(status=Item.Status.REVIEWED))
        self._move(valid, Item.Status.LIVE)
        self.message_user(
            request,
            ngettext("%(count)d item put live.", "%(count)d items put live.", len(valid))
            % {"count": len(valid)},
        )
        self._refuse(
            request, drafts, _("Drafts cannot go live before they are reviewed: %(keys)s.")
        )
        self._refuse(
            request,
            invalid,
            _("Not put live, because they break the item rules (open them to see why): %(keys)s."),
        )
        self._refuse(request, cued, CUED_MESSAGE)
        self._warn_cues(request, valid)

    @admin.action(description=_("Withdraw (back to draft)"))
    def back_to_draft(self, request, queryset):
        count = queryset.exclude(status__in=[Item.Status.DRAFT, Item.Status.RETIRED]).update(
            status=Item.Status.DRAFT
        )
        if count:
            checks.batteries_checks_refresh()
        self.message_user(
            request,
            ngettext(
                "%(count)d item withdrawn: candidates no longer get it.",
                "%(count)d items withdrawn: candidates no longer get them.",
                count,
            )
            % {"count": count},
        )


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    list_display = ["key", "language", "title"]
    list_filter = ["language"]
    search_fields = ["key", "title", "text"]


@admin.register(Trait)
class TraitAdmin(admin.ModelAdmin):
    list_display = ["code", "label_fr", "label_nl", "label_en"]
    search_fields = ["code", "label_fr", "label_nl", "label_en"]


class SectionInline(admin.TabularInline):
    model = Section
    fields = [
        "position",
        "title_fr",
        "title_nl",
        "title_en",
        "competency",
        "item_count",
        "time_limit_seconds",
    ]
    extra = 0


@admin.register(Battery)
class BatteryAdmin(admin.ModelAdmin):
    list_display = ["slug", "title_en", "kind", "pass_percent", "evidence_threshold", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["slug", "title_fr", "title_nl", "title_en"]
    autocomplete_fields = ["skills_verified"]
    inlines = [SectionInline]


@admin.register(BatteryClearance)
class BatteryClearanceAdmin(admin.ModelAdmin):
    """The log of clearances: written from the staff statistics page, never edited here."""

    list_display = ["cleared_at", "battery", "cleared_by", "note"]
    list_filter = ["battery"]
    list_select_related = ["battery", "cleared_by"]
    readonly_fields = ["battery", "cleared_by", "cleared_at", "findings", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TimeAccommodation)
class TimeAccommodationAdmin(admin.ModelAdmin):
    list_display = ["user", "multiplier", "set_by", "updated_at"]
    list_select_related = ["user", "set_by"]
    search_fields = ["user__email", "user__full_name"]
    raw_id_fields = ["user"]
    readonly_fields = ["set_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        super().save_model(request, obj, form, change)


class AttemptItemInline(admin.TabularInline):
    """The items drawn and the answers given: evidence of the attempt, never edited."""

    model = AttemptItem
    fields = ["position", "item", "section", "answer", "score", "answered_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("item", "section__battery", "response__choice")
            .prefetch_related("item__options")
        )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("answer"))
    def answer(self, obj):
        response = getattr(obj, "response", None)
        if response is None:
            return "—"
        if response.choice is not None:
            return response.choice.key
        if response.choices:
            keys = {option.pk: option.key for option in obj.item.options.all()}
            return ", ".join(keys.get(pk, "?") for pk in response.choices)
        return response.value or "—"

    @admin.display(description=_("credit"))
    def score(self, obj):
        response = getattr(obj, "response", None)
        return "—" if response is None else response.score

    @admin.display(description=_("answered at"))
    def answered_at(self, obj):
        response = getattr(obj, "response", None)
        return "—" if response is None else response.answered_at


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "user",
        "battery",
        "mode",
        "language",
        "status",
        "score_percent",
        "passed",
    ]
    list_filter = ["battery", "status", "mode", "language", "passed"]
    list_select_related = ["user", "battery"]
    search_fields = ["user__email", "user__full_name"]
    date_hierarchy = "started_at"
    inlines = [AttemptItemInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
