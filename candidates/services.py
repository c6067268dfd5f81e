from collections import Counter

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from candidates import consent as consent_texts
from candidates.data_rights import HOLDINGS
from candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    Consent,
    Education,
    ErasedProfileStatistic,
    Evidence,
    Experience,
    LanguageCertificate,
    ProfileView,
)
from candidates.passports import passport_issue
from candidates.selectors import candidate_passport_context
from candidates.signals import profile_changed
from college.core.audit import anonymous_reference, audit_record
from college.core.check_codes import certificate_code_display
from college.core.pdf import html_to_pdf
from college.models import AuditEvent, Certificate, Level, User, active_language
from employers.models import Application, ApplicationNote

PROFILE_FIELDS = (
    "commune",
    "lives_outside_brussels",
    "phone",
    "birth_year",
    "gender",
    "headline",
    "nationality",
    "has_no_diploma",
    "driving_licences",
    "full_time",
    "part_time",
    "shifts",
    "nights",
    "weekends",
    "max_travel_minutes",
    "available_from",
)
CONDITION_FIELDS = (
    "driving_licences",
    "full_time",
    "part_time",
    "shifts",
    "nights",
    "weekends",
    "max_travel_minutes",
    "available_from",
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
    if any(field in data for field in CONDITION_FIELDS):
        profile.conditions_saved_at = timezone.now()
    profile.save()
    if "is_visible_in_shortlists" in data:
        candidate_shortlist_consent_set(profile=profile, given=data["is_visible_in_shortlists"])
    if "target_roles" in data:
        profile.target_roles.set(data["target_roles"])
    if "skills" in data:
        _replace_skills(profile, data["skills"])
    if "languages" in data:
        _replace_languages(profile, data["languages"])
    return profile


@transaction.atomic
def candidate_shortlist_consent_set(*, profile, given):
    """Records the job-seeker's choice about blind shortlists, with the text they saw.

    Choosing what is already in force records nothing new: the consent in force keeps its
    date. The profile's `is_visible_in_shortlists` follows the latest record.
    """
    profile = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
    latest = profile.consents.filter(purpose=Consent.Purpose.SHORTLISTS).first()
    if latest is not None and latest.given == given:
        return latest
    record = Consent.objects.create(
        profile=profile,
        purpose=Consent.Purpose.SHORTLISTS,
        given=given,
        text_version=consent_texts.SHORTLISTS_VERSION,
        text=consent_texts.shortlists_text(),
        language=active_language(),
    )
    CandidateProfile.objects.filter(pk=profile.pk).update(is_visible_in_shortlists=given)
    profile.is_visible_in_shortlists = given
    profile_changed(profile.pk)  # in or out of the blind shortlists' pools
    return record


def candidate_application_consent_record(*, profile, employer, given=True):
    """Records consent (or its withdrawal) to share the full profile with one employer.

    Called each time the job-seeker applies: every application asks again, with the
    employer's name in the text.
    """
    return Consent.objects.create(
        profile=profile,
        purpose=Consent.Purpose.APPLICATION,
        employer=employer,
        given=given,
        text_version=consent_texts.APPLICATION_VERSION,
        text=consent_texts.application_text(employer.name),
        language=active_language(),
    )


def profile_view_log(*, profile, viewer, channel):
    """Notes that someone other than the job-seeker saw their profile (never the owner)."""
    if viewer.pk == profile.user_id:
        return None
    audit_record(
        actor=viewer,
        action=AuditEvent.Action.PROFILE_VIEWED,
        object_type="candidate_profile",
        object_id=profile.pk,
        detail=channel,
    )
    return ProfileView.objects.create(
        profile=profile, viewer=viewer, viewer_role=viewer.role, channel=channel
    )


@transaction.atomic
def candidate_skill_validate(*, candidate_skill, counsellor, note, level=None):
    """A counsellor confirms a skill at `level` (1–4; None: the person's own level), with a
    note saying how they know.

    The level may be higher or lower than the one the person gave: the skill then holds the
    counsellor's level (the one matching reads), counsellor-validated, with their name and
    note, and keeps the person's own level in `declared_level`; both are shown. Never lowers
    evidence: a skill a test verified or a training certified keeps that. A missing note or a
    level outside 1–4 is a ValidationError naming the field.
    """
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"note": _("Say how you know: what you observed or which document you saw.")},
            code="required",
        )
    if level is None:
        level = candidate_skill.level
    if isinstance(level, bool) or not isinstance(level, int) or level not in Level.values:
        raise ValidationError(
            {"level": _("Choose a level from 1 to 4.")},
            code="invalid_level",
        )
    candidate_skill = CandidateSkill.objects.select_for_update().get(pk=candidate_skill.pk)
    if Evidence.strength(candidate_skill.evidence) > Evidence.strength(
        Evidence.COUNSELLOR_VALIDATED
    ):
        raise ValidationError(
            _("This skill is already confirmed by stronger evidence: %(evidence)s.")
            % {"evidence": candidate_skill.get_evidence_display()},
            code="stronger_evidence",
        )
    if candidate_skill.evidence == Evidence.SELF_DECLARED:
        # The person's own word, kept beside the counsellor's; a second validation keeps it.
        candidate_skill.declared_level = candidate_skill.level
    candidate_skill.level = level
    candidate_skill.evidence = Evidence.COUNSELLOR_VALIDATED
    candidate_skill.validated_by = counsellor
    candidate_skill.evidence_note = note
    candidate_skill.updated_at = timezone.now()
    candidate_skill.save(
        update_fields=[
            "level",
            "declared_level",
            "evidence",
            "validated_by",
            "evidence_note",
            "updated_at",
        ]
    )
    profile_changed(candidate_skill.profile_id)  # level and evidence weigh in the rankings
    return candidate_skill


