"""Forms of the organisation's vacancy editor and of member invitations.

The forms only check and convert what was typed; `employers.services` saves it.
"""

from decimal import Decimal

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from candidates.forms.profile import NativeDateInput
from college.models import (
    CEFR,
    CertificateLevel,
    Commune,
    Diploma,
    Importance,
    Language,
    Level,
    RequirementStage,
    Role,
    Skill,
    User,
    active_language,
)
from employers.models import Contract
from employers.services import (
    vacancy_check_closes_on,
    vacancy_check_diploma,
    vacancy_check_salary_range,
)

MAX_POSTS = 500
MAX_SALARY = 100_000
MAX_HOURS = Decimal("60")
MIN_AGE_RANGE = (15, 70)
MAX_SKILL_ROWS = 60
MAX_LANGUAGE_ROWS = 10
# Belgian driving licence categories an employer may ask for.
DRIVING_LICENCES = [
    ("AM", _("AM – moped")),
    ("A", _("A – motorcycle")),
    ("B", _("B – car")),
    ("BE", _("BE – car with trailer")),
    ("C1", _("C1 – light lorry")),
    ("C", _("C – lorry")),
    ("D1", _("D1 – minibus")),
    ("D", _("D – bus")),
]


class ReferenceSelect(forms.Select):
    """A select over a long reference list, written out directly.

    Every skill row offers all the skills: Django's template for each option would take
    most of the page's time, for the same HTML.
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        selected = "" if value is None else str(value)
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if str(key) == selected else ""}>'
            f"{escape(label)}</option>"
            for key, label in self.choices
        )
        return mark_safe(f"<select{flatatt(final_attrs)}>{options}</select>")


class ReadyChoices(BaseChoiceIterator):
    """Choices already in their final form, shared by every row without being re-checked."""

    def __init__(self, items):
        self.items = list(items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)


class EditorChoices:
    """The reference lists the editor's selects offer, read once per request for every row."""

    def __init__(self):
        code = active_language()
        communes = sorted(Commune.objects.all(), key=lambda commune: commune.name.casefold())
        skills = list(Skill.objects.order_by(f"label_{code}", "pk"))
        languages = list(Language.objects.order_by("position", "code"))
        self.communes = {str(commune.pk): commune for commune in communes}
        self.skills = {str(skill.pk): skill for skill in skills}
        self.languages = {str(language.pk): language for language in languages}
        self.commune_choices = ReadyChoices(
            [
                ("", _("Choose a commune")),
                *((key, commune.name) for key, commune in self.communes.items()),
            ]
        )
        self.skill_choices = ReadyChoices(
            [
                ("", _("Choose a skill")),
                *((key, skill.label) for key, skill in self.skills.items()),
            ]
        )
        self.language_choices = ReadyChoices(
            [
                ("", _("Choose a language")),
                *((key, capfirst(language.name)) for key, language in self.languages.items()),
            ]
        )


def _diploma_rank(value):
    return Diploma.values.index(value) if value in Diploma.values else 0


