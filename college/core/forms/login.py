from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from college.core import login_throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing further attempts once the failure limit is reached."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "This e-mail address and password do not match an account. "
            "Check both (the password is case-sensitive)."
        ),
        "throttled": _(
            "Too many failed attempts. For your security, wait 15 minutes before trying again, "
            "or reset your password."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-mail address")
        # The widget's own type, not an attribute: that would write `type` twice, and browsers
        # keep the first (text), so phones would show no e-mail keyboard.
        self.fields["username"].widget.input_type = "email"
        self.fields["username"].widget.attrs.update({"autocomplete": "email"})
        self.is_throttled = False

    def clean(self):
        email = self.cleaned_data.get("username", "")
        client = login_throttle.client_address(self.request) if self.request else ""
        if login_throttle.is_blocked(email, client):
            self.is_throttled = True
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_throttle.record_failure(email, client)
            raise
        login_throttle.clear_failures(email)
        return cleaned
