"""Every 404 of the API says DRF's "Not found." in the reader's language, never a model's name.

Walks the API's URL map, so that an endpoint added later is checked too: each route with an
object's id is asked for an id that exists nowhere, by a signed-in person of each role.
"""

import re
import uuid

import pytest
from django.urls import URLResolver, get_resolver
from django.utils import translation
from rest_framework import exceptions
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def api_routes():
    root = next(entry for entry in get_resolver().url_patterns if str(entry.pattern) == "api/v1/")
    assert isinstance(root, URLResolver)
    return [str(entry.pattern) for entry in root.url_patterns if "<" in str(entry.pattern)]


def missing(route):
    def value(match):
        converter = match.group(1)
        if converter == "uuid":
            return str(uuid.UUID(int=1))
        if converter in ("slug", "str"):
            return "nothing-here"
        return "987654321"

    return "/api/v1/" + re.sub(r"<(?:(\w+):)?\w+>", value, route)


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_a_404_names_no_model_and_speaks_the_readers_language(api_client, cast, language):
    routes = api_routes()
    assert len(routes) > 15  # the walk reached the API's routes
    with translation.override(language):
        expected = str(exceptions.NotFound.default_detail)
    seen = 0
    for person in (cast.candidate, cast.counsellor, cast.employer_member, cast.staff):
        token = Token.objects.create(user=person)
        for route in routes:
            response = api_client.get(
                missing(route),
                HTTP_AUTHORIZATION=f"Token {token.key}",
                HTTP_ACCEPT_LANGUAGE=language,
            )
            if response.status_code != 404:
                continue
            seen += 1
            assert response.json() == {"detail": expected}, (person.role, route)
        token.delete()
    assert seen > 20
