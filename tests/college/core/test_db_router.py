"""The read-replica router: reads to the replica during requests, writes and fresh reads to the
primary, migrations on the primary only.

The router only names aliases, so most tests need no second database: Django's own router
(`DATABASE_ROUTERS`) and querysets say where a query would go. deploy/prod-check.sh runs the
whole site with a real `replica` alias (the same database under another connection name).
"""

import pytest
from django.contrib.sessions.models import Session
from django.db import connections, router, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from rest_framework.authtoken.models import Token

from college.core.db_router import (
    PIN_COOKIE,
    PRIMARY,
    REPLICA,
    PrimaryReplicaRouter,
    ReplicaPinningMiddleware,
    current_window,
    replica_reads,
)
from college.models import Language, Skill, User

ROUTERS = ["college.core.db_router.PrimaryReplicaRouter"]


@pytest.fixture
def routed(settings):
    """Django's router uses PrimaryReplicaRouter, as it does when DATABASE_REPLICA_URL is set."""
    settings.DATABASE_ROUTERS = ROUTERS
    settings.DATABASE_REPLICA_PIN_SECONDS = 7
    yield router
    settings.DATABASE_ROUTERS = []


def test_outside_a_request_everything_reads_from_the_primary(routed):
    # Management commands, the task worker and the shell: a task must see what was just written.
    assert current_window() is None
    assert routed.db_for_read(Skill) == "default"
    assert Skill.objects.all().db == "default"


def test_during_a_request_reads_go_to_the_replica_and_writes_to_the_primary(routed):
    with replica_reads() as window:
        assert Skill.objects.all().db == "replica"
        assert routed.db_for_read(User) == "replica"
        assert window.wrote is False
        assert routed.db_for_write(Skill) == "default"
    assert current_window() is None


def test_after_a_write_the_request_reads_from_the_primary(routed):
    with replica_reads() as window:
        assert Skill.objects.all().db == "replica"
        routed.db_for_write(User)
        assert window.wrote is True
        assert Skill.objects.all().db == "default"
        assert routed.db_for_read(User) == "default"


def test_locking_reads_go_to_the_primary_and_pin_the_request(routed):
    with replica_reads() as window:
        assert Skill.objects.select_for_update().db == "default"
        assert window.pinned is True
        assert Skill.objects.all().db == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary(routed):
    # (every django_db test runs inside a transaction on the primary)
    with replica_reads(), transaction.atomic():
        assert Skill.objects.all().db == "default"


@pytest.mark.parametrize("model", [DBTaskResult, Session, Token])
def test_the_task_queue_sessions_and_tokens_are_always_read_from_the_primary(routed, model):
    # Workers lock and claim task rows in a transaction on the primary; sessions and tokens are
    # read right after they are written, by clients that may not carry the pinning cookie.
    with replica_reads():
        assert routed.db_for_read(model) == "default"
        assert model.objects.all().db == "default"


def test_a_pinned_request_reads_from_the_primary(routed):
    with replica_reads(pinned=True):
        assert Skill.objects.all().db == "default"


def test_windows_nest_and_the_outer_one_comes_back():
    with replica_reads() as outer:
        with replica_reads(pinned=True) as inner:
            assert current_window() is inner
        assert current_window() is outer
    assert current_window() is None


def test_migrations_run_on_the_primary_only(routed):
    assert routed.allow_migrate("default", "college", model_name="skill") is True
    assert routed.allow_migrate("replica", "college", model_name="skill") is False
    assert routed.allow_migrate("replica", "django_tasks_db") is False


def test_objects_from_either_alias_may_be_related():
    replica_router = PrimaryReplicaRouter()
    from_replica, from_primary, elsewhere = User(), Skill(), Skill()
    from_replica._state.db, from_primary._state.db, elsewhere._state.db = (
        "replica",
        "default",
        "archive",
    )
    assert replica_router.allow_relation(from_replica, from_primary) is True
    assert replica_router.allow_relation(from_replica, elsewhere) is None


# --- The middleware ------------------------------------------------------------------------------


