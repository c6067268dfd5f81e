"""Consent to blind shortlists, recorded and withdrawable; who looked at a profile, logged."""

import pytest

from candidates import consent as consent_texts
from candidates.models import Consent, ProfileView
from candidates.services import candidate_application_consent_record
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/me/profile/sharing/"


def test_sharing_page_shows_the_text_to_agree_to(client, cast):
    client.force_login(cast.candidate)
    response = client.get(URL, headers={"accept-language": "en"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "without my name, contact details, age, address or nationality" in page
    assert consent_texts.SHORTLISTS_VERSION in page
    assert "You have not made a choice yet." in page


def test_agreeing_records_the_text_version_language_and_time(client, cast):
    profile = cast.candidate.candidate_profile
    client.force_login(cast.candidate)
    response = client.post(URL, {"choice": "yes"}, headers={"accept-language": "nl"})
    assert response.status_code == 302
    record = Consent.objects.get(profile=profile)
    assert record.given and record.purpose == Consent.Purpose.SHORTLISTS
    assert record.text_version == consent_texts.SHORTLISTS_VERSION
    assert record.language == "nl"
    assert "zonder mijn naam" in record.text
    profile.refresh_from_db()
    assert profile.is_visible_in_shortlists


def test_withdrawing_adds_a_record_and_hides_the_profile(client, cast):
    profile = cast.candidate.candidate_profile
    client.force_login(cast.candidate)
    client.post(URL, {"choice": "yes"})
    client.post(URL, {"choice": "no"})
    records = list(Consent.objects.filter(profile=profile).order_by("recorded_at", "pk"))
    assert [record.given for record in records] == [True, False]
    profile.refresh_from_db()
    assert not profile.is_visible_in_shortlists
    page = client.get(URL, headers={"accept-language": "en"}).content.decode()
    assert "withdrawn" in page and "agreed" in page


def test_the_same_choice_twice_records_it_once(client, cast):
    client.force_login(cast.candidate)
    client.post(URL, {"choice": "yes"})
    client.post(URL, {"choice": "yes"})
    assert Consent.objects.filter(profile__user=cast.candidate).count() == 1


@pytest.mark.parametrize("data", [{}, {"choice": "maybe"}])
def test_a_missing_or_odd_choice_is_an_error_and_records_nothing(client, cast, data):
    client.force_login(cast.candidate)
    response = client.post(URL, data, headers={"accept-language": "en"})
    assert response.status_code == 200
    assert "choice" in response.context["form"].errors
    assert not Consent.objects.exists()


def test_the_api_records_consent_when_visibility_changes(api_client, cast):
    api_client.force_authenticate(cast.candidate)
    response = api_client.patch(
        "/api/v1/me/profile/", {"is_visible_in_shortlists": True}, format="json"
    )
    assert response.status_code == 200 and response.json()["is_visible_in_shortlists"]
    assert Consent.objects.get(profile__user=cast.candidate).given


def test_applying_records_consent_naming_the_employer(cast):
    employer = cast.employer_member.membership.employer
    record = candidate_application_consent_record(
        profile=cast.candidate.candidate_profile, employer=employer
    )
    assert record.purpose == Consent.Purpose.APPLICATION and record.given
    assert employer.name in record.text
    assert record.text_version == consent_texts.APPLICATION_VERSION


@pytest.mark.parametrize("who", ["counsellor", "employer_member", "staff"])
def test_sharing_is_the_job_seekers_own_choice(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.post(URL, {"choice": "yes"}).status_code == 403
    assert not Consent.objects.exists()


def test_sharing_page_needs_a_login(client, cast):
    assert client.get(URL)["Location"].startswith("/accounts/login/")


# Who looked at my profile


def test_a_counsellor_opening_a_profile_is_logged_and_shown_to_the_job_seeker(client, cast):
    profile = cast.candidate.candidate_profile
    client.force_login(cast.counsellor)
    assert client.get(f"/caseload/{profile.pk}/").status_code == 200
    view = ProfileView.objects.get()
    assert view.viewer == cast.counsellor and view.viewer_role == "counsellor"
    assert view.channel == ProfileView.Channel.PAGE and view.profile == profile
    client.force_login(cast.candidate)
    page = client.get("/me/data/", headers={"accept-language": "en"}).content.decode()
    assert "Who looked at my profile" in page and "Marc Test" in page


def test_a_counsellor_downloading_the_passport_is_logged(client, cast):
    profile = cast.candidate.candidate_profile
    client.force_login(cast.counsellor)
    assert client.get(f"/caseload/{profile.pk}/passport.pdf").status_code == 200
    assert ProfileView.objects.get().channel == ProfileView.Channel.PASSPORT


def test_staff_opening_a_profile_in_the_admin_is_logged(client, cast):
    profile = cast.candidate.candidate_profile
    client.force_login(cast.staff)
    response = client.get(f"/admin/candidates/candidateprofile/{profile.pk}/change/")
    assert response.status_code == 200
    view = ProfileView.objects.get()
    assert view.viewer == cast.staff and view.channel == ProfileView.Channel.ADMIN


def test_the_job_seeker_viewing_their_own_data_is_not_logged(client, cast):
    client.force_login(cast.candidate)
    client.get("/me/")
    client.get("/me/passport.pdf")
    assert not ProfileView.objects.exists()


def test_the_view_log_cannot_be_edited_in_the_admin(client, cast):
    factories.CandidateSkillFactory(profile=cast.candidate.candidate_profile)
    client.force_login(cast.counsellor)
    client.get(f"/caseload/{cast.candidate.candidate_profile.pk}/")
    view = ProfileView.objects.get()
    client.force_login(cast.staff)
    assert client.get("/admin/candidates/profileview/").status_code == 200
    assert client.post(f"/admin/candidates/profileview/{view.pk}/delete/").status_code == 403
    assert ProfileView.objects.count() == 1


def test_staff_cannot_give_consent_for_someone_in_the_admin(client, cast):
    profile = cast.candidate.candidate_profile
    client.force_login(cast.staff)
    page = client.get(f"/admin/candidates/candidateprofile/{profile.pk}/change/").content.decode()
    assert 'name="is_visible_in_shortlists"' not in page
