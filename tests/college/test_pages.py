"""The public pages: home, roles and their requirement profiles."""

import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_home_page_explains_passerelle_to_each_kind_of_user(client, reference_data):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for audience in ("Job-seekers", "Career counsellors", "Employers", "Partners and the public"):
        assert audience in page
    assert "Community warden" in page


def test_the_home_page_counts_roles_open_without_a_diploma(client, reference_data):
    response = client.get("/")
    # 12 prevention and security roles (3 need a diploma by law), 6 of the digital and cyber track
    assert response.context["role_count"] == 18
    assert response.context["roles_without_diploma"] == 15


def test_the_roles_page_filters_by_sector_with_plain_links(client, reference_data):
    page = client.get("/roles/?sector=police", HTTP_ACCEPT_LANGUAGE="en")
    titles = [role.slug for role in page.context["roles"]]
    assert "police-inspector" in titles
    assert "peace-guard" not in titles
    assert 'href="?sector=municipal_prevention"' in page.content.decode()


def test_an_unknown_sector_shows_every_role_rather_than_failing(client, reference_data):
    response = client.get("/roles/?sector=<script>")
    assert response.status_code == 200
    assert len(response.context["roles"]) == 18


def test_a_role_page_shows_skills_conditions_and_the_alternative_route(client, reference_data):
    page = client.get("/roles/police-inspector/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Police inspector" in page
    assert "Required by law" in page
    assert "Without this diploma" in page
    assert "police agent" in page  # the legal route without the CESS
    assert "Essential" in page


def test_a_role_without_a_diploma_says_skills_count(client, reference_data):
    page = client.get("/roles/peace-guard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No diploma required" in page


def test_an_unknown_role_is_a_404(client, reference_data):
    assert client.get("/roles/astronaut/").status_code == 404


def test_public_pages_keep_a_constant_number_of_queries(
    client, reference_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6) as before:
        client.get("/roles/")
    factories.RoleRequirementFactory.create_batch(5)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/roles/")


def test_pages_load_nothing_from_outside_the_project(client, reference_data):
    for url in ("/", "/roles/", "/roles/peace-guard/", "/accounts/login/", "/api/docs/"):
        page = client.get(url).content.decode()
        external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
        assert external == [], (url, external)


def test_pages_send_a_content_security_policy_without_inline_scripts(client, reference_data):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_page_has_a_skip_link_and_landmarks(client, reference_data):
    page = client.get("/").content.decode()
    assert 'class="skip-link" href="#main"' in page
    assert '<main id="main"' in page
    assert "<header" in page and "<footer" in page and "<nav" in page
    assert 'name="viewport"' in page
