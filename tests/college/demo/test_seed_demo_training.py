"""`manage.py seed_demo`: cohorts, results, certificates, a path and real flags, and the
selective intakes.

The demo is seeded once for the whole module (twice, to check that a re-run adds nothing)
inside a transaction rolled back at the end, so that other test modules never see it.
"""

import datetime
from collections import Counter

import pytest
from django.utils import timezone, translation

from candidates.models import CandidateSkill, Evidence
from college.core.check_codes import certificate_code_display
from college.demo.days import BRUSSELS
from college.demo.training import COHORT_MODULES
from college.guidance.caseload import caseload_rows
from college.guidance.paths import path_progress
from college.intake.ranking import intake_ranking
from college.intake.selectors import application_file
from college.models import (
    ActionItem,
    Attendance,
    Certificate,
    Cohort,
    CohortSession,
    CounsellorNote,
    Enrolment,
    Intake,
    IntakeApplication,
    IntakeDecision,
    Module,
    MotivationRating,
    TrainingPath,
    User,
)
from employers.models import Application
from tests.college.demo.support import seed, undone_at_the_end

pytestmark = pytest.mark.django_db

MODELS = [
    Cohort,
    CohortSession,
    Enrolment,
    Attendance,
    Certificate,
    TrainingPath,
    CounsellorNote,
    ActionItem,
    CandidateSkill,
    Application,
    Intake,
    IntakeApplication,
    IntakeDecision,
    MotivationRating,
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Counts after a first and a second run of the seed, in a transaction undone at the end."""
    with undone_at_the_end(django_db_blocker):
        seed()
        first = counts()
        seed()
        yield {"first": first, "second": counts()}


@pytest.fixture
def demo(seeded):
    return User.objects.get(email="candidate@passerelle.example")


def test_a_second_run_adds_nothing(seeded):
    assert seeded["first"] == seeded["second"]
    assert seeded["first"]["Cohort"] > 0


def test_the_catalogue_is_loaded_and_cohorts_run_over_the_last_6_and_next_3_months(seeded):
    today = timezone.localdate()
    assert Module.objects.count() >= 40
    # The digital and cyber track's groups have fixed dates in 2027 (college/demo/track.py).
    cohorts = list(
        Cohort.objects.filter(module__slug__in=COHORT_MODULES).select_related("language")
    )
    assert len({cohort.module_id for cohort in cohorts}) >= 20
    assert min(cohort.starts_on for cohort in cohorts) >= today - datetime.timedelta(days=186)
    assert max(cohort.starts_on for cohort in cohorts) <= today + datetime.timedelta(days=92)
    assert any(cohort.ends_on < today for cohort in cohorts)
    assert any(cohort.starts_on > today for cohort in cohorts)
    languages = Counter(cohort.language.code for cohort in cohorts)
    assert languages["fr"] > languages["nl"] > 0
    assert sum(cohort.is_cancelled for cohort in cohorts) == 1
    assert Cohort.objects.filter(code__regex=r"^gp-rights-\d{4}-\d{2}-(fr|nl)$").exists()


def test_sessions_are_on_weekdays_at_brussels_working_or_evening_hours(seeded):
    sessions = list(CohortSession.objects.all())
    assert len(sessions) >= 100
    for session in sessions:
        local = session.starts_at.astimezone(BRUSSELS)
        assert local.weekday() < 5
        assert local.hour in (9, 13, 18)
        assert session.ends_at > session.starts_at


def test_past_cohorts_have_attendance_and_mostly_passes_with_evidence_and_certificates(seeded):
    results = Counter(
        Enrolment.objects.exclude(result="").values_list("result", flat=True).order_by()
    )
    assert results["passed"] > 3 * results["failed"] > 0
    assert Attendance.objects.filter(status=Attendance.Status.PRESENT).count() > 1000
    assert Attendance.objects.exclude(status=Attendance.Status.PRESENT).exists()
    passed = Enrolment.objects.filter(result=Enrolment.Result.PASSED)
    assert Certificate.objects.count() == passed.count()
    assert not Enrolment.objects.filter(
        result="", cohort__ends_on__gte=timezone.localdate(), attendances__isnull=False
    ).exists()  # nobody has a result or attendance in a cohort still to come
    sample = passed.select_related("cohort__module", "candidate__candidate_profile").first()
    taught = set(sample.cohort.module.outcomes.values_list("skill_id", flat=True))
    held = CandidateSkill.objects.filter(
        profile=sample.candidate.candidate_profile,
        skill_id__in=taught,
        evidence=Evidence.TRAINING_CERTIFIED,
    )
    assert held.count() == len(taught)
    # Results and certificates are dated when the cohort ended, not when the demo ran.
    assert sample.result_recorded_at.date() >= sample.cohort.ends_on
    assert sample.certificate.issued_at == sample.result_recorded_at


def test_capacity_is_never_exceeded_and_some_cohorts_are_nearly_full_or_full(seeded):
    upcoming = Cohort.objects.filter(starts_on__gt=timezone.localdate(), is_cancelled=False)
    places = {}
    for cohort in Cohort.objects.all():
        enrolled = cohort.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
        assert enrolled <= cohort.capacity, cohort.code
        places[cohort.pk] = cohort.capacity - enrolled
    assert any(places[cohort.pk] == 1 for cohort in upcoming)
    full = [cohort for cohort in upcoming if places[cohort.pk] == 0]
    assert any(
        cohort.enrolments.filter(status=Enrolment.Status.WAITLISTED).exists() for cohort in full
    )


def test_the_demo_candidate_passed_a_module_of_their_path_and_enrolled_in_the_next(demo):
    path = TrainingPath.objects.get(candidate=demo, role__slug="peace-guard")
    modules = list(path.steps.filter(module__isnull=False).values_list("module_id", flat=True))
    passed = Enrolment.objects.get(candidate=demo, result=Enrolment.Result.PASSED)
    assert passed.cohort.module_id in modules
    assert passed.cohort.language.code == demo.preferred_language
    assert Certificate.objects.filter(enrolment=passed, holder_name=demo.full_name).exists()
    coming = Enrolment.objects.get(
        candidate=demo, status=Enrolment.Status.ENROLLED, cohort__starts_on__gt=timezone.localdate()
    )
    # The next step is on the path, or (when the path has no second module, the role's other
    # skills being taught after hiring) a module that teaches what the role learns in training.
    taught_after_hiring = set(
        path.role.requirements.filter(stage="training").values_list("skill_id", flat=True)
    )
    assert (
        coming.cohort.module_id in modules
        or coming.cohort.module.outcomes.filter(skill_id__in=taught_after_hiring).exists()
    )
    progress = path_progress(path)
    assert progress.steps_done >= 1
    # The gardien de la paix's own subjects are taught after hiring: the path toward it asks
    # few modules, and the demo candidate may already have done them all.
    assert 0 < progress.percent <= 100


def test_the_demo_candidates_certificate_verifies_on_the_public_page(demo, client):
    certificate = Certificate.objects.get(enrolment__candidate=demo)
    response = client.get(
        "/certificates/verify/", {"code": certificate_code_display(certificate.code), "lang": "en"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Genuine certificate" in page
    assert demo.full_name in page


def test_the_demo_counsellors_caseload_shows_every_flag(seeded):
    counsellor = User.objects.get(email="counsellor@passerelle.example")
    flagged = Counter(code for row in caseload_rows(counsellor) for code in row.flag_codes)
    for code in ("stalled", "repeated_failure", "deadline_near", "consent_missing"):
        assert flagged[code] >= 1, code


def test_the_demo_candidate_has_team_notes_and_an_action_plan_in_french(demo):
    notes = CounsellorNote.objects.filter(candidate=demo)
    assert notes.count() >= 2
    assert all(note.author.email == "counsellor@passerelle.example" for note in notes)
    actions = ActionItem.objects.filter(candidate=demo)
    assert actions.count() >= 3
    assert actions.filter(done_at__isnull=False).exists()
    assert actions.filter(done_at__isnull=True, due_on__gte=timezone.localdate()).exists()
    assert any("néerlandais" in action.text for action in actions)


def test_the_staff_dashboard_charts_the_demo(seeded, client):
    client.force_login(User.objects.get(email="staff@passerelle.example"))
    response = client.get("/staff/", {"lang": "en"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('role="img"') == 5
    assert "No data yet." not in page
    assert Application.objects.filter(stage=Application.Stage.HIRED).exists()


def test_people_on_a_waiting_list_asked_after_those_holding_a_place(seeded):
    waiting = Enrolment.objects.filter(status=Enrolment.Status.WAITLISTED).select_related("cohort")
    assert waiting.exists()
    for enrolment in waiting:
        holders = enrolment.cohort.enrolments.filter(status=Enrolment.Status.ENROLLED)
        assert not holders.filter(created_at__gt=enrolment.created_at).exists()


def test_the_cyber_intake_is_oversubscribed_ranked_with_test_results_and_partly_decided(seeded):
    cyber = Intake.objects.filter(programme__slug="cyber-security-operator").order_by("opens_on")
    closed, following = cyber
    assert closed.closes_on < timezone.localdate() < following.opens_on
    rows = intake_ranking(closed)
    assert len(rows) >= 3 * closed.places
    with_results = [
        row
        for row in rows
        if any(t.value is not None for t in row.component("aptitude").detail["tests"])
    ]
    assert len(with_results) >= 36
    statuses = Counter(row.status for row in rows)
    assert statuses["admitted"] < closed.places  # places left for staff to give
    assert statuses["waitlisted"] and statuses["declined"] and statuses["submitted"]
    # Some motivations still wait for staff's own blind rating.
    assert any(len(row.component("motivation").detail["ratings"]) == 1 for row in rows)


def test_the_demo_job_seeker_is_admissible_without_a_place_and_shown_a_way_forward(demo):
    application = IntakeApplication.objects.get(
        candidate=demo, intake__programme__slug="cyber-security-operator"
    )
    with translation.override("fr"):
        file = application_file(application)
    assert application.status == "waitlisted"
    assert file.outcome.startswith("Admissible mais sans place")
    assert any(step.kind == "intake" for step in file.next_steps)


def test_the_traditional_programme_takes_applications_now(seeded):
    peace_guard = Intake.objects.get(programme__slug="peace-guard")
    assert peace_guard.is_open_on(timezone.localdate())
    assert peace_guard.applications.count() >= 24
    assert not IntakeDecision.objects.filter(application__intake=peace_guard).exists()
