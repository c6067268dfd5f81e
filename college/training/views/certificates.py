"""Certificate pages: the holder's PDF and the public check of a verification code."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from college.core.check_codes import (
    VERIFY_WINDOW_SECONDS,
    certificate_code_display,
    certificate_code_normalise,
    verify_lookup_allowed,
)
from college.training.certificates import (
    certificate_lookup,
    certificate_pdf,
    get_certificate_for,
)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("12 letters and digits, printed on the certificate, e.g. 7KQ2-M9XD-4TRB."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Type the code printed on the certificate.")},
    )

    def clean_code(self):
        code = certificate_code_normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(
                _(
                    "This is not a certificate code: it has 12 letters and digits, "
                    "like 7KQ2-M9XD-4TRB."
                ),
                code="malformed",
            )
        return code


@login_required
@require_GET
def certificate_pdf_download(request, code):
    certificate = get_certificate_for(request.user, code)
    display = certificate_code_display(certificate.code)
    verify_url = request.build_absolute_uri(
        f"{reverse('certificate_verify')}?{urlencode({'code': display})}"
    )
    response = HttpResponse(
        certificate_pdf(certificate=certificate, verify_url=verify_url),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="certificate-{display}.pdf"'
    add_never_cache_headers(response)
    return response


@require_GET
def certificate_verify(request):
    """Public: says whether a code is genuine, showing only the name, module and date."""
    context = {"form": VerifyForm(), "checked": False, "certificate": None}
    status = 200
    if "code" in request.GET:
        if not verify_lookup_allowed(request):
            response = render(
                request, "college/training/certificate_verify.html", {**context, "throttled": True}
            )
            response.status_code = 429
            response["Retry-After"] = str(VERIFY_WINDOW_SECONDS)
            return response
        form = VerifyForm(request.GET)
        context["form"] = form
        if form.is_valid():
            certificate = certificate_lookup(form.cleaned_data["code"])
            context.update(
                checked=True,
                certificate=certificate,
                code=certificate_code_display(form.cleaned_data["code"]),
            )
            if certificate is None:
                status = 404
    response = render(request, "college/training/certificate_verify.html", context, status=status)
    # A check is about one moment: no shared cache may keep its answer.
    add_never_cache_headers(response)
    return response
