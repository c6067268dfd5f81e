"""Profile builder steps: about me, languages and certificates, experience, diplomas, conditions.

Each step saves on its own form and redirects (post/redirect/get); a form with errors is shown
again with what was typed. Objects are always looked up within the job-seeker's own profile, so
another person's ids give a 404.
"""

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from candidates.forms.profile import (
    CandidateLanguageForm,
    ConditionsForm,
    EducationForm,
    ExperienceForm,
    LanguageCertificateForm,
    NoDiplomaForm,
    ProfileAboutForm,
)
from candidates.models import CandidateLanguage, LanguageCertificate
from candidates.selectors import candidate_profile_completeness
from candidates.services import (
    candidate_certificate_add,
    candidate_certificate_delete,
    candidate_education_delete,
    candidate_education_save,
    candidate_experience_delete,
    candidate_experience_save,
    candidate_language_remove,
    candidate_language_set,
    candidate_profile_get_or_create,
    candidate_profile_update,
)
from college.core.access import role_required
from college.models import Skill, User, active_language


def _render_step(request, template, *, profile, step, context):
    # Completeness is read last, after any save, so the bar shows what is stored now.
    return render(
        request,
        template,
        {
            "profile": profile,
            "step": step,
            "completeness": candidate_profile_completeness(profile=profile),
            **context,
        },
    )


def _posted_pk(request, name):
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


# Step 1: about me


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def about(request):
    profile = candidate_profile_get_or_create(user=request.user)
    data = request.POST if request.method == "POST" else None
    form = ProfileAboutForm(data, profile=profile, user=request.user)
    if form.is_valid():
        language_before = request.user.preferred_language
        language = form.cleaned_data["preferred_language"]
        candidate_profile_update(profile=profile, data=form.service_data())
        # A new account language applies at once, as the header's switcher would.
        with translation.override(language):
            messages.success(request, _("About me saved."))
        response = redirect("candidates:profile_about")
        if language != language_before:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
    return _render_step(
        request,
        "candidates/profile/about.html",
        profile=profile,
        step="about",
        context={"form": form},
    )


# Step 2: languages and second-language certificates

LANGUAGE_PREFIX, CERTIFICATE_PREFIX = "language", "certificate"


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def languages(request):
    profile = candidate_profile_get_or_create(user=request.user)
    language_form = certificate_form = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "language":
            language_form = CandidateLanguageForm(request.POST, prefix=LANGUAGE_PREFIX)
            if language_form.is_valid():
                item = candidate_language_set(profile=profile, **language_form.cleaned_data)
                messages.success(
                    request,
                    _("%(language)s saved at level %(cefr)s.")
                    % {"language": capfirst(item.language.name), "cefr": item.cefr},
                )
                return redirect("candidates:profile_languages")
        elif action == "remove_language":
            item = get_object_or_404(
                profile.languages.select_related("language"), pk=_posted_pk(request, "item")
            )
            candidate_language_remove(candidate_language=item)
            messages.success(
                request, _("%(language)s removed.") % {"language": capfirst(item.language.name)}
            )
            return redirect("candidates:profile_languages")
        elif action == "certificate":
            certificate_form = LanguageCertificateForm(request.POST, prefix=CERTIFICATE_PREFIX)
            if certificate_form.is_valid():
                candidate_certificate_add(profile=profile, **certificate_form.cleaned_data)
                messages.success(request, _("Certificate saved."))
                return redirect("candidates:profile_languages")
        else:
            return HttpResponseBadRequest()
    if language_form is None:
        initial = {}
        if "change" in request.GET:
            change = request.GET["change"]
            if not change.isdigit():
                raise Http404
            current = get_object_or_404(profile.languages, pk=int(change))
            initial = {"language": current.language_id, "cefr": current.cefr}
        language_form = CandidateLanguageForm(prefix=LANGUAGE_PREFIX, initial=initial)
    if certificate_form is None:
        certificate_form = LanguageCertificateForm(prefix=CERTIFICATE_PREFIX)
    return _render_step(
        request,
        "candidates/profile/languages.html",
        profile=profile,
        step="languages",
        context={
            "language_form": language_form,
            "certificate_form": certificate_form,
            "languages": CandidateLanguage.objects.filter(profile=profile)
            .select_related("language")
            .order_by("language__position", "language__code"),
            "certificates": LanguageCertificate.objects.filter(profile=profile).select_related(
                "language"
            ),
        },
    )


