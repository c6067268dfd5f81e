"""The API keeps the contract of shared/API.md: JSON errors for every path under /api/,
authentication before rate limits, query parameters validated and documented in the schema."""

import pytest
from django.urls import path
from rest_framework.test import APIClient

from college.models import Language, Programme, Role, Skill
from college.urls import urlpatterns
from tests import factories
from tests.fuzz_support import api_schema_document

pytestmark = pytest.mark.django_db


def _explode(request):
    raise RuntimeError("a bug in a view")


class WithABrokenView:
    """The project's URLs plus an API address and a page whose view raises."""

    urlpatterns = [path("api/v1/broken/", _explode), path("broken/", _explode), *urlpatterns]
    handler500 = "college.core.views.errors.server_error"
    handler404 = "college.core.views.errors.page_not_found"


def assert_json_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "address",
    ["/api/v1/skills/-1/", "/api/v1/nope/", "/api/v1/vacancies/abc/", "/api/", "/api/v2/skills/"],
)
def test_an_address_under_the_api_that_matches_nothing_is_a_json_404(api_client, address):
    assert_json_error(api_client.get(address), 404)


def test_a_page_outside_the_api_that_matches_nothing_is_still_a_page(client):
    response = client.get("/nope/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_the_endpoint_does_not_take_is_a_json_405(api_client, reference_data):
    assert_json_error(api_client.delete("/api/v1/skills/"), 405)


def test_a_server_error_under_the_api_is_json(settings, reference_data):
    settings.ROOT_URLCONF = WithABrokenView
    client = APIClient(raise_request_exception=False)
    assert_json_error(client.get("/api/v1/broken/"), 500)


def test_a_server_error_on_a_page_is_the_error_page(settings, client):
    settings.ROOT_URLCONF = WithABrokenView
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_a_private_endpoint_without_credentials_is_401_however_often_it_is_called(
    api_client, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "2/hour"}
    for _call in range(5):
        response = api_client.get("/api/v1/me/export/")
        assert response.status_code == 401
    assert "WWW-Authenticate" in response


def test_a_wrong_token_on_a_limited_endpoint_is_401_not_429(api_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "2/hour"}
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    for _call in range(5):
        assert api_client.get("/api/v1/me/export/").status_code == 401


@pytest.mark.parametrize(
    ("address", "field"),
    [
        ("/api/v1/skills/?lang=de", "lang"),
        ("/api/v1/vacancies/?lang=xx", "lang"),
        ("/api/v1/vacancies/?page_size=abc", "page_size"),
        ("/api/v1/vacancies/?page_size=0", "page_size"),
        ("/api/v1/vacancies/?page_size=101", "page_size"),
        ("/api/v1/vacancies/?page_size=-5", "page_size"),
        ("/api/v1/vacancies/?contract=forever", "contract"),
        ("/api/v1/vacancies/?role=no-such-role", "role"),
        ("/api/v1/vacancies/?language=zz", "language"),
        ("/api/v1/vacancies/?cefr=B1", "cefr"),
        ("/api/v1/vacancies/?cefr=Z9&language=nl", "cefr"),
        ("/api/v1/vacancies/?diploma_required=maybe", "diploma_required"),
        ("/api/v1/vacancies/?commune=9999", "commune"),
        ("/api/v1/vacancies/?closing_before=tomorrow", "closing_before"),
        ("/api/v1/modules/?page_size=x", "page_size"),
        ("/api/v1/modules/?programme=nope", "programme"),
        ("/api/v1/modules/?language=zz", "language"),
        ("/api/v1/modules/?role=nope", "role"),
        ("/api/v1/modules/?skill=-1", "skill"),
        ("/api/v1/modules/?skill=abc", "skill"),
    ],
)
def test_a_bad_query_parameter_is_a_400_naming_it(api_client, reference_data, address, field):
    response = api_client.get(address)
    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/vacancies/?lang=nl&page_size=100",
        "/api/v1/vacancies/?page_size=1&language=nl&cefr=B1",
        "/api/v1/modules/?lang=en&page_size=5",
        "/api/v1/skills/?lang=",
    ],
)
def test_good_query_parameters_are_accepted(api_client, reference_data, address):
    assert api_client.get(address).status_code == 200


