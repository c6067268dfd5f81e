"""`POST /api/v1/auth/token/` exchanges credentials for a token, as shared/API.md promises."""

import pytest
from rest_framework.authtoken.models import Token

from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


@pytest.fixture
def person(db):
    return factories.EmployerMemberFactory(email="recruiter@example.org")


def test_right_credentials_return_the_users_token(api_client, person):
    response = api_client.post(
        URL, {"email": "recruiter@example.org", "password": "a-long-enough-password"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=person).key}


def test_asking_twice_returns_the_same_token(api_client, person):
    data = {"email": "recruiter@example.org", "password": "a-long-enough-password"}
    first = api_client.post(URL, data, format="json").json()["token"]
    second = api_client.post(URL, data, format="json").json()["token"]
    assert first == second


def test_wrong_credentials_are_a_400_with_a_message(api_client, person):
    response = api_client.post(
        URL, {"email": "recruiter@example.org", "password": "not the password"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"]
    assert not Token.objects.exists()


def test_missing_or_malformed_fields_are_reported_per_field(api_client):
    response = api_client.post(URL, {"email": "not-an-address"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_repeated_failures_are_throttled_with_429(api_client, person, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    for _attempt in range(5):
        api_client.post(URL, {"email": "recruiter@example.org", "password": "guess"}, format="json")
    response = api_client.post(
        URL, {"email": "recruiter@example.org", "password": "a-long-enough-password"}, format="json"
    )
    assert response.status_code == 429
    assert "Retry-After" in response


def test_the_token_authenticates_api_requests(api_client, person):
    token = Token.objects.create(user=person)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api_client.get("/api/v1/skills/?page_size=1")
    assert response.status_code == 200
    assert response.wsgi_request.user == person


def test_an_unknown_token_is_refused_with_401(api_client, reference_data):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert api_client.get("/api/v1/skills/").status_code == 401
