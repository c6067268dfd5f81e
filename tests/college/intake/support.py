"""Helpers of the intake tests: finished practice attempts with a chosen result, a closed
intake, and API clients."""

import datetime

from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from assessments.models import Attempt, Battery
from tests import factories


def batteries(count=2):
    return list(Battery.objects.filter(kind=Battery.Kind.FIXED).order_by("pk")[:count])


def finished_attempt(user, battery, *, score=None, theta=None, days_ago=3):
    started = timezone.now() - datetime.timedelta(days=days_ago)
    return Attempt.objects.create(
        battery=battery,
        user=user,
        mode=Attempt.Mode.EXAM,
        language="fr",
        seed=1,
        status=Attempt.Status.FINISHED,
        started_at=started,
        deadline=started + datetime.timedelta(hours=1),
        finished_at=started + datetime.timedelta(minutes=30),
        score_percent=score,
        theta=theta,
    )


def closed_intake(**kwargs):
    """An intake that closed yesterday and starts in a month: decisions may be taken."""
    today = timezone.localdate()
    defaults = {
        "opens_on": today - datetime.timedelta(days=20),
        "closes_on": today - datetime.timedelta(days=1),
        "starts_on": today + datetime.timedelta(days=30),
    }
    return factories.IntakeFactory(**{**defaults, **kwargs})


def api_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.get_or_create(user=user)[0].key)
    return client
