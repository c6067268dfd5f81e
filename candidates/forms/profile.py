import re

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from candidates import consent as consent_texts
from candidates.models import (
    TRAVEL_CHOICES,
    CandidateProfile,
    DrivingLicence,
    Education,
    Experience,
    LanguageCertificate,
    Nationality,
)
from candidates.validators import validate_birth_year
from college.core.check_codes import certificate_code_normalise
from college.models import (
    CEFR,
    Commune,
    Language,
    Level,
    RoleRequirement,
    Skill,
    User,
    active_language,
)


class SignUpForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. A short sentence you will remember works well."),
    )
    accepts_privacy_notice = forms.BooleanField(
        error_messages={"required": _("Please confirm that you have read the privacy notice.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The label links to the notice it names, so that there is something to have read.
        self.fields["accepts_privacy_notice"].label = format_html(
            '{} <a href="{}">{}</a>',
            consent_texts.sign_up_acknowledgement_text(),
            reverse("privacy_notice"),
            _("Read the privacy notice"),
        )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account already uses this address. Log in, or reset your password."),
                code="duplicate_email",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class EraseAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To be sure it is you."),
    )
    understands = forms.BooleanField(
        label=_(
            "I understand that my profile, skills, languages and account are erased for good "
            "and cannot be recovered."
        ),
        error_messages={"required": _("Please confirm that you understand.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password


class ShortlistConsentForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("May employers see your profile, without your name, in their shortlists?"),
        choices=[
            ("yes", _("Yes, I agree to the text above")),
            ("no", _("No, employers see my profile only when I apply")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )


class PassportVerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Check code"),
        max_length=40,
        help_text=_("12 letters and digits, printed on the skills passport, e.g. 7KQ2-M9XD-4TRB."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Type the code printed on the skills passport.")},
    )

    def clean_code(self):
        code = certificate_code_normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(
                _(
                    "This is not a skills passport code: it has 12 letters and digits, "
                    "like 7KQ2-M9XD-4TRB."
                ),
                code="malformed",
            )
        return code


class SkillValidationForm(forms.Form):
    """Validate a skill at a level the counsellor chooses (what they observed may differ from what
    the person declared), with a note."""

    level = forms.TypedChoiceField(
        label=_("Level you confirm"),
        coerce=int,
        choices=Level.choices,
        widget=forms.RadioSelect,
        help_text=_("Higher or lower than theirs if that is what you saw."),
        error_messages={
            "required": _("Choose a level from 1 to 4."),
            "invalid_choice": _("Choose a level from 1 to 4."),
        },
    )
    note = forms.CharField(
        label=_("How do you know? (seen by the job-seeker)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Say how you know: what you observed or which document you saw.")
        },
    )


# Profile builder: about me, languages, experience, diplomas, conditions.

PHONE_CHARACTERS = re.compile(r"^[0-9 +/.\-]+$")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 6, 20
EARLIEST_DIPLOMA_YEAR = 1940
BELGIUM_NAMES = {"belgium", "belgique", "belgië", "belgie", "belgien", "be"}
MAX_YEARS_AHEAD = 2


def _future_error():
    return forms.ValidationError(_("This date cannot be in the future."), code="future")


def _years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none.
        return day.replace(year=day.year + years, day=28)


class NativeDateInput(forms.DateInput):
    """A native date picker; where browsers lack one, a text box that takes 2024-03-31."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    """A native month picker; where browsers lack one, a text box that takes 2023-09."""

    input_type = "month"

    def __init__(self, attrs=None):
        attrs = {"placeholder": "2023-09", "inputmode": "numeric", **(attrs or {})}
        super().__init__(attrs=attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month and year, stored as the first day of that month."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%m/%Y", "%m-%Y", "%m.%Y", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Enter a month and a year, like 2023-09.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", self.input_formats)
        super().__init__(**kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        if day is None:
            return None
        if day.year < 1900:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day.replace(day=1)


class ProfileAboutForm(forms.Form):
    """Step 1: who the job-seeker is, where they live and how to reach them."""

    full_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    commune = forms.ChoiceField(
        label=_("Your commune"),
        required=False,
        help_text=_("Optional. It helps to find jobs close to you."),
    )
    lives_outside_brussels = forms.BooleanField(label=_("I live outside Brussels"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("Optional. For example: +32 470 12 34 56."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    birth_year = forms.IntegerField(
        label=_("Birth year"),
        required=False,
        help_text=_("Optional. Used only to check legal age conditions."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        required=False,
        choices=[("", _("I prefer not to say")), *Nationality.choices],
        widget=forms.RadioSelect,
        help_text=_(
            "Optional. Only to check the legal conditions of some public jobs, such as the "
            "police; never shown to employers."
        ),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language of my account"),
        widget=forms.RadioSelect,
        help_text=_("Passerelle shows its pages and writes to you in this language."),
    )
    gender = forms.ChoiceField(
        label=_("Gender"),
        required=False,
        choices=CandidateProfile.Gender.choices,
        widget=forms.RadioSelect,
        help_text=_("Optional."),
    )
    headline = forms.CharField(
        label=_("You in one sentence"),
        max_length=200,
        required=False,
        help_text=_("Optional. For example: “Youth worker for five years, calm under pressure.”"),
    )

    def __init__(self, data=None, *, profile, user, **kwargs):
        initial = {
            "full_name": user.full_name,
            "commune": str(profile.commune_id or ""),
            "lives_outside_brussels": profile.lives_outside_brussels,
            "phone": profile.phone,
            "birth_year": profile.birth_year,
            "nationality": profile.nationality,
            "preferred_language": user.preferred_language,
            "gender": profile.gender,
            "headline": profile.headline,
        }
        super().__init__(data, initial=initial, **kwargs)
        self._communes = {str(commune.pk): commune for commune in Commune.objects.all()}
        communes = sorted(self._communes.values(), key=lambda commune: commune.name.casefold())
        self.fields["commune"].choices = [
            ("", _("Choose your commune")),
            *((str(commune.pk), commune.name) for commune in communes),
        ]
        self.fields["preferred_language"].choices = [
            (code, capfirst(get_language_info(code)["name_local"]))
            for code, _name in settings.LANGUAGES
        ]
        this_year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update({"min": 1900, "max": this_year})

    def clean_commune(self):
        value = self.cleaned_data["commune"]
        return self._communes[value] if value else None

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if not phone:
            return ""
        digits = sum(char.isdigit() for char in phone)
        if not PHONE_CHARACTERS.match(phone) or not (
            MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS
        ):
            raise forms.ValidationError(
                _("Enter a phone number with digits only, like +32 470 12 34 56."),
                code="invalid_phone",
            )
        return phone

    def clean_birth_year(self):
        value = self.cleaned_data["birth_year"]
        validate_birth_year(value)
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("commune") and cleaned.get("lives_outside_brussels"):
            self.add_error(
                "commune",
                forms.ValidationError(
                    _("Choose a commune or tick “I live outside Brussels”, not both."),
                    code="commune_and_outside",
                ),
            )
        return cleaned

    def service_data(self):
        """What `candidate_profile_update` takes."""
        cleaned = self.cleaned_data
        return {
            "full_name": cleaned["full_name"],
            "commune": cleaned["commune"],
            "lives_outside_brussels": cleaned["lives_outside_brussels"],
            "phone": cleaned["phone"],
            "birth_year": cleaned["birth_year"],
            "nationality": cleaned["nationality"],
            "preferred_language": cleaned["preferred_language"],
            "gender": cleaned["gender"],
            "headline": cleaned["headline"],
        }


class LanguageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return capfirst(obj.name)


class CandidateLanguageForm(forms.Form):
    """Step 2: adds a language, or changes the level of one already given."""

    language = LanguageChoiceField(
        label=_("Language"),
        queryset=Language.objects.order_by("position", "code"),
        empty_label=_("Choose a language"),
    )
    cefr = forms.ChoiceField(
        label=_("How well you speak, read and write it"),
        choices=CEFR.choices,
        widget=forms.RadioSelect,
    )


class LanguageCertificateForm(forms.Form):
    """Step 2: a Brussels second-language certificate (Selor, now BOSA)."""

    language = LanguageChoiceField(
        label=_("Language tested"),
        queryset=Language.objects.filter(code__in=["fr", "nl"]).order_by("position"),
        widget=forms.RadioSelect,
    )
    level = forms.ChoiceField(
        label=_("Certificate"),
        choices=[("", _("Choose the article")), *LanguageCertificate.Level.choices],
    )
    obtained_on = forms.DateField(
        label=_("Obtained on"),
        required=False,
        help_text=_("Optional. The date on the certificate."),
        widget=NativeDateInput,
    )

    def clean_obtained_on(self):
        value = self.cleaned_data["obtained_on"]
        if value and value > timezone.localdate():
            raise _future_error()
        return value


class SkillChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class ExperienceForm(forms.ModelForm):
    """Step 3: one experience, paid or not, and the skills it shows."""

    kind = forms.ChoiceField(
        label=_("What kind of experience"),
        choices=Experience.Kind.choices,
        widget=forms.RadioSelect,
    )
    started_on = MonthField(
        label=_("From"), help_text=_("Month and year, like 2023-09."), required=True
    )
    ended_on = MonthField(
        label=_("Until"),
        required=False,
        help_text=_("Month and year. Leave empty if you still do it."),
    )
    skills = SkillChoiceField(
        label=_("The skills it shows"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the skills you used. Skills you do not have yet are added at level 1."),
    )

    class Meta:
        model = Experience
        fields = ["kind", "title", "organisation", "description", "started_on", "ended_on"]
        labels = {
            "title": _("What you did"),
            "organisation": _("Where, or with whom"),
            "description": _("In a few words"),
        }
        help_texts = {
            "title": _("For example: youth football coach, steward at festivals, shop assistant."),
            "organisation": _("Optional. A company, a club, an association, a family…"),
            "description": _("Optional. What you did, what went well."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, data=None, *, profile, **kwargs):
        super().__init__(data, **kwargs)
        self.held_skill_ids = set(profile.skills.values_list("skill_id", flat=True))
        role_skill_ids = set(
            RoleRequirement.objects.filter(role__in=profile.target_roles.values("pk")).values_list(
                "skill_id", flat=True
            )
        )
        linked_ids = set()
        if self.instance.pk:
            linked_ids = set(self.instance.skills.values_list("pk", flat=True))
            self.initial.setdefault("skills", sorted(linked_ids))
        self.role_skill_ids = role_skill_ids - self.held_skill_ids
        field = self.fields["skills"]
        field.queryset = Skill.objects.filter(
            pk__in=self.held_skill_ids | role_skill_ids | linked_ids
        ).order_by(f"label_{active_language()}", "pk")

    def skill_groups(self):
        """The skill checkboxes split into those already in the profile and the roles' others."""
        own, from_roles, others = [], [], []
        for option in self["skills"]:
            value = int(str(option.data["value"]))
            if value in self.held_skill_ids:
                own.append(option)
            elif value in self.role_skill_ids:
                from_roles.append(option)
            else:  # Linked earlier, since removed from the profile and the target roles.
                others.append(option)
        legends = [
            (_("Skills in your profile"), own),
            (_("Skills your target roles ask for"), from_roles),
            (_("Other skills linked to this experience"), others),
        ]
        return [{"legend": legend, "options": options} for legend, options in legends if options]

    def clean_started_on(self):
        value = self.cleaned_data["started_on"]
        if value and value > timezone.localdate():
            raise _future_error()
        return value

    def clean_ended_on(self):
        value = self.cleaned_data["ended_on"]
        if value and value > timezone.localdate():
            raise _future_error()
        return value

    def clean(self):
        cleaned = super().clean()
        started_on, ended_on = cleaned.get("started_on"), cleaned.get("ended_on")
        if started_on and ended_on and ended_on < started_on:
            self.add_error(
                "ended_on",
                forms.ValidationError(
                    _("The end cannot come before the start."), code="ends_before_start"
                ),
            )
        return cleaned


class EducationForm(forms.ModelForm):
    """Step 4: one diploma or certificate, Belgian or foreign, recognised or not."""

    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("Choose a level")), *Education.Level.choices]
    )
    recognition = forms.ChoiceField(
        label=_("Recognition in Belgium"),
        choices=Education.Recognition.choices,
        initial=Education.Recognition.BELGIAN,
        widget=forms.RadioSelect,
        help_text=_("Studies abroad count, even when the diploma is not recognised."),
    )
    year = forms.IntegerField(
        label=_("Year obtained"),
        required=False,
        help_text=_("Optional."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = Education
        fields = ["level", "title", "institution", "country", "recognition", "year"]
        labels = {
            "title": _("Diploma or field of study"),
            "institution": _("School or institution"),
            "country": _("Country"),
        }
        help_texts = {
            "title": _("Optional. For example: social sciences, electricity, nursing."),
            "institution": _("Optional."),
            "country": _("Where you studied, if it was not in Belgium."),
        }

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].widget.attrs.update({"min": EARLIEST_DIPLOMA_YEAR, "max": this_year})

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is None:
            return None
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("This year is still to come."), code="future")
        if year < EARLIEST_DIPLOMA_YEAR:
            raise forms.ValidationError(
                _("Enter a year from %(year)s on.") % {"year": EARLIEST_DIPLOMA_YEAR},
                code="too_early",
            )
        return year

    def clean(self):
        cleaned = super().clean()
        recognition = cleaned.get("recognition")
        country = cleaned.get("country", "").strip()
        if recognition == Education.Recognition.BELGIAN:
            if country and country.casefold() not in BELGIUM_NAMES:
                self.add_error(
                    "country",
                    forms.ValidationError(
                        _(
                            "For a Belgian diploma, leave the country empty or write Belgium. "
                            "If you studied abroad, choose a foreign recognition."
                        ),
                        code="belgian_abroad",
                    ),
                )
        elif recognition and not country:
            self.add_error(
                "country",
                forms.ValidationError(
                    _("Say in which country you studied."), code="country_required"
                ),
            )
        return cleaned


class NoDiplomaForm(forms.Form):
    has_no_diploma = forms.BooleanField(
        label=_("I have no diploma or certificate to add"), required=False
    )

    def __init__(self, data=None, *, has_diplomas, **kwargs):
        super().__init__(data, **kwargs)
        self.has_diplomas = has_diplomas

    def clean_has_no_diploma(self):
        value = self.cleaned_data["has_no_diploma"]
        if value and self.has_diplomas:
            raise forms.ValidationError(
                _("You have added diplomas: remove them first."), code="has_diplomas"
            )
        return value


class ConditionsForm(forms.Form):
    """Step 5: what the job-seeker can accept, read by matching for availability."""

    driving_licences = forms.MultipleChoiceField(
        label=_("Driving licences"),
        choices=DrivingLicence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the licences you hold, if any."),
    )
    full_time = forms.BooleanField(label=_("Full time"), required=False)
    part_time = forms.BooleanField(label=_("Part time"), required=False)
    shifts = forms.BooleanField(label=_("Shifts (early, late)"), required=False)
    nights = forms.BooleanField(label=_("Nights"), required=False)
    weekends = forms.BooleanField(label=_("Weekends"), required=False)
    max_travel_minutes = forms.TypedChoiceField(
        label=_("How far you will travel to work, one way"),
        choices=[("", _("I do not know yet")), *TRAVEL_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    available_from = forms.DateField(
        label=_("You can start on"),
        required=False,
        help_text=_("Optional. Leave empty, or give today's date, if you can start now."),
        widget=NativeDateInput,
    )

    AVAILABILITY_FIELDS = ("full_time", "part_time", "shifts", "nights", "weekends")

    def __init__(self, data=None, *, profile, **kwargs):
        initial = {
            "driving_licences": list(profile.driving_licences or []),
            "max_travel_minutes": profile.max_travel_minutes,
            "available_from": profile.available_from,
            **{name: getattr(profile, name) for name in self.AVAILABILITY_FIELDS},
        }
        super().__init__(data, initial=initial, **kwargs)

    def availability_fields(self):
        return [self[name] for name in self.AVAILABILITY_FIELDS]

    def clean_driving_licences(self):
        return sorted(set(self.cleaned_data["driving_licences"]))

    def clean_available_from(self):
        value = self.cleaned_data["available_from"]
        if value and value > _years_later(timezone.localdate(), MAX_YEARS_AHEAD):
            raise forms.ValidationError(
                _("Choose a date within the next two years."), code="too_far"
            )
        return value

    def service_data(self):
        cleaned = self.cleaned_data
        return {
            "driving_licences": cleaned["driving_licences"],
            "max_travel_minutes": cleaned["max_travel_minutes"],
            "available_from": cleaned["available_from"],
            **{name: cleaned[name] for name in self.AVAILABILITY_FIELDS},
        }
