"""Background work for the college's training: e-mails to job-seekers about their cohorts.

Tasks take ids, not objects: they run later, maybe on another machine, and read the state
as it is then. Each e-mail is written in the recipient's language.
"""

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from college.core.emails import send_templated_email
from college.models import Enrolment


@task()
def send_enrolment_promoted_email(enrolment_id):
    """Tells a job-seeker that a place freed up in a cohort and is now theirs."""
    enrolment = (
        Enrolment.objects.select_related("cohort__module", "candidate")
        .filter(pk=enrolment_id, status=Enrolment.Status.ENROLLED)
        .first()
    )
    if enrolment is None:  # cancelled or erased since: nothing to say
        return False
    user = enrolment.candidate
    cohort = enrolment.cohort
    with translation.override(user.preferred_language):
        context = {
            "name": user.get_short_name(),
            "module_title": cohort.module.title,
            "code": cohort.code,
            "starts_on": cohort.starts_on,
            "place": cohort.place,
            "url": settings.SITE_URL + reverse("cohort_detail", args=[cohort.code]),
            "my_training_url": settings.SITE_URL + reverse("my_training"),
        }
    send_templated_email(
        to=user.email,
        language=user.preferred_language,
        template="enrolment_promoted",
        context=context,
    )
    return True