@role_required(User.Role.CANDIDATE)
@require_POST
def certificate_delete(request, pk):
    profile = candidate_profile_get_or_create(user=request.user)
    certificate = get_object_or_404(profile.certificates, pk=pk)
    candidate_certificate_delete(certificate=certificate)
    messages.success(request, _("Certificate removed."))
    return redirect("candidates:profile_languages")


# Step 3: experience


@role_required(User.Role.CANDIDATE)
@require_GET
def experience_list(request):
    profile = candidate_profile_get_or_create(user=request.user)
    experiences = profile.experiences.prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by(f"label_{active_language()}", "pk"))
    )
    return _render_step(
        request,
        "candidates/profile/experience_list.html",
        profile=profile,
        step="experience",
        context={"experiences": experiences},
    )


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def experience_edit(request, pk=None):
    profile = candidate_profile_get_or_create(user=request.user)
    experience = get_object_or_404(profile.experiences, pk=pk) if pk is not None else None
    data = request.POST if request.method == "POST" else None
    form = ExperienceForm(data, profile=profile, instance=experience)
    if form.is_valid():
        candidate_experience_save(profile=profile, data=form.cleaned_data, experience=experience)
        messages.success(request, _("Experience saved."))
        return redirect("candidates:profile_experience")
    return _render_step(
        request,
        "candidates/profile/experience_form.html",
        profile=profile,
        step="experience",
        context={"form": form, "experience": experience},
    )


@role_required(User.Role.CANDIDATE)
@require_POST
def experience_delete(request, pk):
    profile = candidate_profile_get_or_create(user=request.user)
    experience = get_object_or_404(profile.experiences, pk=pk)
    candidate_experience_delete(experience=experience)
    messages.success(request, _("Experience removed."))
    return redirect("candidates:profile_experience")


# Step 4: diplomas


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def education_list(request):
    profile = candidate_profile_get_or_create(user=request.user)
    diplomas = list(profile.education.all())
    data = request.POST if request.method == "POST" else None
    form = NoDiplomaForm(
        data, has_diplomas=bool(diplomas), initial={"has_no_diploma": profile.has_no_diploma}
    )
    if form.is_valid():
        profile = candidate_profile_update(
            profile=profile, data={"has_no_diploma": form.cleaned_data["has_no_diploma"]}
        )
        messages.success(request, _("Diplomas saved."))
        return redirect("candidates:profile_education")
    return _render_step(
        request,
        "candidates/profile/education_list.html",
        profile=profile,
        step="education",
        context={"diplomas": diplomas, "no_diploma_form": form},
    )


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def education_edit(request, pk=None):
    profile = candidate_profile_get_or_create(user=request.user)
    education = get_object_or_404(profile.education, pk=pk) if pk is not None else None
    data = request.POST if request.method == "POST" else None
    form = EducationForm(data, instance=education)
    if form.is_valid():
        candidate_education_save(profile=profile, data=form.cleaned_data, education=education)
        messages.success(request, _("Diploma saved."))
        return redirect("candidates:profile_education")
    return _render_step(
        request,
        "candidates/profile/education_form.html",
        profile=profile,
        step="education",
        context={"form": form, "education": education},
    )


@role_required(User.Role.CANDIDATE)
@require_POST
def education_delete(request, pk):
    profile = candidate_profile_get_or_create(user=request.user)
    education = get_object_or_404(profile.education, pk=pk)
    candidate_education_delete(education=education)
    messages.success(request, _("Diploma removed."))
    return redirect("candidates:profile_education")


# Step 5: conditions


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def conditions(request):
    profile = candidate_profile_get_or_create(user=request.user)
    data = request.POST if request.method == "POST" else None
    form = ConditionsForm(data, profile=profile)
    if form.is_valid():
        candidate_profile_update(profile=profile, data=form.service_data())
        messages.success(request, _("Conditions saved."))
        return redirect("candidates:profile_conditions")
    return _render_step(
        request,
        "candidates/profile/conditions.html",
        profile=profile,
        step="conditions",
        context={"form": form},
    )
