from django.contrib import messages
from django.contrib.auth import login, logout
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from college.access import role_required
from college.models import Guidance, User, active_language

from .access import get_profile_for, profiles_visible_to
from .forms import EraseAccountForm, SignUpForm
from .selectors import candidate_profile_detail
from .services import (
    candidate_erase,
    candidate_passport_pdf,
    candidate_profile_get_or_create,
    candidate_sign_up,
)


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
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("candidates:dashboard")
    return render(request, "registration/signup.html", {"form": form})


@role_required(User.Role.CANDIDATE)
@require_GET
def dashboard(request):
    profile = candidate_profile_detail(profile=candidate_profile_get_or_create(user=request.user))
    counsellors = [
        guidance.counsellor
        for guidance in Guidance.objects.active()
        .filter(candidate=request.user)
        .select_related("counsellor")
    ]
    return render(
        request,
        "candidates/dashboard.html",
        {"profile": profile, "counsellors": counsellors},
    )


@role_required(User.Role.CANDIDATE)
@require_GET
def my_data(request):
    candidate_profile_get_or_create(user=request.user)
    profile = (
        profiles_visible_to(request.user)
        .annotate(skill_count=Count("skills", distinct=True))
        .annotate(language_count=Count("languages", distinct=True))
        .get()
    )
    return render(request, "candidates/my_data.html", {"profile": profile})


@role_required(User.Role.CANDIDATE)
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def erase_account(request):
    form = EraseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        candidate_erase(user=request.user)
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
    return _passport_response(profile)


@role_required(User.Role.COUNSELLOR)
@require_GET
def counsellor_passport(request, profile_id):
    return _passport_response(get_profile_for(request.user, profile_id))


def _passport_response(profile):
    response = HttpResponse(candidate_passport_pdf(profile=profile), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="passerelle-skills-passport.pdf"'
    # Personal data, often opened on shared computers: no cache may keep a copy.
    add_never_cache_headers(response)
    return response
