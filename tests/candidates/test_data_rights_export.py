"""The export holds everything held about the person, as JSON and on the /me/data/ page.

A person with a row of every kind (candidates.data_rights.HOLDINGS) downloads their export:
every kind's section is there and filled; the page shows a count per kind and the details.
Both take the same number of queries however many rows there are.
"""

import pytest

from candidates.data_rights import HOLDINGS
from tests.candidates.data_rights_support import (
    EMAIL,
    FULL_NAME,
    PHONE,
    give_every_kind,
    sign_up,
)

pytestmark = pytest.mark.django_db

EXPORT_URL = "/api/v1/me/export/"


@pytest.fixture
def zephyrine(client, cast, item_bank):
    person = sign_up(client)
    give_every_kind(person, cast)
    return person


def resolve(document, path):
    for key in path.split("."):
        document = document[key]
    return document


def test_every_kind_held_is_in_the_export_and_filled(client, zephyrine):
    body = client.get(EXPORT_URL).json()
    empty = []
    for label, holding in HOLDINGS.items():
        value = resolve(body, holding.export_key)
        if not value or (isinstance(value, dict) and not any(value.values())):
            empty.append((label, holding.export_key))
    assert empty == []


def test_the_export_holds_applications_tests_alerts_and_the_teams_notes(client, zephyrine):
    body = client.get(EXPORT_URL, {"lang": "en"}).json()
    applied, refused = body["applications"]
    assert applied["motivation"].startswith(f"Je suis {FULL_NAME}")
    assert [stage["stage"] for stage in applied["stages"]] == ["received", "interview"]
    assert (refused["stage"], refused["reason"]) == ("not_retained", "other")
    assert refused["reason_note"] == f"Chère {FULL_NAME}, le poste est pourvu."
    # The employer's internal notes and the appointment are the person's data too.
    assert [note["text"] for note in applied["internal_notes"]] == [
        f"{FULL_NAME} : très motivée, rappeler au {PHONE}."
    ]
    assert applied["appointment_place"] == "Rue Royale 1, 1000 Bruxelles"
    assert applied["appointment_instructions"] == f"Demandez {FULL_NAME} à l'accueil."
    assert applied["shares_test_results"] is False
    assert body["shortlist_invitations"][0]["message"].startswith("Bonjour")
    assert body["match_alerts"]["threshold"] == 70
    assert [alert["score"] for alert in body["match_alerts"]["sent"]] == [81]
    assert [ranking["score"] for ranking in body["rankings"]] == [81]
    (attempt,) = body["practice_tests"]
    assert attempt["status"] == "in_progress"
    answered = [answer for answer in attempt["answers"] if answer["response"]]
    assert [(answer["response"]["value"], answer["response"]["score"]) for answer in answered] == [
        ("42", 1.0)
    ]
    assert body["time_accommodation"]["note"] == f"Dyslexia of {FULL_NAME}"
    assert body["team_notes"][0]["body"] == f"{FULL_NAME} ({PHONE}) wants day shifts."
    assert body["certificates"][0]["holder_name"] == FULL_NAME
    assert body["profile"]["match_alert_threshold"] == 70
    assert body["profile"]["education"][0]["title"] == f"CESS de {FULL_NAME}"
    assert body["profile"]["experiences"][0]["organisation"] == f"Club de {EMAIL}"
    assert body["two_step_verification"]["confirmed_at"]
    assert {event["action"] for event in body["audit_events"]} >= {"profile_viewed"}
    assert [line["change"] for line in body["admin_history"]] == ["edited"]
    content = str(body)
    assert "JBSWY3DPEHPK3PXP" not in content  # the authenticator's secret never leaves


def test_the_export_takes_the_same_queries_however_many_rows(
    client, cast, zephyrine, django_assert_max_num_queries
):
    # 42: two of them read the digital track's self-assessments and certifications.
    with django_assert_max_num_queries(42) as once:
        client.get(EXPORT_URL)
    give_every_kind(zephyrine, cast)
    give_every_kind(zephyrine, cast)
    with django_assert_max_num_queries(len(once.captured_queries)):
        body = client.get(EXPORT_URL).json()
    assert len(body["applications"]) == 6 and len(body["practice_tests"]) == 3


def test_the_data_page_counts_every_kind_and_details_it(client, zephyrine):
    page = client.get("/me/data/", headers={"accept-language": "en"}).content.decode()
    for key in ("applications", "practice_tests", "team_notes", "certificates", "rankings"):
        assert f'id="data-{key}"' in page, key
    assert "Applications (2 records)" in page
    assert f"Je suis {FULL_NAME}" in page
    assert f"Dyslexia of {FULL_NAME}" in page
    assert f"{FULL_NAME} : très motivée" in page  # the employer's internal note
    assert "<details" in page and "<summary>" in page


@pytest.mark.parametrize(
    ("language", "title"),
    [("fr", "Candidatures"), ("nl", "Sollicitaties"), ("en", "Applications")],
)
def test_the_data_page_speaks_the_persons_language(client, zephyrine, language, title):
    page = client.get("/me/data/", headers={"accept-language": language}).content.decode()
    assert f"<dt>{title}</dt>" in page


def test_the_data_page_takes_the_same_queries_however_many_rows(
    client, cast, zephyrine, django_assert_max_num_queries
):
    with django_assert_max_num_queries(45) as once:
        client.get("/me/data/")
    give_every_kind(zephyrine, cast)
    with django_assert_max_num_queries(len(once.captured_queries)):
        assert client.get("/me/data/").status_code == 200
