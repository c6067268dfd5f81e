"""Background work for employers' data: e-mails to job-seekers and invited colleagues, and a
changed vacancy's public page and representation rendered ahead of its first reader.

Tasks take ids, not objects: they run later, maybe on another machine, and read the state
as it is then. Each e-mail is written in the recipient's language.
"""

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from college.core.emails import send_templated_email
from employers import vacancy_cache
from employers.appointments import appointment_ics
from employers.models import Application, Invitation, ShortlistInvitation


def _recruiter_contact(application):
    """The member of the organisation who made the last move: the person a candidate asks
    about an appointment (another date, the way in). None when nobody of it did."""
    event = (
        application.events.select_related("changed_by__membership")
        .order_by("-changed_at", "-pk")
        .first()
    )
    member = event.changed_by if event is not None else None
    if member is None or not member.is_active:
        return None
    membership = getattr(member, "membership", None)
    if membership is None or membership.employer_id != application.vacancy.employer_id:
        return None
    return member


@task()
def render_vacancy_shared_parts(vacancy_id):
    """Its page's and its API representation's shared parts in every language
    (employers/vacancy_cache.py); how many were rendered (none when kept already, or when
    the vacancy is not published)."""
    return vacancy_cache.render_ahead(vacancy_id)


@task()
def send_application_stage_email(application_id):
    application = (
        Application.objects.select_related("vacancy__employer", "profile__user")
        .filter(pk=application_id, is_erased=False)
        .first()
    )
    if application is None:  # erased or withdrawn since: nothing to say
        return False
    user = application.profile.user
    attachment = None
    with translation.override(user.preferred_language):
        context = {
            "name": user.get_short_name(),
            "vacancy_title": application.vacancy.title,
            "employer": application.vacancy.employer.name,
            "stage": application.get_stage_display(),
            "reason": application.get_reason_display() if application.reason else "",
            "note": application.reason_note,
            "appointment_at": application.appointment_at,
            "place": application.appointment_place,
            "instructions": application.appointment_instructions,
            "url": settings.SITE_URL + reverse("employers:my_applications"),
        }
        contact = _recruiter_contact(application)
        if contact is not None:
            context.update(contact_name=contact.full_name, contact_email=contact.email)
        if application.appointment_at is not None:
            attachment = ("invitation.ics", appointment_ics(application), "text/calendar")
    send_templated_email(
        to=user.email,
        language=user.preferred_language,
        template="application_stage",
        context=context,
        attachment=attachment,
        reply_to=contact.email if contact is not None else None,
    )
    return True


@task()
def send_invitation_email(invitation_id):
    invitation = (
        Invitation.objects.select_related("employer", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or not invitation.is_usable:
        return False
    language = invitation.invited_by.preferred_language if invitation.invited_by else "fr"
    with translation.override(language):  # the organisation's name in the e-mail's language
        employer_name = invitation.employer.name
    context = {
        "employer": employer_name,
        "invited_by": invitation.invited_by.full_name if invitation.invited_by else "",
        "url": settings.SITE_URL + reverse("employers:invitation_accept", args=[invitation.token]),
        "expires_at": invitation.expires_at,
    }
    send_templated_email(
        to=invitation.email, language=language, template="invitation", context=context
    )
    return True


@task()
def send_shortlist_invitation_email(invitation_id):
    """Tells a job-seeker seen in a blind shortlist who invited them, for which vacancy, and
    how to apply (or to follow the application they already sent)."""
    invitation = (
        ShortlistInvitation.objects.select_related(
            "vacancy__employer", "profile__user", "invited_by"
        )
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:  # erased since: nothing to say
        return False
    vacancy = invitation.vacancy
    user = invitation.profile.user
    already_applied = (
        Application.objects.filter(vacancy=vacancy, profile=invitation.profile)
        .exclude(reason=Application.Reason.WITHDRAWN)
        .exists()
    )
    if already_applied:
        url = reverse("employers:my_applications")
    else:
        url = reverse("employers:apply", args=[vacancy.pk])
    with translation.override(user.preferred_language):
        context = {
            "name": user.get_short_name(),
            "vacancy_title": vacancy.title,
            "employer": vacancy.employer.name,
            "invited_by": invitation.invited_by.full_name if invitation.invited_by else "",
            "message": invitation.message,
            "already_applied": already_applied,
            "vacancy_url": settings.SITE_URL
            + reverse("employers:vacancy_detail", args=[vacancy.pk]),
            "url": settings.SITE_URL + url,
            "closes_on": vacancy.closes_on,
        }
    send_templated_email(
        to=user.email,
        language=user.preferred_language,
        template="shortlist_invitation",
        context=context,
    )
    return True
