"""A password reset, a password change and "sign out everywhere" end every API token and every
other session of the person (college/core/credentials.py), and say so in the audit log without
personal data."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.utils.crypto import salted_hmac
from rest_framework.authtoken.models import Token

from college.models import AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "a sentence I remember 2026"
NEW_PASSWORD = "another sentence for 2027"
PERSONAL_URL = "/me/"
API_URL = "/api/v1/me/profile/"
SESSION_ENGINES = [
    "django.contrib.sessions.backends.db",
    # Sessions in the cache alone (Redis in production) cannot be listed: still ended.
    "django.contrib.sessions.backends.cache",
]


@pytest.fixture(params=SESSION_ENGINES, ids=["db-sessions", "cache-sessions"])
def session_engine(request, settings):
    settings.SESSION_ENGINE = request.param
    return request.param


@pytest.fixture
def person(reference_data):
    return factories.CandidateFactory(
        email="nora.peeters@example.org", full_name="Nora Peeters", password=PASSWORD
    )


def signed_in_client(person):
    client = Client()
    assert client.login(username=person.email, password=PASSWORD)
    assert client.get(PERSONAL_URL).status_code == 200
    return client


def token_works(key):
    return Client().get(API_URL, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def assert_revoked_and_logged(person, token, other_session, *, reason):
    assert not token_works(token.key)
    assert Client().get(API_URL, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401
    assert not Token.objects.filter(user=person).exists()
    response = other_session.get(PERSONAL_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREDENTIALS_REVOKED)
    assert event.actor_id == person.pk
    assert event.object_id == str(person.pk)
    assert event.detail.startswith(reason)
    recorded = " ".join([event.detail, event.object_type, event.object_id, event.actor_role])
    for personal in (person.email, "Nora", "Peeters", token.key):
        assert personal not in recorded


def test_a_password_reset_ends_every_token_and_every_session(client, person, session_engine):
    token = Token.objects.create(user=person)
    other_session = signed_in_client(person)
    assert token_works(token.key)

    client.post("/accounts/password-reset/", {"email": person.email})
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done["Location"] == "/accounts/password-reset/done/"
    assert_revoked_and_logged(person, token, other_session, reason="password_reset")


def test_a_password_change_ends_every_token_and_every_other_session(person, session_engine):
    token = Token.objects.create(user=person)
    here = signed_in_client(person)
    other_session = signed_in_client(person)

    response = here.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert_revoked_and_logged(person, token, other_session, reason="password_changed")
    assert here.get(PERSONAL_URL).status_code == 200, "the session that changed it stays"
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_a_wrong_old_password_changes_nothing(person):
    token = Token.objects.create(user=person)
    here = signed_in_client(person)
    other_session = signed_in_client(person)

    response = here.post(
        "/accounts/password/",
        {"old_password": "not it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert token_works(token.key)
    assert other_session.get(PERSONAL_URL).status_code == 200
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CREDENTIALS_REVOKED).exists()


def test_sign_out_everywhere_ends_every_token_and_every_other_session(person, session_engine):
    token = Token.objects.create(user=person)
    here = signed_in_client(person)
    other_session = signed_in_client(person)
    account_page = here.get("/accounts/")
    assert b'action="/accounts/sign-out-everywhere/"' in account_page.content

    response = here.post("/accounts/sign-out-everywhere/", follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/"
    assert_revoked_and_logged(person, token, other_session, reason="sign_out_everywhere")
    assert here.get(PERSONAL_URL).status_code == 200, "the session that asked stays"
    assert Client().login(username=person.email, password=PASSWORD), "the password still works"


def test_sign_out_everywhere_needs_a_post_with_the_csrf_token(person):
    here = Client(enforce_csrf_checks=True)
    assert here.login(username=person.email, password=PASSWORD)
    token = Token.objects.create(user=person)

    assert here.get("/accounts/sign-out-everywhere/").status_code == 405
    assert here.post("/accounts/sign-out-everywhere/").status_code == 403
    assert token_works(token.key)


def test_sign_out_everywhere_is_offered_in_every_language(person):
    here = signed_in_client(person)
    for language, words in (
        ("fr", "Se déconnecter partout ailleurs"),
        ("nl", "Overal elders afmelden"),
        ("en", "Sign out everywhere else"),
    ):
        assert words in here.get(f"/accounts/?lang={language}").content.decode()


def test_a_new_token_after_the_revocation_works(person, client):
    Token.objects.create(user=person)
    here = signed_in_client(person)
    here.post("/accounts/sign-out-everywhere/")

    response = client.post(
        "/api/v1/auth/token/",
        {"email": person.email, "password": PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert token_works(response.json()["token"])


def test_sessions_of_people_who_never_signed_out_everywhere_survive_the_upgrade(person):
    # The epoch joins the session hash only once moved on: Django's own hash until then.
    djangos_own = salted_hmac(
        "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
        person.password,
        algorithm="sha256",
    ).hexdigest()
    assert person.session_epoch == 0
    assert person.get_session_auth_hash() == djangos_own
    person.session_epoch = 1
    assert person.get_session_auth_hash() != djangos_own


def test_a_password_set_by_staff_in_the_admin_ends_every_token_and_session(person, cast):
    token = Token.objects.create(user=person)
    other_session = signed_in_client(person)
    staff = factories.StaffFactory(is_staff=True, is_superuser=True)
    admin = Client()
    admin.force_login(staff)

    response = admin.post(
        f"/admin/college/user/{person.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert not token_works(token.key)
    assert other_session.get(PERSONAL_URL).status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREDENTIALS_REVOKED)
    assert event.actor_id == staff.pk and event.object_id == str(person.pk)
    assert event.detail.startswith("password_set_by_staff")
    assert admin.get("/admin/").status_code == 200, "the staff member's own session stays"
