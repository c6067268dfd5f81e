"""The board, the vacancy API, the feeds and the JSON-LD know the track of a vacancy's role
(the digital and cyber track next to prevention and security)."""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from college.models import Role
from tests.employers.test_board import ATOM, ENGLISH, json_ld_of, make_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def both_tracks(reference_data):
    soc = make_vacancy(role=Role.objects.get(slug="soc-analyst"), title_fr="Analyste SOC N1")
    guard = make_vacancy(role=Role.objects.get(slug="peace-guard"), title_fr="Gardien de la paix")
    return soc, guard


def test_the_board_filters_by_track_with_plain_links(client, both_tracks):
    soc, guard = both_tracks
    page = client.get("/vacancies/", {"track": "digital"}, **ENGLISH)
    assert list(page.context["vacancies"]) == [soc]
    text = page.content.decode()
    assert 'href="/vacancies/?track=digital"' in text
    assert 'href="/vacancies/?track=security"' in text
    assert "Digital and cyber track" in text  # the chip of the filter in force
    page = client.get("/vacancies/", {"track": "security"})
    assert list(page.context["vacancies"]) == [guard]


def test_the_track_chip_removes_the_filter_and_keeps_the_others(client, both_tracks):
    page = client.get("/vacancies/", {"track": "digital", "contract": "permanent"}, **ENGLISH)
    chip = next(chip for chip in page.context["chips"] if chip["drop"] == ("track",))
    assert chip["label"] == "Digital and cyber track"
    assert chip["url"] == "/vacancies/?contract=permanent"


def test_an_unknown_track_is_shown_at_its_field_and_ignored(client, both_tracks):
    page = client.get("/vacancies/", {"track": "<b>x</b>"})
    assert page.status_code == 200
    assert "track" in page.context["form"].errors
    assert len(page.context["vacancies"]) == 2


def test_the_vacancy_api_filters_by_track_and_refuses_an_unknown_one(api_client, both_tracks):
    soc, _guard = both_tracks
    body = api_client.get("/api/v1/vacancies/", {"track": "digital"}).json()
    assert [item["id"] for item in body["results"]] == [soc.pk]
    response = api_client.get("/api/v1/vacancies/", {"track": "cyber"})
    assert response.status_code == 400
    assert "track" in response.json()


def test_the_board_keeps_a_constant_number_of_queries_with_the_track_filter(
    client, both_tracks, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30) as before:
        client.get("/vacancies/", {"track": "digital"})
    for _ in range(3):
        make_vacancy(role=Role.objects.get(slug="junior-penetration-tester"))
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get("/vacancies/", {"track": "digital"})


def test_the_atom_feed_names_the_track_of_each_vacancy(client, both_tracks):
    soc, guard = both_tracks
    response = client.get("/vacancies/feed/", **ENGLISH)
    feed = ET.fromstring(response.content)
    terms = {
        entry.findtext(f"{ATOM}id"): {
            category.get("term") for category in entry.findall(f"{ATOM}category")
        }
        for entry in feed.findall(f"{ATOM}entry")
    }
    assert "Digital and cyber track" in terms[f"http://127.0.0.1:8000/vacancies/{soc.pk}/"]
    assert "Prevention and security track" in terms[f"http://127.0.0.1:8000/vacancies/{guard.pk}/"]


def test_the_job_posting_classes_its_occupation_by_esco_and_by_track(client, both_tracks):
    soc, _guard = both_tracks
    data, _attrs = json_ld_of(client.get(f"/vacancies/{soc.pk}/", **ENGLISH))
    assert data["occupationalCategory"]["codeValue"] == soc.role.esco_uri  # unchanged
    occupation = data["relevantOccupation"]
    assert occupation["@type"] == "Occupation"
    esco, track = occupation["occupationalCategory"]
    assert esco["codeValue"] == soc.role.esco_uri
    assert track == {
        "@type": "CategoryCode",
        "codeValue": "digital",
        "name": "Digital and cyber track",
        "inCodeSet": "http://127.0.0.1:8000/roles/",
        "url": "http://127.0.0.1:8000/roles/?track=digital",
    }


def test_a_role_feed_of_a_track_role_works(client, both_tracks):
    soc, _guard = both_tracks
    response = client.get(f"/vacancies/feed/role/{soc.role.slug}/")
    assert response.status_code == 200
    assert f"/vacancies/{soc.pk}/".encode() in response.content


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(track=st.text(max_size=40))
def test_any_track_value_is_a_result_or_a_field_error_never_a_500(
    client, api_client, both_tracks, track
):
    page = client.get("/vacancies/", {"track": track})
    assert page.status_code in (200, 400)  # 400: a control character, refused before the view
    api = api_client.get("/api/v1/vacancies/", {"track": track})
    assert api.status_code in (200, 400)
    roles = api_client.get("/api/v1/roles/", {"track": track})
    assert roles.status_code in (200, 400)
    if track.strip() in ("digital", "security"):
        assert roles.status_code == 200