class VacancyForm(forms.Form):
    """The vacancy itself: texts, place, contract, hours, pay, posts, dates, legal conditions."""

    # Each text says which language it is written in (WCAG 3.1.2): screen readers read it
    # with that language's voice, browsers spell-check it in that language.
    title_fr = forms.CharField(
        label=_("Title in French"),
        max_length=200,
        widget=forms.TextInput(attrs={"lang": "fr"}),
    )
    title_nl = forms.CharField(
        label=_("Title in Dutch"),
        max_length=200,
        widget=forms.TextInput(attrs={"lang": "nl"}),
    )
    title_en = forms.CharField(
        label=_("Title in English"),
        max_length=200,
        required=False,
        help_text=_("Optional."),
        widget=forms.TextInput(attrs={"lang": "en"}),
    )
    description_fr = forms.CharField(
        label=_("Description in French"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "fr"}),
    )
    description_nl = forms.CharField(
        label=_("Description in Dutch"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "nl"}),
    )
    description_en = forms.CharField(
        label=_("Description in English"),
        max_length=10_000,
        required=False,
        help_text=_("Optional."),
        widget=forms.Textarea(attrs={"rows": 6, "lang": "en"}),
    )
    commune = forms.ChoiceField(
        label=_("Commune"), error_messages={"invalid_choice": _("Choose one of the 19 communes.")}
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        help_text=_("Optional. Where the work starts: a police station, a service's office…"),
        # One line of an address: "street-address" is for a multi-line field.
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    contract = forms.ChoiceField(
        label=_("Contract"), choices=Contract.choices, widget=forms.RadioSelect
    )
    hours_per_week = forms.DecimalField(
        label=_("Hours per week"),
        required=False,
        min_value=Decimal("1"),
        max_value=MAX_HOURS,
        max_digits=4,
        decimal_places=1,
        help_text=_("Optional. For example: 38, or 19 for half-time."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
    )
    shifts = forms.BooleanField(label=_("Work in shifts"), required=False)
    nights = forms.BooleanField(label=_("Night work"), required=False)
    weekends = forms.BooleanField(label=_("Weekend work"), required=False)
    salary_scale = forms.CharField(
        label=_("Salary scale"),
        max_length=60,
        required=False,
        help_text=_("Optional. For example: D1, C1, B1."),
    )
    salary_min = forms.IntegerField(
        label=_("Gross monthly salary from (€)"),
        required=False,
        min_value=0,
        max_value=MAX_SALARY,
        help_text=_("Optional."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    salary_max = forms.IntegerField(
        label=_("Gross monthly salary to (€)"),
        required=False,
        min_value=0,
        max_value=MAX_SALARY,
        help_text=_("Optional. Not less than the amount “from”."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    posts = forms.IntegerField(
        label=_("Number of posts"),
        min_value=1,
        max_value=MAX_POSTS,
        error_messages={"min_value": _("A vacancy offers at least one post.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    closes_on = forms.DateField(
        label=_("Closing date"),
        help_text=_("The last day applications are taken, like 2026-12-31."),
        widget=NativeDateInput,
        error_messages={"invalid": _("Enter a date, like 2026-12-31.")},
    )
    min_age = forms.IntegerField(
        label=_("Minimum age"),
        required=False,
        min_value=MIN_AGE_RANGE[0],
        max_value=MIN_AGE_RANGE[1],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"), choices=Role.Nationality.choices, widget=forms.RadioSelect
    )
    clean_record_required = forms.BooleanField(
        label=_("A clean criminal record is required"), required=False
    )
    driving_licence = forms.ChoiceField(label=_("Driving licence"), required=False)
    # Offered only where the law requires a diploma for the role; anywhere else it stays
    # hidden and a tampered "yes" is refused, as the service refuses it.
    diploma_required = forms.BooleanField(
        label=_("A diploma is required, as the law allows for this role"), required=False
    )
    required_diploma = forms.ChoiceField(label=_("Required diploma"), required=False)

    def __init__(self, data=None, *, role, choices, stored_closes_on=None, **kwargs):
        super().__init__(data, **kwargs)
        self.role = role
        self.choices = choices
        self.stored_closes_on = stored_closes_on
        self.fields["commune"].choices = choices.commune_choices
        licences = [("", _("None required")), *DRIVING_LICENCES]
        current = self.initial.get("driving_licence") or ""
        if current and current not in dict(licences):
            licences.append((current, current))
        self.fields["driving_licence"].choices = licences
        if role.diploma_required_by_law:
            self.fields["required_diploma"].choices = [
                ("", _("Choose a diploma")),
                *((value, label) for value, label in Diploma.choices if value != Diploma.NONE),
            ]
            self.fields["required_diploma"].help_text = _(
                "The law sets: %(diploma)s. No higher diploma may be asked."
            ) % {"diploma": role.get_required_diploma_display()}
            if self.initial.get("required_diploma") in (None, "", Diploma.NONE):
                self.initial["required_diploma"] = role.required_diploma
        else:
            del self.fields["required_diploma"]
        self.fields["min_age"].help_text = self._role_condition(role.min_age)
        self.fields["closes_on"].widget.attrs["min"] = timezone.localdate().isoformat()

    @staticmethod
    def _role_condition(value):
        if value:
            return _("The role's legal condition: %(value)s.") % {"value": value}
        return _("Optional. The role sets none.")

    @property
    def is_diploma_allowed(self):
        return self.role.diploma_required_by_law

    def clean_commune(self):
        return self.choices.communes[self.cleaned_data["commune"]]

    def clean_closes_on(self):
        value = self.cleaned_data["closes_on"]
        vacancy_check_closes_on(
            closes_on=value,
            stored_closes_on=self.stored_closes_on,
            too_far_message=_("The closing date can be at most two years ahead."),
        )
        return value

    def clean(self):
        cleaned = super().clean()
        try:
            vacancy_check_salary_range(
                salary_min=cleaned.get("salary_min"),
                salary_max=cleaned.get("salary_max"),
                # The page's fields say "from" and "to".
                message=_("The amount “to” cannot be less than the amount “from”."),
            )
        except ValidationError as error:
            self.add_error(None, error)
        if cleaned.get("diploma_required"):
            try:
                vacancy_check_diploma(role=self.role, diploma_required=True)
            except ValidationError as error:
                self.add_error(None, error)
                return cleaned
            diploma = cleaned.get("required_diploma")
            if not diploma:
                self.add_error(
                    "required_diploma",
                    ValidationError(
                        _("Choose the diploma required, or untick “a diploma is required”."),
                        code="diploma_missing",
                    ),
                )
            elif _diploma_rank(diploma) > _diploma_rank(self.role.required_diploma):
                self.add_error(
                    "required_diploma",
                    ValidationError(
                        _("The law asks for %(diploma)s at most for this role.")
                        % {"diploma": self.role.get_required_diploma_display()},
                        code="diploma_too_high",
                    ),
                )
        return cleaned

    def service_data(self):
        """What `vacancy_create` and `vacancy_update` take as `data`."""
        data = dict(self.cleaned_data)
        if not data["diploma_required"] or "required_diploma" not in data:
            data["required_diploma"] = Diploma.NONE
        return data


class RequirementFormSet(forms.BaseFormSet):
    """Rows of requirements; a value may appear once; empty extra rows are left out."""

    unique_field = ""
    duplicate_message = ""
    delete_label = _("Remove")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = self.delete_label

    def clean(self):
        seen = set()
        for form in self.forms:
            if self._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                continue
            value = form.cleaned_data.get(self.unique_field)
            if value is None:
                continue
            if value.pk in seen:
                form.add_error(
                    self.unique_field, ValidationError(self.duplicate_message, code="duplicate")
                )
            seen.add(value.pk)

    def items(self):
        """The rows kept, as `vacancy_create` and `vacancy_update` take them."""
        return [
            {key: value for key, value in form.cleaned_data.items() if key != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


class SkillRequirementForm(forms.Form):
    skill = forms.ChoiceField(
        label=_("Skill"),
        widget=ReferenceSelect,
        error_messages={"invalid_choice": _("This skill is not in the list: choose another.")},
    )
    importance = forms.ChoiceField(
        label=_("Importance"), choices=Importance.choices, initial=Importance.IMPORTANT
    )
    min_level = forms.TypedChoiceField(
        label=_("Minimum level"),
        choices=Level.choices,
        coerce=int,
        initial=Level.INDEPENDENT,
        error_messages={"invalid_choice": _("Choose a level from 1 to 4.")},
    )
    stage = forms.ChoiceField(
        label=_("When"),
        choices=RequirementStage.choices,
        initial=RequirementStage.ENTRY,
        help_text=_(
            "A skill your own school or training teaches after hiring never counts "
            "against applicants."
        ),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.fields["skill"].choices = choices.skill_choices

    @property
    def chosen_skill(self):
        """The skill the row holds now, if it is a known one."""
        value = self["skill"].value()
        return self.choices.skills.get("" if value is None else str(value))

    def clean_skill(self):
        return self.choices.skills[self.cleaned_data["skill"]]


class VacancySkillAddForm(forms.Form):
    """Adds one skill found by the search to a vacancy (or changes it when already required)."""

    skill = forms.ModelChoiceField(
        label=_("Skill"),
        queryset=Skill.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a skill from the search results."),
            "invalid_choice": _("This skill is not in the skills framework: search again."),
        },
    )
    importance = forms.ChoiceField(
        label=_("Importance"),
        choices=Importance.choices,
        initial=Importance.IMPORTANT,
        error_messages={"invalid_choice": _("Choose one of the importances listed.")},
    )
    min_level = forms.TypedChoiceField(
        label=_("Minimum level"),
        choices=Level.choices,
        coerce=int,
        initial=Level.INDEPENDENT,
        error_messages={"invalid_choice": _("Choose a level from 1 to 4.")},
    )
    q = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


class SkillRequirementFormSet(RequirementFormSet):
    unique_field = "skill"
    duplicate_message = _("This skill is already required above: keep it once.")
    delete_label = _("Remove this skill")


class LanguageRequirementForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        error_messages={"invalid_choice": _("This language is not in the list.")},
    )
    min_cefr = forms.ChoiceField(
        label=_("Minimum level (CEFR)"), choices=CEFR.choices, initial="B1"
    )
    certificate = forms.ChoiceField(
        label=_("Or a Brussels language certificate"),
        required=False,
        choices=[("", _("No certificate asked")), *CertificateLevel.choices],
    )
    is_alternative = forms.BooleanField(
        label=_("Either this language or another one marked so"), required=False
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices
        self.fields["language"].choices = choices.language_choices

    def clean_language(self):
        return self.choices.languages[self.cleaned_data["language"]]


class LanguageRequirementFormSet(RequirementFormSet):
    unique_field = "language"
    duplicate_message = _("This language is already required above: keep it once.")
    delete_label = _("Remove this language")


SkillFormSet = forms.formset_factory(
    SkillRequirementForm,
    formset=SkillRequirementFormSet,
    extra=3,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_SKILL_ROWS,
    validate_max=True,
    absolute_max=MAX_SKILL_ROWS + 10,
)
LanguageFormSet = forms.formset_factory(
    LanguageRequirementForm,
    formset=LanguageRequirementFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_LANGUAGE_ROWS,
    validate_max=True,
    absolute_max=MAX_LANGUAGE_ROWS + 5,
)


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Your colleague's e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. A short sentence you will remember works well."),
    )
    accepts_terms = forms.BooleanField(
        label=_(
            "I will use what candidates share with my organisation only for recruiting, "
            "and keep it confidential."
        ),
        error_messages={"required": _("Please confirm to create your account.")},
    )

    def __init__(self, data=None, *, email, **kwargs):
        super().__init__(data, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            user = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned
