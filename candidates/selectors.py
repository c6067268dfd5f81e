from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.authtoken.models import Token

from assessments.models import Attempt, AttemptItem, TimeAccommodation
from candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    Consent,
    Evidence,
    Experience,
    LanguageCertificate,
)
from college.models import (
    CEFR,
    ActionItem,
    Attendance,
    AuditEvent,
    Certificate,
    CounsellorNote,
    Enrolment,
    Guidance,
    IntakeApplication,
    IntakeDecision,
    Level,
    MfaDevice,
    PathStep,
    RequirementStage,
    Skill,
    TrainingPath,
)
from employers.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    MatchAlert,
    RankedCandidate,
    ShortlistInvitation,
)


def candidate_profile_detail(*, profile):
    """The profile again with everything it holds, in nine queries however much it holds.

    Account and commune, target roles, skills, languages, certificates, experience (and the
    skills each shows) and diplomas.
    """
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
            Prefetch(
                "certificates",
                queryset=LanguageCertificate.objects.select_related("language"),
            ),
            Prefetch(
                "experiences",
                queryset=Experience.objects.prefetch_related(
                    Prefetch("skills", queryset=Skill.objects.order_by("label_en"))
                ),
            ),
            "education",
        )
        .get(pk=profile.pk)
    )


def candidate_export(*, profile):
    """Everything Passerelle holds about a job-seeker (GDPR art. 15 and 20), in one document.

    Every model that can hold something about a job-seeker is declared with its key here in
    `candidates.data_rights.HOLDINGS`, and a test checks the two agree. The counselling
    team's notes are included: they are about the person and no exemption applies. Left out:
    the keys of API tokens and the authenticator's secret (credentials, not information about
    the person: their count and dates are given), and the names of the employer's members
    who moved an application (third parties; the employer is named).

    A constant number of queries (about 25) whatever the number of rows.
    """
    profile = candidate_profile_detail(profile=profile)
    user = profile.user
    guidances = (
        Guidance.objects.filter(candidate=user)
        .select_related("counsellor")
        .order_by("started_at", "pk")
    )
    return {
        "exported_at": timezone.now(),
        "account": user,
        "profile": profile,
        "skills": profile.skills.all(),
        "languages": profile.languages.all(),
        "target_roles": profile.target_roles.all(),
        "counsellors": guidances,
        "team_notes": CounsellorNote.objects.filter(candidate=user)
        .select_related("author")
        .order_by("created_at", "pk"),
        "consents": profile.consents.select_related("employer").order_by("recorded_at", "pk"),
        "profile_views": profile.views.select_related("viewer").order_by("viewed_at", "pk"),
        "applications": Application.objects.filter(profile=profile)
        .select_related("vacancy__employer")
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("changed_at", "pk")),
            Prefetch("notes", queryset=ApplicationNote.objects.order_by("created_at", "pk")),
        )
        .order_by("created_at", "pk"),
        "shortlist_invitations": ShortlistInvitation.objects.filter(profile=profile)
        .select_related("vacancy__employer")
        .order_by("invited_at", "pk"),
        "match_alerts": {
            "threshold": profile.match_alert_threshold,
            "sent": MatchAlert.objects.filter(profile=profile)
            .select_related("vacancy__employer")
            .order_by("sent_at", "pk"),
        },
        "rankings": RankedCandidate.objects.filter(profile=profile)
        .select_related("ranking__vacancy__employer")
        .order_by("ranking__vacancy_id", "pk"),
        "practice_tests": Attempt.objects.filter(user=user)
        .select_related("battery")
        .prefetch_related(
            Prefetch(
                "attempt_items",
                queryset=AttemptItem.objects.select_related(
                    "item", "section", "response__choice"
                ).order_by("position"),
            )
        )
        .order_by("started_at", "pk"),
        "time_accommodation": TimeAccommodation.objects.filter(user=user).first(),
        "enrolments": Enrolment.objects.filter(candidate=user)
        .select_related("cohort__module", "certificate")
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("session"))
        )
        .order_by("created_at", "pk"),
        "intake_applications": IntakeApplication.objects.filter(candidate=user)
        .select_related("intake__programme")
        .prefetch_related(
            "ratings",
            Prefetch("decisions", queryset=IntakeDecision.objects.order_by("created_at", "pk")),
        )
        .order_by("created_at", "pk"),
        "digital_self_assessments": profile.digital_self_assessments.order_by("started_at", "pk"),
        "external_certifications": profile.external_certifications.order_by("created_at", "pk"),
        "certificates": Certificate.objects.filter(enrolment__candidate=user)
        .select_related("module")
        .order_by("issued_at", "pk"),
        "training_paths": TrainingPath.objects.filter(candidate=user)
        .select_related("role")
        .prefetch_related(
            Prefetch("steps", queryset=PathStep.objects.select_related("module", "battery"))
        )
        .order_by("pk"),
        "action_plan": ActionItem.objects.filter(candidate=user).order_by("pk"),
        "two_step_verification": MfaDevice.objects.filter(user=user).first(),
        "api_tokens": Token.objects.filter(user=user).count(),
        "audit_events": AuditEvent.objects.filter(
            Q(actor=user)
            | Q(object_type="user", object_id=str(user.pk))
            | Q(object_type="candidate_profile", object_id=str(profile.pk))
        )
        .select_related("actor")
        .order_by("created_at", "pk"),
        "admin_history": _admin_history_about(user, profile),
    }


