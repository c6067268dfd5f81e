from django.db.models import Prefetch
from django.utils import timezone
from rest_framework.authtoken.models import Token

from college.models import Guidance, Level

from .models import CandidateLanguage, CandidateProfile, CandidateSkill, Evidence


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


def candidate_passport_context(*, profile):
    """What the skills passport shows, in the active language, in four queries however long.

    Skills come grouped by evidence, strongest first (only groups that hold a skill), and by
    level then label within a group. A counsellor's name and note go with the skills they
    validated, and only with those.
    """
    profile = candidate_profile_detail(profile=profile)
    skills = sorted(
        profile.skills.all(), key=lambda item: (-item.level, item.skill.label.casefold())
    )
    evidence_groups = []
    for evidence in reversed(Evidence):
        rows = [_passport_skill(item) for item in skills if item.evidence == evidence]
        if rows:
            evidence_groups.append(
                {"evidence": evidence.value, "label": evidence.label, "skills": rows}
            )
    languages = [
        {
            "name": item.language.name,
            "cefr": item.cefr,
            "descriptor": _without_code(item.get_cefr_display(), item.cefr),
        }
        for item in profile.languages.all()
    ]
    return {
        "profile": profile,
        "full_name": profile.user.full_name,
        "generated_on": timezone.localdate(),
        "evidence_groups": evidence_groups,
        "languages": languages,
        "target_roles": sorted(
            (role.title for role in profile.target_roles.all()), key=str.casefold
        ),
    }


def _passport_skill(item):
    is_validated = item.evidence == Evidence.COUNSELLOR_VALIDATED
    return {
        "label": item.skill.label,
        "level": item.level,
        "level_descriptor": _without_code(Level(item.level).label, item.level),
        "evidence": item.evidence,
        "evidence_label": item.get_evidence_display(),
        "validated_by": item.validated_by.full_name if is_validated and item.validated_by else "",
        "note": item.evidence_note if is_validated else "",
    }


def _without_code(label, code):
    # Level and CEFR labels start with their code ("2 – Independent: …"), which the passport
    # already shows on its own beside the descriptor.
    return str(label).removeprefix(f"{code} – ")
