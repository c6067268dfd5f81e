"""Job-seekers apply and follow their applications; employers move applicants through stages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates import consent as consent_texts
from candidates.models import Consent, ProfileView
from college.models import Skill
from employers.models import Application, ApplicationEvent, Vacancy
from employers.services import application_move
from tests import factories

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
MOTIVATION = "I walk these streets every day and I like helping my neighbours."
# What a move to "invited to tests" or "interview" needs (see test_stage_invitations.py).
APPOINTMENT = {
    "appointment_at": timezone.now() + datetime.timedelta(days=7),
    "appointment_place": "Rue Royale 1, 1000 Bruxelles",
}
FORM_APPOINTMENT = {
    "appointment_date": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
    "appointment_time": "09:30",
    "appointment_place": "Rue Royale 1, 1000 Bruxelles",
}


@pytest.fixture
def vacancy(cast, reference_data):
    return factories.VacancyFactory(employer=cast.employer_member.membership.employer)


@pytest.fixture
def application(cast, vacancy):
    return factories.ApplicationFactory(vacancy=vacancy, profile=cast.candidate.candidate_profile)


def apply_url(vacancy):
    return f"/vacancies/{vacancy.pk}/apply/"


def detail_url(application):
    return f"/employer/applications/{application.pk}/"


def stage_url(application):
    return f"/employer/applications/{application.pk}/stage/"


def withdraw_url(application):
    return f"/me/applications/{application.pk}/withdraw/"


def pipeline_url(vacancy):
    return f"/employer/vacancies/{vacancy.pk}/applications/"


# Applying


def test_the_apply_page_shows_the_consent_text_naming_the_employer(client, cast, vacancy):
    client.force_login(cast.candidate)
    response = client.get(apply_url(vacancy), headers=EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert consent_texts.application_text("Zone de police Test") in page
    assert "What the employer will see" in page
    assert "You can withdraw your application at any time" in page


def test_the_apply_page_shows_which_requirements_are_met_without_blocking(client, cast, vacancy):
    held, lower, missing = Skill.objects.order_by("pk")[:3]
    factories.VacancySkillFactory(vacancy=vacancy, skill=held, min_level=2)
    factories.VacancySkillFactory(vacancy=vacancy, skill=lower, min_level=3)
    factories.VacancySkillFactory(vacancy=vacancy, skill=missing, min_level=2)
    profile = cast.candidate.candidate_profile
    factories.CandidateSkillFactory(profile=profile, skill=held, level=3)
    factories.CandidateSkillFactory(profile=profile, skill=lower, level=1)
    client.force_login(cast.candidate)
    response = client.get(apply_url(vacancy), headers=EN)
    fit = response.context["fit"]
    states = {row["requirement"].skill: row["state"] for row in fit["skills"]}
    assert states == {held: "met", lower: "partial", missing: "missing"}
    assert fit["skills_met"] == 1 and fit["skills_total"] == 3
    page = response.content.decode()
    assert "1 of 3 skills at the level asked" in page
    assert 'name="motivation"' in page  # the form is there whatever the checklist says


def test_a_candidate_applies_with_motivation_and_consent(client, cast, vacancy):
    client.force_login(cast.candidate)
    response = client.post(
        apply_url(vacancy), {"motivation": MOTIVATION, "consent": "on"}, headers=EN
    )
    assert response.status_code == 302
    assert response.url == "/me/applications/"
    application = Application.objects.get()
    assert application.profile == cast.candidate.candidate_profile
    assert application.vacancy == vacancy
    assert application.motivation == MOTIVATION
    assert application.stage == Application.Stage.RECEIVED
    consent = application.consent
    assert consent.purpose == Consent.Purpose.APPLICATION and consent.given
    assert consent.employer == vacancy.employer
    assert "Zone de police Test" in consent.text
    assert consent.text_version == consent_texts.APPLICATION_VERSION
    assert list(ApplicationEvent.objects.values_list("stage", flat=True)) == ["received"]
    page = client.get(response.url, headers=EN).content.decode()
    assert "Your application has been sent to Zone de police Test." in page


def test_applying_without_consent_is_an_error_and_saves_nothing(client, cast, vacancy):
    client.force_login(cast.candidate)
    response = client.post(apply_url(vacancy), {"motivation": MOTIVATION}, headers=EN)
    assert response.status_code == 400
    assert "consent" in response.context["form"].errors
    assert MOTIVATION in response.content.decode()  # what they wrote is kept
    assert not Application.objects.exists()
    assert not Consent.objects.exists()


@pytest.mark.parametrize(
    ("motivation", "message"),
    [
        ("", "Write a few sentences"),
        ("Too short.", "Write at least 20 characters (you wrote 10)."),
        ("x" * 2001, "Keep it to 2000 characters at most (you wrote 2001)."),
    ],
)
def test_a_missing_short_or_long_motivation_is_an_error(client, cast, vacancy, motivation, message):
    client.force_login(cast.candidate)
    response = client.post(
        apply_url(vacancy), {"motivation": motivation, "consent": "on"}, headers=EN
    )
    assert response.status_code == 400
    assert message in str(response.context["form"].errors["motivation"])
    assert not Application.objects.exists()
    assert not Consent.objects.exists()


def test_applying_twice_is_refused_cleanly(client, cast, vacancy):
    client.force_login(cast.candidate)
    client.post(apply_url(vacancy), {"motivation": MOTIVATION, "consent": "on"})
    page = client.get(apply_url(vacancy), headers=EN).content.decode()
    assert "You applied on" in page
    assert 'name="motivation"' not in page
    response = client.post(
        apply_url(vacancy), {"motivation": MOTIVATION + " Again.", "consent": "on"}, headers=EN
    )
    assert response.status_code == 302 and response.url == "/me/applications/"
    assert Application.objects.count() == 1
    assert Consent.objects.count() == 1
    page = client.get(response.url, headers=EN).content.decode()
    assert "You have already applied to this vacancy." in page


@pytest.mark.parametrize(
    "change",
    [
        {"status": Vacancy.Status.DRAFT, "published_at": None},
        {"status": Vacancy.Status.CLOSED},
        {"status": Vacancy.Status.FILLED},
        {"closes_on": datetime.date(2020, 1, 1)},
    ],
)
def test_a_draft_or_closed_vacancy_cannot_be_applied_to(client, cast, vacancy, change):
    Vacancy.objects.filter(pk=vacancy.pk).update(**change)
    client.force_login(cast.candidate)
    assert client.get(apply_url(vacancy)).status_code == 404
    client.post(apply_url(vacancy), {"motivation": MOTIVATION, "consent": "on"})
    assert not Application.objects.exists()


def test_a_vacancy_closed_while_writing_says_so(client, cast, vacancy):
    client.force_login(cast.candidate)
    assert client.get(apply_url(vacancy)).status_code == 200
    Vacancy.objects.filter(pk=vacancy.pk).update(status=Vacancy.Status.CLOSED)
    response = client.post(
        apply_url(vacancy), {"motivation": MOTIVATION, "consent": "on"}, headers=EN
    )
    assert response.status_code == 302
    assert response.url == "/vacancies/"
    assert not Application.objects.exists()
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["This vacancy has closed: applications are no longer taken."]


def test_a_vacancy_of_an_unverified_employer_cannot_be_applied_to(client, cast, vacancy):
    vacancy.employer.__class__.objects.filter(pk=vacancy.employer_id).update(is_verified=False)
    client.force_login(cast.candidate)
    assert client.get(apply_url(vacancy)).status_code == 404
    assert client.post(apply_url(vacancy), {"motivation": MOTIVATION}).status_code == 404


@pytest.mark.parametrize("who", ["employer_member", "counsellor", "staff"])
def test_only_job_seekers_can_apply(client, cast, vacancy, who):
    client.force_login(getattr(cast, who))
    assert client.get(apply_url(vacancy)).status_code == 403
    response = client.post(apply_url(vacancy), {"motivation": MOTIVATION, "consent": "on"})
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, vacancy):
    response = client.get(apply_url(vacancy))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/vacancies/{vacancy.pk}/apply/"


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999", "0"])
def test_odd_vacancy_ids_are_not_found(client, cast, pk):
    client.force_login(cast.candidate)
    assert client.get(f"/vacancies/{pk}/apply/").status_code == 404


# Following and withdrawing


def test_the_candidate_follows_the_stage_of_each_application(client, cast, application):
    application_move(
        application=application, stage="interview", user=cast.employer_member, **APPOINTMENT
    )
    client.force_login(cast.candidate)
    response = client.get("/me/applications/", headers=EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert application.vacancy.title_en in page
    assert "Zone de police Test" in page
    steps = response.context["rows"][0]["steps"]
    assert [step["state"] for step in steps] == ["done", "done", "current", "todo", "todo"]
    assert 'aria-current="step"' in page
    assert "current step:" in page  # the step is told in words, not by colour alone
    assert f'href="/vacancies/{application.vacancy.pk}/"' in page
    history = [event.stage for event in response.context["rows"][0]["events"]]
    assert history == ["interview"]  # the factory adds no event; the move adds one


def test_a_closed_vacancy_is_shown_without_a_link(client, cast, application):
    Vacancy.objects.filter(pk=application.vacancy_id).update(status=Vacancy.Status.CLOSED)
    client.force_login(cast.candidate)
    page = client.get("/me/applications/", headers=EN).content.decode()
    assert application.vacancy.title_en in page
    assert f'href="/vacancies/{application.vacancy.pk}/"' not in page
    assert "Vacancy closed" in page


def test_the_candidate_sees_the_reason_and_the_note_when_not_retained(client, cast, application):
    client.force_login(cast.employer_member)
    response = client.post(
        stage_url(application),
        {"stage": "not_retained", "reason": "language", "note": "Come back after B1 Dutch."},
    )
    assert response.status_code == 302
    client.force_login(cast.candidate)
    response = client.get("/me/applications/", headers=EN)
    page = response.content.decode()
    assert "The language level asked is not reached yet" in page
    assert "Come back after B1 Dutch." in page
    assert 'aria-current="step"' not in page
    assert "Withdraw this application" not in page


def test_my_applications_lists_only_my_own(client, cast, application):
    other = factories.ApplicationFactory(
        vacancy=application.vacancy, profile=cast.other_candidate.candidate_profile
    )
    client.force_login(cast.candidate)
    rows = client.get("/me/applications/").context["rows"]
    assert [row["application"] for row in rows] == [application]
    assert other not in [row["application"] for row in rows]


@pytest.mark.parametrize("who", ["employer_member", "counsellor", "staff"])
def test_only_job_seekers_have_an_applications_page(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get("/me/applications/").status_code == 403


def test_my_applications_takes_as_many_queries_for_ten_as_for_one(client, cast, application):
    application_move(application=application, stage="invited_to_tests", user=None, **APPOINTMENT)
    client.force_login(cast.candidate)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/me/applications/").status_code == 200
    profile = cast.candidate.candidate_profile
    for index in range(9):
        other = factories.ApplicationFactory(profile=profile)
        if index % 3 == 0:
            application_move(application=other, stage="interview", user=None, **APPOINTMENT)
        elif index % 3 == 1:
            application_move(application=other, stage="not_retained", user=None, reason="tests")
    with CaptureQueriesContext(connection) as ten:
        response = client.get("/me/applications/")
    assert len(response.context["rows"]) == 10
    assert len(ten.captured_queries) == len(one.captured_queries)


def test_the_dashboard_links_to_my_applications(client, cast, application):
    client.force_login(cast.candidate)
    page = client.get("/me/", headers=EN).content.decode()
    assert 'href="/me/applications/"' in page
    assert "You have sent 1 application." in page


def test_the_candidate_withdraws_an_application(client, cast, application):
    client.force_login(cast.candidate)
    response = client.post(
        withdraw_url(application), {f"withdraw-{application.pk}-confirm": "on"}, headers=EN
    )
    assert response.status_code == 302 and response.url == "/me/applications/"
    application.refresh_from_db()
    assert application.stage == Application.Stage.NOT_RETAINED
    assert application.reason == Application.Reason.WITHDRAWN
    withdrawal = Consent.objects.filter(
        profile=application.profile, purpose=Consent.Purpose.APPLICATION, given=False
    ).get()
    assert withdrawal.employer == application.vacancy.employer
    page = client.get("/me/applications/", headers=EN).content.decode()
    assert "You withdrew this application on" in page
    assert "Your application is withdrawn." in page


def test_withdrawing_needs_a_confirmation(client, cast, application):
    client.force_login(cast.candidate)
    response = client.post(withdraw_url(application), {}, headers=EN)
    assert response.status_code == 400
    assert "Tick the box to confirm that you withdraw." in response.content.decode()
    application.refresh_from_db()
    assert application.stage == Application.Stage.RECEIVED


def test_withdrawing_is_a_post(client, cast, application):
    client.force_login(cast.candidate)
    assert client.get(withdraw_url(application)).status_code == 405


def test_a_candidate_cannot_withdraw_another_candidates_application(client, cast, application):
    client.force_login(cast.other_candidate)
    response = client.post(withdraw_url(application), {f"withdraw-{application.pk}-confirm": "on"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.stage == Application.Stage.RECEIVED and application.reason == ""


def test_a_decided_application_cannot_be_withdrawn(client, cast, application):
    application_move(application=application, stage="hired", user=cast.employer_member)
    client.force_login(cast.candidate)
    response = client.post(
        withdraw_url(application), {f"withdraw-{application.pk}-confirm": "on"}, headers=EN
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Application.Stage.HIRED
    page = client.get("/me/applications/", headers=EN).content.decode()
    assert "This application is already decided." in page


# The employer's pipeline


def test_the_pipeline_groups_applicants_by_stage(client, cast, vacancy, application):
    other = factories.ApplicationFactory(
        vacancy=vacancy, profile=cast.other_candidate.candidate_profile
    )
    application_move(application=other, stage="interview", user=cast.employer_member, **APPOINTMENT)
    client.force_login(cast.employer_member)
    response = client.get(pipeline_url(vacancy), headers=EN)
    assert response.status_code == 200
    groups = {group["key"]: group["applications"] for group in response.context["groups"]}
    assert groups["received"] == [application]
    assert groups["interview"] == [other]
    assert groups["withdrawn"] == []
    page = response.content.decode()
    assert "Yasmine Test" in page and "Other Test" in page
    assert f'href="/employer/applications/{application.pk}/"' in page


def test_a_withdrawn_application_shows_neither_name_nor_profile_link(
    client, cast, vacancy, application
):
    client.force_login(cast.candidate)
    client.post(withdraw_url(application), {f"withdraw-{application.pk}-confirm": "on"})
    client.force_login(cast.employer_member)
    response = client.get(pipeline_url(vacancy), headers=EN)
    groups = {group["key"]: group["applications"] for group in response.context["groups"]}
    assert groups["withdrawn"] == [application]
    assert groups["not_retained"] == []
    page = response.content.decode()
    assert "Withdrawn by the candidate" in page
    assert "Yasmine Test" not in page
    assert f'href="/employer/applications/{application.pk}/"' not in page


def test_the_pipeline_takes_as_many_queries_for_ten_as_for_one(client, cast, vacancy, application):
    client.force_login(cast.employer_member)
    with CaptureQueriesContext(connection) as one:
        assert client.get(pipeline_url(vacancy)).status_code == 200
    for index in range(9):
        other = factories.ApplicationFactory(vacancy=vacancy)
        if index % 2:
            application_move(application=other, stage="offer", user=cast.employer_member)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(pipeline_url(vacancy))
    assert response.context["total"] == 10
    assert len(ten.captured_queries) == len(one.captured_queries)


# One application, as the employer sees it


def test_the_employer_sees_the_motivation_consent_and_shared_profile(client, cast, application):
    profile = application.profile
    profile.phone = "0470 12 34 56"
    profile.save()
    skill = Skill.objects.order_by("pk").first()
    factories.CandidateSkillFactory(profile=profile, skill=skill, level=3)
    client.force_login(cast.employer_member)
    response = client.get(detail_url(application), headers=EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert application.motivation.replace("'", "&#x27;") in page
    assert application.consent.text in page
    assert "yasmine@example.org" in page and "0470 12 34 56" in page
    assert skill.label_en in page
    assert "Level 3 of 4" in page
    # The stage form offers only later stages, and "not retained".
    choices = [value for value, _label in response.context["form"].fields["stage"].choices]
    assert choices == ["invited_to_tests", "interview", "offer", "hired", "not_retained"]
    reasons = [value for value, _label in response.context["form"].fields["reason"].choices]
    assert "withdrawn" not in reasons and "language" in reasons


def test_each_opening_by_an_employer_is_logged_and_shown_to_the_candidate(
    client, cast, application
):
    client.force_login(cast.employer_member)
    client.get(detail_url(application))
    client.get(detail_url(application))
    views = ProfileView.objects.filter(profile=application.profile)
    assert views.count() == 2
    view = views.first()
    assert view.viewer == cast.employer_member
    assert view.viewer_role == "employer"
    assert view.channel == ProfileView.Channel.PAGE
    client.force_login(cast.candidate)
    page = client.get("/me/data/", headers=EN).content.decode()
    assert cast.employer_member.full_name in page


def test_a_withdrawn_application_shows_no_profile(client, cast, application):
    client.force_login(cast.candidate)
    client.post(withdraw_url(application), {f"withdraw-{application.pk}-confirm": "on"})
    client.force_login(cast.employer_member)
    response = client.get(detail_url(application), headers=EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Withdrawn application" in page
    assert "yasmine@example.org" not in page
    assert "Yasmine Test" not in page
    assert "mon quartier" not in page  # nor the motivation
    assert response.context["form"] is None
    assert not ProfileView.objects.exists()


@pytest.mark.parametrize("who", ["candidate", "counsellor", "staff"])
def test_only_employer_members_see_applications(client, cast, application, who):
    client.force_login(getattr(cast, who))
    assert client.get(detail_url(application)).status_code == 403
    assert client.get(pipeline_url(application.vacancy)).status_code == 403
    assert client.post(stage_url(application), {"stage": "interview"}).status_code == 403


def test_another_organisations_member_gets_a_404_and_changes_nothing(client, cast, application):
    client.force_login(cast.other_employer_member)
    assert client.get(pipeline_url(application.vacancy)).status_code == 404
    assert client.get(detail_url(application)).status_code == 404
    response = client.post(stage_url(application), {"stage": "not_retained", "reason": "tests"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.stage == Application.Stage.RECEIVED
    assert not ProfileView.objects.exists()


def test_an_employer_without_a_membership_gets_a_404(client, cast, application):
    cast.employer_member.membership.delete()
    client.force_login(cast.employer_member)
    assert client.get(pipeline_url(application.vacancy)).status_code == 404
    assert client.get(detail_url(application)).status_code == 404


# Moving an applicant on


def test_moving_forward_emails_the_candidate_in_their_language(
    client, cast, application, mailoutbox, django_capture_on_commit_callbacks
):
    cast.candidate.preferred_language = "nl"
    cast.candidate.save()
    client.force_login(cast.employer_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            stage_url(application), {"stage": "interview", **FORM_APPOINTMENT}, headers=EN
        )
    assert response.status_code == 302
    assert response.url == detail_url(application)
    application.refresh_from_db()
    assert application.stage == Application.Stage.INTERVIEW
    event = ApplicationEvent.objects.get(application=application)
    assert event.stage == "interview" and event.changed_by == cast.employer_member
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["yasmine@example.org"]
    assert application.vacancy.title_nl in mail.subject
    assert application.vacancy.title_fr not in mail.subject
    assert "http" in mail.body and "/me/applications/" in mail.body
    page = client.get(detail_url(application), headers=EN).content.decode()
    assert "The candidate will be e-mailed." in page


def test_moving_backwards_is_refused_and_changes_nothing(
    client, cast, application, mailoutbox, django_capture_on_commit_callbacks
):
    application_move(
        application=application, stage="interview", user=cast.employer_member, **APPOINTMENT
    )
    client.force_login(cast.employer_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(stage_url(application), {"stage": "invited_to_tests"}, headers=EN)
    assert response.status_code == 400
    assert "stage" in response.context["form"].errors
    application.refresh_from_db()
    assert application.stage == Application.Stage.INTERVIEW
    assert ApplicationEvent.objects.filter(application=application).count() == 1
    assert mailoutbox == []


def test_the_same_stage_again_is_refused(client, cast, application):
    client.force_login(cast.employer_member)
    response = client.post(stage_url(application), {"stage": "received"}, headers=EN)
    assert response.status_code == 400
    assert not ApplicationEvent.objects.filter(application=application).exists()


def test_not_retained_needs_a_reason(client, cast, application, mailoutbox):
    client.force_login(cast.employer_member)
    response = client.post(
        stage_url(application), {"stage": "not_retained", "note": "Sorry."}, headers=EN
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == [
        "Choose the reason the candidate will see."
    ]
    application.refresh_from_db()
    assert application.stage == Application.Stage.RECEIVED
    assert mailoutbox == []


def test_withdrawn_is_not_a_reason_an_employer_may_give(client, cast, application):
    client.force_login(cast.employer_member)
    response = client.post(
        stage_url(application), {"stage": "not_retained", "reason": "withdrawn"}, headers=EN
    )
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    application.refresh_from_db()
    assert application.stage == Application.Stage.RECEIVED


def test_not_retained_with_a_reason_emails_the_reason(
    client, cast, application, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(cast.employer_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            stage_url(application),
            {"stage": "not_retained", "reason": "posts_filled", "note": "Thank you."},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.reason == "posts_filled" and application.reason_note == "Thank you."
    assert len(mailoutbox) == 1 and "Thank you." in mailoutbox[0].body


def test_a_reason_sent_with_a_forward_move_is_dropped_but_its_message_is_kept(
    client, cast, application
):
    client.force_login(cast.employer_member)
    client.post(stage_url(application), {"stage": "offer", "reason": "tests", "note": "x"})
    application.refresh_from_db()
    assert application.stage == Application.Stage.OFFER
    assert application.reason == "" and application.reason_note == "x"


@pytest.mark.parametrize("data", [{}, {"stage": "bogus"}, {"stage": ""}, {"stage": ["1", "2"]}])
def test_odd_stage_input_is_an_error(client, cast, application, data):
    client.force_login(cast.employer_member)
    response = client.post(stage_url(application), data, headers=EN)
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.stage == Application.Stage.RECEIVED


def test_a_decided_application_does_not_move(client, cast, application):
    application_move(application=application, stage="hired", user=cast.employer_member)
    client.force_login(cast.employer_member)
    response = client.post(
        stage_url(application), {"stage": "not_retained", "reason": "tests"}, headers=EN
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Application.Stage.HIRED
    page = client.get(detail_url(application), headers=EN).content.decode()
    assert "This application is already decided." in page


def test_changing_the_stage_is_a_post(client, cast, application):
    client.force_login(cast.employer_member)
    assert client.get(stage_url(application)).status_code == 405


def test_the_history_is_kept_with_each_stage(client, cast, application):
    client.force_login(cast.employer_member)
    for stage in ["invited_to_tests", "interview", "offer"]:
        client.post(stage_url(application), {"stage": stage, **FORM_APPOINTMENT})
    stages = list(
        ApplicationEvent.objects.filter(application=application).values_list("stage", flat=True)
    )
    assert stages == ["invited_to_tests", "interview", "offer"]
    application.refresh_from_db()
    assert application.stage_changed_at <= timezone.now()


@pytest.mark.parametrize("pk", ["99999999999999999999", "0"])
def test_odd_application_ids_are_not_found(client, cast, pk):
    client.force_login(cast.employer_member)
    assert client.get(f"/employer/applications/{pk}/").status_code == 404
    assert client.post(f"/employer/applications/{pk}/stage/", {"stage": "offer"}).status_code == 404
    assert client.get(f"/employer/vacancies/{pk}/applications/").status_code == 404
    client.force_login(cast.candidate)
    assert client.post(f"/me/applications/{pk}/withdraw/", {}).status_code == 404
