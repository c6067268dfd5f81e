"""E-mail alerts: a newly published vacancy that fits a job-seeker at least as well as the
threshold they chose (`CandidateProfile.match_alert_threshold`).

Every job-seeker with a threshold is scored in one SQL statement (`matching.shortlist` over
that pool); only those at or above their threshold are then read and written to. Each
job-seeker hears of a vacancy once: a `MatchAlert` row is written in the same transaction as
the e-mail is handed over, and its unique constraint settles two runs racing (a vacancy
published, closed and published again, or a task run twice).
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from candidates.models import CandidateProfile
from college import matching
from college.core.text import header_safe, xml_safe
from college.models import User
from college.reference.fit import fit_of
from employers.models import MatchAlert, Vacancy

logger = logging.getLogger(__name__)


def match_alert_pool(vacancy):
    """Active job-seekers with an alert threshold who have not heard of this vacancy yet."""
    already = MatchAlert.objects.filter(vacancy=vacancy, profile=OuterRef("pk"))
    return CandidateProfile.objects.filter(
        match_alert_threshold__isnull=False,
        user__is_active=True,
        user__role=User.Role.CANDIDATE,
    ).exclude(Exists(already))


def match_alert_recipients(vacancy):
    """[(profile, score)] of those the vacancy fits at or above their threshold, best first."""
    pool = match_alert_pool(vacancy)
    scores = matching.shortlist(vacancy=vacancy, limit=None, pool=pool)
    if not scores:
        return []
    thresholds = dict(
        pool.filter(pk__in=[pk for pk, _score in scores]).values_list("pk", "match_alert_threshold")
    )
    wanted = [(pk, score) for pk, score in scores if score >= thresholds.get(pk, 101)]
    profiles = CandidateProfile.objects.select_related("user").in_bulk(
        [pk for pk, _score in wanted]
    )
    return [(profiles[pk], score) for pk, score in wanted if pk in profiles]


def _alert_email(*, vacancy, profile, score):
    user = profile.user
    language = user.preferred_language
    with translation.override(language):
        fit = fit_of(score)
        context = {
            "name": user.get_short_name(),
            "vacancy_title": vacancy.title,
            "employer": vacancy.employer.name,
            "commune": vacancy.commune.name,
            "closes_on": vacancy.closes_on,
            "score": score,
            "words": fit.words,
            "meaning": fit.meaning,
            "threshold": profile.match_alert_threshold,
            "url": settings.SITE_URL + reverse("employers:vacancy_detail", args=[vacancy.pk]),
            "matches_url": settings.SITE_URL + reverse("candidates:matches"),
        }
        # A title with a line break would be a header injection (Django refuses to send it).
        subject = header_safe(render_to_string("emails/match_alert_subject.txt", context))
        body = xml_safe(render_to_string("emails/match_alert.txt", context))
    return subject, body


def match_alerts_send(*, vacancy):
    """E-mails the job-seekers this published vacancy fits at or above their threshold, each
    once only. Returns the number of e-mails sent (0 when the vacancy is no longer public)."""
    vacancy = (
        Vacancy.objects.published()
        .select_related("employer", "commune")
        .filter(pk=vacancy.pk)
        .first()
    )
    if vacancy is None:
        return 0
    sent = 0
    for profile, score in match_alert_recipients(vacancy):
        subject, body = _alert_email(vacancy=vacancy, profile=profile, score=score)
        try:
            # The row and the hand-over succeed or fail together: a failed send is retried
            # by the next run, a sent one is never sent again.
            with transaction.atomic():
                MatchAlert.objects.create(vacancy=vacancy, profile=profile, score=score)
                send_mail(subject, body, None, [profile.user.email])
        except IntegrityError:
            continue  # another run alerted this job-seeker meanwhile
        sent += 1
    logger.info("match alerts sent", extra={"vacancy": vacancy.pk, "sent": sent})
    return sent
