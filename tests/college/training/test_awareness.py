"""Staff awareness, the college's side: the trainer records how many of a booking's seats
completed, a number and never a name; every view and record is audited."""

import pytest
from django.urls import reverse

from college.models import AuditEvent, Module
from employers.awareness import awareness_booking_create
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("staff_awareness")


@pytest.fixture
def booking(reference_data):
    member = factories.EmployerMemberFactory()
    return awareness_booking_create(
        employer=member.membership.employer,
        module=Module.objects.filter(offered_to_employers=True).first(),
        seats=15,
        language="fr",
        by=member,
    )


@pytest.fixture
def staff(client):
    user = factories.StaffFactory()
    client.force_login(user)
    return user


def test_the_trainer_sees_each_booking_and_the_view_is_audited(client, staff, booking):
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert booking.employer.name in text
    assert booking.invitation_code[:4] in text
    event = AuditEvent.objects.get(action=AuditEvent.Action.AWARENESS_VIEWED)
    assert event.actor == staff


def test_the_trainer_records_completion_and_the_record_is_audited(client, staff, booking):
    response = client.post(URL, {"booking": booking.pk, "completed": "13"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.completed, booking.completed_recorded_by) == (13, staff)
    event = AuditEvent.objects.get(action=AuditEvent.Action.AWARENESS_COMPLETION)
    assert (event.object_id, event.detail) == (str(booking.pk), "13 of 15")


@pytest.mark.parametrize("completed", ["16", "-1", "treize", ""])
def test_a_count_outside_the_seats_is_a_field_error(client, staff, booking, completed):
    response = client.post(URL, {"booking": booking.pk, "completed": completed})
    assert response.status_code == 400
    booking.refresh_from_db()
    assert booking.completed is None
    assert 'class="errorlist"' in response.content.decode()


def test_an_unknown_booking_is_refused_without_a_500(client, staff, booking):
    response = client.post(URL, {"booking": booking.pk + 999, "completed": "3"})
    assert response.status_code == 400


def test_the_list_runs_a_constant_number_of_queries(
    client, staff, booking, django_assert_max_num_queries
):
    client.get(URL)
    for _ in range(4):
        awareness_booking_create(
            employer=booking.employer,
            module=booking.module,
            seats=10,
            language="nl",
            by=None,
        )
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("role", ["candidate", "counsellor", "employer"])
def test_only_staff_may_record_completion(client, booking, role):
    user = {
        "candidate": factories.CandidateFactory,
        "counsellor": factories.CounsellorFactory,
        "employer": factories.EmployerMemberFactory,
    }[role]()
    client.force_login(user)
    assert client.post(URL, {"booking": booking.pk, "completed": "3"}).status_code == 403
    booking.refresh_from_db()
    assert booking.completed is None
