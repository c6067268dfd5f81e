"""Version counters kept in the shared cache: a key part that moves on to make older entries
unreachable (the public cache's version, the matching engine's pool generation).

A counter that is missing (never set, evicted, Redis restarted) starts again at the current time
in nanoseconds, never at a small number: a value used before could bring back entries kept
under it.
"""

import time

from django.core.cache import cache


def current(key):
    """The counter's value, started when missing."""
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return value


def move_on(key):
    """Moves the counter on (or starts it, when missing)."""
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, time.time_ns(), timeout=None)