def run(request, *, writes=False, fails=False):
    """Passes `request` through the middleware to a view that records where it would read."""
    seen = {}

    def view(request):
        if writes:
            router.db_for_write(User)
        seen["read_from"] = Skill.objects.all().db
        if fails:
            raise RuntimeError("the view failed")
        return HttpResponse("ok")

    response = ReplicaPinningMiddleware(view)(request)
    return seen["read_from"], response


def test_a_safe_request_reads_from_the_replica_and_sets_no_cookie(routed):
    read_from, response = run(RequestFactory().get("/vacancies/"))

    assert read_from == "replica"
    assert PIN_COOKIE not in response.cookies
    assert current_window() is None


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_unsafe_request_reads_from_the_primary_and_pins_the_client(routed, method):
    read_from, response = run(getattr(RequestFactory(), method)("/me/profile/"))

    assert read_from == "default"
    cookie = response.cookies[PIN_COOKIE]
    assert cookie.value == "1"
    assert cookie["max-age"] == 7
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_a_pinned_client_reads_from_the_primary_for_a_while(routed):
    factory = RequestFactory()
    factory.cookies[PIN_COOKIE] = "1"

    read_from, response = run(factory.get("/me/profile/"))

    assert read_from == "default"
    assert PIN_COOKIE not in response.cookies  # the pin is not extended by reading


def test_a_safe_request_that_wrote_pins_the_client(routed):
    read_from, response = run(RequestFactory().get("/caseload/1/"), writes=True)

    assert read_from == "default"
    assert response.cookies[PIN_COOKIE]["max-age"] == 7


def test_the_window_closes_when_the_view_fails(routed):
    with pytest.raises(RuntimeError):
        run(RequestFactory().get("/"), fails=True)

    assert current_window() is None
    assert Skill.objects.all().db == "default"


def test_the_cookie_is_secure_when_session_cookies_are(routed, settings):
    settings.SESSION_COOKIE_SECURE = True

    _read_from, response = run(RequestFactory().post("/accounts/login/"))

    assert response.cookies[PIN_COOKIE]["secure"] is True


# --- Two real aliases on the same database --------------------------------------------------------


@pytest.fixture
def replica_alias(routed, settings, django_db_blocker):
    """A `replica` alias with its own connection to the test database, as a replica would be,
    and the pinning middleware. No test transaction: the test removes what it wrote."""
    connections.settings[REPLICA] = {
        **connections[PRIMARY].settings_dict,
        "TEST": {**connections[PRIMARY].settings_dict["TEST"], "MIRROR": PRIMARY},
    }
    settings.MIDDLEWARE = ["college.core.db_router.ReplicaPinningMiddleware", *settings.MIDDLEWARE]
    with django_db_blocker.unblock():
        try:
            yield connections[REPLICA]
        finally:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]


def test_requests_read_through_the_replica_connection_and_writers_from_the_primary(
    replica_alias, client
):
    with CaptureQueriesContext(replica_alias) as on_replica:
        response = client.get("/roles/")
    assert response.status_code == 200
    assert any("college_role" in query["sql"] for query in on_replica.captured_queries)
    assert PIN_COOKIE not in response.cookies

    language = None
    try:
        with replica_reads():
            language = Language.objects.create(code="qzz", name_fr="q", name_nl="q", name_en="q")
            assert Language.objects.get(pk=language.pk)._state.db == PRIMARY
        with replica_reads(), CaptureQueriesContext(replica_alias) as on_replica:
            # Committed on the primary, read through the replica's own connection.
            assert Language.objects.get(pk=language.pk)._state.db == REPLICA
        assert len(on_replica.captured_queries) == 1
    finally:
        if language is not None:  # nothing refers to it: no cascade to follow
            Language.objects.filter(pk=language.pk)._raw_delete(PRIMARY)

    client.cookies[PIN_COOKIE] = "1"
    with CaptureQueriesContext(replica_alias) as on_replica:
        assert client.get("/roles/").status_code == 200
    assert on_replica.captured_queries == []
