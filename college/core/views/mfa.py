"""Two-step verification pages: set up an authenticator, pass the second step, manage codes."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from college.core import mfa
from college.core.forms.mfa import MfaCodeForm, MfaVerifyForm


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _offered_or_403(user):
    # Job-seekers are not offered the second step: their pages are elsewhere (role_required).
    if not mfa.mfa_is_offered(user):
        raise PermissionDenied


def _grouped(secret):
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


@never_cache
@login_required
@require_http_methods(["GET"])
def mfa_status(request):
    _offered_or_403(request.user)
    device = mfa.confirmed_device(request.user)
    context = {
        "device": device,
        "recovery_codes_left": len(device.recovery_code_hashes) if device else 0,
        "is_required": mfa.mfa_is_required(request.user),
    }
    return render(request, "college/core/mfa/status.html", context)


@never_cache
@login_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    _offered_or_403(request.user)
    next_url = _next_url(request)
    if mfa.confirmed_device(request.user):
        return redirect(next_url or "mfa_status")
    device = mfa.mfa_device_start(user=request.user)
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.mfa_device_confirm(
            device=device, code=form.cleaned_data["code"], request=request
        )
        if codes is not None:
            mfa.mfa_session_mark_verified(request)
            return render(
                request,
                "college/core/mfa/recovery_codes.html",
                {"codes": codes, "next": next_url, "is_new_device": True},
            )
        form.add_error(
            "code", _("This code is not the right one. Check your phone's time and try again.")
        )
    qr_svg = mfa.qr_code_svg(device).replace(
        "<svg ",
        format_html('<svg role="img" aria-label="{}" ', _("QR code to scan with your app")),
        1,
    )
    context = {
        "form": form,
        "qr_svg": mark_safe(qr_svg),  # segno's SVG: no user input in it but the e-mail, escaped
        "secret": _grouped(device.secret),
        "next": next_url,
        "is_required": mfa.mfa_is_required(request.user),
        # Held to the second step and not through it: the header offers only the way out.
        "is_before_second_step": mfa.mfa_is_required(request.user)
        and not mfa.mfa_session_is_verified(request),
    }
    return render(request, "college/core/mfa/setup.html", context)


@never_cache
@login_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    _offered_or_403(request.user)
    next_url = _next_url(request)
    if mfa.mfa_session_is_verified(request):
        return redirect(next_url or "start")
    if mfa.confirmed_device(request.user) is None:
        setup_url = redirect("mfa_setup").url
        return redirect(f"{setup_url}?next={next_url}" if next_url else setup_url)
    form = MfaVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.mfa_verify(user=request.user, code=form.cleaned_data["code"], request=request):
            mfa.mfa_session_mark_verified(request)
            return redirect(next_url or "start")
        form.add_error("code", _("This code is not valid, or was already used. Try the next one."))
    return render(request, "college/core/mfa/verify.html", {"form": form, "next": next_url})


@never_cache
@login_required
@require_POST
def mfa_recovery_codes_renew(request):
    _offered_or_403(request.user)
    device = mfa.confirmed_device(request.user)
    if device is None:
        return redirect("mfa_setup")
    codes = mfa.mfa_recovery_codes_renew(device=device)
    return render(
        request,
        "college/core/mfa/recovery_codes.html",
        {"codes": codes, "next": "", "is_new_device": False},
    )


@never_cache
@login_required
@sensitive_post_parameters("code")
@require_POST
def mfa_remove(request):
    """Counsellors may turn the second step off again, with a current code."""
    if mfa.mfa_is_required(request.user) or not mfa.mfa_is_offered(request.user):
        raise PermissionDenied
    form = MfaVerifyForm(request.POST)
    if form.is_valid() and mfa.mfa_verify(
        user=request.user, code=form.cleaned_data["code"], request=request
    ):
        mfa.mfa_device_remove(user=request.user)
        return redirect("mfa_status")
    device = mfa.confirmed_device(request.user)
    form.add_error("code", _("This code is not valid, or was already used. Try the next one."))
    context = {
        "device": device,
        "recovery_codes_left": len(device.recovery_code_hashes) if device else 0,
        "is_required": False,
        "remove_form": form,
    }
    return render(request, "college/core/mfa/status.html", context, status=400)
