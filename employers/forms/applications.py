"""Forms of the applications pages: applying, withdrawing, and moving an applicant on."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidates import consent as consent_texts
from employers.models import Application
from employers.services import FINAL_STAGES, STAGE_ORDER, appointment_errors

MOTIVATION_MIN = 20
MOTIVATION_MAX = 2000


class ApplyForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why this post interests you"),
        min_length=MOTIVATION_MIN,
        max_length=MOTIVATION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Write a few sentences on why this post interests you."),
            "min_length": _(
                "Write at least %(limit_value)d characters (you wrote %(show_value)d)."
            ),
            "max_length": _(
                "Keep it to %(limit_value)d characters at most (you wrote %(show_value)d)."
            ),
        },
    )
    consent = forms.BooleanField(
        error_messages={
            "required": _(
                "Tick this box to share your profile with the employer: without it, "
                "they cannot read your application."
            )
        },
    )

    shares_test_results = forms.BooleanField(
        label=_("Share my practice-test results with this employer"),
        required=False,
        help_text=_(
            "Optional. The employer then sees the results of the practice tests you took on "
            "Passerelle, with this application only."
        ),
    )

    def __init__(self, *args, employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motivation"].help_text = gettext(
            "A few sentences in your own words, between %(min)s and %(max)s characters. "
            "Your skills and experience are already in your profile."
        ) % {"min": MOTIVATION_MIN, "max": MOTIVATION_MAX}
        # The exact words stored with the consent, so the person agrees to what is recorded.
        self.fields["consent"].label = consent_texts.application_text(employer.name)


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I withdraw this application. The employer stops seeing my profile."),
        error_messages={"required": _("Tick the box to confirm that you withdraw.")},
    )


class StageForm(forms.Form):
    """The next stage of an undecided application: a later stage, or "not retained"."""

    stage = forms.ChoiceField(
        label=_("Next stage"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the next stage."),
            "invalid_choice": _("Choose one of the stages listed."),
        },
    )
    reason = forms.ChoiceField(
        label=_("Reason (when not retained; the candidate sees it)"),
        required=False,
        choices=[("", _("Choose a reason"))]
        + [
            (value, label)
            for value, label in Application.Reason.choices
            if value != Application.Reason.WITHDRAWN
        ],
        error_messages={"invalid_choice": _("Choose one of the reasons listed.")},
    )
    note = forms.CharField(
        label=_("Message to the candidate (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent in the e-mail and shown on their applications page."),
    )
    appointment_date = forms.DateField(
        label=_("Date (tests or interview)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required for “Invited to tests” and “Interview”. Format: 2027-03-14."),
        error_messages={"invalid": _("Enter a valid date, such as 2027-03-14.")},
    )
    appointment_time = forms.TimeField(
        label=_("Time (Brussels time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Format: 09:30."),
        error_messages={"invalid": _("Enter a valid time, such as 09:30.")},
    )
    appointment_place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=200,
        help_text=_("The address, and the building or room."),
    )
    appointment_instructions = forms.CharField(
        label=_("Instructions"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What to bring and how to get in, for example an identity card."),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stage_choices(application)

    def clean(self):
        cleaned = super().clean()
        stage = cleaned.get("stage")
        if stage == Application.Stage.NOT_RETAINED:
            if not cleaned.get("reason"):
                self.add_error("reason", _("Choose the reason the candidate will see."))
        else:
            cleaned["reason"] = ""  # a reason only goes with "not retained"
        cleaned["appointment_at"] = None
        if stage:
            day, time = cleaned.get("appointment_date"), cleaned.get("appointment_time")
            if day and time:
                cleaned["appointment_at"] = timezone.make_aware(
                    datetime.datetime.combine(day, time)
                )
            errors = appointment_errors(
                stage=stage,
                appointment_at=cleaned["appointment_at"],
                place=cleaned.get("appointment_place"),
            )
            if "appointment_at" in errors:
                if day is None and "appointment_date" not in self.errors:
                    self.add_error("appointment_date", _("Give the date of the appointment."))
                if time is None and "appointment_time" not in self.errors:
                    self.add_error("appointment_time", _("Give the time of the appointment."))
                if day and time:
                    self.add_error("appointment_date", errors["appointment_at"])
            if "appointment_place" in errors:
                self.add_error("appointment_place", errors["appointment_place"])
        return cleaned


def stage_choices(application):
    """Where an application may go next: the later stages, then "not retained"."""
    if application.stage in FINAL_STAGES:
        return []
    current = STAGE_ORDER.index(application.stage)
    choices = [(stage.value, stage.label) for stage in STAGE_ORDER[current + 1 :]]
    choices.append((Application.Stage.NOT_RETAINED.value, Application.Stage.NOT_RETAINED.label))
    return choices


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by the members of your organisation only, never by the candidate."),
        error_messages={
            "required": _("Write the note first."),
            "max_length": _(
                "Keep it to %(limit_value)d characters at most (you wrote %(show_value)d)."
            ),
        },
    )
