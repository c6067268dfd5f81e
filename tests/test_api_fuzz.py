"""Schemathesis fuzzes every API operation in-process, as each role, against the OpenAPI schema.

For every operation it draws requests from the schema (a bounded, deterministic number of
valid ones, and a few invalid ones), sends each through the WSGI app once per caller
(anonymous, candidate, counsellor, employer member, staff, and a wrong token), half of them
aimed at real objects of the world, and checks: no 5xx, a documented status code, a body that
conforms to the documented schema, that an operation which needs authentication answers
401/403 to a caller without credentials, and that a wrong token is a 401 wherever tokens are
accepted.
"""

import copy

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from college.wsgi import application
from tests import factories
from tests.fuzz_support import (
    ROLES,
    WRONG_TOKEN,
    api_schema_document,
    build_world,
    shared_test_connection,
)

# Examples per operation; every example is sent once per caller (six of them).
VALID_EXAMPLES = 6
INVALID_EXAMPLES = 3

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
DOCUMENT = api_schema_document()


def load_schema(mode, max_examples):
    config = schemathesis.Config.from_dict(
        {
            "generation": {
                "mode": mode,
                "max-examples": max_examples,
                "deterministic": True,
                "no-shrink": True,
                "database": "none",
                # Credentials are the callers' own (or none), never generated ones.
                "with-security-parameters": False,
            },
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": False},
                "stateful": {"enabled": False},
                "fuzzing": {"enabled": True},
            },
        }
    )
    loaded = schemathesis.openapi.from_dict(copy.deepcopy(DOCUMENT), config=config)
    loaded.app = application
    return loaded


valid_requests = load_schema("positive", VALID_EXAMPLES)
invalid_requests = load_schema("negative", INVALID_EXAMPLES)


def bounded(max_examples):
    return hypothesis.settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        suppress_health_check=list(hypothesis.HealthCheck),
    )


def check_authentication(case, role, response):
    """No credentials → 401/403 where the schema asks for some; a wrong token → 401 wherever a
    token is accepted at all."""
    security = case.operation.definition.raw.get("security", DOCUMENT.get("security", []))
    call = f"{case.method} {case.formatted_path} answered {response.status_code}"
    if role == "anonymous" and security and {} not in security:
        assert response.status_code in (401, 403), f"{call} to a caller without credentials"
    if role == WRONG_TOKEN and security:
        assert response.status_code == 401, f"{call} to a caller with a wrong token"


def send_as_every_caller(case, world, *, check_auth):
    for role in (*ROLES, WRONG_TOKEN):
        hypothesis.note(f"Sent as: {role}")
        # Rate limits are not under test here: each request starts with empty counters.
        cache.clear()
        headers = world.headers_for(role)
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        if check_auth:
            check_authentication(case, role, response)


@pytest.fixture
def world(db, item_bank):
    with shared_test_connection():
        yield build_world()


@valid_requests.parametrize()
@valid_requests.given(aim_at_known_object=st.booleans())
@bounded(VALID_EXAMPLES)
def test_every_api_operation_conforms_for_every_role(case, aim_at_known_object, world):
    if aim_at_known_object:
        world.aim_at_known_objects(case)
    send_as_every_caller(case, world, check_auth=True)


@invalid_requests.parametrize()
@invalid_requests.given(aim_at_known_object=st.booleans())
@bounded(INVALID_EXAMPLES)
def test_invalid_requests_are_refused_without_a_server_error(case, aim_at_known_object, world):
    # An invalid path parameter matches no URL at all (404 before any authentication), so
    # authentication is checked with valid requests only.
    if aim_at_known_object:
        world.aim_at_known_objects(case)
    send_as_every_caller(case, world, check_auth=False)


# What the fuzzing found, kept as plain tests -------------------------------------------------


def test_the_schema_names_the_error_answers_every_operation_shares():
    protected_write = DOCUMENT["paths"]["/api/v1/me/profile/"]["patch"]["responses"]
    assert {"400", "401", "403", "429"} <= set(protected_write)
    assert protected_write["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorDetail"
    }
    public_list = DOCUMENT["paths"]["/api/v1/skills/"]["get"]["responses"]
    # Anyone may list skills (no 403), but a wrong token is a 401 and a page too far a 404.
    assert {"400", "401", "404", "429"} <= set(public_list) and "403" not in public_list


def test_path_parameters_say_what_the_url_converters_accept():
    parameters = {
        (path, parameter["name"]): parameter["schema"]
        for path, operations in DOCUMENT["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "path"
    }
    assert parameters[("/api/v1/employers/{slug}/", "slug")]["pattern"] == "^[-a-zA-Z0-9_]+$"
    assert parameters[("/api/v1/cohorts/{code}/enrol/", "code")]["pattern"] == "^[-a-zA-Z0-9_]+$"
    assert parameters[("/api/v1/vacancies/{id}/", "id")] == {"type": "integer", "minimum": 0}


def test_the_public_vacancy_reads_are_documented_and_served_without_credentials(
    api_client, reference_data
):
    for path in ("/api/v1/vacancies/", "/api/v1/vacancies/{id}/"):
        assert {} in DOCUMENT["paths"][path]["get"]["security"]
    assert {} not in DOCUMENT["paths"]["/api/v1/vacancies/"]["post"]["security"]
    vacancy = factories.VacancyFactory()
    assert api_client.get("/api/v1/vacancies/").status_code == 200
    assert api_client.get(f"/api/v1/vacancies/{vacancy.pk}/").status_code == 200
    assert api_client.post("/api/v1/vacancies/", {}, format="json").status_code == 401


def test_mine_from_a_caller_who_is_not_a_member_is_a_documented_403(api_client, cast):
    assert "403" in DOCUMENT["paths"]["/api/v1/vacancies/"]["get"]["responses"]
    api_client.force_authenticate(cast.candidate)
    assert api_client.get("/api/v1/vacancies/?mine=true").status_code == 403
