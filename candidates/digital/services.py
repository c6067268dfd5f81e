"""Writes of the digital and cyber track's own data: the DigComp self-assessment and the
external certifications, with what they put on the profile's skills.

Evidence is never lowered: the self-assessment writes only self-declared skills, over
nothing or over an older self-declaration; a verified certification certifies its skills
(``Evidence.TRAINING_CERTIFIED``, the profile's strongest word) and, withdrawn or deleted,
gives back what the profile held before it.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from candidates.models import (
    CandidateProfile,
    CandidateSkill,
    DigitalSelfAssessment,
    ExternalCertification,
)
from candidates.services import candidate_skills_verify
from candidates.signals import profile_changed
from college.models import Evidence, Skill
from college.reference.digital import (
    DIGCOMP_LEVELS,
    DIGCOMP_TO_PROFILE_LEVEL,
    NOT_DONE,
    certification_type,
    digcomp_codes,
    digcomp_competences,
)

ANSWER_VALUES = (NOT_DONE, *DIGCOMP_LEVELS)


# The DigComp self-assessment ----------------------------------------------------------------


def _check_answers(answers):
    """A ValidationError unless `answers` maps known competence numbers to levels 0–6."""
    known = set(digcomp_codes())
    errors = {}
    for code, level in answers.items():
        if code not in known:
            errors[str(code)[:10]] = _("There is no DigComp competence with this number.")
        elif isinstance(level, bool) or not isinstance(level, int) or level not in ANSWER_VALUES:
            errors[code] = _("Choose a level from 1 to 6, or “I have not done this”.")
    if errors:
        raise ValidationError(errors, code="invalid_answers")


@transaction.atomic
def digital_self_assessment_save(*, profile, answers):
    """Saves `answers` (competence number → 0–6) into the person's open take, made if needed.

    Answers not given keep what was saved: a take is filled area by area and nothing saved
    is lost. When all 21 competences are answered the take is completed and its levels are
    written on the profile as self-declared skills. Returns the take.
    """
    _check_answers(answers)
    # Locks the profile: two saves in parallel apply one after the other on the same take.
    profile = CandidateProfile.objects.select_for_update().get(pk=profile.pk)
    take = profile.digital_self_assessments.filter(completed_at__isnull=True).first()
    if take is None:
        try:
            with transaction.atomic():
                take = DigitalSelfAssessment.objects.create(profile=profile)
        except IntegrityError:  # pragma: no cover (the profile's lock serialises the saves)
            take = profile.digital_self_assessments.get(completed_at__isnull=True)
    take.answers = {**take.answers, **answers}
    if set(digcomp_codes()) <= set(take.answers):
        take.completed_at = timezone.now()
        _declare_skills(profile, take.answers)
    take.save()
    return take


def _declare_skills(profile, answers):
    """The completed take's levels, as self-declared skills on the profile.

    A competence the person has not done adds nothing and removes nothing. A skill held with
    stronger evidence (a counsellor, a test, a training or a certification) keeps it, level
    and all; an older self-declaration takes the new level: it is the person's latest word.
    """
    by_uri = {item.esco_uri: item.code for item in digcomp_competences()}
    skills = Skill.objects.filter(esco_uri__in=by_uri)
    wanted = {
        skill.pk: DIGCOMP_TO_PROFILE_LEVEL[answers[by_uri[skill.esco_uri]]]
        for skill in skills
        if answers.get(by_uri[skill.esco_uri], NOT_DONE) != NOT_DONE
    }
    held = {
        row.skill_id: row
        for row in CandidateSkill.objects.select_for_update().filter(
            profile=profile, skill_id__in=wanted
        )
    }
    now = timezone.now()
    added, changed = [], []
    for skill_id, level in wanted.items():
        row = held.get(skill_id)
        if row is None:
            added.append(
                CandidateSkill(
                    profile=profile,
                    skill_id=skill_id,
                    level=level,
                    evidence=Evidence.SELF_DECLARED,
                )
            )
        elif row.evidence == Evidence.SELF_DECLARED and row.level != level:
            row.level = level
            row.declared_level = None
            row.updated_at = now
            changed.append(row)
    CandidateSkill.objects.bulk_create(added)
    CandidateSkill.objects.bulk_update(changed, ["level", "declared_level", "updated_at"])
    if added or changed:
        profile_changed(profile.pk)


# External certifications ----------------------------------------------------------------------


@transaction.atomic
def external_certification_add(
    *, profile, certification, obtained_on, credential_id, verification_url=""
):
    """Records a certification the person holds, waiting for a check.

    A ValidationError naming the field for an unknown certification, a date in the future,
    an empty identifier or one already recorded for this certification.
    """
    credential_id = (credential_id or "").strip()
    errors = {}
    if certification_type(certification) is None:
        errors["certification"] = _("Choose a certification from the list.")
    if obtained_on > timezone.localdate():
        errors["obtained_on"] = _("The date cannot be in the future.")
    if not credential_id:
        errors["credential_id"] = _("Give the identifier written on the certificate.")
    elif len(credential_id) > 100:
        errors["credential_id"] = _("At most 100 characters.")
    if errors:
        raise ValidationError(errors, code="invalid")
    CandidateProfile.objects.select_for_update().get(pk=profile.pk)
    if ExternalCertification.objects.filter(
        profile=profile, certification=certification, credential_id=credential_id
    ).exists():
        raise ValidationError(
            {"credential_id": _("You have already recorded this certification.")},
            code="duplicate",
        )
    return ExternalCertification.objects.create(
        profile=profile,
        certification=certification,
        obtained_on=obtained_on,
        credential_id=credential_id,
        verification_url=verification_url or "",
    )


def _evidence_note(record):
    """What the certified skills say about their proof: certification, issuer, date, id."""
    kind = certification_type(record.certification)
    with translation.override(record.profile.user.preferred_language):
        return _(
            "Certification “%(title)s” issued by %(issuer)s on %(date)s, identifier "
            "%(identifier)s; checked by Passerelle."
        ) % {
            "title": kind.title,
            "issuer": kind.issuer,
            "date": formats.date_format(record.obtained_on, "SHORT_DATE_FORMAT"),
            "identifier": record.credential_id,
        }


def _certify(record):
    """Certifies the record's skills; keeps in `granted` what each changed row held before."""
    kind = certification_type(record.certification)
    skills = list(Skill.objects.filter(esco_uri__in=kind.skill_uris))
    before = {
        row.skill_id: {
            "level": row.level,
            "evidence": row.evidence,
            "evidence_note": row.evidence_note,
            "validated_by": row.validated_by_id,
        }
        for row in CandidateSkill.objects.select_for_update().filter(
            profile=record.profile, skill__in=skills
        )
    }
    note = _evidence_note(record)
    changed = candidate_skills_verify(
        profile=record.profile,
        skills=skills,
        evidence=Evidence.TRAINING_CERTIFIED,
        levels={skill.pk: kind.level for skill in skills},
        level=kind.level,
        note=note,
    )
    granted = dict(record.granted.get("skills", {}))
    for row in changed:
        granted.setdefault(str(row.skill_id), before.get(row.skill_id))
    record.granted = {"note": note, "skills": granted}
    if changed:
        profile_changed(record.profile_id)


