"""The public cache (college/core/public_cache.py): anonymous reads kept rendered, never stale,
never shared with a signed-in person, each with the requester's own CSRF token and CSP nonce."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.throttling import AnonRateThrottle

from college.core import public_cache
from college.models import Role, Skill
from employers.models import Employer, VacancySkill
from tests import factories
from tests.college.test_settings import read_settings

BOARD = "/vacancies/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'<script type="application/ld\+json" nonce="([^"]+)"')


@pytest.fixture(autouse=True)
def _public_cache(settings):
    settings.PUBLIC_CACHE_SECONDS = 600


@pytest.fixture
def vacancy(reference_data):
    return factories.VacancyFactory(title_fr="Gardien de la paix à Schaerbeek")


def state(response):
    return response.headers.get("X-Public-Cache")


def test_an_anonymous_page_is_kept_then_served_from_the_cache(client, vacancy):
    first = client.get(BOARD)
    assert state(first) == "miss"
    second = Client().get(BOARD)
    assert state(second) == "hit"
    assert vacancy.title_fr in second.content.decode()
    strip = lambda response: TOKEN.sub("", response.content.decode())  # noqa: E731
    assert strip(first) == strip(second)


def test_a_hit_reads_nothing_from_the_database(client, vacancy, django_assert_num_queries):
    client.get(BOARD)
    with django_assert_num_queries(0):
        assert state(Client().get(BOARD)) == "hit"


class CountingCache:
    """The cache `public_cache` talks to, counting its round trips (each call is one)."""

    def __init__(self, real):
        self.real, self.calls = real, []

    def __getattr__(self, name):
        method = getattr(self.real, name)

        def counted(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)

        return counted


@pytest.mark.parametrize("url", [BOARD, "/api/v1/skills/"])
def test_a_hit_takes_one_round_trip_to_the_cache(monkeypatch, vacancy, url):
    Client().get(url)  # kept
    counting = CountingCache(public_cache.cache)
    monkeypatch.setattr(public_cache, "cache", counting)
    assert state(Client().get(url)) == "hit"
    assert counting.calls == ["get_many"]


def test_an_entry_kept_under_an_older_version_is_never_served(vacancy):
    assert state(Client().get(BOARD)) == "miss"
    public_cache._bump()  # any public data changed, in this or another process
    again = Client().get(BOARD)
    assert state(again) == "miss"
    assert state(Client().get(BOARD)) == "hit"


def test_a_lost_version_counter_starts_again_and_serves_nothing_older(vacancy):
    assert state(Client().get(BOARD)) == "miss"
    public_cache.cache.delete(public_cache.VERSION_KEY)  # evicted, or Redis restarted
    assert state(Client().get(BOARD)) == "miss"
    assert state(Client().get(BOARD)) == "hit"


def test_each_visitor_gets_their_own_working_csrf_token(vacancy):
    Client().get(BOARD)  # kept
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(BOARD)
    assert state(page) == "hit"
    token = TOKEN.search(page.content.decode()).group(1)
    assert public_cache.CSRF_PLACEHOLDER not in page.content.decode()
    assert "csrftoken" in page.cookies  # the visitor's own secret, set with the page
    other = Client().get(BOARD)
    assert TOKEN.search(other.content.decode()).group(1) != token
    changed = visitor.post(
        reverse("set_language"),
        {"language": "nl", "next": BOARD, "csrfmiddlewaretoken": token},
    )
    assert changed.status_code == 302  # the token of the kept page passes the CSRF check
    refused = Client(enforce_csrf_checks=True).post(
        reverse("set_language"), {"language": "nl", "csrfmiddlewaretoken": token}
    )
    assert refused.status_code == 403  # and it is the visitor's own: nobody else's


def test_each_response_carries_its_own_csp_nonce_matching_its_header(vacancy):
    url = f"/vacancies/{vacancy.pk}/"
    nonces = []
    for expected in ("miss", "hit", "hit"):
        response = Client().get(url)
        assert state(response) == expected
        nonce = NONCE.search(response.content.decode()).group(1)
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
        nonces.append(nonce)
    assert len(set(nonces)) == 3
    assert public_cache.NONCE_PLACEHOLDER not in response.content.decode()


def test_each_language_is_kept_apart(client, vacancy):
    french = client.get(BOARD, HTTP_ACCEPT_LANGUAGE="fr")
    dutch = client.get(BOARD, HTTP_ACCEPT_LANGUAGE="nl")
    assert state(dutch) == "miss"
    assert 'lang="nl"' in dutch.content.decode() and 'lang="fr"' in french.content.decode()
    assert vacancy.title_nl in dutch.content.decode()
    assert state(client.get(BOARD, HTTP_ACCEPT_LANGUAGE="nl")) == "hit"
    assert state(client.get(BOARD + "?lang=en")) == "miss"


def test_a_signed_in_person_always_gets_a_fresh_page(client, cast, vacancy):
    Client().get(BOARD)
    client.force_login(cast.candidate)
    page = client.get(BOARD)
    assert state(page) is None
    assert f'action="{reverse("logout")}"' in page.content.decode()
    assert state(Client().get(BOARD)) == "hit"  # and the kept page was not touched


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(rf, vacancy):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.cache import SessionStore

    from employers.views.board import board

    Client().get(BOARD)
    request = rf.get(BOARD)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._messages.add(constants.INFO, "You have been logged out.")
    response = board(request)
    assert state(response) is None
    assert "You have been logged out." in response.content.decode()


def test_saving_public_data_refreshes_every_kept_read(
    client, vacancy, django_capture_on_commit_callbacks
):
    detail = f"/vacancies/{vacancy.pk}/"
    for url in (BOARD, detail, "/api/v1/vacancies/", "/vacancies/feed/"):
        client.get(url)
        assert state(client.get(url)) == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        vacancy.title_fr = "Gardien de la paix à Evere"
        vacancy.save()
    for url in (BOARD, detail, "/api/v1/vacancies/", "/vacancies/feed/"):
        response = client.get(url)
        assert state(response) == "miss", url
        assert "Gardien de la paix à Evere" in response.content.decode(), url


@pytest.mark.parametrize(
    "change",
    [
        lambda vacancy: Employer.objects.get(pk=vacancy.employer_id).save(),
        lambda vacancy: Role.objects.get(pk=vacancy.role_id).save(),
        lambda vacancy: Skill.objects.first().save(),
        lambda vacancy: factories.VacancySkillFactory(vacancy=vacancy),
        lambda vacancy: VacancySkill.objects.filter(vacancy=vacancy).delete(),
        lambda vacancy: factories.ModuleFactory(),
        lambda vacancy: factories.VacancyFactory(),
    ],
    ids=["employer", "role", "skill", "requirement", "requirement-deleted", "module", "vacancy"],
)
def test_any_public_model_change_moves_the_version_on(
    vacancy, django_capture_on_commit_callbacks, change
):
    factories.VacancySkillFactory(vacancy=vacancy)
    before = public_cache.version()
    with django_capture_on_commit_callbacks(execute=True):
        change(vacancy)
    assert public_cache.version() != before


def test_verifying_employers_in_the_admin_moves_the_version_on(
    client, vacancy, django_capture_on_commit_callbacks
):
    employer = factories.EmployerFactory(is_verified=False, verified_at=None)
    client.force_login(factories.StaffFactory())
    before = public_cache.version()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:employers_employer_changelist"),
            {"action": "verify", "_selected_action": [employer.pk]},
        )
    assert public_cache.version() != before


def test_the_version_moves_on_only_after_the_commit(vacancy, django_capture_on_commit_callbacks):
    before = public_cache.version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        vacancy.save()
        assert public_cache.version() == before  # a read now keeps the old data, as it should
    for callback in callbacks:
        callback()
    assert public_cache.version() != before


def test_a_lost_version_never_comes_back_to_an_old_value(vacancy):
    from django.core.cache import cache

    first = public_cache.version()
    cache.delete(public_cache.VERSION_KEY)
    public_cache._bump()
    assert public_cache.version() > first


def test_the_api_keeps_anonymous_json_only(api_client, cast, vacancy):
    url = "/api/v1/vacancies/"
    assert state(api_client.get(url)) == "miss"
    hit = api_client.get(url)
    assert state(hit) == "hit"
    assert hit["Content-Type"] == "application/json"
    assert hit.json()["results"][0]["id"] == vacancy.pk
    assert "Accept" in hit["Vary"]
    browsable = api_client.get(url, HTTP_ACCEPT="text/html")
    assert state(browsable) is None
    token = Token.objects.create(user=cast.employer_member)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert state(api_client.get(url)) is None
    assert state(api_client.get(url, {"mine": "true"})) is None


def test_the_api_still_throttles_what_the_cache_serves(api_client, monkeypatch, vacancy):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": None})
    responses = [api_client.get("/api/v1/skills/") for _ in range(4)]
    assert [state(response) for response in responses[:3]] == ["miss", "hit", "hit"]
    assert responses[3].status_code == 429


def test_an_error_is_never_kept(client, reference_data):
    for _ in range(2):
        response = client.get("/vacancies/999999/")
        assert response.status_code == 404 and state(response) is None
    for _ in range(2):
        response = client.get("/api/v1/vacancies/", {"commune": "not-a-commune"})
        assert response.status_code == 400 and state(response) is None


def test_the_pages_a_view_keeps_differ_by_query_string(client, vacancy):
    factories.VacancyFactory(
        title_fr="Agent de sécurité", role=Role.objects.get(slug="security-guard")
    )
    client.get(BOARD)
    filtered = client.get(BOARD, {"role": "security-guard"})
    assert state(filtered) == "miss"
    assert vacancy.title_fr not in filtered.content.decode()


def test_off_when_set_to_zero(client, settings, vacancy):
    settings.PUBLIC_CACHE_SECONDS = 0
    assert state(client.get(BOARD)) is None
    assert state(client.get(BOARD)) is None


def test_on_by_default_with_redis_and_refused_without():
    with_redis = read_settings(
        {"REDIS_URL": "redis://cache.internal:6379/0"}, "PUBLIC_CACHE_SECONDS"
    )
    assert with_redis.returncode == 0, with_redis.stderr
    assert with_redis.stdout.strip() == '{"PUBLIC_CACHE_SECONDS": 600}'
    without = read_settings({}, "PUBLIC_CACHE_SECONDS")
    assert without.stdout.strip() == '{"PUBLIC_CACHE_SECONDS": 0}'
    refused = read_settings({"PUBLIC_CACHE_SECONDS": "60"}, "PUBLIC_CACHE_SECONDS")
    assert refused.returncode != 0 and "REDIS_URL" in refused.stderr


@pytest.mark.parametrize("loader", ["reference", "catalogue"])
def test_loading_public_data_in_bulk_moves_the_version_on(
    reference_data, django_capture_on_commit_callbacks, loader
):
    from college.reference.loader import load_reference_data
    from college.training.catalogue import load_catalogue

    before = public_cache.version()
    with django_capture_on_commit_callbacks(execute=True):
        {"reference": load_reference_data, "catalogue": load_catalogue}[loader]()
    assert public_cache.version() != before


def test_what_is_kept_is_read_from_the_primary_never_a_lagging_replica(rf, vacancy):
    from django.contrib.auth.models import AnonymousUser

    from college.core.db_router import replica_reads
    from employers.views.board import board

    def serve():
        request = rf.get(BOARD)
        request.user = AnonymousUser()
        with replica_reads() as window:
            response = board(request)
        return response, window

    response, window = serve()  # rendered to be kept
    assert state(response) == "miss" and window.pinned and not window.wrote
    response, window = serve()  # answered from the cache: nothing read at all
    assert state(response) == "hit" and not window.pinned