@transaction.atomic
def candidate_skill_set(*, profile, skill, level):
    """Adds a skill at `level` or changes its level, under the evidence rule of the API."""
    current = (
        CandidateSkill.objects.select_for_update().filter(profile=profile, skill=skill).first()
    )
    if current is None:
        return CandidateSkill.objects.create(profile=profile, skill=skill, level=level)
    if level == current.level:
        return current
    _set_level(current, level, timezone.now())
    current.save()
    return current


def _set_level(current, level, now):
    """Changes a stored skill's level (unsaved), under the evidence rule."""
    current.evidence = candidate_skill_evidence_after_update(current=current, level=level)
    if level > current.level:
        # Who confirmed the lower level, and how, says nothing about the higher one.
        current.validated_by = None
        current.evidence_note = ""
    # The level the person now gives is the skill's level: no other one is theirs.
    current.declared_level = None
    current.level = level
    current.updated_at = now


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
        _set_level(current, level, now)
        changed.append(current)
    CandidateSkill.objects.bulk_update(
        changed,
        ["level", "declared_level", "evidence", "validated_by", "evidence_note", "updated_at"],
    )
    CandidateSkill.objects.bulk_create(added)
    profile_changed(profile.pk)


def _replace_languages(profile, items):
    profile.languages.all().delete()
    CandidateLanguage.objects.bulk_create(
        CandidateLanguage(profile=profile, language=item["language"], cefr=item["cefr"])
        for item in items
    )
    profile_changed(profile.pk)


@transaction.atomic
def candidate_erase(*, user, erased_by=None, reason="", request=None):
    """Erases a job-seeker's account and personal data, keeping only anonymous statistics.

    The one way to erase a job-seeker: their own request, staff in the admin and the
    retention job all come here. What happens to each kind of row is declared in
    `candidates.data_rights.HOLDINGS`:

    * applications stay as anonymous "erased" records (no profile, no consent, no motivation,
      no note, no appointment place or instructions, internal notes emptied), so that the
      vacancy's counts hold; the fairness report no longer counts the person (it only reads
      living profiles);
    * certificates stay verifiable as "issued on <date> for <module>", without a name;
    * audit events about the person get an anonymous reference instead of their id; those
      they caused keep only their role;
    * admin history lines about any of their rows are removed (they may quote a name);
    * everything else goes with the account: the database cascades from it and its profile.

    Deleting the account ends every API token (they cascade) and every session at once:
    Django treats a session whose account no longer exists as anonymous, whatever the store
    (database or cache). The caller logs the current request out.

    The audit log keeps who erased (`erased_by`: the job-seeker, a staff member, or None for
    the retention job) and an anonymous reference to the account, never its id or address.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
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
    _admin_history_forget(user, HOLDINGS)
    ApplicationNote.objects.filter(application__profile=profile).update(text="")
    Application.objects.filter(profile=profile).update(
        profile=None,
        consent=None,
        motivation="",
        reason_note="",
        appointment_place="",
        appointment_instructions="",
        is_erased=True,
    )
    Certificate.objects.filter(enrolment__candidate=user).update(enrolment=None, holder_name="")
    for object_type, pk in (("user", user.pk), ("candidate_profile", profile.pk)):
        AuditEvent.objects.filter(object_type=object_type, object_id=str(pk)).update(
            object_id=anonymous_reference(object_type, pk)
        )
    is_self = erased_by is not None and erased_by.pk == user.pk
    audit_record(
        # The job-seeker's own account goes: the event names their role, not them.
        actor=None if is_self else erased_by,
        actor_role=user.role if is_self else "",
        action=AuditEvent.Action.ACCOUNT_ERASED,
        object_type="user",
        object_id=anonymous_reference("user", user.pk),
        detail=reason,
        request=request,
    )
    user.delete()


def _admin_history_forget(user, holdings):
    """Removes the admin's history lines about any row of the person (they may quote a name)."""
    for label, holding in holdings.items():
        model = apps.get_model(label)
        if model._meta.auto_created or model is LogEntry:
            continue
        pks = [
            str(pk)
            for pk in model.objects.filter(**{holding.owner: user.pk}).values_list("pk", flat=True)
        ]
        if pks:
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=pks
            ).delete()


