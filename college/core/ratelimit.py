"""Request rate limits by route: sign-up, password reset, token creation, exports, MFA codes.

Cache-based fixed windows (Redis in production, shared by every worker). The table below maps a URL
name to its limit; `RateLimitMiddleware` (college/core/middleware.py) applies it to pages before
the view runs, and `RouteRateThrottle` to API views after DRF has authenticated the caller and
checked permissions, so that a call without credentials hears 401, never 429. Both answer 429 with
Retry-After and a translated message. Failed logins have their own, finer counter
(college/core/login_throttle.py).
"""

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_noop, ngettext
from rest_framework.exceptions import Throttled
from rest_framework.throttling import AnonRateThrottle, BaseThrottle, UserRateThrottle

from college.core.login_throttle import client_address

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}

# DRF's own refusal for a throttled API call ("Request was throttled. Expected available in 59
# seconds."), translated here too: DRF's Dutch catalogue lacks the second sentence, which Django
# then took from the default language's, French, in a Dutch answer. Kept here so that
# makemessages keeps them in the project's catalogues, which come before DRF's.
DRF_THROTTLE_MESSAGES = (
    gettext_noop("Request was throttled."),
    gettext_noop("Expected available in {wait} second."),
    gettext_noop("Expected available in {wait} seconds."),
)


@dataclass(frozen=True)
class Limit:
    scope: str
    methods: frozenset


ALL = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})
POST = frozenset({"POST"})

# URL name → the scope whose rate (settings.RATE_LIMITS) it counts against.
LIMITS = {
    "signup": Limit("signup", POST),
    "password_reset": Limit("password_reset", POST),
    "admin:login": Limit("login", POST),
    "api:token": Limit("token", POST),
    "mfa_verify": Limit("mfa", POST),
    "mfa_setup": Limit("mfa", POST),
    "api:me_export": Limit("export", ALL),
    "caseload_csv": Limit("export", ALL),
    "caseload_report": Limit("export", ALL),
    "candidates:passport": Limit("export", ALL),
    "candidates:counsellor_passport": Limit("export", ALL),
    "certificate_pdf": Limit("export", ALL),
}


def parse_rate(rate):
    """'5/hour' → (5, 3600)."""
    try:
        count, period = rate.split("/")
        return int(count), PERIODS[period.strip()]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(f"A rate limit reads like '5/hour', not {rate!r}") from None


def client_key(request):
    """Who is counted: the signed-in account, the API token, or else the client address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if authorization.startswith("Token "):
        return "token:" + hashlib.sha256(authorization.encode()).hexdigest()[:32]
    return "client:" + hashlib.sha256(client_address(request).encode()).hexdigest()[:32]


def hit(scope, who):
    """Counts one request; returns 0 when allowed, else the seconds until the window ends."""
    limit, window = parse_rate(settings.RATE_LIMITS[scope])
    now = int(time.time())
    window_start = now - now % window
    key = f"ratelimit:{scope}:{who}:{window_start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        return max(1, window_start + window - now)
    return 0


def is_api_view(request):
    """API views count in `RouteRateThrottle`, after authentication, not in the middleware."""
    match = getattr(request, "resolver_match", None)
    return match is not None and match.namespaces[:1] == ["api"]


def limit_for(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    limit = LIMITS.get(match.view_name)
    if limit is None or request.method not in limit.methods:
        return None
    return limit


def wait_message(retry_after):
    """The refusal in the active language: the whole minutes to wait, at least one."""
    minutes = max(1, -(-retry_after // 60))
    return ngettext(
        "Too many requests. Wait %(minutes)s minute before trying again.",
        "Too many requests. Wait %(minutes)s minutes before trying again.",
        minutes,
    ) % {"minutes": minutes}


class RouteRateThrottle(BaseThrottle):
    """The table's limit for an API view, counted per account or API token once DRF knows who
    calls (DRF checks throttles after authentication and permissions)."""

    def allow_request(self, request, view):
        limit = limit_for(request)
        if limit is None:
            return True
        retry_after = hit(limit.scope, client_key(request))
        if not retry_after:
            return True
        throttled = Throttled(detail=wait_message(retry_after))
        throttled.wait = retry_after  # DRF's handler turns it into Retry-After
        raise throttled


# The sliding log of DRF's throttles, kept in one Redis sorted set and checked in one step.
_HISTORY_SCRIPT = """
local key = KEYS[1]
local now = tonumber(ARGV[1])
local duration = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - duration)
local count = redis.call('ZCARD', key)
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2] or ARGV[1]
if count >= limit then
  return {0, count, oldest}
