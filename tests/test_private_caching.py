"""Every response that depends on who is signed in says `Cache-Control: private, no-store`.

The cases are those of the access matrix (tests/access_matrix.py): every URL name, requested
with GET by every signed-in role it lets in (pages with a session, the API with a token), so a
new page or endpoint is checked as soon as it has its matrix entry. The world and the request
machinery are the matrix test's own.
"""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from college.core.middleware import PrivateCacheMiddleware
from college.core.public_cache import cache_anonymous_page
from tests.access_matrix import MATRIX, SIGNED_IN
from tests.test_access_matrix import client_for, handler, outcome, world  # noqa: F401

pytestmark = pytest.mark.django_db


def signed_in_cases():
    """(URL key, roles) for every matrix entry some signed-in role may GET (a 200)."""
    cases = []
    for key, entry in MATRIX.items():
        if entry.get is None:
            continue
        roles = tuple(role for role in SIGNED_IN if entry.get[role] == 200)
        if roles:
            cases.append(pytest.param(key, roles, id=key))
    return cases


def cache_directives(response):
    header = response.get("Cache-Control", "")
    return {directive.strip().split("=")[0].lower() for directive in header.split(",")}


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",")}


def test_the_matrix_has_signed_in_pages_and_api_endpoints_to_check():
    keys = {case.values[0] for case in signed_in_cases()}
    assert {"candidates:my_data", "api:me_export", "api:caseload", "caseload"} <= keys


@pytest.mark.parametrize(("key", "roles"), signed_in_cases())
def test_a_signed_in_response_is_private_and_never_stored(handler, world, key, roles):  # noqa: F811
    entry = MATRIX[key]
    url = reverse(key.partition("#")[0], kwargs=entry.kwargs(world)) + entry.query
    for role in roles:
        response = client_for(handler, world, key, role).get(url)
        assert outcome(response) == 200, f"GET {url} as {role}"
        directives = cache_directives(response)
        assert {"private", "no-store"} <= directives, (
            f"GET {url} as {role}: Cache-Control is {response.get('Cache-Control')!r}"
        )
        assert not {"public", "s-maxage", "max-age"} & directives, f"GET {url} as {role}"
        expected_vary = "authorization" if key.startswith("api:") else "cookie"
        assert expected_vary in vary(response), f"GET {url} as {role}: Vary {vary(response)}"


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("api:me_profile", "candidate"),
        ("api:me_export", "candidate"),
        ("api:me_matches", "candidate"),
        ("api:me_path", "candidate"),
        ("api:me_enrolments", "candidate"),
        ("api:caseload", "counsellor"),
    ],
)
def test_the_personal_api_with_a_token_is_never_stored(handler, world, name, role):  # noqa: F811
    response = client_for(handler, world, name, role).get(reverse(name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "authorization" in vary(response)


def test_a_refused_token_is_not_stored_either(client):
    response = client.get(reverse("api:me_profile"), HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401
    assert {"private", "no-store"} <= cache_directives(response)


def test_an_anonymous_public_page_stays_cacheable_for_the_public_cache(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "no-store" not in cache_directives(response)


def test_a_view_asking_to_be_cached_publicly_is_made_private_for_a_signed_in_person(rf, cast):
    def view(request):
        response = HttpResponse("per person")
        response["Cache-Control"] = "public, max-age=300, s-maxage=600"
        response["Expires"] = "Thu, 01 Jan 2099 00:00:00 GMT"
        return response

    request = rf.get("/")
    request.user = cast.candidate
    response = PrivateCacheMiddleware(view)(request)
    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("Expires")
    assert "cookie" in vary(response)


def test_the_public_cache_never_keeps_a_signed_in_page(client, cast, settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    calls = []

    @cache_anonymous_page
    def page(request):
        calls.append(request.user.pk)
        return HttpResponse(f"hello {request.user.pk}")

    factory = RequestFactory()
    for _ in range(2):
        request = factory.get("/board/")
        request.user = cast.candidate
        page(request)
    assert calls == [cast.candidate.pk, cast.candidate.pk]
