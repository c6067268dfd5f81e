"""A job-seeker with a row of every kind Passerelle can hold about them (data-rights tests).

`give_every_kind` goes through the services where they exist, so that the rows are the ones
the site really writes (consents with their text, audit events, certificates with the
holder's name); it can be called again for the same person to add one more of each kind.
"""

import datetime
import itertools
from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.utils import timezone
from rest_framework.authtoken.models import Token

from assessments.models import Attempt, Battery, Response
from assessments.services import attempt_current_item, attempt_start, time_accommodation_set
from candidates.digital.services import (
    digital_self_assessment_save,
    external_certification_add,
    external_certification_reject,
)
from candidates.models import CandidateProfile, Education, Evidence, Experience, ProfileView
from candidates.services import (
    candidate_certificate_add,
    candidate_education_save,
    candidate_experience_save,
    candidate_shortlist_consent_set,
    profile_view_log,
)
from college.models import Commune, Language, MfaDevice, Role, Skill
from college.training.certificates import certificate_issue
from employers.models import (
    Application,
    MatchAlert,
    RankedCandidate,
    ShortlistInvitation,
    VacancyRanking,
)
from employers.services import application_move, application_note_add, application_submit
from tests import factories

FULL_NAME = "Zéphyrine Quokka-Brusselmans"
EMAIL = "zephyrine.quokka@example.net"
PHONE = "+32 499 31 41 59"
BIRTH_YEAR = 1987
PASSWORD = "a-long-enough-password-for-zephyrine"

_counter = itertools.count(1)


@dataclass
class Person:
    user: object
    profile: CandidateProfile


def sign_up(client):
    """Signs Zéphyrine up through the real sign-up page; the client stays signed in."""
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": FULL_NAME,
            "email": EMAIL,
            "password": PASSWORD,
            "accepts_privacy_notice": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    profile = CandidateProfile.objects.select_related("user").get(user__email=EMAIL)
    return Person(user=profile.user, profile=profile)


