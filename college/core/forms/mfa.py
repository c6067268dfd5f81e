from django import forms
from django.utils.translation import gettext_lazy as _


class MfaCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code"),
        max_length=20,
        help_text=_("The code your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class MfaVerifyForm(MfaCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Six-digit code or recovery code")
        self.fields["code"].help_text = _(
            "The code your authenticator app shows now. Lost your phone? Type one of your "
            "recovery codes instead (each works once)."
        )
        self.fields["code"].widget.attrs.pop("inputmode")
