"""Rate limits: 429 with Retry-After and a translated message past each route's limit."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from college.core import ratelimit

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-enough-password"


@pytest.fixture(autouse=True)
def low_limits(settings):
    settings.MFA_ENFORCED = False
    settings.RATE_LIMITS = {
        "signup": "2/hour",
        "password_reset": "2/hour",
        "login": "2/hour",
        "token": "2/hour",
        "mfa": "2/hour",
        "export": "2/hour",
    }


def assert_limited(response, *, text=None):
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    if text:
        assert text in response.content.decode()


def test_sign_up_posts_are_limited_per_client(client):
    client.cookies["passerelle_language"] = "en"
    for _attempt in range(2):
        assert client.post("/accounts/signup/", {"email": "bad"}).status_code == 200
    assert_limited(client.post("/accounts/signup/", {"email": "bad"}), text="Too many requests")
    # Reading the page stays possible.
    assert client.get("/accounts/signup/").status_code == 200


@pytest.mark.parametrize(
    ("language", "words"), [("fr", "Trop de demandes."), ("nl", "Te veel aanvragen.")]
)
def test_the_message_follows_the_visitors_language(client, language, words):
    for _attempt in range(3):
        response = client.post(
            "/accounts/password-reset/",
            {"email": "x@example.org"},
            headers={"accept-language": language},
        )
    assert_limited(response)
    assert response.context["message"].startswith(words)


def test_the_minutes_to_wait_read_as_a_number_in_each_language():
    cases = {
        "fr": ("Attendez 1 minute avant", "Attendez 2 minutes avant", "Attendez 60 minutes avant"),
        "nl": ("Wacht 1 minuut voor", "Wacht 2 minuten voor", "Wacht 60 minuten voor"),
        "en": ("Wait 1 minute before", "Wait 2 minutes before", "Wait 60 minutes before"),
    }
    for language, expected in cases.items():
        with translation.override(language):
            said = [ratelimit.wait_message(seconds) for seconds in (1, 61, 3600)]
        for words, message in zip(expected, said, strict=True):
            assert words in message and "(s)" not in message, (language, message)


def test_password_reset_requests_are_limited(client):
    for _attempt in range(2):
        response = client.post("/accounts/password-reset/", {"email": "x@example.org"})
        assert response.status_code == 302
    assert_limited(client.post("/accounts/password-reset/", {"email": "x@example.org"}))


def test_token_requests_are_limited_with_a_json_answer(api_client, cast):
    data = {"email": cast.candidate.email, "password": PASSWORD}
    for _attempt in range(2):
        assert api_client.post("/api/v1/auth/token/", data, format="json").status_code == 200
    response = api_client.post("/api/v1/auth/token/", data, format="json")
    assert_limited(response)
    assert response.json()["detail"]


def test_the_admin_login_is_limited(client):
    for _attempt in range(2):
        client.post("/admin/login/", {"username": "a@example.org", "password": "wrong"})
    assert_limited(client.post("/admin/login/", {"username": "a@example.org", "password": "x"}))


def test_the_personal_data_export_is_limited_per_account(client, cast):
    client.force_login(cast.candidate)
    for _attempt in range(2):
        assert client.get("/api/v1/me/export/").status_code == 200
    assert_limited(client.get("/api/v1/me/export/"))
    # Another person has their own allowance.
    client.force_login(cast.other_candidate)
    assert client.get("/api/v1/me/export/").status_code == 200


def test_token_authenticated_exports_are_counted_per_token(api_client, cast):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=cast.candidate)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for _attempt in range(2):
        assert api_client.get("/api/v1/me/export/").status_code == 200
    assert_limited(api_client.get("/api/v1/me/export/"))


def test_the_caseload_csv_is_limited(client, cast):
    client.force_login(cast.counsellor)
    for _attempt in range(2):
        assert client.get("/caseload/export.csv").status_code == 200
    assert_limited(client.get("/caseload/export.csv"))


def test_failed_logins_are_refused_with_retry_after(client, cast, settings):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": cast.candidate.email, "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": cast.candidate.email, "password": "wrong"}
    )
    assert_limited(response)


def test_the_window_ends(client, settings):
    cache.clear()
    assert ratelimit.hit("signup", "client:x") == 0
    assert ratelimit.hit("signup", "client:x") == 0
    assert ratelimit.hit("signup", "client:x") > 0
    assert ratelimit.hit("signup", "client:y") == 0


def test_every_limited_route_exists():
    from django.urls import NoReverseMatch, reverse

    for name in ratelimit.LIMITS:
        try:
            reverse(name)
        except NoReverseMatch as error:
            # Routes with arguments exist when reversing asks for them.
            assert "arguments" in str(error) or "keyword" in str(error), name


def test_a_rate_reads_like_count_per_period():
    assert ratelimit.parse_rate("5/hour") == (5, 3600)
    with pytest.raises(ImproperlyConfigured):
        ratelimit.parse_rate("lots")
