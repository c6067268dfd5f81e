from collections import Counter

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from college.models import User

from .models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    ErasedProfileStatistic,
    Evidence,
)
from .selectors import candidate_passport_context

PROFILE_FIELDS = (
    "commune",
    "lives_outside_brussels",
    "phone",
    "birth_year",
    "gender",
    "headline",
    "is_visible_in_shortlists",
)
ACCOUNT_FIELDS = ("full_name", "preferred_language")


@transaction.atomic
def candidate_sign_up(*, email, full_name, password, language):
    """Creates a job-seeker's account and their (empty) skills profile."""
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        role=User.Role.CANDIDATE,
        preferred_language=language,
    )
    CandidateProfile.objects.create(user=user)
    return user


def candidate_profile_get_or_create(*, user):
    """The job-seeker's profile; accounts made by staff in the admin get theirs on first visit."""
    profile, _created = CandidateProfile.objects.get_or_create(user=user)
    return profile


def candidate_skill_evidence_after_update(*, current, level):
    """The evidence a skill keeps when its owner sets it to `level` themself.

    `current` is the skill as stored (None for a new one). Keeping or lowering a level keeps
    what a counsellor, a test or a training confirmed; a higher level nobody has confirmed
    yet, so it is self-declared again. A job-seeker never raises evidence themself.
    """
    if current is None or level > current.level:
        return Evidence.SELF_DECLARED
    return current.evidence


@transaction.atomic
def candidate_profile_update(*, profile, data):
    """Applies validated changes to a job-seeker's profile and account, all or nothing.

    `data` holds only the fields to change: model instances for `commune`, `target_roles`,
    `skills` (`{"skill", "level"}`) and `languages` (`{"language", "cefr"}`); the lists
    replace the stored ones. Evidence is never taken from the caller: it follows
    `candidate_skill_evidence_after_update`, applied here to the locked, current rows.
    """
    # Locks the profile (and its account) so that two parallel updates apply one after the other.
    profile = CandidateProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    account_changes = [field for field in ACCOUNT_FIELDS if field in data]
    for field in account_changes:
        setattr(profile.user, field, data[field])
    if account_changes:
        profile.user.save(update_fields=account_changes)
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(profile, field, data[field])
    profile.save()
    if "target_roles" in data:
        profile.target_roles.set(data["target_roles"])
    if "skills" in data:
        _replace_skills(profile, data["skills"])
    if "languages" in data:
        _replace_languages(profile, data["languages"])
    return profile


def _replace_skills(profile, items):
    stored = {skill.skill_id: skill for skill in profile.skills.all()}
    levels = {item["skill"].pk: item["level"] for item in items}
    profile.skills.exclude(skill_id__in=levels.keys()).delete()
    now = timezone.now()
    changed, added = [], []
    for skill_id, level in levels.items():
        current = stored.get(skill_id)
        if current is None:
            added.append(CandidateSkill(profile=profile, skill_id=skill_id, level=level))
            continue
        if level == current.level:
            # Untouched rows keep their date: it tells when the level was last set.
            continue
        current.evidence = candidate_skill_evidence_after_update(current=current, level=level)
        if level > current.level:
            # Who confirmed the lower level, and how, says nothing about the higher one.
            current.validated_by = None
            current.evidence_note = ""
        current.level = level
        current.updated_at = now
        changed.append(current)
    CandidateSkill.objects.bulk_update(
        changed, ["level", "evidence", "validated_by", "evidence_note", "updated_at"]
    )
    CandidateSkill.objects.bulk_create(added)


def _replace_languages(profile, items):
    profile.languages.all().delete()
    CandidateLanguage.objects.bulk_create(
        CandidateLanguage(profile=profile, language=item["language"], cefr=item["cefr"])
        for item in items
    )


@transaction.atomic
def candidate_erase(*, user):
    """Erases a job-seeker's account and personal data, keeping only anonymous statistics.

    Deleting the account cascades to the profile, skills, languages, guidances and API
    tokens. Admin log lines that name the account are removed too: they would otherwise keep
    the e-mail address. Sessions hold no personal data, only the account's id, and Django
    treats a session of a deleted account as anonymous; the caller logs the current one out.
    """
    profile = candidate_profile_get_or_create(user=user)
    evidence = Counter(profile.skills.values_list("evidence", flat=True))
    today = timezone.localdate()
    ErasedProfileStatistic.objects.create(
        erased_month=today.replace(day=1),
        commune=profile.commune,
        target_role_slugs=sorted(profile.target_roles.values_list("slug", flat=True)),
        skill_count=sum(evidence.values()),
        evidence_counts=dict(evidence),
        language_count=profile.languages.count(),
        had_counsellor=user.guidances_received.exists(),
    )
    user_type = ContentType.objects.get_for_model(user)
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(profile), object_id=str(profile.pk)
    ).delete()
    user.delete()


def candidate_passport_pdf(*, profile):
    """The job-seeker's skills passport as PDF bytes, in the active language."""
    # Imported here: WeasyPrint takes most of a second to load, and only printing needs it.
    import weasyprint

    html = render_to_string(
        "candidates/pdf/passport.html", candidate_passport_context(profile=profile)
    )
    return weasyprint.HTML(string=html, base_url=None).write_pdf(pdf_tags=True)
