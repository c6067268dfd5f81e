"""Decision e-mails in the person's language, with the staff's message and the way to their file."""

import pytest
from django.core import mail

from college.intake.services import intake_decide
from tests import factories
from tests.college.intake.support import closed_intake

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject", "words"),
    [
        ("fr", "Sur la liste d’attente", "liste d’attente"),
        ("nl", "Op de wachtlijst", "wachtlijst"),
    ],
)
def test_a_wait_listed_person_is_told_in_their_language(
    cast, django_capture_on_commit_callbacks, language, subject, words
):
    intake = closed_intake()
    person = factories.CandidateFactory(preferred_language=language)
    application = factories.IntakeApplicationFactory(intake=intake, candidate=person)
    with django_capture_on_commit_callbacks(execute=True):
        intake_decide(
            intake=intake,
            ref=application.ref,
            decision="waitlisted",
            message="Tot snel / À bientôt.",
            author=cast.staff,
        )
    (message,) = mail.outbox
    assert message.to == [person.email]
    assert message.subject.startswith(subject)
    assert words in message.body and "Tot snel / À bientôt." in message.body
    assert f"/me/intakes/{application.pk}/" in message.body


def test_a_promotion_from_the_waiting_list_says_a_place_freed_up(
    cast, django_capture_on_commit_callbacks
):
    intake = closed_intake(places=1)
    first = factories.IntakeApplicationFactory(intake=intake)
    waiting = factories.IntakeApplicationFactory(
        intake=intake, candidate=factories.CandidateFactory(preferred_language="en")
    )
    intake_decide(intake=intake, ref=first.ref, decision="admitted", message="", author=cast.staff)
    intake_decide(
        intake=intake, ref=waiting.ref, decision="waitlisted", message="", author=cast.staff
    )
    with django_capture_on_commit_callbacks(execute=True):
        intake_decide(
            intake=intake, ref=first.ref, decision="declined", message="", author=cast.staff
        )
    promoted = next(message for message in mail.outbox if message.to == [waiting.candidate.email])
    assert "A place freed up" in promoted.body
