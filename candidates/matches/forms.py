"""The job-seeker's choice of e-mail alerts for new vacancies that fit them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from college.reference.fit import fit_words

ALERT_THRESHOLDS = (60, 70, 80, 90)
OFF = "off"


def _threshold(value):
    return None if value == OFF else int(value)


class MatchAlertForm(forms.Form):
    threshold = forms.TypedChoiceField(
        label=_("E-mail me when a new vacancy fits me at least this well"),
        help_text=_(
            "The fit is the score shown beside each vacancy, out of 100. At most one e-mail "
            "per vacancy."
        ),
        coerce=_threshold,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose off or a score."),
            "invalid_choice": _("Choose one of the options: off, 60, 70, 80 or 90."),
        },
    )

    def __init__(self, *args, profile, **kwargs):
        current = profile.match_alert_threshold
        kwargs.setdefault("initial", {"threshold": OFF if current is None else str(current)})
        super().__init__(*args, **kwargs)
        # A threshold set elsewhere (the admin) stays on offer, so that saving keeps it.
        values = sorted(set(ALERT_THRESHOLDS) | ({current} if current is not None else set()))
        self.fields["threshold"].choices = [(OFF, _("Off: no e-mail alerts"))] + [
            (
                str(value),
                _("%(score)s or more (%(words)s)") % {"score": value, "words": fit_words(value)},
            )
            for value in values
        ]