def give_every_kind(person, cast):
    """One more row of every kind of `candidates.data_rights.HOLDINGS` for `person`."""
    # Counted across the whole test run: consecutive calls for one person never collide
    # (indices are taken modulo the reference data's size).
    n = next(_counter)
    user, profile = person.user, person.profile
    employer = cast.employer_member.membership.employer
    start = 3 * n % (Skill.objects.count() - 3)
    skills = list(Skill.objects.order_by("pk")[start : start + 3])

    CandidateProfile.objects.filter(pk=profile.pk).update(
        phone=PHONE,
        birth_year=BIRTH_YEAR,
        headline=f"{FULL_NAME}, steward à Schaerbeek",
        commune=Commune.objects.get(name_fr="Schaerbeek"),
        match_alert_threshold=70,
    )
    profile.refresh_from_db()
    roles = list(Role.objects.order_by("pk"))
    profile.target_roles.add(roles[n % len(roles)])
    factories.CandidateSkillFactory(
        profile=profile,
        skill=skills[0],
        evidence=Evidence.COUNSELLOR_VALIDATED,
        evidence_note=f"Observed by the counsellor: {FULL_NAME} leads well.",
        validated_by=cast.counsellor,
    )
    factories.CandidateLanguageFactory(
        profile=profile,
        language=list(Language.objects.order_by("pk"))[n % Language.objects.count()],
        cefr="B2",
    )
    candidate_certificate_add(
        profile=profile,
        language=Language.objects.get(code=("nl", "fr")[n % 2]),
        level=("art9_1", "art8", "art7")[n % 3],
        obtained_on=datetime.date(2020, 5, n % 28 + 1),
    )
    candidate_experience_save(
        profile=profile,
        data={
            "kind": Experience.Kind.VOLUNTEERING,
            "title": f"Bénévole ({FULL_NAME})",
            "organisation": f"Club de {EMAIL}",
            "description": f"Call me: {PHONE}",
            "started_on": datetime.date(2015, 1, n % 28 + 1),
            "skills": skills[1:],
        },
    )
    candidate_education_save(
        profile=profile,
        data={
            "level": Education.Level.UPPER_SECONDARY,
            "title": f"CESS de {FULL_NAME}",
            "institution": "Athénée royal",
            "year": 2005,
        },
    )
    candidate_shortlist_consent_set(profile=profile, given=n % 2 == 1)
    # The digital track: a DigComp self-assessment under way and a checked certification.
    digital_self_assessment_save(profile=profile, answers={"1.1": n % 7, "4.2": 3})
    certification = external_certification_add(
        profile=profile,
        certification="isc2-cc",
        obtained_on=datetime.date(2024, 6, n % 28 + 1),
        credential_id=f"CC-{n}-{PHONE}",
        verification_url=f"https://verify.example.net/{n}/zephyrine-quokka",
    )
    external_certification_reject(
        certification=certification,
        by=cast.counsellor,
        reason=f"Not on the issuer's list under {FULL_NAME}.",
    )
    profile_view_log(profile=profile, viewer=cast.counsellor, channel=ProfileView.Channel.PAGE)
    Token.objects.get_or_create(user=user)
    MfaDevice.objects.get_or_create(
        user=user, defaults={"secret": "JBSWY3DPEHPK3PXP", "confirmed_at": timezone.now()}
    )
    LogEntry.objects.log_actions(
        user_id=cast.staff.pk, queryset=[user], action_flag=CHANGE, change_message="edited"
    )
    factories.GuidanceFactory(counsellor=factories.CounsellorFactory(), candidate=user)
    factories.CounsellorNoteFactory(
        candidate=user, author=cast.counsellor, body=f"{FULL_NAME} ({PHONE}) wants day shifts."
    )
    factories.ActionItemFactory(
        candidate=user, author=cast.counsellor, text=f"Écrire à {EMAIL} le CV"
    )
    path = factories.TrainingPathFactory(candidate=user, explanation=f"Pour {FULL_NAME}.")
    factories.PathStepFactory(path=path, note=f"{FULL_NAME} commence ici.")

    # Training: a passed enrolment with its attendance and certificate, issued in her name.
    enrolment = factories.EnrolmentFactory(candidate=user, result="passed", score=80)
    factories.AttendanceFactory(enrolment=enrolment)
    LogEntry.objects.log_actions(
        user_id=cast.staff.pk, queryset=[enrolment], action_flag=CHANGE, change_message="result"
    )
    certificate_issue(enrolment=enrolment)

    # A selective intake: her motivation, a staff member's rating and a decision with a message.
    intake_application = factories.IntakeApplicationFactory(
        candidate=user, motivation={"why": f"Moi, {FULL_NAME}, je veux ce métier."}
    )
    intake_application.ratings.create(rater=cast.staff, score=4)
    intake_application.decisions.create(
        decision="waitlisted", message=f"{FULL_NAME}, vous êtes sur la liste.", author=cast.staff
    )

    # A practice test left mid-way: one question answered, the others still open.
    time_accommodation_set(
        candidate=user, multiplier=1.25, note=f"Dyslexia of {FULL_NAME}", set_by=cast.counsellor
    )
    battery = Battery.objects.order_by("pk")[n % Battery.objects.count()]
    attempt = attempt_start(
        user=user, battery=battery, mode=Attempt.Mode.PRACTICE, language=battery.languages[0]
    )
    attempt_item = attempt_current_item(attempt=attempt)
    Response.objects.create(attempt_item=attempt_item, value="42", score=1)

    # Applications: one moved on by the employer, one not retained with a note to her.
    vacancies = [factories.VacancyFactory(employer=employer) for _ in range(3)]
    application = application_submit(
        profile=profile,
        vacancy=vacancies[0],
        motivation=f"Je suis {FULL_NAME}, joignable au {PHONE} ou à {EMAIL}.",
    )
    application_move(
        application=application,
        stage="interview",
        user=cast.employer_member,
        appointment_at=timezone.now() + datetime.timedelta(days=3),
        appointment_place="Rue Royale 1, 1000 Bruxelles",
        appointment_instructions=f"Demandez {FULL_NAME} à l'accueil.",
        notify=False,
    )
    application_note_add(
        application=application,
        author=cast.employer_member,
        text=f"{FULL_NAME} : très motivée, rappeler au {PHONE}.",
    )
    refused = application_submit(profile=profile, vacancy=vacancies[1], motivation="Motivée.")
    application_move(
        application=refused,
        stage=Application.Stage.NOT_RETAINED,
        user=cast.employer_member,
        reason=Application.Reason.OTHER,
        note=f"Chère {FULL_NAME}, le poste est pourvu.",
        notify=False,
    )
    ShortlistInvitation.objects.create(
        vacancy=vacancies[2],
        profile=profile,
        invited_by=cast.employer_member,
        message=f"Bonjour {FULL_NAME}, postulez !",
    )
    MatchAlert.objects.create(vacancy=vacancies[2], profile=profile, score=81)
    ranking = VacancyRanking.objects.create(vacancy=vacancies[2], threshold=50)
    RankedCandidate.objects.create(ranking=ranking, profile=profile, score=81)
    return vacancies
