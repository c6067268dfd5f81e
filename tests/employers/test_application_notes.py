"""Internal notes on an application: shared by the members of the owning organisation, never
shown to the candidate, part of the candidate's export and emptied when they erase."""

import pytest

from employers.models import ApplicationNote
from employers.services import application_note_add
from tests import factories

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
NOTE = "Calm under pressure at the group exercise; check her Dutch at the interview."


@pytest.fixture
def application(cast, reference_data):
    vacancy = factories.VacancyFactory(employer=cast.employer_member.membership.employer)
    return factories.ApplicationFactory(vacancy=vacancy, profile=cast.candidate.candidate_profile)


@pytest.fixture
def colleague(cast):
    """A second member of the same organisation."""
    return factories.MembershipFactory(employer=cast.employer_member.membership.employer).user


def notes_url(application):
    return f"/employer/applications/{application.pk}/notes/"


def test_a_member_adds_a_note_that_a_colleague_reads(client, cast, application, colleague):
    client.force_login(cast.employer_member)
    response = client.post(notes_url(application), {"text": NOTE})
    assert response.status_code == 302
    assert response.url == f"/employer/applications/{application.pk}/#notes"
    note = ApplicationNote.objects.get()
    assert (note.application, note.author, note.text) == (application, cast.employer_member, NOTE)
    client.force_login(colleague)
    detail = client.get(f"/employer/applications/{application.pk}/", headers=EN)
    assert NOTE in detail.content.decode()
    listing = client.get(f"/employer/vacancies/{application.vacancy.pk}/applications/")
    assert NOTE in listing.content.decode()


def test_an_empty_note_is_a_field_error(client, cast, application):
    client.force_login(cast.employer_member)
    response = client.post(notes_url(application), {"text": "   "}, headers=EN)
    assert response.status_code == 400
    assert response.context["note_form"].errors["text"] == ["Write the note first."]
    assert not ApplicationNote.objects.exists()


def test_another_organisation_gets_a_404_and_sees_no_note(client, cast, application):
    application_note_add(application=application, author=cast.employer_member, text=NOTE)
    client.force_login(cast.other_employer_member)
    assert client.post(notes_url(application), {"text": "Mine now."}).status_code == 404
    assert client.get(f"/employer/applications/{application.pk}/").status_code == 404
    assert ApplicationNote.objects.count() == 1


def test_the_candidate_never_sees_the_notes(client, cast, application):
    application_note_add(application=application, author=cast.employer_member, text=NOTE)
    client.force_login(cast.candidate)
    assert client.post(notes_url(application), {"text": "Hello"}).status_code == 403
    for url in ("/me/applications/", "/me/", "/me/matches/"):
        assert NOTE not in client.get(url).content.decode(), url


def test_the_notes_are_in_the_candidates_export_and_emptied_on_erasure(client, cast, application):
    application_note_add(application=application, author=cast.employer_member, text=NOTE)
    cast.candidate.set_password("a-long-enough-password")
    cast.candidate.save()
    client.force_login(cast.candidate)
    export = client.get("/api/v1/me/export/").json()
    (exported,) = export["applications"]
    assert [note["text"] for note in exported["internal_notes"]] == [NOTE]
    assert "employer@example.org" not in str(exported)  # the note's author is not named
    response = client.post(
        "/me/data/erase/", {"password": "a-long-enough-password", "understands": "on"}
    )
    assert response.status_code == 302
    assert list(ApplicationNote.objects.values_list("text", flat=True)) == [""]
    client.force_login(cast.employer_member)
    listing = client.get(f"/employer/vacancies/{application.vacancy.pk}/applications/")
    assert NOTE not in listing.content.decode()
