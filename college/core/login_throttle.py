"""Counts failed logins per account and per client, and refuses logins past a limit.

Both the login page and the API's token endpoint go through here. Keys are hashed so that
the cache holds no e-mail addresses.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

# A shared address (a public computer room, a mobile network) may fail more often than one person.
CLIENT_LIMIT_FACTOR = 4


def _account_key(email):
    digest = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:32]
    return f"login-failures:account:{digest}"


def _client_key(client_address):
    return f"login-failures:client:{client_address or 'unknown'}"


def client_address(request):
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXIES reverse proxies the address
    the outermost of them saw (the entry that many from the right of X-Forwarded-For). Entries
    further left are the client's own claim and never trusted; the same rule as DRF's
    NUM_PROXIES, set from the same setting."""
    proxies = settings.TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")


def is_blocked(email, client):
    limit = settings.LOGIN_FAILURE_LIMIT
    return (
        cache.get(_account_key(email), 0) >= limit
        or cache.get(_client_key(client), 0) >= limit * CLIENT_LIMIT_FACTOR
    )


def record_failure(email, client):
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key in (_account_key(email), _client_key(client)):
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:
            # The key expired between add() and incr(): start counting again.
            cache.set(key, 1, timeout=window)


def clear_failures(email):
    cache.delete(_account_key(email))


def retry_after_seconds():
    return settings.LOGIN_FAILURE_WINDOW_SECONDS
