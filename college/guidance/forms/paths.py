"""Forms of the training path pages: the counsellor's edits (plain forms, no JavaScript)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import Battery
from college.models import Module, PathStep


class ModuleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(title)s (%(hours)s h)") % {"title": obj.title, "hours": obj.hours}


class BatteryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.title


class StepAddModuleForm(forms.Form):
    module = ModuleChoiceField(
        label=_("Module"), queryset=Module.objects.active().order_by("position", "slug")
    )
    with_prerequisites = forms.BooleanField(
        label=_("Also add the missing prerequisites"), required=False
    )
    note = forms.CharField(
        label=_("Note for the job-seeker"),
        max_length=PathStep._meta.get_field("note").max_length,
        required=False,
        help_text=_("Why this step (seen by the job-seeker)."),
    )


class StepAddTestForm(forms.Form):
    battery = BatteryChoiceField(
        label=_("Practice test"),
        queryset=Battery.objects.filter(is_active=True).order_by("position", "slug"),
    )
    note = forms.CharField(
        label=_("Note for the job-seeker"),
        max_length=PathStep._meta.get_field("note").max_length,
        required=False,
        help_text=_("Why this step (seen by the job-seeker)."),
    )


class StepNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=PathStep._meta.get_field("note").max_length,
        required=False,
    )


class ExplanationForm(forms.Form):
    explanation = forms.CharField(
        label=_("Explanation for the job-seeker"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
        help_text=_("Why these steps, in this order. The job-seeker sees it."),
    )
