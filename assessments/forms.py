from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Attempt, Item
from assessments.scoring import CHOICE_TYPES, MAX_ANSWER_LENGTH
from assessments.selectors import LIKERT_SCALE, language_names
from assessments.services import MULTIPLIERS


class StartForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How do you want to practise?"),
        choices=Attempt.Mode.choices,
        widget=forms.RadioSelect,
        initial=Attempt.Mode.PRACTICE,
        error_messages={"required": _("Choose practice or exam.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the test"),
        error_messages={"invalid_choice": _("This test cannot be taken in that language.")},
    )

    def __init__(self, *args, battery, user, **kwargs):
        super().__init__(*args, **kwargs)
        names = language_names()
        self.fields["language"].choices = [
            (code, names.get(code, code)) for code in battery.languages
        ]
        if user.preferred_language in battery.languages:
            self.fields["language"].initial = user.preferred_language
        elif battery.languages:
            self.fields["language"].initial = battery.languages[0]


class AnswerForm(forms.Form):
    """The answer to the item on screen; `item` names that item, so that an answer sent from an
    old tab goes to the item it was given for (and, being answered already, keeps its answer)."""

    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)

    def __init__(self, *args, attempt_item, content, **kwargs):
        super().__init__(*args, **kwargs)
        item_type = attempt_item.item.type
        option_choices = [(option["id"], option["label"]) for option in content["options"]]
        self.answer_field = content["respond_with"]
        if item_type in CHOICE_TYPES:
            self.fields["choice"] = forms.TypedChoiceField(
                label=_("Your answer"),
                choices=option_choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer."),
                    "invalid_choice": _("This is not one of the question's options."),
                },
            )
        elif item_type in (Item.Type.MULTIPLE_RESPONSE, Item.Type.MARK):
            self.fields["choices"] = forms.TypedMultipleChoiceField(
                label=_("Your answer"),
                choices=option_choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": (
                        _("Mark at least one part.")
                        if item_type == Item.Type.MARK
                        else _("Choose at least one answer.")
                    ),
                    "invalid_choice": _("This is not one of the question's options."),
                },
            )
        elif item_type == Item.Type.TYPED:
            self.fields["value"] = forms.CharField(
                label=_("Your answer"),
                max_length=MAX_ANSWER_LENGTH,
                error_messages={
                    "required": _("Type an answer."),
                    "max_length": _("Type an answer of at most 50 characters."),
                },
            )
        elif item_type == Item.Type.NUMERIC:
            self.fields["value"] = forms.CharField(
                label=_("Your answer"),
                max_length=50,
                error_messages={
                    "required": _("Type a number."),
                    "max_length": _("Type a number of at most 50 characters."),
                },
            )
        else:
            self.fields["value"] = forms.TypedChoiceField(
                label=_("How much do you agree?"),
                choices=[(value, label) for value, label in LIKERT_SCALE],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose how much you agree."),
                    "invalid_choice": _("Choose how much you agree, from 1 to 5."),
                },
            )
        self.fields["item"].initial = attempt_item.item_id

    def answer(self):
        """The keyword arguments of `response_save` for the cleaned answer."""
        return {self.answer_field: self.cleaned_data[self.answer_field]}

    def checked(self):
        """The values sent, as text, to tick them again when the page comes back with an error."""
        if not self.is_bound:
            return set()
        return set(self.data.getlist(self.answer_field))

    def typed(self):
        return self.data.get("value", "") if self.is_bound else ""


class ExtraTimeForm(forms.Form):
    multiplier = forms.TypedChoiceField(
        label=_("Time for each test"),
        choices=[
            ("1", _("Standard time (×1)")),
            ("1.25", _("A quarter more (×1.25)")),
            ("1.33", _("A third more (×1.33)")),
            ("1.5", _("Half as much again (×1.5)")),
            ("2", _("Double time (×2)")),
        ],
        coerce=Decimal,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the time the job-seeker gets.")},
    )
    note = forms.CharField(
        label=_("Reason (seen by counsellors only)"),
        max_length=200,
        required=False,
        help_text=_("For example: dyslexia, attested by a speech therapist."),
    )

    def clean_multiplier(self):
        value = self.cleaned_data["multiplier"]
        if value not in MULTIPLIERS:
            raise forms.ValidationError(_("Choose one of the times offered."))
        return value


class BatteryClearanceForm(forms.Form):
    """Staff vouch for a flagged battery: it verifies skills again while the findings stay the
    same. The reason is kept in the log."""

    note = forms.CharField(
        label=_("Why this test can verify skills despite its findings"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_note(self):
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Say why the findings do not matter."))
        return note
