"""The demo as a Brussels user would check it: vacancies in their zone's communes, numbers
that add up, applications that arrived over weeks, organisations named once, and role
pickers that offer each kind of organisation its own jobs."""

import datetime
import re

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from employers.models import Application, Employer, Vacancy, roles_for_employer
from tests.college.demo.support import seed, undone_at_the_end

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module, in a transaction undone at the end."""
    with undone_at_the_end(django_db_blocker):
        seed()
        yield


def test_every_police_zone_vacancy_is_in_a_commune_of_its_zone(seeded):
    vacancies = Vacancy.objects.filter(employer__kind=Employer.Kind.LOCAL_POLICE)
    assert vacancies.count() >= 10
    for vacancy in vacancies.select_related("employer", "commune"):
        assert vacancy.commune.police_zone_id == vacancy.employer.police_zone_id, vacancy
        assert vacancy.employer.communes.filter(pk=vacancy.commune_id).exists(), vacancy


def test_municipal_services_recruit_in_their_own_commune(seeded):
    vacancies = Vacancy.objects.filter(employer__kind=Employer.Kind.MUNICIPAL_PREVENTION)
    assert vacancies.exists()
    for vacancy in vacancies.select_related("employer"):
        assert vacancy.employer.communes.filter(pk=vacancy.commune_id).exists(), vacancy


def with_hires():
    hired = Q(applications__stage=Application.Stage.HIRED)
    return Vacancy.objects.annotate(hires=Count("applications", filter=hired))


def test_no_vacancy_has_more_hires_than_posts(seeded):
    assert not with_hires().filter(hires__gt=F("posts")).exists()
    assert Application.objects.filter(stage=Application.Stage.HIRED).exists()


def test_a_vacancy_whose_posts_are_all_taken_is_filled_not_published(seeded):
    full = with_hires().filter(hires__gte=F("posts"))
    assert full.exists()  # the demo shows one
    assert not full.filter(status=Vacancy.Status.PUBLISHED).exists()
    for vacancy in full.filter(status=Vacancy.Status.FILLED):
        assert not vacancy.applications.exclude(
            stage__in=[Application.Stage.HIRED, Application.Stage.NOT_RETAINED]
        ).exists()


def test_applications_arrived_over_at_least_three_weeks_and_none_in_the_future(seeded):
    dates = Application.objects.order_by("created_at").values_list("created_at", flat=True)
    assert dates.last() - dates.first() >= datetime.timedelta(weeks=3)
    assert dates.last() <= timezone.now()
    assert len({date.date() for date in dates}) >= 15


def test_each_application_came_after_its_vacancy_went_online_and_its_history_is_in_order(seeded):
    applications = (
        Application.objects.filter(vacancy__published_at__isnull=False)
        .select_related("vacancy")
        .prefetch_related("events")
    )
    late = 0
    for application in applications:
        events = sorted(application.events.all(), key=lambda event: event.pk)
        moments = [event.changed_at for event in events]
        assert moments == sorted(moments), application
        assert moments[0] == application.created_at
        assert application.stage_changed_at == moments[-1]
        assert moments[-1] <= timezone.now()
        late += application.created_at >= application.vacancy.published_at
    # All but the person the caseload shows as stalled, who applied before going quiet.
    assert late >= applications.count() - 5


def test_pipelines_show_every_stage_and_reasons_that_fit_them(seeded):
    stages = set(Application.objects.values_list("stage", flat=True))
    assert set(Application.Stage.values) <= stages
    reasons = set(
        Application.objects.filter(stage=Application.Stage.NOT_RETAINED).values_list(
            "reason", flat=True
        )
    )
    assert {"language", "tests", "interview", "posts_filled"} <= reasons
    turned_down_at_tests = Application.objects.filter(reason=Application.Reason.TESTS)
    for application in turned_down_at_tests:
        assert application.events.filter(stage=Application.Stage.INVITED_TO_TESTS).exists()


def test_organisation_names_are_unique_and_say_nothing_twice(seeded):
    names = list(Employer.objects.values_list("name_fr", flat=True))
    assert len(names) == len(set(names))
    for name in names:
        parenthesis = re.search(r"\(([^)]+)\)$", name)
        if parenthesis:
            assert parenthesis.group(1).casefold() not in name[: parenthesis.start()].casefold()
    assert "Zone de police Midi" in names


def test_every_demo_vacancy_is_for_a_role_its_organisation_recruits_for(seeded):
    for employer in Employer.objects.filter(vacancies__isnull=False).distinct():
        allowed = set(roles_for_employer(employer=employer).values_list("pk", flat=True))
        assert set(employer.vacancies.values_list("role", flat=True)) <= allowed, employer


def test_a_second_run_changes_no_place_number_or_date_order(seeded):
    before = list(
        Vacancy.objects.order_by("pk").values_list("pk", "commune", "posts", "status", "title_fr")
    )
    seed()
    after = list(
        Vacancy.objects.order_by("pk").values_list("pk", "commune", "posts", "status", "title_fr")
    )
    assert after == before


def test_a_rerun_moves_a_demo_vacancy_an_older_seed_put_outside_its_zone(seeded):
    vacancy = Vacancy.objects.get(employer__slug="zone-5341", role__slug="police-agent")
    right = (vacancy.commune_id, vacancy.title_fr)
    outside = vacancy.employer.police_zone.communes.model.objects.exclude(
        police_zone=vacancy.employer.police_zone
    ).first()
    title = f"{vacancy.role.title_fr} – {outside.name_fr}"
    Vacancy.objects.filter(pk=vacancy.pk).update(commune=outside, title_fr=title)
    count = Vacancy.objects.count()
    seed()
    vacancy.refresh_from_db()
    assert (vacancy.commune_id, vacancy.title_fr) == right
    assert Vacancy.objects.count() == count


def test_a_rerun_renames_a_zone_an_older_seed_named_twice(seeded):
    Employer.objects.filter(slug="zone-5341").update(name_fr="Zone de police Midi (Midi)")
    seed()
    assert Employer.objects.get(slug="zone-5341").name_fr == "Zone de police Midi"


def test_public_bodies_carry_their_french_and_dutch_names_and_companies_their_one_name(seeded):
    from django.utils import translation

    named = {
        employer.slug: (employer.name_fr, employer.name_nl) for employer in Employer.objects.all()
    }
    assert named["commune-de-schaerbeek-service-prevention"] == (
        "Commune de Schaerbeek – Service Prévention",
        "Gemeente Schaarbeek – Preventiedienst",
    )
    assert named["zone-5339"] == (
        "Zone de police Bruxelles-Capitale/Ixelles (Polbru)",
        "Politiezone Brussel-Hoofdstad/Elsene (Polbru)",
    )
    assert named["stib-mivb-securite-et-prevention"][1].startswith("MIVB")
    assert named["irisguard-securite-sa"] == ("IrisGuard Sécurité SA", "")
    public = Employer.objects.exclude(
        kind__in=[
            Employer.Kind.SECURITY_COMPANY,
            Employer.Kind.EVENTS,
            Employer.Kind.SECURITY_OPERATIONS,
        ]
    )
    assert all(employer.name_nl for employer in public)
    with translation.override("nl"):
        schaerbeek = Employer.objects.get(slug="commune-de-schaerbeek-service-prevention")
        assert schaerbeek.name == "Gemeente Schaarbeek – Preventiedienst"
        dutch = schaerbeek.vacancies.first()
        assert "Schaarbeek" in dutch.description_nl and "Schaerbeek" not in dutch.description_nl


# The working days: appointments, internal notes, meetings -------------------------------------

RECRUITERS = ("employer@passerelle.example", "employer2@passerelle.example")


def test_every_invitation_waiting_has_a_weekday_appointment_a_place_and_instructions(seeded):
    from college.demo.days import BRUSSELS

    waiting = Application.objects.filter(
        stage__in=[Application.Stage.INVITED_TO_TESTS, Application.Stage.INTERVIEW]
    ).select_related("profile__user", "vacancy__employer")
    assert waiting.count() >= 10
    for application in waiting:
        moment = application.appointment_at.astimezone(BRUSSELS)
        assert moment > timezone.now(), application
        assert moment.weekday() < 5 and 8 <= moment.hour <= 16, application
        assert application.appointment_place.strip(), application
        assert "carte d’identité" in application.appointment_instructions or (
            "identiteitskaart" in application.appointment_instructions
        )
        if application.profile.user.preferred_language == "nl":
            assert "identiteitskaart" in application.appointment_instructions
        else:
            assert " :" not in application.appointment_instructions  # a no-break space
        assert application.reason_note, application
    polbru = waiting.filter(vacancy__employer__slug="zone-5339")
    assert polbru.exists()
    for application in polbru:
        assert "30, 1000 Bru" in application.appointment_place


def test_the_prevention_manager_has_a_pipeline_of_their_own(seeded):
    from college.models import User

    manager = User.objects.get(email="employer2@passerelle.example")
    applications = Application.objects.filter(vacancy__employer=manager.membership.employer)
    assert applications.count() >= 8
    assert applications.values("stage").distinct().count() >= 3
    assert applications.filter(events__changed_by=manager).exists()


def test_recruiters_left_internal_notes_on_their_own_organisations_applications_only(seeded):
    from college.models import User
    from employers.models import ApplicationNote

    for email in RECRUITERS:
        recruiter = User.objects.get(email=email)
        notes = ApplicationNote.objects.filter(author=recruiter).select_related("application")
        assert notes.count() >= 5, email
        for note in notes:
            assert note.application.vacancy.employer_id == recruiter.membership.employer_id
            assert note.application.created_at <= note.created_at <= timezone.now()


def test_the_counsellor_has_notes_of_past_meetings_and_the_next_ones_planned(seeded):
    from college.demo.days import WEEKDAYS
    from college.models import ActionItem, CounsellorNote, Guidance, User

    counsellor = User.objects.get(email="counsellor@passerelle.example")
    caseload = Guidance.objects.active().filter(counsellor=counsellor).values("candidate")
    notes = CounsellorNote.objects.filter(author=counsellor, candidate__in=caseload)
    assert notes.values("candidate").distinct().count() >= 10
    assert notes.filter(created_at__gt=timezone.now()).count() == 0
    spread = notes.order_by("created_at").values_list("created_at", flat=True)
    assert spread.last() - spread.first() >= datetime.timedelta(weeks=3)
    meetings = ActionItem.objects.filter(
        author=counsellor, candidate__in=caseload, text__contains=counsellor.full_name
    ).select_related("candidate")
    assert meetings.count() >= 10
    today = timezone.localdate()
    for meeting in meetings:
        assert meeting.due_on > today and meeting.due_on.weekday() < 5
        language = "nl" if meeting.candidate.preferred_language == "nl" else "fr"
        assert WEEKDAYS[language][meeting.due_on.weekday()] in meeting.text
        assert str(meeting.due_on.day) in meeting.text or "1er" in meeting.text


def test_every_vacancy_was_written_before_it_went_online(seeded):
    assert Vacancy.objects.filter(published_at__isnull=False).exists()
    assert not Vacancy.objects.filter(published_at__lt=F("created_at")).exists()


def test_each_person_meeting_notes_say_different_things_in_office_hours(seeded):
    from college.demo.days import BRUSSELS
    from college.models import CounsellorNote, User

    counsellor = User.objects.get(email="counsellor@passerelle.example")
    by_person = {}
    generated = CounsellorNote.objects.filter(
        author=counsellor, candidate__email__endswith="@demo.passerelle.example"
    )
    assert generated.count() >= 10
    for note in generated:
        by_person.setdefault(note.candidate_id, []).append(note.body)
        written = note.created_at.astimezone(BRUSSELS)
        assert written.weekday() < 5 and 8 <= written.hour <= 18, note
    assert all(len(set(bodies)) == len(bodies) for bodies in by_person.values())


def test_police_agents_are_paid_on_the_police_scale_not_a_civilian_one(seeded):
    agents = Vacancy.objects.filter(role__slug="police-agent").exclude(salary_scale="")
    assert agents.exists()
    assert set(agents.values_list("salary_scale", flat=True)) == {"BA1"}
    assert not Vacancy.objects.filter(
        role__slug="police-inspector", salary_scale__in=["C1", "D1"]
    ).exists()


def test_the_demo_job_seeker_shows_a_level_of_her_own_beside_a_validated_one(seeded):
    from candidates.models import CandidateSkill

    validated = CandidateSkill.objects.filter(
        profile__user__email="candidate@passerelle.example", evidence="counsellor_validated"
    )
    assert any(skill.has_other_declared_level for skill in validated)


def test_a_vacancy_title_names_no_other_organisation(seeded):
    titles = Vacancy.objects.filter(employer__kind=Employer.Kind.LOCAL_POLICE).values_list(
        "title_fr", "title_nl"
    )
    for title_fr, title_nl in titles:
        assert "B-Security" not in title_fr + title_nl
        assert "(" not in title_fr and "(" not in title_nl


# The 101/112 call-takers: the federal police's, never a local police zone's -----------------

CALL_TAKER = "emergency-dispatcher"


def test_no_local_police_zone_has_a_call_taker_vacancy_and_the_federal_police_has_one(seeded):
    assert not Vacancy.objects.filter(
        employer__kind=Employer.Kind.LOCAL_POLICE, role__slug=CALL_TAKER
    ).exists()
    # Its one post taken: the board shows a filled vacancy, closed to applications.
    assert Vacancy.objects.filter(
        employer__kind=Employer.Kind.FEDERAL_POLICE,
        role__slug=CALL_TAKER,
        status=Vacancy.Status.FILLED,
    ).exists()


def test_role_pickers_offer_the_call_taker_to_the_federal_police_not_to_local_zones(seeded):
    zones = Employer.objects.filter(kind=Employer.Kind.LOCAL_POLICE)
    assert zones.count() == 6
    for zone in zones:
        offered = set(roles_for_employer(employer=zone).values_list("slug", flat=True))
        assert CALL_TAKER not in offered, zone
        assert {"police-agent", "police-inspector", "cctv-operator"} <= offered, zone
    federal = Employer.objects.filter(kind=Employer.Kind.FEDERAL_POLICE)
    assert federal.exists()
    for employer in federal:
        assert roles_for_employer(employer=employer).filter(slug=CALL_TAKER).exists(), employer


def test_a_rerun_takes_away_the_call_taker_post_an_older_seed_gave_polbru(seeded):
    federal = Vacancy.objects.get(
        role__slug=CALL_TAKER, employer__kind=Employer.Kind.FEDERAL_POLICE
    )
    stale = Vacancy.objects.get(pk=federal.pk)
    stale.pk = None
    stale.employer = Employer.objects.get(slug="zone-5339")
    stale.save()
    seed()
    assert not Vacancy.objects.filter(employer__slug="zone-5339", role__slug=CALL_TAKER).exists()
    assert list(Vacancy.objects.filter(role__slug=CALL_TAKER).values_list("pk", flat=True)) == [
        federal.pk
    ]
