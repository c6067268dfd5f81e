"""The privacy notice's version and the facts it states that the code enforces.

Change the notice's substance → move NOTICE_VERSION on: the consent texts
(candidates/consent.py) name it, so a consent recorded before names the notice it was given
under, and the sign-up acknowledgement is stored with it (`User.privacy_notice_version`).
"""

from django.conf import settings

from college.models import User

NOTICE_VERSION = "2026-12"
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
