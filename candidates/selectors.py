from django.db.models import Prefetch
from django.utils import timezone
from rest_framework.authtoken.models import Token

from college.models import Guidance

from .models import CandidateLanguage, CandidateProfile, CandidateSkill


def candidate_profile_detail(*, profile):
    """The profile again with its commune, account, roles, skills and languages: five queries."""
    return (
        CandidateProfile.objects.select_related("user", "commune")
        .prefetch_related(
            "target_roles",
            Prefetch(
                "skills",
                queryset=CandidateSkill.objects.select_related("skill", "validated_by").order_by(
                    "-level", "skill__label_en", "skill_id"
                ),
            ),
            Prefetch(
                "languages",
                queryset=CandidateLanguage.objects.select_related("language").order_by(
                    "language__position", "language__code"
                ),
            ),
        )
        .get(pk=profile.pk)
    )


def candidate_export(*, profile):
    """Everything Passerelle holds about a job-seeker, for their data-portability export."""
    profile = candidate_profile_detail(profile=profile)
    guidances = (
        Guidance.objects.filter(candidate=profile.user)
        .select_related("counsellor")
        .order_by("started_at", "pk")
    )
    return {
        "exported_at": timezone.now(),
        "account": profile.user,
        "profile": profile,
        "skills": profile.skills.all(),
        "languages": profile.languages.all(),
        "target_roles": profile.target_roles.all(),
        "counsellors": guidances,
        "api_tokens": Token.objects.filter(user=profile.user).count(),
    }
