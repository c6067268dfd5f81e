"""The per-account API throttle (college.core.ratelimit.AccountRateThrottle): what DRF's
UserRateThrottle refuses, without a second history for anonymous callers while the anonymous
rate is the stricter."""

import re

import pytest
from django.core.cache import cache
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from college.core.ratelimit import AccountRateThrottle

pytestmark = pytest.mark.django_db

URL = "/api/v1/skills/"
PERIODS = ["second", "minute", "hour", "day"]
SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def _rates(monkeypatch, anonymous, user):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": anonymous, "user": user})
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"anon": anonymous, "user": user})


def _user_histories():
    return [key for key in cache._cache if "throttle_user_" in str(key)]


def test_an_anonymous_caller_is_counted_once_while_the_anonymous_rate_is_stricter(
    api_client, monkeypatch, reference_data
):
    cache.clear()
    _rates(monkeypatch, "3/minute", "10/minute")
    statuses = [api_client.get(URL).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert _user_histories() == []


def test_an_anonymous_caller_is_counted_by_both_when_the_user_rate_is_stricter(
    api_client, monkeypatch, reference_data
):
    cache.clear()
    _rates(monkeypatch, "10/minute", "2/minute")
    statuses = [api_client.get(URL).status_code for _ in range(3)]
    # DRF's per-user throttle counts anonymous callers by address, and refuses first here.
    assert statuses == [200, 200, 429]
    assert len(_user_histories()) == 1


def test_a_signed_in_caller_is_counted_per_account(api_client, monkeypatch, cast, reference_data):
    cache.clear()
    _rates(monkeypatch, "1/minute", "2/minute")
    token = Token.objects.create(user=cast.candidate)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    statuses = [api_client.get(URL).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@settings(max_examples=200, deadline=None)
@given(
    anonymous=st.tuples(st.integers(1, 1000), st.sampled_from(PERIODS)) | st.none(),
    user=st.tuples(st.integers(1, 1000), st.sampled_from(PERIODS)) | st.none(),
)
def test_the_count_is_left_out_only_when_it_could_never_refuse(anonymous, user):
    """Left out only when every window of the user rate's length holds no more anonymous
    requests than the user rate allows: the anonymous rate admits no more requests over a
    window at least as long."""
    as_text = lambda rate: None if rate is None else f"{rate[0]}/{rate[1]}"  # noqa: E731
    throttle = AccountRateThrottle.__new__(AccountRateThrottle)
    throttle.rate = as_text(user)
    throttle.num_requests, throttle.duration = throttle.parse_rate(throttle.rate)
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {"anon": as_text(anonymous)}
    try:
        left_out = throttle._anonymous_rate_is_stricter()
    finally:
        AnonRateThrottle.THROTTLE_RATES = original
    if user is None:
        assert left_out  # no user rate: DRF's throttle allows everything
    elif anonymous is None:
        assert not left_out
    else:
        never_refuses = anonymous[0] <= user[0] and SECONDS[anonymous[1]] >= SECONDS[user[1]]
        assert left_out == never_refuses


@pytest.mark.parametrize(
    "language, expected",
    [
        ("fr", r"Trop de requêtes\. Disponible à nouveau dans \d+ secondes\."),
        ("nl", r"Te veel aanvragen\. Opnieuw beschikbaar over \d+ seconden\."),
        ("en", r"Too many requests\. Available again in \d+ seconds\."),
    ],
)
def test_a_throttled_call_is_refused_wholly_in_the_readers_language(
    api_client, monkeypatch, reference_data, language, expected
):
    # DRF's Dutch catalogue lacks its second sentence, which came out in French.
    cache.clear()
    _rates(monkeypatch, "1/minute", "10/minute")
    api_client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    refused = api_client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    assert refused.status_code == 429
    assert re.fullmatch(expected, refused.json()["detail"]), refused.json()["detail"]
