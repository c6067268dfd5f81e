"""The skills passport's check code, its contact line and its file name.

A passport carries a check code, drawn like a certificate's (college.training.certificates: the same
alphabet, display and reading of typed codes). The code belongs to the profile: a passport
whose checked content (the holder's name, each skill's level and evidence, each language's
CEFR level) is the last one's keeps its code; otherwise a new code is drawn and the old one
stops checking. The public page confirms a code only while that content is unchanged and the
account exists, and shows no more than the printed passport does: once the person changes a
skill or a language, or erases their account, a printed passport no longer checks.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from candidates.models import CandidateProfile
from candidates.selectors import candidate_profile_detail
from college.core.check_codes import certificate_code_new, certificate_code_normalise

# What the job-seeker may print as their contact line: nothing is printed unless chosen.
CONTACT_CHOICES = ("email", "phone", "both", "none")


def passport_fingerprint(profile):
    """A digest of what the check confirms; `profile` comes from candidate_profile_detail."""
    content = {
        "name": profile.user.full_name,
        "skills": sorted([row.skill_id, row.level, row.evidence] for row in profile.skills.all()),
        "languages": sorted([row.language_id, row.cefr] for row in profile.languages.all()),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def passport_issue(*, profile):
    """The check code for a passport of `profile` as it is now (loaded by the detail selector).

    The last code when the checked content is unchanged, else a new one (the last stops
    checking). Returns the code, stored without dashes.
    """
    fingerprint = passport_fingerprint(profile)
    if profile.passport_code and profile.passport_fingerprint == fingerprint:
        return profile.passport_code
    for _attempt in range(5):
        code = certificate_code_new()
        try:
            with transaction.atomic():
                # Only over the code this passport replaces: when two downloads draw at once,
                # the second finds the first's code and prints it (same content, same code).
                # update(): drawing a code is not a change of the profile (updated_at).
                drawn = CandidateProfile.objects.filter(
                    pk=profile.pk, passport_code=profile.passport_code
                ).update(
                    passport_code=code,
                    passport_fingerprint=fingerprint,
                    passport_issued_on=timezone.localdate(),
                )
        except IntegrityError:  # once in 10^18, the code was taken
            continue
        if not drawn:
            profile.refresh_from_db(
                fields=["passport_code", "passport_fingerprint", "passport_issued_on"]
            )
            return passport_issue(profile=profile)
        profile.passport_code = code
        profile.passport_fingerprint = fingerprint
        profile.passport_issued_on = timezone.localdate()
        return code
    raise RuntimeError("Could not draw a free passport code.")


def passport_lookup(code):
    """The profile whose current passport has this typed code, for the public check; else None.

    None for a code that cannot be one, that no profile holds, whose holder's checked content
    has changed since, or whose account is closed. The profile comes with its skills and
    languages loaded.
    """
    normalised = certificate_code_normalise(code)
    if not normalised:
        return None
    profile = CandidateProfile.objects.filter(
        passport_code=normalised, user__is_active=True
    ).first()
    if profile is None:
        return None
    profile = candidate_profile_detail(profile=profile)
    if passport_fingerprint(profile) != profile.passport_fingerprint:
        return None
    return profile


def passport_contact(profile, choice):
    """The contact details the job-seeker chose to print, in order (e-mail, then phone)."""
    choice = choice if choice in CONTACT_CHOICES else "none"
    details = []
    if choice in ("email", "both"):
        details.append(profile.user.email)
    if choice in ("phone", "both") and profile.phone:
        details.append(profile.phone)
    return details


def passport_filename(full_name):
    """The PDF's file name in the active language, with the holder's name in plain letters."""
    # Translators: the start of a file name: lower case, words joined by hyphens.
    stem = slugify(_("skills-passport")) or "skills-passport"
    name = slugify(full_name)[:60].strip("-")
    return f"{stem}-{name}.pdf" if name else f"{stem}.pdf"
