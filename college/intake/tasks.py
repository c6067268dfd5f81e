"""E-mails to applicants about decisions on their intake application, in their language.

Tasks take ids: they run later, maybe on another machine, and read the state as it is then.
"""

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from college.core.emails import send_templated_email
from college.models import IntakeApplication


@task()
def send_intake_decision_email(application_id, decision):
    """Tells the applicant about a decision, unless a later one replaced it since."""
    application = (
        IntakeApplication.objects.select_related("intake__programme", "candidate")
        .filter(pk=application_id, status=decision)
        .first()
    )
    if application is None:
        return False
    latest = application.decisions.order_by("-created_at", "-pk").first()
    user = application.candidate
    with translation.override(user.preferred_language):
        context = {
            "name": user.get_short_name(),
            "programme": application.intake.programme.title,
            "decision": decision,
            "message": latest.message if latest else "",
            "promoted": latest is not None and latest.author_id is None,
            "starts_on": application.intake.starts_on,
            "url": settings.SITE_URL + reverse("intake:my_application", args=[application.pk]),
        }
    send_templated_email(
        to=user.email,
        language=user.preferred_language,
        template="intake_decision",
        context=context,
    )
    return True