def test_pages_ignore_an_unknown_lang_rather_than_refuse(client, reference_data):
    assert client.get("/roles/?lang=de").status_code == 200


# The schema ----------------------------------------------------------------------------------


def query_parameters(document, address):
    operation = document["paths"][address]["get"]
    return {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}


def test_the_schema_lists_every_value_the_modules_filters_accept(reference_data):
    parameters = query_parameters(api_schema_document(), "/api/v1/modules/")
    assert set(parameters["programme"]["schema"]["enum"]) == set(
        Programme.objects.values_list("slug", flat=True)
    )
    assert set(parameters["role"]["schema"]["enum"]) == set(
        Role.objects.values_list("slug", flat=True)
    )
    assert set(parameters["skill"]["schema"]["enum"]) == set(
        Skill.objects.values_list("pk", flat=True)
    )
    taught = set(parameters["language"]["schema"]["enum"])
    assert taught and taught <= set(Language.objects.values_list("code", flat=True))
    assert set(parameters["lang"]["schema"]["enum"]) == {"fr", "nl", "en"}


def test_the_schema_lists_the_vacancy_filters_values_and_that_cefr_needs_language(
    reference_data,
):
    parameters = query_parameters(api_schema_document(), "/api/v1/vacancies/")
    assert set(parameters["role"]["schema"]["enum"]) == set(
        Role.objects.values_list("slug", flat=True)
    )
    assert "nl" in parameters["language"]["schema"]["enum"]
    assert parameters["cefr"]["schema"]["enum"] == ["A1", "A2", "B1", "B2", "C1", "C2"]
    assert "Requires `language`" in parameters["cefr"]["description"]
    assert parameters["page_size"]["schema"]["maximum"] == 100
    assert parameters["page_size"]["schema"]["minimum"] == 1


def test_every_list_filter_that_takes_an_object_lists_its_values(reference_data):
    """A guard over the whole schema: a new model-choice filter gets its enum too."""
    factories.EmployerFactory()  # a verified organisation to list
    document = api_schema_document()
    missing = []
    for address, item in document["paths"].items():
        if address.startswith("/api/v1/me/"):
            continue  # the caller's own choices (their target roles), not a list to publish
        for parameter in item.get("get", {}).get("parameters", []):
            schema = parameter.get("schema", {})
            if parameter["in"] == "query" and parameter["name"] in {
                "role",
                "employer",
                "programme",
                "skill",
                "language",
                "lang",
            }:
                if "enum" not in schema:
                    missing.append(f"{address}?{parameter['name']}")
    assert not missing, missing


def test_a_wrong_token_is_a_401_before_the_query_string_is_read(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert api_client.get("/api/v1/vacancies/?q=%00&lang=xx").status_code == 401
    api_client.credentials()
    assert api_client.get("/api/v1/vacancies/?q=%00").status_code == 400
    assert api_client.get("/api/v1/me/export/?q=%00").status_code == 401


def test_a_body_in_a_content_type_the_api_does_not_read_is_a_json_415(api_client):
    response = api_client.generic(
        "POST", "/api/v1/auth/token/", b"<email>a@example.org</email>", content_type="text/xml"
    )
    assert_json_error(response, 415)


def test_the_schema_documents_the_application_stage_move_with_its_appointment_fields():
    document = api_schema_document()
    operation = document["paths"]["/api/v1/applications/{id}/stage/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = document["components"]["schemas"][body.rsplit("/", 1)[1]]["properties"]

    assert {"200", "400", "401", "403", "404"} <= set(operation["responses"])
    assert {
        "stage",
        "note",
        "reason",
        "appointment_at",
        "appointment_place",
        "appointment_instructions",
    } <= set(fields)
    for name in ("appointment_at", "appointment_place", "appointment_instructions"):
        assert fields[name]["description"], name
