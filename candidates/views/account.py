from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from candidates import consent as consent_texts
from candidates.access import get_profile_for
from candidates.data_rights import data_page_sections
from candidates.forms.profile import (
    EraseAccountForm,
    PassportVerifyForm,
    ShortlistConsentForm,
    SignUpForm,
)
from candidates.models import ProfileView
from candidates.passports import passport_contact, passport_filename, passport_lookup
from candidates.selectors import (
    candidate_export,
    candidate_passport_check,
    candidate_profile_completeness,
)
from candidates.services import (
    candidate_erase,
    candidate_passport_pdf,
    candidate_profile_get_or_create,
    candidate_shortlist_consent_set,
    candidate_sign_up,
    profile_view_log,
)
from college.core.access import role_required
from college.core.check_codes import (
    VERIFY_WINDOW_SECONDS,
    certificate_code_display,
    verify_lookup_allowed,
)
from college.core.privacy import privacy_notice_acknowledge
from college.models import User, active_language


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("start")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = candidate_sign_up(
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            password=form.cleaned_data["password"],
            language=active_language(),
        )
        privacy_notice_acknowledge(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("candidates:dashboard")
    return render(request, "candidates/signup.html", {"form": form})


@role_required(User.Role.CANDIDATE)
@require_GET
def profile_builder(request):
    profile = candidate_profile_get_or_create(user=request.user)
    return render(
        request,
        "candidates/profile/builder.html",
        {"completeness": candidate_profile_completeness(profile=profile)},
    )


@role_required(User.Role.CANDIDATE)
@require_GET
def my_data(request):
    profile = candidate_profile_get_or_create(user=request.user)
    export = candidate_export(profile=profile)
    profile = export["profile"]
    views = profile.views.select_related("viewer")[:20]
    consents = profile.consents.select_related("employer")[:20]
    return render(
        request,
        "candidates/my_data.html",
        {
            "profile": profile,
            "views": views,
            "consents": consents,
            "sections": data_page_sections(export),
        },
    )


@role_required(User.Role.CANDIDATE)
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def erase_account(request):
    form = EraseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        candidate_erase(user=request.user, erased_by=request.user, request=request)
        logout(request)
        messages.success(
            request, _("Your account and your personal data have been erased. Take care!")
        )
        return redirect("home")
    return render(request, "candidates/erase_account.html", {"form": form})


@role_required(User.Role.CANDIDATE)
@require_GET
def passport(request):
    profile = candidate_profile_get_or_create(user=request.user)
    # Contact details are printed only as the person chooses on each download (e-mail unless
    # they say otherwise); an unknown choice prints none.
    contact = passport_contact(profile, request.GET.get("contact", "email"))
    return _passport_response(request, profile, contact=contact)


@role_required(User.Role.COUNSELLOR)
@require_GET
def counsellor_passport(request, profile_id):
    profile = get_profile_for(request.user, profile_id)
    profile_view_log(profile=profile, viewer=request.user, channel=ProfileView.Channel.PASSPORT)
    # The person did not choose what a counsellor's copy shows: no contact details.
    return _passport_response(request, profile, contact=())


def _passport_response(request, profile, *, contact):
    pdf = candidate_passport_pdf(
        profile=profile,
        verify_page=request.build_absolute_uri(reverse("candidates:passport_verify")),
        contact=contact,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = passport_filename(profile.user.full_name)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal data, often opened on shared computers: no cache may keep a copy.
    add_never_cache_headers(response)
    return response


@require_GET
def passport_verify(request):
    """Public: whether a passport's check code is valid, with only what that passport shows."""
    context = {"form": PassportVerifyForm(), "checked": False, "passport": None}
    status = 200
    if "code" in request.GET:
        if not verify_lookup_allowed(request, kind="passport"):
            response = render(
                request, "candidates/passport_verify.html", {**context, "throttled": True}
            )
            response.status_code = 429
            response["Retry-After"] = str(VERIFY_WINDOW_SECONDS)
            return response
        form = PassportVerifyForm(request.GET)
        context["form"] = form
        if form.is_valid():
            code = form.cleaned_data["code"]
            profile = passport_lookup(code)
            context.update(
                checked=True,
                code=certificate_code_display(code),
                passport=candidate_passport_check(profile=profile) if profile else None,
            )
            if profile is None:
                status = 404
    response = render(request, "candidates/passport_verify.html", context, status=status)
    # A check is about one moment: no shared cache may keep its answer.
    add_never_cache_headers(response)
    return response


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def sharing(request):
    """The job-seeker's choice about blind shortlists, with the consent text and its history."""
    profile = candidate_profile_get_or_create(user=request.user)
    form = ShortlistConsentForm(
        request.POST if request.method == "POST" else None,
        initial={"choice": "yes" if profile.is_visible_in_shortlists else "no"},
    )
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data["choice"] == "yes"
        candidate_shortlist_consent_set(profile=profile, given=given)
        if given:
            messages.success(
                request, _("Saved: employers may now see your profile without your name.")
            )
        else:
            messages.success(request, _("Saved: employers no longer see your profile."))
        return redirect("candidates:profile_sharing")
    context = {
        "form": form,
        "profile": profile,
        "consent_text": consent_texts.shortlists_text(),
        "consent_version": consent_texts.SHORTLISTS_VERSION,
        "history": profile.consents.select_related("employer")[:50],
        "completeness": candidate_profile_completeness(profile=profile),
        "step": "sharing",
    }
    return render(request, "candidates/profile/sharing.html", context)
