"""An optional read replica: reads go to it, writes to the primary, fresh data after a write.

Active only when `DATABASE_REPLICA_URL` is set (the settings then add the `replica` alias, this
router and `ReplicaPinningMiddleware`). The rules, in order:

* Writes always go to the primary (`default`); so do migrations (`allow_migrate`).
* Some apps are always read from the primary: the task queue (workers lock and claim rows in a
  transaction on the primary), sessions and API tokens (read right after they are written, by
  clients that may not carry the pinning cookie).
* Reads go to the replica only while a web request is being served (the middleware opens that
  window). Management commands, the task worker and the shell read from the primary: a task
  enqueued after a write must see that write.
* Within a request, reads go to the primary once anything was written, inside a transaction on
  the primary, and for the whole request when it is not a safe method (POST, PUT, PATCH,
  DELETE) or when the client wrote within the last `DATABASE_REPLICA_PIN_SECONDS` (a cookie set
  by the middleware): someone who just saved a form sees what they saved, despite replication lag.
"""

import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "passerelle_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# App labels: the task queue (django_tasks_db), sessions and API tokens.
PRIMARY_ONLY_APPS = frozenset({"django_tasks_database", "sessions", "authtoken"})

_state = threading.local()


class _ReadWindow:
    """What the router knows about the request being served on this thread."""

    __slots__ = ("pinned", "wrote")

    def __init__(self, pinned):
        self.pinned = pinned
        self.wrote = False


def current_window():
    return getattr(_state, "window", None)


@contextmanager
def replica_reads(*, pinned=False):
    """Lets reads go to the replica on this thread until the block ends (one request)."""
    previous = current_window()
    window = _ReadWindow(pinned)
    _state.window = window
    try:
        yield window
    finally:
        _state.window = previous


def pin_to_primary():
    """From now on, this request reads from the primary (called on every write)."""
    window = current_window()
    if window is not None:
        window.wrote = True
        window.pinned = True


def read_from_primary():
    """From now on, this request reads from the primary, without counting as a write.

    For what is rendered to be kept for everyone (college/core/public_cache.py): the cache's version
    moves on when a write commits on the primary, and a page rendered from a lagging replica
    just after would keep the old data under the new version.
    """
    window = current_window()
    if window is not None:
        window.pinned = True


class PrimaryReplicaRouter:
    def __init__(self, primary=PRIMARY, replica=REPLICA):
        self.primary = primary
        self.replica = replica

    def db_for_read(self, model, **hints):
        window = current_window()
        if window is None or window.pinned or model._meta.app_label in PRIMARY_ONLY_APPS:
            return self.primary
        if connections[self.primary].in_atomic_block:
            # Reads inside a transaction belong with its writes (and its row locks).
            return self.primary
        return self.replica

    def db_for_write(self, model, **hints):
        pin_to_primary()
        return self.primary

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data: objects read from either may be related.
        aliases = {self.primary, self.replica}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == self.primary


def ReplicaPinningMiddleware(get_response):
    """Opens the replica read window for a request and pins writers to the primary for a while.

    A request that is not a safe method, or that wrote anything, gets a short-lived cookie; while
    the browser sends it back, every read of that client goes to the primary.
    """

    def middleware(request):
        unsafe = request.method not in SAFE_METHODS
        pinned = unsafe or request.COOKIES.get(PIN_COOKIE) == "1"
        with replica_reads(pinned=pinned) as window:
            response = get_response(request)
        if unsafe or window.wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    return middleware
