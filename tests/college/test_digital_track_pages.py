"""The digital and cyber track as a first-class path on the public pages: the home
page's section, the role list's track filter, and a track role's page with its frameworks,
ladder and "without a diploma to start" line, in French, Dutch and English."""

import re

import pytest

from college.models import Role
from tests import factories

pytestmark = pytest.mark.django_db

TRACK_TITLES = {
    "fr": ("La filière numérique et cyber", "Analyste SOC (niveau 1)"),
    "nl": ("Het traject digitaal en cyber", "SOC-analist (niveau 1)"),
    "en": ("The digital and cyber track", "SOC analyst (level 1)"),
}


def section(page, heading_id):
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_home_page_presents_the_track_without_a_diploma_to_start(
    client, reference_data, language
):
    page = client.get("/", {"lang": language}).content.decode()
    heading, soc_title = TRACK_TITLES[language]
    track = section(page, "digital-track-title")
    assert heading in track
    assert soc_title in track
    assert len(re.findall(r'href="/roles/[a-z0-9-]+/"', track)) == 6  # each role, as a link
    assert "?track=digital" in track


def test_the_home_page_lists_the_track_in_ladder_order(client, reference_data):
    response = client.get("/", {"lang": "en"})
    order = [role.slug for role in response.context["track_roles"]]
    assert order[0] == "ict-support-technician"
    assert order.index("cybersecurity-technician") < order.index("soc-analyst")
    assert order.index("soc-analyst") < order.index("junior-penetration-tester")
    assert len(order) == 6


def test_the_role_list_filters_by_track_without_javascript(client, reference_data):
    response = client.get("/roles/", {"track": "digital", "lang": "en"})
    slugs = {role.slug for role in response.context["roles"]}
    assert slugs == set(Role.objects.filter(sector="digital").values_list("slug", flat=True))
    page = response.content.decode()
    assert 'href="?track=security"' in page
    assert "Without a diploma to start." in page
    # The sectors offered are the track's, and a sector link keeps the track.
    assert 'href="?track=digital&amp;sector=digital"' in page
    assert "sector=police" not in page
    security = client.get("/roles/", {"track": "security"})
    assert len(security.context["roles"]) == 12


def test_an_unknown_track_shows_every_role(client, reference_data):
    response = client.get("/roles/", {"track": "<script>"})
    assert response.status_code == 200
    assert len(response.context["roles"]) == 18
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "without_diploma", "after", "frameworks"),
    [
        ("fr", "Sans diplôme pour commencer.", "Vient souvent après", "Référentiels"),
        ("nl", "Zonder diploma om te starten.", "Komt vaak na", "Referentiekaders"),
        ("en", "Without a diploma to start.", "Often comes after", "Frameworks"),
    ],
)
def test_a_track_role_page_shows_its_ladder_and_frameworks(
    client, reference_data, language, without_diploma, after, frameworks
):
    soc = Role.objects.get(slug="soc-analyst")
    page = client.get(f"/roles/{soc.slug}/", {"lang": language}).content.decode()
    assert without_diploma in page
    ladder = section(page, "ladder-title")
    assert after in ladder
    technician = Role.objects.get(slug="cybersecurity-technician")
    with_language = {"fr": technician.slug_fr, "nl": technician.slug_nl, "en": technician.slug}
    assert f'href="/roles/{with_language[language]}/"' in ladder
    assert len(re.findall(r'<a href="/roles/', ladder)) == 3  # 1 before, 2 after
    found = section(page, "frameworks-title")
    assert frameworks in found
    assert "Cyber Incident Responder" in found
    assert "B.2 Component Integration" in found


def test_a_prevention_role_page_has_no_track_line_and_names_its_esco_occupation(
    client, reference_data
):
    page = client.get("/roles/police-inspector/", {"lang": "en"}).content.decode()
    assert "Without a diploma to start." not in page
    assert "ECSF" not in page
    assert "Prevention and security track" in page
    assert "ESCO occupation" in section(page, "frameworks-title")


def test_the_role_page_keeps_a_constant_number_of_queries(
    client, reference_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as before:
        client.get("/roles/soc-analyst/")
    for _ in range(3):
        factories.RoleRequirementFactory(role=Role.objects.get(slug="soc-analyst"))
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/roles/soc-analyst/")


def test_the_home_page_keeps_a_constant_number_of_queries(
    client, reference_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as before:
        client.get("/")
    factories.RoleRequirementFactory.create_batch(3)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/")