def _admin_history_about(user, profile):
    """The admin's history lines about the account or the profile (they quote its name)."""
    return LogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk))
        | Q(content_type=ContentType.objects.get_for_model(profile), object_id=str(profile.pk))
    ).order_by("action_time", "pk")


def candidate_passport_context(*, profile):
    """What the skills passport shows, in the active language, in nine queries however long.

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
        "certificates": profile.certificates.all(),
        "experiences": profile.experiences.all(),
        # Diplomas come last, by design: one signal among many.
        "education": profile.education.all(),
    }


def candidate_passport_check(*, profile):
    """What the public check of a passport shows: a part of what the passport prints.

    The holder's name, the date the code was drawn, each skill's level and evidence and each
    language's level; never the contact details, the commune, experience or diplomas, nor
    who validated a skill. `profile` comes from candidate_profile_detail (no query here).
    """
    skills = sorted(
        profile.skills.all(),
        key=lambda item: (
            -Evidence.strength(item.evidence),
            -item.level,
            item.skill.label.casefold(),
        ),
    )
    return {
        "full_name": profile.user.full_name,
        "issued_on": profile.passport_issued_on,
        "skills": [
            {
                "label": item.skill.label,
                "level": item.level,
                "evidence": item.evidence,
                "evidence_label": item.get_evidence_display(),
            }
            for item in skills
        ],
        "languages": [
            {"name": item.language.name, "cefr": item.cefr} for item in profile.languages.all()
        ],
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
        # The validated level is the one shown and matched; the person's own stays beside it.
        "declared_level": item.declared_level if item.has_other_declared_level else None,
    }


def _without_code(label, code):
    # Level and CEFR labels start with their code ("2 – Independent: …"), which the passport
    # already shows on its own beside the descriptor.
    return str(label).removeprefix(f"{code} – ")


# The builder's steps, in the order a job-seeker is asked to take them, with their weight in
# the completeness bar. Skills weigh most: they are what matching reads first.
PROFILE_STEPS = (
    ("about", 10, "candidates:profile_about"),
    ("roles", 15, "candidates:profile_roles"),
    ("skills", 25, "candidates:profile_skills"),
    ("languages", 15, "candidates:profile_languages"),
    ("experience", 15, "candidates:profile_experience"),
    ("conditions", 10, "candidates:profile_conditions"),
    ("education", 5, "candidates:profile_education"),
    ("sharing", 5, "candidates:profile_sharing"),
)
MIN_SKILLS = 5


def _step_texts():
    return {
        "about": (_("About me"), _("Give your commune and your birth year.")),
        "roles": (_("Target roles"), _("Choose the roles you aim for.")),
        "skills": (
            _("Skills"),
            ngettext(
                "Add at least %(count)s skill, with its level.",
                "Add at least %(count)s skills, each with its level.",
                MIN_SKILLS,
            )
            % {"count": MIN_SKILLS},
        ),
        "languages": (_("Languages"), _("Say which languages you speak, and how well.")),
        "experience": (
            _("Experience"),
            _("Add a job, volunteering, coaching or caring: informal experience counts too."),
        ),
        "conditions": (
            _("Conditions"),
            _("Say when and how far you can work, and your driving licences."),
        ),
        "education": (
            _("Diplomas"),
            _("Add your diplomas, or say you have none: they are never required to start."),
        ),
        "sharing": (
            _("Sharing"),
            _("Choose whether employers may see your profile without your name."),
        ),
    }


def candidate_profile_completeness(*, profile):
    """How complete a profile is (0–100), each step's state and the single most useful next step.

    One query whatever the profile holds.
    """
    counts = CandidateProfile.objects.filter(pk=profile.pk).aggregate(
        skills=Count("skills", distinct=True),
        languages=Count("languages", distinct=True),
        experiences=Count("experiences", distinct=True),
        education=Count("education", distinct=True),
        roles=Count("target_roles", distinct=True),
        sharing_choices=Count(
            "consents",
            filter=Q(consents__purpose=Consent.Purpose.SHORTLISTS),
            distinct=True,
        ),
    )
    done = {
        "about": bool(profile.commune_id or profile.lives_outside_brussels)
        and profile.birth_year is not None,
        "roles": counts["roles"] > 0,
        "skills": counts["skills"] >= MIN_SKILLS,
        "languages": counts["languages"] > 0,
        "experience": counts["experiences"] > 0,
        "conditions": profile.conditions_saved_at is not None,
        "education": counts["education"] > 0 or profile.has_no_diploma,
        "sharing": counts["sharing_choices"] > 0,
    }
    texts = _step_texts()
    steps = [
        {
            "key": key,
            "label": texts[key][0],
            "hint": texts[key][1],
            "weight": weight,
            "done": done[key],
            "url": reverse(url_name),
        }
        for key, weight, url_name in PROFILE_STEPS
    ]
    return {
        "percent": sum(step["weight"] for step in steps if step["done"]),
        "steps": steps,
        "next_step": next((step for step in steps if not step["done"]), None),
    }


def candidate_holdings(profile):
    """The job-seeker's skills, language levels and certificates, read once for checklists."""
    return {
        "skills": {item.skill_id: item for item in profile.skills.all()},
        "languages": {item.language_id: item.cefr for item in profile.languages.all()},
        "certificates": {(item.language_id, item.level) for item in profile.certificates.all()},
    }


