"""Every URL of the project answers every request shape without a server error.

Walks the URL map through tests/access_matrix.py (real ids from the access matrix's world) and
sends hostile requests to each address, anonymously and as a user who may use it: NUL bytes,
lone surrogates and invalid UTF-8 in the path, query string, form fields, headers and JSON;
JSON nested past the depth limit; bodies past the size limit; wrong content types. What the
request-hygiene middleware (college/core/request_hygiene.py) refuses is a 400 or 413; everything
else must stay under 500. Under /api/ every error is JSON (shared/API.md).
"""

import io
import json

import pytest
from django.urls import reverse
from rest_framework.exceptions import APIException

from college.core.parsers import SafeJSONParser
from tests.access_matrix import ANONYMOUS, MATRIX, ROLES
from tests.test_access_matrix import client_for, is_api
from tests.test_access_matrix import handler as handler  # the access matrix's fixtures
from tests.test_access_matrix import world as world

pytestmark = pytest.mark.django_db

SIZE_LIMIT = 4096  # DATA_UPLOAD_MAX_MEMORY_SIZE for these tests: the 413 without megabytes

# (label, query string) refused by the middleware: 400.
REFUSED_QUERIES = [
    ("NUL in the query string", "q=%00"),
    ("a lone surrogate in the query string", "q=%ED%A0%80"),
    ("invalid UTF-8 in the query string", "q=%FF%FEabc"),
]
# Query strings that reach the views: odd but well-formed values.
ODD_QUERIES = [
    "page=-1&page_size=abc&lang=xx&ordering=%27&q=" + "%F0%9F%92%A5" * 50,
    "page=99999999999999999999&page_size=1000000&cefr=Z9&language=zz&role=%3Cscript%3E",
    "commune=0&closing_before=not-a-date&diploma_required=maybe&sector=%E2%80%AE",
    # Control characters other than NUL reach the forms, which answer at the field.
    "%01=1&q=a%0Bb%1B&title=%7F",
]
REFUSED_HEADERS = [
    ("NUL in Accept-Language", {"HTTP_ACCEPT_LANGUAGE": "fr\x00"}),
    ("NUL in a cookie", {"HTTP_COOKIE": "sessionid=abc\x00def"}),
    ("a control character in the Authorization header", {"HTTP_AUTHORIZATION": "Token a\x01b"}),
    ("NUL in the Referer", {"HTTP_REFERER": "https://x.example/\x00"}),
]
REFUSED_FORMS = [
    ("NUL in a form field", b"email=a%00b&password=x"),
    ("a lone surrogate in a form field", b"email=%ED%A0%80&password=x"),
    ("invalid UTF-8 in a form field", b"title=%C3%28"),
    ("raw bytes outside ASCII in a form body", "title=é".encode("latin-1")),
]
DEEP = ("[" * 5000 + "]" * 5000).encode()
HOSTILE_JSON = [
    ("JSON nested 5000 levels", DEEP, "application/json"),
    ("JSON nested 65 levels", ("[" * 65 + "]" * 65).encode(), "application/json"),
    ("a lone surrogate in JSON", b'{"title": "\\ud800", "q": "\\udfff"}', "application/json"),
    ("NUL in JSON", b'{"title": "a\\u0000b", "email": "\\u0000"}', "application/json"),
    ("invalid UTF-8 in JSON", b'{"title": "\xff\xfe"}', "application/json"),
    ("a JSON key with a surrogate", b'{"\\ud800": 1}', "application/json"),
    ("malformed JSON", b'{"title": ', "application/json"),
    ("XML sent as JSON", b"<title>x</title>", "application/json"),
    ("an unsupported content type", b"<title>x</title>", "application/xml"),
    ("text with a charset it is not in", b"\xff\xfe\x00t", "text/plain; charset=utf-8"),
    ("a broken multipart body", b"--x\r\nnonsense", "multipart/form-data; boundary=x"),
    ("a multipart body without a boundary", b"abc", "multipart/form-data"),
]


def who_may_use(entry):
    """A signed-in role the address serves (200 on GET), else one it answers at all."""
    for role in ROLES[1:]:
        if entry.get.get(role) == 200:
            return role
    return ROLES[1]


def url_cases():
    return [pytest.param(name, id=name) for name in MATRIX if "#" not in name]


def assert_answered(response, name, label, role, *, refused=None):
    where = f"{label} to {name} as {role}"
    assert response.status_code < 500, f"{where}: a server error"
    if refused is not None:
        assert response.status_code in refused, f"{where}: {response.status_code}, not {refused}"
    if is_api(name) and response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json"), f"{where}: not JSON"
        json.loads(response.content)


