"""The privacy notice's version and the facts it states that the code enforces.

Change the notice's substance → move NOTICE_VERSION on: the consent texts
(candidates/consent.py) name it, so a consent recorded before names the notice it was given
under, and the sign-up acknowledgement is stored with it (`User.privacy_notice_version`).
The version is the date of the last change in substance (the first, "2026-12", named only its
month). A test keeps the notice's text and its version together: changing the text fails it
until the version (or, for a change of wording only, the text's fingerprint) is moved on.
"""

from django.conf import settings

from college.models import User

# 2026-12-07: the selective intakes became a purpose, with their legal basis and the pseudonym.
NOTICE_VERSION = "2026-12-07"
CONTROLLER_EMAIL = "privacy@passerelle.example"
DPO_EMAIL = "dpo@passerelle.example"


def retention_facts():
    """The periods the code enforces, read from the settings the code reads."""
    return {
        "inactive_months": settings.RETENTION_MONTHS,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "session_idle_minutes": settings.SESSION_IDLE_TIMEOUT // 60,
        "reset_link_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
    }


def privacy_notice_acknowledge(*, user):
    """Records that `user` acknowledged the notice in force (the sign-up checkbox)."""
    User.objects.filter(pk=user.pk).update(privacy_notice_version=NOTICE_VERSION)
    user.privacy_notice_version = NOTICE_VERSION
