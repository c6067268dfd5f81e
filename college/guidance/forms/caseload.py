"""The caseload's forms: filters (GET), team notes and the action plan (POST)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.forms.profile import NativeDateInput
from college.guidance.caseload import flag_choices
from college.guidance.stages import Stage


class CaseloadFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=100,
        help_text=_("A part of the name is enough; accents and capitals do not matter."),
    )
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    flag = forms.ChoiceField(label=_("Flag"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("All stages")), *Stage.choices]
        self.fields["flag"].choices = [("", _("All, flagged or not")), *flag_choices()]

    def filters(self):
        """The valid filters ({"q", "stage", "flag"}; each empty when not given or not valid)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("q", "stage", "flag")}


class CounsellorNoteForm(forms.Form):
    body = forms.CharField(
        label=_("New note (seen only by the counselling team)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the note.")},
    )


class ActionItemForm(forms.Form):
    text = forms.CharField(
        label=_("Action (seen by the job-seeker)"),
        max_length=300,
        error_messages={"required": _("Say what is to be done.")},
    )
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=NativeDateInput,
        help_text=_("Optional. For example 2027-01-31."),
    )

    def clean_due_on(self):
        due_on = self.cleaned_data.get("due_on")
        if due_on and due_on < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."), code="past")
        return due_on
