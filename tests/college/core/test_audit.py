"""The audit log: sensitive reads and writes are recorded, and staff can search them."""

import datetime

import pytest
from django.utils import timezone, translation

from college.core.audit import audit_record
from college.models import AuditEvent, User
from employers.shortlists.selectors import shortlist_invite
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/staff/audit/"
PASSWORD = "a-long-enough-password"


@pytest.fixture(autouse=True)
def no_second_step(settings):
    settings.MFA_ENFORCED = False


def events(action):
    return AuditEvent.objects.filter(action=action)


def test_a_counsellor_viewing_a_profile_is_recorded(client, cast):
    client.force_login(cast.counsellor)
    profile = cast.candidate.candidate_profile
    assert client.get(f"/caseload/{profile.pk}/").status_code == 200
    event = events(AuditEvent.Action.PROFILE_VIEWED).get()
    assert (event.actor, event.actor_role) == (cast.counsellor, "counsellor")
    assert (event.object_type, event.object_id, event.detail) == (
        "candidate_profile",
        str(profile.pk),
        "page",
    )


def test_the_job_seeker_reading_their_own_profile_is_not_an_event(client, cast):
    client.force_login(cast.candidate)
    client.get("/me/")
    assert not AuditEvent.objects.exists()


def test_inviting_from_a_shortlist_is_recorded_as_a_reveal(cast, reference_data):
    vacancy = factories.VacancyFactory(employer=cast.employer_member.membership.employer)
    profile = cast.candidate.candidate_profile
    shortlist_invite(vacancy=vacancy, profile=profile, invited_by=cast.employer_member)
    event = events(AuditEvent.Action.CANDIDATE_REVEALED).get()
    assert event.actor == cast.employer_member
    assert event.object_id == str(profile.pk)
    assert event.detail == f"vacancy {vacancy.pk}"


def test_exports_are_recorded(client, cast):
    client.force_login(cast.candidate)
    assert client.get("/api/v1/me/export/").status_code == 200
    client.force_login(cast.counsellor)
    assert client.get("/caseload/export.csv").status_code == 200
    exported = events(AuditEvent.Action.DATA_EXPORTED).order_by("pk")
    assert [(event.actor, event.object_type) for event in exported] == [
        (cast.candidate, "candidate_profile"),
        (cast.counsellor, "caseload"),
    ]
    assert all(event.ip_hash and "127.0.0.1" not in event.ip_hash for event in exported)


def test_an_erasure_keeps_an_anonymous_reference_and_no_identity(client, cast):
    client.force_login(cast.candidate)
    user_id = cast.candidate.pk
    response = client.post(
        "/me/data/erase/", {"password": PASSWORD, "understands": "on"}, follow=False
    )
    assert response.status_code == 302
    event = events(AuditEvent.Action.ACCOUNT_ERASED).get()
    assert event.actor is None and event.actor_role == "candidate"
    assert event.object_id.startswith("anon-") and str(user_id) != event.object_id
    assert "yasmine" not in str(vars(event)).lower()


def test_a_role_change_in_the_admin_is_recorded(client, cast):
    client.force_login(cast.staff)
    person = cast.counsellor
    response = client.post(
        f"/admin/college/user/{person.pk}/change/",
        {
            "email": person.email,
            "full_name": person.full_name,
            "role": "staff",
            "preferred_language": "fr",
            "is_active": "on",
            "is_staff": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = events(AuditEvent.Action.ROLE_CHANGED).get()
    assert event.actor == cast.staff
    assert event.object_id == str(person.pk)
    assert "role=staff" in event.detail and "is_staff=True" in event.detail


# The search page ------------------------------------------------------------------------------


def test_only_staff_open_the_audit_log(client, cast):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    for person in (cast.candidate, cast.counsellor, cast.employer_member):
        client.force_login(person)
        assert client.get(URL).status_code == 403
    client.force_login(cast.staff)
    assert client.get(URL).status_code == 200


def test_staff_filter_by_action_person_and_dates(client, cast):
    audit_record(actor=cast.counsellor, action=AuditEvent.Action.PROFILE_VIEWED, object_id=1)
    audit_record(actor=cast.counsellor, action=AuditEvent.Action.DATA_EXPORTED, object_id=2)
    old = audit_record(actor=cast.employer_member, action=AuditEvent.Action.PROFILE_VIEWED)
    old.created_at = timezone.now() - datetime.timedelta(days=40)
    old.save()
    client.force_login(cast.staff)

    def shown(**query):
        return list(client.get(URL, query).context["page"].object_list)

    assert len(shown()) == 3
    assert {event.action for event in shown(action="profile_viewed")} == {"profile_viewed"}
    assert {event.actor for event in shown(actor_email="COUNSELLOR@example.org")} == {
        cast.counsellor
    }
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    assert old not in shown(since=since)
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert shown(until=until) == [old]


def test_a_bad_filter_is_an_error_at_the_field_not_a_500(client, cast):
    client.force_login(cast.staff)
    with translation.override("en"):
        response = client.get(URL, {"since": "2026-05-01", "until": "2026-04-01", "action": "nope"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["until"] and form.errors["action"]


def test_the_log_is_paginated_and_keeps_the_filters_in_the_page_links(client, cast):
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=cast.counsellor, actor_role="counsellor", action="profile_viewed")
        for _ in range(60)
    )
    client.force_login(cast.staff)
    response = client.get(URL, {"action": "profile_viewed"})
    assert len(response.context["page"].object_list) == 50
    assert "action=profile_viewed&amp;page=2" in response.content.decode()
    assert len(client.get(URL, {"action": "profile_viewed", "page": 2}).context["page"]) == 10


def test_the_log_runs_a_constant_number_of_queries(client, cast, django_assert_max_num_queries):
    audit_record(actor=cast.counsellor, action=AuditEvent.Action.PROFILE_VIEWED)
    client.force_login(cast.staff)
    with django_assert_max_num_queries(8) as one:
        client.get(URL)
    people = [factories.CounsellorFactory() for _ in range(5)]
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=people[index % 5], actor_role="counsellor", action="data_exported")
        for index in range(40)
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(URL)


def test_the_system_and_erased_accounts_are_named_as_such(client, cast):
    audit_record(actor=None, action=AuditEvent.Action.ACCOUNT_ERASED, detail="retention")
    audit_record(
        actor=None,
        actor_role=User.Role.CANDIDATE,
        action=AuditEvent.Action.ACCOUNT_ERASED,
    )
    client.force_login(cast.staff)
    client.cookies["passerelle_language"] = "en"
    body = client.get(URL).content.decode()
    assert "Passerelle (automatic)" in body and "Erased account" in body


def test_staff_resetting_someones_authenticator_is_recorded(client, cast):
    from college.models import MfaDevice

    device = MfaDevice.objects.create(
        user=cast.employer_member, secret="JBSWY3DPEHPK3PXP", confirmed_at=timezone.now()
    )
    client.force_login(cast.staff)
    response = client.post(f"/admin/college/mfadevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not MfaDevice.objects.exists()
    event = events(AuditEvent.Action.MFA_RESET).get()
    assert (event.actor, event.object_id) == (cast.staff, str(cast.employer_member.pk))
