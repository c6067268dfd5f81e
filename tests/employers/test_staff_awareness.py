"""Staff awareness, the public service's side: booking seats for its own staff in the college's
awareness modules and following completion in counts, small groups withheld, nobody named."""

import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from candidates.models import CandidateProfile
from college.models import Module, User
from employers.awareness import (
    SMALL_GROUP,
    awareness_booking_create,
    awareness_summary,
    completion_line,
)
from employers.models import Employer, StaffAwarenessBooking
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("employers:staff_awareness")


@pytest.fixture
def awareness_module(reference_data):
    return Module.objects.filter(offered_to_employers=True).order_by("position").first()


def public_member(kind=Employer.Kind.MUNICIPAL_PREVENTION, **employer):
    return factories.EmployerMemberFactory(
        membership__employer__kind=kind,
        **{f"membership__employer__{key}": value for key, value in employer.items()},
    )


def book(member, module, seats, completed=None):
    booking = awareness_booking_create(
        employer=member.membership.employer, module=module, seats=seats, language="fr", by=member
    )
    if completed is not None:
        StaffAwarenessBooking.objects.filter(pk=booking.pk).update(completed=completed)
    return booking


def test_a_public_service_books_seats_and_gets_an_invitation_code_nobody_named(
    client, awareness_module
):
    member = public_member()
    client.force_login(member)
    candidates_before = CandidateProfile.objects.count()
    response = client.post(
        URL, {"module": awareness_module.pk, "seats": "14", "language": "nl"}, follow=True
    )
    booking = StaffAwarenessBooking.objects.get(employer=member.membership.employer)
    assert (booking.seats, booking.language, booking.booked_by) == (14, "nl", member)
    assert len(booking.invitation_code) == 12
    assert booking.completed is None
    assert booking.invitation_code[:4] in response.content.decode()
    # Staff members are not job-seekers: no account, no profile.
    assert CandidateProfile.objects.count() == candidates_before
    assert not User.objects.filter(role=User.Role.CANDIDATE, date_joined__gte=booking.booked_at)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"seats": "0", "language": "fr"}, "seats"),
        ({"seats": "501", "language": "fr"}, "seats"),
        ({"seats": "douze", "language": "fr"}, "seats"),
        ({"seats": "12", "language": "de"}, "language"),
    ],
)
def test_bad_input_is_a_translated_field_error_and_books_nothing(
    client, awareness_module, data, field
):
    member = public_member()
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post(URL, {"module": awareness_module.pk, **data})
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not StaffAwarenessBooking.objects.exists()


def test_a_module_not_open_to_employers_cannot_be_booked(client, reference_data):
    member = public_member()
    client.force_login(member)
    closed = Module.objects.filter(offered_to_employers=False).first()
    response = client.post(URL, {"module": closed.pk, "seats": "10", "language": "fr"})
    assert response.status_code == 400
    assert "module" in response.context["form"].errors
    assert not StaffAwarenessBooking.objects.exists()


@pytest.mark.parametrize(
    "kind", [Employer.Kind.SECURITY_COMPANY, Employer.Kind.EVENTS, Employer.Kind.OTHER]
)
def test_a_private_organisation_has_no_such_page(client, reference_data, kind):
    client.force_login(public_member(kind))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {}).status_code == 404


def test_an_unverified_public_service_has_no_such_page_yet(client, reference_data):
    client.force_login(public_member(is_verified=False, verified_at=None))
    assert client.get(URL).status_code == 404


def test_each_service_sees_only_its_own_bookings(client, awareness_module):
    mine, theirs = public_member(), public_member(Employer.Kind.LOCAL_POLICE)
    book(theirs, awareness_module, 40, completed=30)
    client.force_login(mine)
    response = client.get(URL)
    assert response.context["summary"] == []
    assert response.context["bookings"] == []


