"""The API throttles' sliding log on Redis (college.core.ratelimit.AtomicHistoryMixin): DRF's
answers, in one atomic step, so that parallel requests never pass the limit.

Needs the Redis server of the development machine and CI (127.0.0.1:6379, database 13,
emptied by these tests)."""

import threading

import pytest
import redis
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from college.core.ratelimit import AnonymousRateThrottle
from college.core.redis_cache import RedisCache

REDIS = "redis://127.0.0.1:6379/13"
REDIS_CACHES = {
    "default": {
        "BACKEND": "college.core.redis_cache.RedisCache",
        "LOCATION": REDIS,
        "KEY_PREFIX": "throttle-test",
    }
}


def _redis_is_up():
    try:
        return redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not _redis_is_up(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def on_redis(settings):
    settings.CACHES = REDIS_CACHES
    caches["default"].clear()
    yield
    caches["default"].clear()


def _request(address="10.1.2.3"):
    request = RequestFactory().get("/api/v1/skills/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    wrapped = Request(request)
    wrapped._user = AnonymousUser()
    return wrapped


def _throttle(cls, rate, now=None):
    throttle = cls.__new__(cls)
    throttle.rate = rate
    throttle.num_requests, throttle.duration = throttle.parse_rate(rate)
    if now is not None:
        throttle.timer = lambda: now
    return throttle


def test_it_refuses_past_the_limit_with_drfs_wait(on_redis):
    answers = [
        _throttle(AnonymousRateThrottle, "3/minute", now=1000.0 + step).allow_request(
            _request(), None
        )
        for step in range(3)
    ]
    refused = _throttle(AnonymousRateThrottle, "3/minute", now=1010.0)
    assert answers == [True, True, True]
    assert refused.allow_request(_request(), None) is False
    # The oldest request leaves the window at 1060: 50 s from now, for one request.
    assert refused.wait() == pytest.approx(50.0)
    other = _throttle(AnonymousRateThrottle, "3/minute", now=1010.0)
    assert other.allow_request(_request("10.9.9.9"), None) is True  # another caller
    later = _throttle(AnonymousRateThrottle, "3/minute", now=1060.5)
    assert later.allow_request(_request(), None) is True  # the first left the window


def test_parallel_requests_never_pass_the_limit(on_redis):
    allowed = []
    barrier = threading.Barrier(24)

    def call():
        throttle = _throttle(AnonymousRateThrottle, "10/minute")
        barrier.wait()
        allowed.append(throttle.allow_request(_request(), None))

    threads = [threading.Thread(target=call) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 10 and allowed.count(False) == 14


@settings(max_examples=60, deadline=None)
@given(
    gaps=st.lists(st.floats(0, 30, allow_nan=False), min_size=1, max_size=25),
    limit=st.integers(1, 6),
)
def test_it_answers_as_drfs_own_history_does(gaps, limit):
    """The same requests, at the same times: DRF's throttle on a memory cache and ours on
    Redis allow the same ones and ask to wait as long."""
    redis_cache = RedisCache(REDIS, {"KEY_PREFIX": "prop"})
    redis_cache.clear()
    memory = LocMemCache("prop", {})
    memory.clear()
    now = 5000.0
    for gap in gaps:
        now += gap
        drf = _throttle(AnonRateThrottle, f"{limit}/minute", now=now)
        drf.cache = memory
        ours = _throttle(AnonymousRateThrottle, f"{limit}/minute", now=now)
        ours.cache = redis_cache
        with settings_caches(redis_cache):
            assert ours.allow_request(_request(), None) == drf.allow_request(_request(), None)
        assert ours.wait() == pytest.approx(drf.wait())
    redis_cache.clear()


class settings_caches:
    """`caches["default"]` is this cache for the block (the mixin asks it for its client)."""

    def __init__(self, cache):
        self.cache = cache

    def __enter__(self):
        self.saved = getattr(caches._connections, "default", None)
        caches._connections.default = self.cache

    def __exit__(self, *exc):
        if self.saved is None:
            del caches._connections.default
        else:
            caches._connections.default = self.saved


@pytest.mark.django_db
def test_the_api_refuses_the_fourth_anonymous_read_with_retry_after(
    on_redis, api_client, monkeypatch, reference_data
):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})
    statuses = [api_client.get("/api/v1/skills/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = api_client.get("/api/v1/skills/")
    assert refused.status_code == 429 and 55 <= int(refused["Retry-After"]) <= 60