end
redis.call('ZADD', key, now, ARGV[4])
redis.call('EXPIRE', key, math.ceil(duration))
return {1, count + 1, oldest}
"""


class AtomicHistoryMixin:
    """DRF's sliding log of a caller's requests, for a throttle on the Redis cache: the times
    of the requests in the window are a sorted set, pruned, counted and added to by one script
    that Redis runs atomically, in one round trip.

    DRF's own reads the whole history (a pickled list), then writes it back: two round trips,
    and under parallel requests each worker appends to the list it read and the last write wins,
    so a burst of parallel requests passed the limit. With another cache (tests, development)
    DRF's own runs. The answer and the Retry-After are DRF's: the same window, the same count.
    """

    def allow_request(self, request, view):
        client = _redis_client()
        if client is None or self.rate is None:
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        member = f"{self.now!r}:{secrets.token_hex(6)}"
        allowed, count, oldest = _history_script(client)(
            keys=[self.cache.make_and_validate_key(f"{self.key}:log")],
            args=[repr(self.now), self.duration, self.num_requests, member],
        )
        self._count, self._oldest = int(count), float(oldest)
        if allowed:
            return True
        return self.throttle_failure()

    def wait(self):
        if not hasattr(self, "_count"):
            return super().wait()
        remaining = self.duration - (self.now - self._oldest) if self._count else self.duration
        available = self.num_requests - self._count + 1
        if available <= 0:
            return None
        return remaining / float(available)


def _redis_client():
    """The Redis client of the default cache, or None when the cache is not Redis."""
    backend = caches["default"]
    if not isinstance(backend, DjangoRedisCache):
        return None
    return backend._cache.get_client(write=True)


_scripts = {}


def _history_script(client):
    script = _scripts.get(id(client))
    if script is None:
        script = _scripts[id(client)] = client.register_script(_HISTORY_SCRIPT)
    return script


class AnonymousRateThrottle(AtomicHistoryMixin, AnonRateThrottle):
    """DRF's AnonRateThrottle (`anon` rate), counted atomically on Redis."""


class AccountRateThrottle(AtomicHistoryMixin, UserRateThrottle):
    """DRF's per-user throttle (`user` rate), for signed-in callers, counted atomically on
    Redis (AtomicHistoryMixin).

    DRF's own also counts an anonymous caller, by address: a second history beside
    AnonRateThrottle's, for the same caller, read and written again at every anonymous API
    request (two more round trips to the shared cache). While the anonymous rate is at least as
    strict (no more requests, over a window at least as long), that second count can never be
    the one that refuses, so it is left out; otherwise anonymous callers are counted as DRF does.
    """

    def get_cache_key(self, request, view):
        if (
            not (request.user and request.user.is_authenticated)
            and self._anonymous_rate_is_stricter()
        ):
            return None
        return super().get_cache_key(request, view)

    def _anonymous_rate_is_stricter(self):
        anonymous = AnonRateThrottle.THROTTLE_RATES.get(AnonRateThrottle.scope)
        if self.rate is None:
            return True  # this throttle allows everything anyway
        if anonymous is None:
            return False
        anonymous_requests, anonymous_seconds = self.parse_rate(anonymous)
        return anonymous_requests <= self.num_requests and anonymous_seconds >= self.duration