def test_the_page_shows_counts_per_module_and_withholds_small_groups(client, awareness_module):
    member = public_member()
    book(member, awareness_module, 12, completed=7)
    book(member, awareness_module, 8)  # the session is still to come
    other = Module.objects.filter(offered_to_employers=True).exclude(pk=awareness_module.pk)[0]
    book(member, other, 3, completed=3)
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(URL)
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )
    lines = {line.module.pk: line for line in response.context["summary"]}
    first = lines[awareness_module.pk]
    assert (first.enrolled, first.awaiting, first.completed, first.percent) == (20, 8, 7, 58)
    small = lines[other.pk]
    assert (small.enrolled, small.completed, small.percent) == (None, None, None)
    text = response.content.decode()
    assert "fewer than 5" in text
    assert "58 %" in text


def test_the_page_runs_a_constant_number_of_queries(
    client, awareness_module, django_assert_max_num_queries
):
    member = public_member()
    client.force_login(member)
    client.get(URL)
    for seats in (10, 20, 30):
        book(member, awareness_module, seats, completed=seats // 2)
    with django_assert_max_num_queries(14):
        assert client.get(URL).status_code == 200


def test_completion_that_would_single_out_fewer_than_five_is_withheld():
    module = Module(slug="m")
    # 12 enrolled, 10 completed: 2 did not, whom the service could tell apart.
    line = completion_line(module, enrolled=12, recorded=12, completed=10)
    assert (line.completed, line.percent, line.completed_is_small) == (None, None, True)
    # Everyone completed: nothing about anyone in particular.
    line = completion_line(module, enrolled=12, recorded=12, completed=12)
    assert (line.completed, line.percent) == (12, 100)
    line = completion_line(module, enrolled=4, recorded=4, completed=4)
    assert (line.enrolled, line.completed, line.enrolled_is_small) == (None, None, True)


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    enrolled=st.integers(min_value=0, max_value=600),
    data=st.data(),
)
def test_no_count_shown_is_below_five_and_none_leaves_a_small_remainder(enrolled, data):
    recorded = data.draw(st.integers(min_value=0, max_value=enrolled))
    completed = data.draw(st.integers(min_value=0, max_value=recorded))
    line = completion_line(
        Module(slug="m"), enrolled=enrolled, recorded=recorded, completed=completed
    )
    for count in (line.enrolled, line.completed):
        assert count is None or count >= SMALL_GROUP
    if line.awaiting is not None:
        assert line.awaiting == 0 or line.awaiting >= SMALL_GROUP
    if line.completed is not None:
        left = recorded - line.completed
        assert left == 0 or left >= SMALL_GROUP
        assert line.percent == round(100 * completed / recorded)
    else:
        assert line.percent is None


def test_the_summary_is_per_module_whatever_the_number_of_bookings(
    awareness_module, django_assert_num_queries
):
    member = public_member()
    for seats in (5, 6, 7):
        book(member, awareness_module, seats, completed=seats)
    with django_assert_num_queries(2):
        (line,) = awareness_summary(member.membership.employer)
    assert (line.enrolled, line.completed, line.percent) == (18, 18, 100)


def test_the_dashboard_offers_staff_awareness_to_public_services_only(client, reference_data):
    public = public_member(Employer.Kind.PUBLIC_ICT)
    client.force_login(public)
    assert URL in client.get(reverse("employers:dashboard")).content.decode()
    private = public_member(Employer.Kind.SECURITY_OPERATIONS)
    client.force_login(private)
    assert URL not in client.get(reverse("employers:dashboard")).content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "fr",
            ["Sensibilisation du personnel", "Places réservées", "moins de 5", "Code d’invitation"],
        ),
        (
            "nl",
            [
                "Bewustmaking personeel",
                "Gereserveerde plaatsen",
                "minder dan 5",
                "Uitnodigingscode",
            ],
        ),
    ],
)
def test_the_page_reads_in_french_and_dutch(client, awareness_module, language, words):
    member = public_member()
    book(member, awareness_module, 3)
    client.force_login(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    text = client.get(URL).content.decode()
    for word in words:
        assert word in text, word