def _uncertify(record):
    """Gives back what the record's certification replaced, where the proof is still its own;
    the person's other verified certifications then certify again what they cover."""
    note = record.granted.get("note")
    granted = record.granted.get("skills", {})
    if not granted:
        record.granted = {}
        return
    rows = CandidateSkill.objects.select_for_update().filter(
        profile=record.profile,
        skill_id__in=[int(pk) for pk in granted],
        evidence=Evidence.TRAINING_CERTIFIED,
        evidence_note=note,
    )
    for row in rows:
        previous = granted[str(row.skill_id)]
        if previous is None:
            row.delete()
            continue
        row.level = previous["level"]
        row.evidence = previous["evidence"]
        row.evidence_note = previous["evidence_note"]
        row.validated_by_id = previous["validated_by"]
        row.save(update_fields=["level", "evidence", "evidence_note", "validated_by", "updated_at"])
    record.granted = {}
    profile_changed(record.profile_id)
    others = ExternalCertification.objects.select_for_update().filter(
        profile=record.profile, status=ExternalCertification.Status.VERIFIED
    )
    for other in others.exclude(pk=record.pk).select_related("profile__user"):
        _certify(other)
        other.save(update_fields=["granted"])


def _locked(record):
    return (
        ExternalCertification.objects.select_for_update()
        .select_related("profile__user")
        .get(pk=record.pk)
    )


@transaction.atomic
def external_certification_verify(*, certification, by, note=""):
    """A counsellor guiding the person, or staff, confirms the certification after checking it.

    Verifying a verified certification changes nothing (two checks at once certify once: the
    row is locked). Its skills are then certified at the certification's level.
    """
    record = _locked(certification)
    if record.status == ExternalCertification.Status.VERIFIED:
        return record
    record.status = ExternalCertification.Status.VERIFIED
    record.checked_by = by
    record.checked_at = timezone.now()
    record.check_note = (note or "").strip()
    _certify(record)
    record.save()
    return record


@transaction.atomic
def external_certification_reject(*, certification, by, reason):
    """Refuses the certification, with the reason shown to the person; a verified one loses
    the evidence it gave."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"note": _("Say why: what you checked and what did not match.")}, code="required"
        )
    record = _locked(certification)
    if record.status == ExternalCertification.Status.VERIFIED:
        _uncertify(record)
    record.status = ExternalCertification.Status.REJECTED
    record.checked_by = by
    record.checked_at = timezone.now()
    record.check_note = reason
    record.save()
    return record


@transaction.atomic
def external_certification_delete(*, certification):
    """The person withdraws a certification: the evidence it gave goes with it."""
    record = _locked(certification)
    if record.status == ExternalCertification.Status.VERIFIED:
        _uncertify(record)
    record.delete()
