"""The API's token check (college/core/token_auth.py) answers as DRF's own does, in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from college.core.token_auth import TokenAuthentication, user_for_token

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/profile/"


def drf_refusal(key):
    """What DRF's own token check says of `key`."""
    with pytest.raises(exceptions.AuthenticationFailed) as refused:
        authentication.TokenAuthentication().authenticate_credentials(key)
    return refused.value.detail


def test_a_token_finds_its_user_in_one_query(cast):
    token = Token.objects.create(user=cast.candidate)
    with CaptureQueriesContext(connection) as queries:
        user, auth = TokenAuthentication().authenticate_credentials(token.key)
    assert len(queries) == 1
    assert user == cast.candidate and user.email == cast.candidate.email
    assert user.role == cast.candidate.role and user.session_epoch == cast.candidate.session_epoch
    assert auth.key == token.key and auth.user is user


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_an_unknown_token_is_refused_in_drfs_words(api_client, cast, language):
    response = api_client.get(ME, HTTP_AUTHORIZATION="Token nope", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    from django.utils import translation

    with translation.override(language):
        assert response.json()["detail"] == str(drf_refusal("nope"))


def test_an_inactive_persons_token_is_refused_as_drf_refuses_it(api_client, cast):
    token = Token.objects.create(user=cast.candidate)
    cast.candidate.is_active = False
    cast.candidate.save(update_fields=["is_active"])
    response = api_client.get(ME, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 401
    with pytest.raises(exceptions.AuthenticationFailed) as refused:
        TokenAuthentication().authenticate_credentials(token.key)
    assert refused.value.detail == drf_refusal(token.key)


def test_a_deleted_token_is_refused_at_the_next_request(api_client, cast):
    token = Token.objects.create(user=cast.candidate)
    assert api_client.get(ME, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
    token.delete()
    assert user_for_token(token.key) is None
    assert api_client.get(ME, HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 401


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    key=st.text(
        # A WSGI server hands headers over as Latin-1 (PEP 3333): nothing past U+00FF arrives.
        alphabet=st.characters(max_codepoint=0xFF, blacklist_categories=["Cc", "Zs"]),
        max_size=60,
    )
)
def test_any_key_is_refused_with_401_never_a_500(api_client, reference_data, key):
    response = api_client.get(ME, HTTP_AUTHORIZATION=f"Token {key}".strip())
    assert response.status_code == 401