@pytest.fixture
def small_bodies(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SIZE_LIMIT


@pytest.mark.parametrize("name", url_cases())
def test_every_address_answers_hostile_requests_without_a_server_error(
    handler,  # noqa: F811 (the fixture imported above)
    world,  # noqa: F811
    small_bodies,
    name,
):
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world))
    base = url + entry.query
    joiner = "&" if "?" in base else "?"
    methods = ["post"] + [method for method in ("put", "patch") if getattr(entry, method)]
    for role in (ANONYMOUS, who_may_use(entry)):
        client = client_for(handler, world, name, role)
        # The API authenticates the caller before it reads the query string: a caller the
        # address refuses hears what it always hears (401, 403, 404, 405).
        query_refused = {400, entry.get[role]} if is_api(name) else {400}
        # What the middleware refuses is refused before any view: once per address is
        # enough for the headers and the form bodies; the query string, read after
        # authentication under /api/, is tried as both callers.
        tried_as_anonymous = role != ANONYMOUS
        for label, query in REFUSED_QUERIES:
            response = client.get(f"{base}{joiner}{query}")
            assert_answered(response, name, label, role, refused=query_refused)
        for query in ODD_QUERIES:
            response = client.get(f"{base}{joiner}{query}")
            assert_answered(response, name, f"GET ?{query[:40]}", role)
        for label, headers in [] if tried_as_anonymous else REFUSED_HEADERS:
            assert_answered(client.get(base, **headers), name, label, role, refused={400})
        for method in methods:
            send = getattr(client, method)
            for label, body in [] if tried_as_anonymous else REFUSED_FORMS:
                response = send(base, body, content_type="application/x-www-form-urlencoded")
                assert_answered(response, name, f"{method} {label}", role, refused={400})
            for label, body, content_type in HOSTILE_JSON:
                response = send(base, body, content_type=content_type)
                assert_answered(response, name, f"{method} {label}", role)
            too_big = json.dumps({"title": "x" * SIZE_LIMIT}).encode()
            response = send(base, too_big, content_type="application/json")
            assert_answered(response, name, f"{method} a body past the limit", role, refused={413})


@pytest.mark.parametrize(
    "path",
    ["/%00/", "/roles/%00/", "/roles/%ED%A0%80/", "/vacancies/%FF/", "/api/v1/skills/%00/"],
)
def test_a_path_with_nul_or_invalid_utf8_is_a_400(client, path):
    response = client.get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json()["detail"]
    else:
        assert "<h1>" in response.content.decode()


def test_the_refusal_page_is_in_the_visitors_language(client):
    client.cookies["passerelle_language"] = "nl"
    response = client.get("/roles/?q=%00")
    assert response.status_code == 400
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()


def post_token(api_client, body):
    return api_client.generic(
        "POST", "/api/v1/auth/token/?lang=en", body, content_type="application/json"
    )


def test_the_api_refuses_json_nested_past_the_limit_with_a_400_that_says_why(api_client):
    response = post_token(api_client, DEEP)
    assert response.status_code == 400
    assert "nested deeper than 64" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "path", "name"),
    [
        (json.dumps({"email": "\ud800", "password": "x"}).encode(), ["email"], "U+D800"),
        (b'{"email": "a\\u0000b", "password": "x"}', ["email"], "U+0000"),
        (
            b'{"email": "a", "password": "x", "otp": ["ok", {"a": "\\udfff"}]}',
            ["otp", "1", "a"],
            "U+DFFF",
        ),
    ],
)
def test_the_api_refuses_unstorable_text_as_an_error_of_its_field(api_client, body, path, name):
    response = post_token(api_client, body)
    assert response.status_code == 400
    error = response.json()
    for key in path:
        error = error[key]
    assert name in error[0]
    assert "remove it and try again" in error[0]


def test_a_key_that_cannot_be_stored_refuses_the_whole_body(api_client):
    response = post_token(api_client, b'{"\\ud800": 1}')
    assert response.status_code == 400
    assert "NUL character or an unpaired surrogate" in response.json()["detail"]


def test_json_nested_up_to_the_limit_is_parsed(api_client):
    nested = {"email": "a@example.org", "password": "x", "otp": ""}
    deep = nested
    for _level in range(60):
        deep = {"x": deep}
    response = api_client.post("/api/v1/auth/token/", {**nested, "extra": deep}, format="json")
    assert response.status_code == 400  # wrong credentials, not a refused body
    assert "nested" not in json.dumps(response.json())


def test_a_body_past_the_limit_is_a_413_in_json_under_the_api(api_client, small_bodies):
    body = json.dumps({"email": "x" * SIZE_LIMIT}).encode()
    response = post_token(api_client, body)
    assert response.status_code == 413
    assert "larger than 4.0\u00a0KB" in response.json()["detail"]


def test_a_json_body_past_the_limit_without_a_content_length_is_a_413(settings):
    """Chunked bodies carry no Content-Length for the middleware to read: the parser counts."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = SIZE_LIMIT
    body = io.BytesIO(json.dumps({"title": "x" * SIZE_LIMIT}).encode())
    with pytest.raises(APIException) as refused:
        SafeJSONParser().parse(body, "application/json", {})
    assert refused.value.status_code == 413
    small = io.BytesIO(json.dumps({"title": "x" * 100}).encode())
    assert SafeJSONParser().parse(small, "application/json", {}) == {"title": "x" * 100}
