from django.contrib.auth import login
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from college.access import role_required
from college.models import Guidance, User, active_language

from .access import profiles_visible_to
from .forms import SignUpForm
from .models import CandidateLanguage, CandidateSkill
from .services import candidate_profile_get_or_create, candidate_sign_up


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
    candidate_profile_get_or_create(user=request.user)
    profile = (
        profiles_visible_to(request.user)
        .select_related("commune")
        .prefetch_related(
            "target_roles",
            Prefetch(
                "skills",
                queryset=CandidateSkill.objects.select_related("skill").order_by(
                    "-level", "skill__label_en"
                ),
            ),
            Prefetch(
                "languages",
                queryset=CandidateLanguage.objects.select_related("language").order_by(
                    "language__position"
                ),
            ),
        )
        .get()
    )
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
