"""External certifications: recorded by the job-seeker, checked by a counsellor guiding them (or
staff); verified, they certify the skills they cover, withdrawn or rejected the evidence goes."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates.digital.services import (
    external_certification_add,
    external_certification_delete,
    external_certification_verify,
)
from candidates.models import CandidateSkill, Evidence, ExternalCertification
from college.models import Skill
from college.reference.digital import certification_type, certification_types
from tests import factories

pytestmark = pytest.mark.django_db

SLUGS = [
    "isc2-cc",
    "comptia-security-plus",
    "cisco-ccst-cybersecurity",
    "cisco-ccst-networking",
    "comptia-a-plus",
    "google-it-support",
]


def record(profile, slug="isc2-cc", credential_id="CC-123456"):
    return external_certification_add(
        profile=profile,
        certification=slug,
        obtained_on=datetime.date(2026, 3, 2),
        credential_id=credential_id,
    )


def test_the_reference_lists_the_six_certifications_with_known_skills(reference_data):
    assert list(certification_types()) == SLUGS
    for kind in certification_types().values():
        assert Skill.objects.filter(esco_uri__in=kind.skill_uris).count() == len(kind.skill_uris)
        assert kind.issuer and kind.source and 1 <= kind.level <= 4
        assert all(kind.covers_texts[code] for code in ("fr", "nl", "en"))


def test_record_then_verify_certifies_the_skills_with_issuer_date_and_identifier(
    client, cast, reference_data
):
    client.force_login(cast.candidate)
    response = client.post(
        "/me/certifications/",
        {
            "certification": "isc2-cc",
            "obtained_on": "2026-03-02",
            "credential_id": "CC-123456",
            "verification_url": "https://www.isc2.org/verify",
        },
    )
    assert response.status_code == 302
    item = ExternalCertification.objects.get()
    assert item.status == ExternalCertification.Status.PENDING
    assert not CandidateSkill.objects.exists()  # nothing certified before a check
    client.force_login(cast.counsellor)
    page = client.get(f"/caseload/{item.profile_id}/", headers={"accept-language": "en"})
    assert "ISC2 Certified in Cybersecurity (CC)" in page.content.decode()
    response = client.post(
        f"/caseload/{item.profile_id}/certifications/{item.pk}/check/",
        {f"check-{item.pk}-decision": "verify", f"check-{item.pk}-note": "Seen on isc2.org"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.checked_by) == (
        ExternalCertification.Status.VERIFIED,
        cast.counsellor,
    )
    kind = certification_type("isc2-cc")
    rows = CandidateSkill.objects.filter(profile=item.profile)
    assert {row.skill.esco_uri for row in rows} == set(kind.skill_uris)
    for row in rows:
        assert row.evidence == Evidence.TRAINING_CERTIFIED and row.level == kind.level
        assert "ISC2" in row.evidence_note and "CC-123456" in row.evidence_note
        assert "2026" in row.evidence_note


def test_withdrawing_gives_back_what_was_held(cast, reference_data):
    profile = cast.candidate.candidate_profile
    kind = certification_type("isc2-cc")
    held = Skill.objects.get(esco_uri=kind.skill_uris[0])
    before = CandidateSkill.objects.create(profile=profile, skill=held, level=3)
    item = record(profile)
    external_certification_verify(certification=item, by=cast.counsellor)
    before.refresh_from_db()
    assert before.evidence == Evidence.TRAINING_CERTIFIED
    external_certification_delete(certification=item)
    before.refresh_from_db()
    assert (before.level, before.evidence, before.evidence_note) == (3, Evidence.SELF_DECLARED, "")
    assert list(CandidateSkill.objects.filter(profile=profile)) == [before]
    assert not ExternalCertification.objects.exists()


def test_withdrawing_one_keeps_what_another_verified_certification_covers(cast, reference_data):
    profile = cast.candidate.candidate_profile
    first = record(profile, "isc2-cc")
    second = record(profile, "comptia-security-plus", "COMP001")
    external_certification_verify(certification=first, by=cast.counsellor)
    external_certification_verify(certification=second, by=cast.counsellor)
    shared = set(certification_type("isc2-cc").skill_uris) & set(
        certification_type("comptia-security-plus").skill_uris
    )
    assert shared
    external_certification_delete(certification=first)
    for uri in shared:
        row = CandidateSkill.objects.get(profile=profile, skill__esco_uri=uri)
        assert row.evidence == Evidence.TRAINING_CERTIFIED and "COMP001" in row.evidence_note


def test_reject_needs_a_reason_and_removes_a_verified_ones_evidence(
    api_client, cast, reference_data
):
    profile = cast.candidate.candidate_profile
    item = record(profile, "cisco-ccst-networking")
    api_client.force_authenticate(cast.staff)
    url = f"/api/v1/certifications/{item.pk}/check/"
    assert api_client.post(url, {"decision": "verify"}, format="json").status_code == 200
    assert CandidateSkill.objects.filter(profile=profile).count() == 4
    response = api_client.post(url, {"decision": "reject"}, format="json")
    assert response.status_code == 400 and "note" in response.json()
    response = api_client.post(
        url, {"decision": "reject", "note": "The identifier is unknown to Cisco."}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert not CandidateSkill.objects.filter(profile=profile).exists()


def test_a_stronger_held_evidence_is_not_replaced(cast, reference_data):
    profile = cast.candidate.candidate_profile
    kind = certification_type("comptia-a-plus")
    skill = Skill.objects.get(esco_uri=kind.skill_uris[0])
    held = CandidateSkill.objects.create(
        profile=profile,
        skill=skill,
        level=4,
        evidence=Evidence.TRAINING_CERTIFIED,
        evidence_note="Passed the college module",
    )
    item = record(profile, "comptia-a-plus")
    external_certification_verify(certification=item, by=cast.counsellor)
    external_certification_delete(certification=item)
    held.refresh_from_db()
    assert (held.level, held.evidence_note) == (4, "Passed the college module")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"obtained_on": "2999-01-01"}, "obtained_on"),
        ({"credential_id": "x" * 101}, "credential_id"),
        ({"credential_id": "bad\x07id"}, "credential_id"),
        ({"certification": "cissp"}, "certification"),
        ({"credential_id": ""}, "credential_id"),
    ],
)
def test_bad_input_is_named_at_its_field(api_client, cast, reference_data, data, field):
    api_client.force_authenticate(cast.candidate)
    body = {"certification": "isc2-cc", "obtained_on": "2026-01-05", "credential_id": "A1", **data}
    response = api_client.post("/api/v1/me/certifications/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not ExternalCertification.objects.exists()


def test_the_form_refuses_a_future_date_in_dutch(client, cast, reference_data):
    client.force_login(cast.candidate)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        "/me/certifications/",
        {"certification": "isc2-cc", "obtained_on": tomorrow.isoformat(), "credential_id": "A"},
        headers={"accept-language": "nl"},
    )
    assert response.status_code == 400
    assert "De datum kan niet in de toekomst liggen." in response.content.decode()


def test_api_list_create_delete_and_outsiders_get_404(api_client, cast, reference_data):
    api_client.force_authenticate(cast.candidate)
    created = api_client.post(
        "/api/v1/me/certifications/",
        {"certification": "google-it-support", "obtained_on": "2025-06-01", "credential_id": "G-1"},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["issuer"] == "Google (via Coursera)" and body["status"] == "pending"
    assert len(api_client.get("/api/v1/me/certifications/").json()) == 1
    pk = body["id"]
    api_client.force_authenticate(cast.other_candidate)
    assert api_client.delete(f"/api/v1/me/certifications/{pk}/").status_code == 404
    api_client.force_authenticate(cast.other_counsellor)
    check = api_client.post(f"/api/v1/certifications/{pk}/check/", {"decision": "verify"})
    assert check.status_code == 404
    api_client.force_authenticate(cast.candidate)
    assert api_client.delete(f"/api/v1/me/certifications/{pk}/").status_code == 204
    assert not ExternalCertification.objects.exists()


def test_another_counsellor_gets_a_404_on_the_check_page(client, cast, reference_data):
    item = record(cast.candidate.candidate_profile)
    client.force_login(cast.other_counsellor)
    url = f"/caseload/{item.profile_id}/certifications/{item.pk}/check/"
    assert client.post(url, {f"check-{item.pk}-decision": "verify"}).status_code == 404
    item.refresh_from_db()
    assert item.status == ExternalCertification.Status.PENDING


THREADS = 4


@pytest.mark.django_db(transaction=True)
def test_parallel_verifications_certify_once(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: the race needs PostgreSQL")
    candidate = factories.CandidateFactory()
    counsellor = factories.CounsellorFactory()
    item = record(candidate.candidate_profile, "comptia-security-plus")
    barrier = threading.Barrier(THREADS)
    outcomes, lock = [], threading.Lock()

    def verify():
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            try:
                external_certification_verify(certification=item, by=counsellor, note="seen")
            except Exception as error:  # reported below, with its type
                outcome = repr(error)
            else:
                outcome = "ok"
            with lock:
                outcomes.append(outcome)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=verify) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == ["ok"] * THREADS
    kind = certification_type("comptia-security-plus")
    rows = CandidateSkill.objects.filter(profile=candidate.candidate_profile)
    assert rows.count() == len(kind.skill_uris)
    item.refresh_from_db()
    assert len(item.granted["skills"]) == len(kind.skill_uris)


def test_staff_verify_in_the_admin_and_opening_one_is_logged(client, reference_data):
    staff = factories.StaffFactory(is_staff=True, is_superuser=True)
    item = record(factories.CandidateFactory().candidate_profile, "cisco-ccst-networking")
    client.force_login(staff)
    url = "/admin/candidates/externalcertification/"
    response = client.post(url, {"action": "verify", "_selected_action": [item.pk]})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.checked_by) == (ExternalCertification.Status.VERIFIED, staff)
    assert CandidateSkill.objects.filter(profile=item.profile).count() == 4
    assert client.get(f"{url}{item.pk}/change/").status_code == 200
    assert item.profile.views.filter(viewer=staff).count() == 1


def test_a_rejection_without_a_reason_on_the_counsellor_page_changes_nothing(
    client, cast, reference_data
):
    item = record(cast.candidate.candidate_profile)
    client.force_login(cast.counsellor)
    url = f"/caseload/{item.profile_id}/certifications/{item.pk}/check/"
    response = client.post(
        url, {f"check-{item.pk}-decision": "reject"}, headers={"accept-language": "fr"}
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.status == ExternalCertification.Status.PENDING
    # The page again, the check's form open, the error at the note it is about.
    form = response.context["certification_checks"][0]["form"]
    assert list(form.errors) == ["note"]
    page = response.content.decode()
    assert "<details open>" in page
    note = page.index(f'name="check-{item.pk}-note"')
    assert "Dites pourquoi" in page[note - 1500 : note + 1500]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(credential_id=st.text(max_size=120), url=st.text(max_size=40))
def test_hostile_certification_input_through_the_api_is_400_never_500(
    api_client, cast, reference_data, credential_id, url
):
    api_client.force_authenticate(cast.candidate)
    response = api_client.post(
        "/api/v1/me/certifications/",
        {
            "certification": "comptia-a-plus",
            "obtained_on": "2025-01-01",
            "credential_id": credential_id,
            "verification_url": url,
        },
        format="json",
    )
    assert response.status_code in (201, 400)
    for item in ExternalCertification.objects.all():
        assert (
            0 < len(item.credential_id) <= 100 and item.credential_id == item.credential_id.strip()
        )
        assert "\x00" not in item.credential_id
    ExternalCertification.objects.all().delete()
