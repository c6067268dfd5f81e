"""Forms of the DigComp self-assessment (one per area) and of external certifications."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from candidates.forms.profile import NativeDateInput
from candidates.forms.skills import GroupRadioSelect
from college.reference.digital import NOT_DONE, certification_choices

# DigComp 2.2's levels 1–6 in plain words (digcomp.md: complexity, autonomy, cognitive domain).
LEVEL_CHOICES = [
    (1, _("I can do it with help")),
    (2, _("I can do simple things on my own, and ask for help when I need it")),
    (3, _("I do the usual things on my own")),
    (4, _("I solve new problems on my own, as I need")),
    (5, _("I can guide others and solve different problems")),
    (6, _("I can choose the best way and help others in complex situations")),
    (NOT_DONE, _("I have not done this")),
]


class DigitalAreaForm(forms.Form):
    """One DigComp area: a level (or "not done") for each of its competences."""

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        for item in area.competences:
            self.fields[item.field_name] = forms.TypedChoiceField(
                label=item.title,
                help_text=item.description,
                choices=LEVEL_CHOICES,
                coerce=int,
                widget=GroupRadioSelect,
                error_messages={
                    "required": _("Choose the sentence that fits you best."),
                    "invalid_choice": _("Choose one of the sentences."),
                },
            )

    def answers(self):
        """The cleaned answers, by competence number."""
        return {item.code: self.cleaned_data[item.field_name] for item in self.area.competences}


class ExternalCertificationForm(forms.Form):
    certification = forms.ChoiceField(label=_("Certification"), choices=())
    obtained_on = forms.DateField(
        label=_("Obtained on"),
        help_text=_("The date on the certificate."),
        widget=NativeDateInput,
    )
    credential_id = forms.CharField(
        label=_("Credential identifier"),
        max_length=100,
        help_text=_("The number or code on the certificate, as the issuer wrote it."),
    )
    verification_url = forms.URLField(
        label=_("Verification address (optional)"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("The issuer's page where your certification can be checked, if there is one."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certification"].choices = [
            ("", _("Choose the certification")),
            *certification_choices(),
        ]

    def clean_obtained_on(self):
        value = self.cleaned_data["obtained_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return value


class CertificationCheckForm(forms.Form):
    """A counsellor's or staff member's check of a recorded certification."""

    VERIFY, REJECT = "verify", "reject"

    decision = forms.ChoiceField(
        label=_("Your check"),
        choices=[
            (VERIFY, _("Verified: I saw the certificate or the issuer's record")),
            (REJECT, _("Not verified")),
        ],
        widget=GroupRadioSelect,
        error_messages={"required": _("Choose verified or not verified.")},
    )
    note = forms.CharField(
        label=_("Note (seen by the job-seeker; required when not verified)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REJECT and not data.get("note", "").strip():
            self.add_error("note", _("Say why: what you checked and what did not match."))
        return data
