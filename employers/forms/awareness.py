"""The form a public service books awareness seats for its staff with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from college.models import Module
from employers.models import StaffAwarenessBooking

MAX_SEATS = 500


class AwarenessBookingForm(forms.Form):
    module = forms.ModelChoiceField(
        queryset=Module.objects.none(),  # the view gives the modules open to employers
        label=_("Awareness module"),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the modules listed.")},
    )
    seats = forms.IntegerField(
        label=_("Number of seats"),
        min_value=1,
        max_value=MAX_SEATS,
        help_text=_("How many of your staff will attend. Nobody is named: you give them the code."),
    )
    language = forms.ChoiceField(
        label=_("Language of the session"),
        choices=StaffAwarenessBooking.SessionLanguage.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, modules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = modules
        self.fields["module"].label_from_instance = lambda module: module.title
