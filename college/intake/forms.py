"""The intake forms: the guided motivation with consent, a blind rating, a decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from college.intake.questions import MAX_ANSWER, MIN_ANSWER, QUESTIONS
from college.models import IntakeDecision


class ApplyForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I agree that the college uses my profile and my practice test results for this "
            "selection, and only for it."
        ),
        required=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        questions = {}
        for key, label, hint in QUESTIONS:
            questions[key] = forms.CharField(
                label=label,
                help_text=hint,
                min_length=MIN_ANSWER,
                max_length=MAX_ANSWER,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        # The questions first, consent last.
        self.fields = {**questions, "consent": self.fields["consent"]}

    def motivation(self):
        return {key: self.cleaned_data[key] for key, _label, _hint in QUESTIONS}


class RatingForm(forms.Form):
    ref = forms.CharField(widget=forms.HiddenInput, max_length=20)
    score = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[
            (1, _("1 – barely answers the questions")),
            (2, _("2 – thin")),
            (3, _("3 – sound")),
            (4, _("4 – clear and concrete")),
            (5, _("5 – compelling and concrete")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (optional, seen by staff only)"), required=False, max_length=500
    )


class DecisionForm(forms.Form):
    candidate_ref = forms.CharField(widget=forms.HiddenInput, max_length=20)
    decision = forms.ChoiceField(label=_("Decision"), choices=IntakeDecision.Decision.choices)
    message = forms.CharField(
        label=_("Message to the person"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