def requirements_checklist(*, holdings, skill_requirements, language_requirements, level_field):
    """Which of these requirements the job-seeker already meets: a checklist, no score.

    `holdings` comes from `candidate_holdings`. Each skill requirement is `met` (level
    reached, read from the requirement's `level_field`), `partial` (held lower) or `missing`.
    A language requirement is met by its CEFR level, or by the Brussels certificate it names
    (vacancies name one; roles don't). Requirements marked as alternatives are met together
    when any one of them is. A skill taught after hiring (stage `training`) is never part of
    the checklist: it is listed apart in `taught`, never missing. The score lives in matching.
    """
    held_skills = holdings["skills"]
    held_languages = holdings["languages"]
    held_certificates = holdings["certificates"]
    skills = []
    taught = []
    for requirement in skill_requirements:
        if getattr(requirement, "stage", RequirementStage.ENTRY) != RequirementStage.ENTRY:
            taught.append(requirement)
            continue
        held = held_skills.get(requirement.skill_id)
        if held is None:
            state = "missing"
        elif held.level >= getattr(requirement, level_field):
            state = "met"
        else:
            state = "partial"
        skills.append({"requirement": requirement, "held": held, "state": state})
    languages = []
    for requirement in language_requirements:
        cefr = held_languages.get(requirement.language_id)
        certificate = getattr(requirement, "certificate", "")
        has_certificate = bool(certificate) and (
            (requirement.language_id, certificate) in held_certificates
        )
        languages.append(
            {
                "requirement": requirement,
                "cefr": cefr,
                "has_certificate": has_certificate,
                "met": has_certificate
                or (cefr is not None and CEFR.rank(cefr) >= CEFR.rank(requirement.min_cefr)),
            }
        )
    required = [row for row in languages if not row["requirement"].is_alternative]
    alternative = [row for row in languages if row["requirement"].is_alternative]
    alternative_met = any(row["met"] for row in alternative)
    met = sum(1 for row in skills if row["state"] == "met")
    return {
        "skills": skills,
        "taught": taught,
        "skills_met": met,
        "skills_total": len(skills),
        "percent_met": round(100 * met / len(skills)) if skills else 100,
        "languages": languages,
        "languages_required": required,
        "languages_alternative": alternative,
        "languages_alternative_met": alternative_met,
        "languages_all_met": all(row["met"] for row in required)
        and (alternative_met or not alternative),
    }
