"""Forms of the applications pages: applying, withdrawing, and moving an applicant on."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from candidates import consent as consent_texts

from .models import Application
from .services import FINAL_STAGES, STAGE_ORDER

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
        label=_("Note to the candidate (optional, when not retained)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent in the e-mail and shown on their applications page."),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stage_choices(application)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("stage") == Application.Stage.NOT_RETAINED:
            if not cleaned.get("reason"):
                self.add_error("reason", _("Choose the reason the candidate will see."))
        else:
            # A reason or a note only go with "not retained": drop them rather than send them.
            cleaned["reason"], cleaned["note"] = "", ""
        return cleaned


def stage_choices(application):
    """Where an application may go next: the later stages, then "not retained"."""
    if application.stage in FINAL_STAGES:
        return []
    current = STAGE_ORDER.index(application.stage)
    choices = [(stage.value, stage.label) for stage in STAGE_ORDER[current + 1 :]]
    choices.append((Application.Stage.NOT_RETAINED.value, Application.Stage.NOT_RETAINED.label))
    return choices
