"""`/api/v1/skills/` and `/api/v1/roles/`: public, searchable in three languages, paginated."""

import pytest

from college.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def labels_found(response):
    return [item["label"] for item in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "language"),
    [("premiers soins", "fr"), ("eerste hulp", "nl"), ("first aid", "en")],
)
def test_skills_are_found_in_each_language(api_client, reference_data, query, language):
    response = api_client.get("/api/v1/skills/", {"q": query, "lang": language})
    assert response.status_code == 200
    results = response.json()["results"]
    assert any(
        item["esco_uri"].endswith("1d21f6ad-340f-45da-a0a3-4e83867f47a6") for item in results
    )


def test_search_ignores_accents_case_and_word_order(api_client, reference_data):
    plain = api_client.get("/api/v1/skills/", {"q": "SECURITE menaces"}).json()
    accented = api_client.get("/api/v1/skills/", {"q": "menaces sécurité"}).json()
    assert plain["count"] >= 1
    assert plain["count"] == accented["count"]


def test_labels_follow_accept_language_and_lang_overrides_it(api_client, reference_data):
    query = {"q": "eerste hulp verlenen"}
    dutch = api_client.get("/api/v1/skills/", query, HTTP_ACCEPT_LANGUAGE="nl")
    assert "eerste hulp verlenen" in labels_found(dutch)
    french = api_client.get("/api/v1/skills/", query)
    assert "prodiguer les premiers soins" in labels_found(french)
    english = api_client.get("/api/v1/skills/", {**query, "lang": "en"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert "provide first aid" in labels_found(english)


def test_each_skill_has_the_promised_fields(api_client, reference_data):
    item = api_client.get("/api/v1/skills/", {"page_size": 1}).json()["results"][0]
    assert {"id", "label", "esco_uri"} <= set(item)
    assert set(item["labels"]) == {"fr", "nl", "en"}


def test_skills_are_paginated_with_page_size_at_most_100(api_client, reference_data):
    refused = api_client.get("/api/v1/skills/", {"page_size": 500})
    assert refused.status_code == 400 and "page_size" in refused.json()
    body = api_client.get("/api/v1/skills/", {"page_size": 100}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert len(body["results"]) == 100
    assert body["count"] >= 150
    second = api_client.get("/api/v1/skills/", {"page": 2, "page_size": 100}).json()
    assert second["previous"] is not None


def test_a_page_past_the_end_is_a_404_not_a_500(api_client, reference_data):
    assert api_client.get("/api/v1/skills/", {"page": 999}).status_code == 404
    assert api_client.get("/api/v1/skills/", {"page": "abc"}).status_code == 404


def test_a_search_with_nothing_found_returns_an_empty_list(api_client, reference_data):
    body = api_client.get("/api/v1/skills/", {"q": "zzzzqqqq"}).json()
    assert body["count"] == 0 and body["results"] == []


def test_the_skill_list_takes_two_queries_whatever_the_page_size(
    api_client, reference_data, django_assert_num_queries
):
    with django_assert_num_queries(2):
        api_client.get("/api/v1/skills/", {"page_size": 5})
    with django_assert_num_queries(2):
        api_client.get("/api/v1/skills/", {"page_size": 100})


def test_roles_list_their_requirement_profile_and_legal_conditions(api_client, reference_data):
    body = api_client.get("/api/v1/roles/", {"page_size": 100, "lang": "nl"}).json()
    assert body["count"] == 18
    inspector = next(role for role in body["results"] if role["slug"] == "police-inspector")
    assert inspector["title"] == "Inspecteur van politie"
    assert inspector["legal_conditions"]["diploma_required_by_law"] is True
    assert inspector["legal_conditions"]["alternative_route"]
    assert inspector["legal_conditions"]["nationality"] == "belgian"
    requirement = inspector["requirements"][0]
    assert requirement["importance"] == "essential"
    assert {"id", "label", "esco_uri"} <= set(requirement["skill"])
    assert {item["language"] for item in inspector["languages"]} >= {"fr", "nl"}


def test_the_roles_list_query_count_does_not_grow_with_the_number_of_roles(
    api_client, reference_data, django_assert_max_num_queries
):
    # 4, and the ladder's rungs before and after: 6 whatever the number of roles.
    with django_assert_max_num_queries(6):
        api_client.get("/api/v1/roles/", {"page_size": 100})
    for _ in range(5):
        factories.RoleRequirementFactory()
    assert Role.objects.count() == 23
    with django_assert_max_num_queries(6):
        api_client.get("/api/v1/roles/", {"page_size": 100})


def test_one_role_by_id_and_an_unknown_id_is_a_404(api_client, reference_data):
    role = Role.objects.get(slug="peace-guard")
    assert api_client.get(f"/api/v1/roles/{role.pk}/").json()["slug"] == "peace-guard"
    assert api_client.get("/api/v1/roles/999999/").status_code == 404


def test_communes_and_languages_are_listed_for_clients(api_client, reference_data):
    communes = api_client.get("/api/v1/communes/", {"page_size": 100, "lang": "nl"}).json()
    assert communes["count"] == 19
    assert "Schaarbeek" in [commune["name"] for commune in communes["results"]]
    languages = api_client.get("/api/v1/languages/", {"page_size": 100}).json()
    assert [item["code"] for item in languages["results"]][:3] == ["fr", "nl", "en"]


def test_the_openapi_schema_documents_the_public_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/skills/", "/api/v1/roles/", "/api/v1/auth/token/"):
        assert path in schema["paths"]


def test_the_api_docs_are_served_with_local_assets_only(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower()


@pytest.mark.parametrize(
    ("query", "language", "best"),
    [
        ("eerste hulp", "nl", "eerste hulp verlenen"),
        ("first aid", "en", "provide first aid"),
        ("patrouiller", "fr", "patrouiller une zone"),
    ],
)
def test_labels_in_the_requested_language_rank_before_alternative_labels(
    api_client, reference_data, query, language, best
):
    results = labels_found(api_client.get("/api/v1/skills/", {"q": query, "lang": language}))
    assert results[0] == best
