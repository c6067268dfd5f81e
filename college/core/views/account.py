"""The account page: password, two-step verification, and ending every other session.

A password reset, a password change and "sign out everywhere" all end the person's API tokens
and their other sessions through one service (college/core/credentials.py).
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from college.core import mfa
from college.core.credentials import user_credentials_revoke


@login_required
@require_GET
def account(request):
    return render(
        request,
        "college/core/account.html",
        {"mfa_is_offered": mfa.mfa_is_offered(request.user)},
    )


@login_required
@require_POST
def sign_out_everywhere(request):
    """Ends every API token and every session of the person but this one."""
    tokens = user_credentials_revoke(
        user=request.user, reason="sign_out_everywhere", keep_request=request
    )
    messages.success(
        request,
        _(
            "You are signed out everywhere else: every other session and every API token "
            "(%(count)s) no longer work. You stay signed in here."
        )
        % {"count": tokens},
    )
    return redirect("account")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's form; then every token and every other session ends (this one is kept)."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        user_credentials_revoke(
            user=form.user, reason="password_changed", keep_request=self.request
        )
        messages.success(
            self.request,
            _(
                "Your password is changed. Every other session and every API token were "
                "ended: sign in again there with the new password."
            ),
        )
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's reset; then every token and every session of the person ends.

    Whoever knew the old password (or held a token) is locked out: that is what a reset is for.
    """

    def form_valid(self, form):
        response = super().form_valid(form)
        user_credentials_revoke(user=form.user, reason="password_reset", keep_request=self.request)
        return response