def candidate_passport_pdf(*, profile, verify_page, contact=()):
    """The job-seeker's skills passport as PDF bytes, in the active language.

    It carries its check code (drawn or kept by `passport_issue`) with the address of the
    public check, `verify_page`, and the contact details given in `contact`: only those the
    person chose to print.
    """
    context = candidate_passport_context(profile=profile)
    code = certificate_code_display(passport_issue(profile=context["profile"]))
    context.update(
        code=code,
        verify_url=f"{verify_page}?{urlencode({'code': code})}",
        contact=list(contact),
    )
    return html_to_pdf(render_to_string("candidates/pdf/passport.html", context))


# Profile builder: languages, certificates, experience, diplomas


@transaction.atomic
def candidate_language_set(*, profile, language, cefr):
    """Adds a language at a CEFR level, or changes the level of one already given."""
    item, _created = CandidateLanguage.objects.update_or_create(
        profile=profile, language=language, defaults={"cefr": cefr}
    )
    return item


def candidate_language_remove(*, candidate_language):
    candidate_language.delete()


@transaction.atomic
def candidate_certificate_add(*, profile, language, level, obtained_on=None):
    """Adds a second-language certificate; the same one again only updates its date."""
    certificate, _created = LanguageCertificate.objects.update_or_create(
        profile=profile, language=language, level=level, defaults={"obtained_on": obtained_on}
    )
    return certificate


def candidate_certificate_delete(*, certificate):
    certificate.delete()


EXPERIENCE_FIELDS = ("kind", "title", "organisation", "description", "started_on", "ended_on")
EDUCATION_FIELDS = ("level", "title", "institution", "country", "recognition", "year")


@transaction.atomic
def candidate_experience_save(*, profile, data, experience=None):
    """Creates (or, given `experience`, changes) an experience and links the skills it shows.

    `data` holds the fields of `EXPERIENCE_FIELDS` and `skills`, a list of `Skill`. A linked
    skill the profile does not hold yet is added at level 1, self-declared; skills already
    held keep their level and evidence.
    """
    if experience is None:
        experience = Experience(profile=profile)
    elif experience.profile_id != profile.pk:
        raise ValueError("This experience belongs to another profile.")
    for field in EXPERIENCE_FIELDS:
        if field in data:
            setattr(experience, field, data[field])
    experience.full_clean(exclude=["profile"], validate_unique=False)
    experience.save()
    if "skills" in data:
        skills = list(data["skills"])
        experience.skills.set(skills)
        held = set(profile.skills.filter(skill__in=skills).values_list("skill_id", flat=True))
        for skill in skills:
            if skill.pk not in held:
                candidate_skill_set(profile=profile, skill=skill, level=1)
    return experience


def candidate_experience_delete(*, experience):
    """Removes an experience; the skills it added stay in the profile."""
    experience.delete()


@transaction.atomic
def candidate_education_save(*, profile, data, education=None):
    """Creates (or, given `education`, changes) a diploma; the profile then has one."""
    if education is None:
        education = Education(profile=profile)
    elif education.profile_id != profile.pk:
        raise ValueError("This diploma belongs to another profile.")
    for field in EDUCATION_FIELDS:
        if field in data:
            setattr(education, field, data[field])
    education.full_clean(exclude=["profile"], validate_unique=False)
    education.save()
    if CandidateProfile.objects.filter(pk=profile.pk, has_no_diploma=True).exists():
        candidate_profile_update(profile=profile, data={"has_no_diploma": False})
    profile.has_no_diploma = False
    return education


def candidate_education_delete(*, education):
    education.delete()


# Evidence given by others: tests and training


@transaction.atomic
def candidate_skills_verify(*, profile, skills, evidence, level=2, note="", levels=None):
    """Raises the evidence of `skills` to `evidence` after a passed test or a completed module.

    A skill not yet in the profile is added at `level`, or at its level in `levels` (a mapping
    skill id → level, e.g. the levels a module teaches). A held skill's level is raised to its
    level in `levels`, never lowered. Evidence is never lowered: a skill a training certified
    stays certified when a test also verifies it. Returns the rows changed.
    """
    levels = levels or {}
    current = {
        row.skill_id: row
        for row in CandidateSkill.objects.select_for_update().filter(
            profile=profile, skill__in=skills
        )
    }
    now = timezone.now()
    changed = []
    for skill in skills:
        row = current.get(skill.pk)
        if row is None:
            changed.append(
                CandidateSkill.objects.create(
                    profile=profile,
                    skill=skill,
                    level=levels.get(skill.pk, level),
                    evidence=evidence,
                    evidence_note=note,
                )
            )
            continue
        is_stronger = Evidence.strength(row.evidence) < Evidence.strength(evidence)
        # A weaker source does not vouch for a higher level than the stronger one confirmed.
        is_higher = levels.get(skill.pk, 0) > row.level and not Evidence.strength(
            row.evidence
        ) > Evidence.strength(evidence)
        if is_stronger or is_higher:
            if is_stronger:
                row.evidence = evidence
            if is_higher:
                row.level = levels[skill.pk]
            row.evidence_note = note
            row.validated_by = None
            row.updated_at = now
            row.save(
                update_fields=["level", "evidence", "evidence_note", "validated_by", "updated_at"]
            )
            changed.append(row)
    return changed
