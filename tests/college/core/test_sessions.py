"""Sessions: a new key at login, an end after 30 idle minutes or 8 hours, or a new password."""

import datetime

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-password"


@pytest.fixture
def signed_in(client, cast):
    client.post("/accounts/login/", {"username": cast.candidate.email, "password": PASSWORD})
    return client


def test_logging_in_gives_a_new_session_key(client, cast):
    client.get("/accounts/login/")
    before = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    client.post("/accounts/login/", {"username": cast.candidate.email, "password": PASSWORD})
    after = client.cookies["sessionid"].value
    assert after and after != before
    assert client.session.session_key == after


def test_a_session_idle_for_more_than_thirty_minutes_ends(signed_in, settings):
    later = timezone.now() + datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 5)
    with time_machine.travel(later, tick=False):
        response = signed_in.get("/me/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in signed_in.session


def test_activity_keeps_the_session_alive_within_the_idle_limit(signed_in):
    now = timezone.now()
    for minutes in (20, 40, 60, 80):
        with time_machine.travel(now + datetime.timedelta(minutes=minutes), tick=False):
            assert signed_in.get("/me/").status_code == 200


def test_the_absolute_limit_ends_even_an_active_session(signed_in, settings):
    now = timezone.now()
    step = datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 60)
    moment = now
    while moment - now < datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE):
        moment += step
        with time_machine.travel(moment, tick=False):
            response = signed_in.get("/me/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_an_expired_session_on_the_api_is_a_401(signed_in, settings):
    later = timezone.now() + datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 5)
    with time_machine.travel(later, tick=False):
        response = signed_in.get("/api/v1/me/profile/")
    assert response.status_code == 401


def test_a_new_password_ends_every_other_session_of_the_account(client, cast, django_user_model):
    from django.test import Client

    other_device = Client()
    other_device.post("/accounts/login/", {"username": cast.candidate.email, "password": PASSWORD})
    assert other_device.get("/me/").status_code == 200
    user = django_user_model.objects.get(pk=cast.candidate.pk)
    user.set_password("another-long-enough-password")
    user.save()
    response = other_device.get("/me/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
