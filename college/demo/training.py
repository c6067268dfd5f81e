"""The demo's training: cohorts with their sessions, enrolments, attendance and results,
certificates, paths, and the counsellor's caseload with a story for each flag."""

import datetime
import random
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone, translation

from assessments.demo import simulate_attempt
from assessments.models import Attempt, Battery
from candidates.models import CandidateProfile, CandidateSkill, Evidence
from candidates.services import candidate_shortlist_consent_set
from college.core.public_cache import public_data_changed
from college.demo.days import (
    BRUSSELS,
    DEMO_DOMAIN,
    demo_application_notes,
    demo_appointments,
    demo_caseload_meetings,
)
from college.demo.people import weighted
from college.guidance.paths import path_generate
from college.models import (
    ActionItem,
    Attendance,
    Certificate,
    Cohort,
    CohortSession,
    CounsellorNote,
    Enrolment,
    Guidance,
    Language,
    Module,
    TrainingPath,
    User,
)
from college.training.catalogue import load_catalogue, upcoming_cohorts
from college.training.enrolment import cohort_enrol, cohort_is_open, enrolment_record_result
from employers.models import Application, ApplicationEvent, Membership, Vacancy
from employers.services import FINAL_STAGES, application_move, vacancy_set_status

# Training, cohorts, certificates and guidance -----------------------------------------------------

# Modules that run cohorts in the demo, with the short name their cohort codes start with.
COHORT_MODULES = {
    "peace-guard-rights-duties": "gp-rights",
    "peace-guard-communication": "gp-communication",
    "peace-guard-intercultural": "gp-intercultural",
    "peace-guard-observation": "gp-observation",
    "peace-guard-conflict": "gp-conflict",
    "peace-guard-self-defence": "gp-self-defence",
    "peace-guard-first-aid": "gp-first-aid",
    "peace-guard-writing": "gp-writing",
    "peace-guard-fitness": "gp-fitness",
    "first-aid": "first-aid",
    "conflict-deescalation": "deescalation",
    "report-writing": "report-writing",
    "physical-preparation": "physical-prep",
    "police-cognitive-tests": "police-cognitive",
    "police-language-test": "police-language",
    "guard-legislation": "guard-law",
    "guard-surveillance": "guard-surveillance",
    "steward-crowd": "steward-crowd",
    "sac-law": "sac-law",
    "sac-conflict": "sac-conflict",
    "cctv-monitoring": "cctv",
    "mediation-law": "mediation-law",
    "nl-security-a2": "nl-a2",
    "fr-security-a2": "fr-a2",
}
# Upcoming cohorts with a story: starts within a week; nearly full; full with a waiting list;
# cancelled.
STARTING_SOON = "first-aid"
NEARLY_FULL = "guard-legislation"
FULL = "peace-guard-self-defence"
CANCELLED = "sac-conflict"
PLACES = [
    "Brusafe, campus de Haren, rue de la Fusée 50, 1130 Bruxelles",
    "Brusafe, antenne de Schaerbeek, avenue Rogier 1, 1030 Schaerbeek",
    "Brusafe, antenne d’Anderlecht, rue Wayez 50, 1070 Anderlecht",
]
TRAINERS = ["Sophie Lambert", "Karim El Amrani", "Els Peeters", "Jean-Marc Dubois", "Nadia Haddad"]
# A day of training: morning and afternoon sessions; language courses meet Monday and
# Wednesday evenings after work.
DAY_SESSIONS = [((9, 0), (12, 30)), ((13, 30), (17, 0))]
EVENING_SESSION = ((18, 0), (21, 0))
PASS_RATE = 0.8
NO_RESULT_RATE = 0.08
STALLED_DAYS_BACK = 47

COUNSELLOR_NOTES = [
    (
        40,
        "Premier entretien : très motivée par le métier de gardienne de la paix. Expérience "
        "solide en animation de quartier ; à consolider : néerlandais et rédaction de rapports.",
    ),
    (
        18,
        "Module « droits et devoirs » réussi. Elle hésite encore avec le métier d’agent de "
        "police : on en reparle après le prochain test d’entraînement.",
    ),
    (
        3,
        "Appel : inquiète pour la garde de ses enfants pendant la formation de jour. "
        "Voir avec la crèche communale de Schaerbeek.",
    ),
]
ACTION_ITEMS = [
    ("Passer le test d’entraînement « gardien de la paix » en conditions d’examen.", -5, True),
    ("Suivre le prochain module de la formation de gardien de la paix.", 21, False),
    ("S’inscrire au test Selor de néerlandais (article 8).", 30, False),
    ("Mettre à jour son CV avec le certificat obtenu au collège.", 10, False),
]


def _monday_on_or_after(day):
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


def _session_days(module, start):
    """The dates and (start, end) times of a module's sessions from `start` (a Monday)."""
    is_language = bool(module.language_taught_id)
    per_session = (EVENING_SESSION[1][0] - EVENING_SESSION[0][0]) if is_language else 3.5
    remaining = module.hours
    day = start
    sessions = []
    while remaining > 0:
        if is_language:
            if day.weekday() in (0, 2):
                sessions.append((day, EVENING_SESSION))
                remaining -= per_session
        elif day.weekday() < 5:
            for times in DAY_SESSIONS:
                if remaining > 0:
                    sessions.append((day, times))
                    remaining -= per_session
        day += datetime.timedelta(days=1)
    return sessions


def _start_to_end_by(module, end_by):
    """The Monday to start a cohort of `module` on so that it ends about `end_by`."""
    trial = end_by - datetime.timedelta(days=end_by.weekday())
    sessions = _session_days(module, trial)
    start = end_by - (sessions[-1][0] - trial)
    return start - datetime.timedelta(days=start.weekday())


def _at(day, time):
    return datetime.datetime.combine(day, datetime.time(*time), tzinfo=BRUSSELS)


class TrainingDemo:
    """Cohorts over the last 6 and the next 3 months, enrolments, attendance and results (with
    their evidence and certificates), the demo candidate's path, and a caseload whose flags all
    show. Idempotent: cohorts are made once; the rest checks what exists."""

    def __init__(self, *, accounts, counsellor, log):
        self.accounts = accounts
        self.counsellor = counsellor
        self.staff = accounts["staff@passerelle.example"]
        self.log = log
        self.rng = random.Random("2026-training")
        self.today = timezone.localdate()

    def run(self):
        self.log(f"Catalogue: {load_catalogue()}.")
        self.modules = {
            module.slug: module
            for module in Module.objects.filter(slug__in=COHORT_MODULES).prefetch_related(
                "languages"
            )
        }
        caseload = list(
            User.objects.filter(
                email__endswith=f"@demo.{DEMO_DOMAIN}",
                guidances_received__in=Guidance.objects.guiding(self.counsellor),
            ).order_by("email")[:4]
        )
        self.stalled, self.failing, self.starting, self.no_consent = caseload
        demo = self.accounts["candidate@passerelle.example"]
        # Cohort codes hold the month they start: a first run made them all, never again.
        if not Cohort.objects.exists():
            cohorts = self._cohorts()
            self.log(f"Cohorts created: {len(cohorts)}.")
            results = self._enrolments(cohorts, exclude={self.stalled.pk, demo.pk})
            self.log(f"Module results recorded: {results}.")
        self._demo_candidate(demo)
        self._hires()
        self._date_applications()
        self._caseload_flags()
        self._guidance(demo)
        recruiters = [
            self.accounts["employer@passerelle.example"],
            self.accounts["employer2@passerelle.example"],
        ]
        members = {
            membership.employer_id: membership.user
            for membership in Membership.objects.filter(user__in=recruiters).select_related("user")
        }
        self._own_level_beside_validated(demo)
        self.log(f"Appointments given: {demo_appointments()}.")
        self.log(f"Internal notes on applications: {demo_application_notes(members)}.")
        notes, meetings = demo_caseload_meetings(self.counsellor)
        self.log(f"Counsellor notes: {notes}; next meetings planned: {meetings}.")

    def _own_level_beside_validated(self, user):
        """One skill her counsellor validated she had rated one level higher herself: both
        levels show on her profile and her counsellor's page."""
        validated = CandidateSkill.objects.filter(
            profile__user=user, evidence=Evidence.COUNSELLOR_VALIDATED, level__lt=4
        )
        if validated.filter(declared_level__isnull=False).exists():
            return
        skill = validated.order_by("pk").first()
        if skill is not None:
            CandidateSkill.objects.filter(pk=skill.pk).update(declared_level=skill.level + 1)

    # Cohorts and sessions ---------------------------------------------------------------------

    def _cohort(self, module, start, *, language, capacity, index, cancelled=False):
        sessions = _session_days(module, start)
        short = COHORT_MODULES[module.slug]
        code = f"{short}-{start:%Y-%m}-{language}"
        suffix = 2
        while code in self.codes:
            code = f"{short}-{start:%Y-%m}-{language}-{suffix}"
            suffix += 1
        self.codes.add(code)
        closes = start - datetime.timedelta(days=1 if module.slug == STARTING_SOON else 3)
        cohort = Cohort(
            module=module,
            code=code,
            language=self.languages[language],
            place=PLACES[index % len(PLACES)],
            capacity=capacity,
            starts_on=start,
            ends_on=sessions[-1][0],
            enrolment_closes_on=closes,
            trainer=TRAINERS[index % len(TRAINERS)],
            is_cancelled=cancelled,
        )
        cohort.planned_sessions = sessions
        return cohort

    def _cohorts(self):
        self.languages = {language.code: language for language in Language.objects.all()}
        self.codes = set(Cohort.objects.values_list("code", flat=True))
        planned = []
        for index, (slug, _short) in enumerate(COHORT_MODULES.items()):
            module = self.modules.get(slug)
            if module is None:  # not in this catalogue (any more)
                continue
            taught = {language.code for language in module.languages.all()}
            main = "fr" if "fr" in taught else "nl"
            other = "nl" if main == "fr" and "nl" in taught and index % 3 == 1 else main
            # Two runs that ended (about four months ago and a few weeks ago) ...
            for days_ago, language in (
                (90 + 3 * (index % 6), main),
                (18 + 4 * (index % 6), other),
            ):
                start = _start_to_end_by(module, self.today - datetime.timedelta(days=days_ago))
                planned.append(
                    self._cohort(module, start, language=language, capacity=14, index=index)
                )
            # ... and one or two to come within three months.
            if slug == STARTING_SOON:
                start = self.today + datetime.timedelta(days=3)
                while start.weekday() > 4:
                    start += datetime.timedelta(days=1)
                upcoming = [(start, main)]
            else:
                start = _monday_on_or_after(
                    self.today + datetime.timedelta(days=14 + 6 * (index % 11))
                )
                upcoming = [(start, main)]
                if slug.startswith("peace-guard") and index % 3 == 0:
                    upcoming.append((start + datetime.timedelta(weeks=3), "nl"))
            for start, language in upcoming:
                planned.append(
                    self._cohort(
                        module,
                        start,
                        language=language,
                        capacity={FULL: 10, NEARLY_FULL: 14}.get(slug, 12 + index % 5),
                        index=index,
                        cancelled=slug == CANCELLED,
                    )
                )
        Cohort.objects.bulk_create(planned)
        cohorts = list(
            Cohort.objects.filter(code__in=[cohort.code for cohort in planned]).select_related(
                "module"
            )
        )
        sessions_of = {cohort.code: cohort.planned_sessions for cohort in planned}
        CohortSession.objects.bulk_create(
            CohortSession(
                cohort=cohort,
                starts_at=_at(day, times[0]),
                ends_at=_at(day, times[1]),
                topic=f"{cohort.module.title_fr} – séance {number}",
            )
            for cohort in cohorts
            for number, (day, times) in enumerate(sessions_of[cohort.code], start=1)
        )
        return cohorts

    # Enrolments, attendance and results -------------------------------------------------------

    def _enrolments(self, cohorts, *, exclude):
        rng = self.rng
        people = list(
            User.objects.filter(email__endswith=f"@demo.{DEMO_DOMAIN}")
            .exclude(pk__in=exclude)
            .order_by("email")
        )
        by_cohort = {}
        rows = []
        for cohort in cohorts:
            if cohort.is_cancelled:
                continue
            has_ended = cohort.ends_on < self.today
            if cohort.module.slug == FULL and not has_ended:
                places, waiting = cohort.capacity, 3
            elif cohort.module.slug == NEARLY_FULL and not has_ended:
                places, waiting = cohort.capacity - 1, 0
            elif has_ended:
                places, waiting = rng.randint(cohort.capacity - 5, cohort.capacity), 0
            else:
                places, waiting = rng.randint(2, cohort.capacity - 4), 0
            chosen = rng.sample(people, k=places + waiting)
            if cohort.module.slug == STARTING_SOON and not has_ended:
                chosen = [self.starting] + [user for user in chosen if user != self.starting][
                    : places + waiting - 1
                ]
            asked_times = sorted(
                min(
                    timezone.make_aware(
                        datetime.datetime.combine(
                            cohort.enrolment_closes_on
                            - datetime.timedelta(days=rng.randint(1, 40)),
                            datetime.time(rng.randint(8, 21), rng.randint(0, 59)),
                        )
                    ),
                    timezone.now() - datetime.timedelta(hours=position + 1),
                )
                for position in range(len(chosen))
            )
            # Places go first asked, first served: the people who asked last are waiting.
            for position, (user, asked) in enumerate(zip(chosen, asked_times, strict=True)):
                is_waiting = position >= places
                rows.append(
                    Enrolment(
                        cohort=cohort,
                        candidate=user,
                        status=Enrolment.Status.WAITLISTED
                        if is_waiting
                        else Enrolment.Status.ENROLLED,
                        created_at=asked,
                        enrolled_at=None if is_waiting else asked,
                    )
                )
            by_cohort[cohort.pk] = cohort
        Enrolment.objects.bulk_create(rows, batch_size=500)
        return self._attendance_and_results(list(by_cohort.values()))

    def _attendance_and_results(self, cohorts):
        rng = self.rng
        enrolments = list(
            Enrolment.objects.filter(cohort__in=cohorts, status=Enrolment.Status.ENROLLED)
            .select_related("cohort__module", "candidate")
            .order_by("cohort__starts_on", "pk")
        )
        sessions = defaultdict(list)
        for session in CohortSession.objects.filter(
            cohort__in=cohorts, starts_at__lt=timezone.now()
        ):
            sessions[session.cohort_id].append(session)
        marks, outcomes = [], []
        for enrolment in enrolments:
            held = sessions.get(enrolment.cohort_id, [])
            if not held:
                continue
            draw = rng.random()
            has_ended = enrolment.cohort.ends_on < self.today
            drops_out = has_ended and draw < NO_RESULT_RATE
            for number, session in enumerate(held):
                if drops_out and number >= len(held) // 3:
                    status = Attendance.Status.ABSENT
                else:
                    status = weighted(
                        rng,
                        [
                            (Attendance.Status.PRESENT, 92),
                            (Attendance.Status.EXCUSED, 5),
                            (Attendance.Status.ABSENT, 3),
                        ],
                    )
                marks.append(
                    Attendance(
                        enrolment=enrolment, session=session, status=status, recorded_by=self.staff
                    )
                )
            if has_ended and not drops_out:
                mark = enrolment.cohort.module.pass_percent
                if draw < NO_RESULT_RATE + PASS_RATE:
                    outcomes.append(
                        (enrolment, Enrolment.Result.PASSED, rng.randint(mark, max(mark, 96)))
                    )
                else:
                    outcomes.append(
                        (
                            enrolment,
                            Enrolment.Result.FAILED,
                            rng.randint(max(0, mark - 25), mark - 1),
                        )
                    )
        Attendance.objects.bulk_create(marks, batch_size=1000)
        for enrolment, result, score in outcomes:
            self._record(enrolment, result, score)
        return len(outcomes)

    def _record(self, enrolment, result, score):
        """A result through the college's own service (evidence, certificate), then dated to
        the week the cohort ended, as if it had been recorded then."""
        enrolment_record_result(enrolment=enrolment, result=result, score=score, by=self.staff)
        recorded = _at(enrolment.cohort.ends_on + datetime.timedelta(days=2), (16, 0))
        recorded = min(recorded, timezone.now())
        Enrolment.objects.filter(pk=enrolment.pk).update(result_recorded_at=recorded)
        Certificate.objects.filter(enrolment=enrolment).update(issued_at=recorded)

    # The demo candidate ---------------------------------------------------------------------

    def _demo_candidate(self, user):
        """A module passed (with its certificate) and a place in a coming cohort, both steps
        of the path toward the first target role."""
        if Enrolment.objects.filter(candidate=user).exists():
            return
        role = user.candidate_profile.target_roles.order_by("pk").first()
        roles = {role.slug: role for role in user.candidate_profile.target_roles.all()}
        role = roles.get("peace-guard", role)
        path = self._training_path(candidate=user, role=role) if role else None
        slugs = [
            step.module.slug
            for step in (path.steps.select_related("module").order_by("position") if path else [])
            if step.module_id
        ] + ["peace-guard-rights-duties", "peace-guard-communication", "first-aid"]
        ended = {}
        for cohort in (
            Cohort.objects.filter(
                is_cancelled=False, ends_on__lt=self.today, module__slug__in=slugs
            )
            .select_related("module", "language")
            .annotate(
                enrolled_count=Count(
                    "enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED)
                )
            )
            .order_by("ends_on")
        ):
            # The latest run with a place left (the person is added to it as it ended), in
            # the person's own language where there is one.
            if cohort.enrolled_count >= cohort.capacity:
                continue
            known = ended.get(cohort.module.slug)
            if (
                known is None
                or cohort.language.code == user.preferred_language
                or (known.language.code != user.preferred_language)
            ):
                ended[cohort.module.slug] = cohort
        passed_slug = next((slug for slug in slugs if slug in ended), None)
        if passed_slug is not None:
            cohort = ended[passed_slug]
            asked = _at(cohort.enrolment_closes_on - datetime.timedelta(days=12), (10, 15))
            enrolment = Enrolment.objects.create(
                cohort=cohort,
                candidate=user,
                status=Enrolment.Status.ENROLLED,
                created_at=asked,
                enrolled_at=asked,
            )
            Attendance.objects.bulk_create(
                Attendance(
                    enrolment=enrolment,
                    session=session,
                    status=Attendance.Status.PRESENT,
                    recorded_by=self.staff,
                )
                for session in cohort.sessions.all()
            )
            self._record(enrolment, Enrolment.Result.PASSED, 78)
        for slug in slugs:
            if slug == passed_slug:
                continue
            for cohort in upcoming_cohorts().filter(module__slug=slug):
                if cohort.places_left < 1 or not cohort_is_open(cohort, self.today):
                    continue
                try:
                    cohort_enrol(cohort=cohort, candidate=user)
                except ValidationError:
                    continue
                return

    def _training_path(self, *, candidate, role):
        """The path toward `role`, generated by the college's planner."""
        existing = TrainingPath.objects.filter(candidate=candidate, role=role).first()
        if existing is not None:
            return existing
        with translation.override(candidate.preferred_language):
            return path_generate(candidate=candidate, role=role, by=None)

    # Placements ---------------------------------------------------------------------------------

    def _hires(self):
        """Offers accepted, never more hires than posts; a vacancy whose posts are all taken
        is marked filled, and the people still waiting are told the posts are filled."""
        offers = list(
            Application.objects.filter(stage=Application.Stage.OFFER)
            .select_related("vacancy__employer")
            .order_by("pk")
        )
        employer_user = self.accounts["employer@passerelle.example"]
        hired = Application.Stage.HIRED
        # On a vacancy of two posts or more, the first person offered one has not answered
        # yet: the pipelines show an offer waiting. (The first by id: the same on every run.)
        waiting = set(
            Application.objects.filter(vacancy__posts__gte=2, events__stage=Application.Stage.OFFER)
            .values("vacancy")
            .annotate(first=Min("pk"))
            .values_list("first", flat=True)
        )
        for application in offers:
            if application.pk in waiting:
                continue
            taken = application.vacancy.applications.filter(stage=hired).count()
            filled = taken >= application.vacancy.posts
            application_move(
                application=application,
                stage=Application.Stage.NOT_RETAINED if filled else hired,
                reason=Application.Reason.POSTS_FILLED if filled else "",
                user=employer_user,
                notify=False,
            )
        full = (
            Vacancy.objects.filter(status__in=[Vacancy.Status.PUBLISHED, Vacancy.Status.CLOSED])
            .annotate(hires=Count("applications", filter=Q(applications__stage=hired)))
            .filter(hires__gte=F("posts"))
        )
        for vacancy in full:
            for application in vacancy.applications.exclude(stage__in=FINAL_STAGES):
                application_move(
                    application=application,
                    stage=Application.Stage.NOT_RETAINED,
                    reason=Application.Reason.POSTS_FILLED,
                    user=employer_user,
                    notify=False,
                )
            vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.FILLED)
            public_data_changed()

    def _date_applications(self):
        """Applications came in after their vacancy went online and moved on over the weeks
        since: each history in order, nothing in the future. The person the caseload shows as
        stalled did it all before going quiet. Same dates on every run (for the same day)."""
        now = timezone.now()
        quiet_since = now - datetime.timedelta(days=STALLED_DAYS_BACK + 1)
        applications = (
            Application.objects.filter(vacancy__published_at__isnull=False)
            .select_related("vacancy", "profile")
            .prefetch_related("events")
            .order_by("pk")
        )
        changed_applications, changed_events = [], []
        for application in applications:
            rng = random.Random(f"applied-{application.pk}")
            end = now
            if application.profile is not None and application.profile.user_id == self.stalled.pk:
                end = quiet_since
            start = application.vacancy.published_at
            if start > end - datetime.timedelta(days=1):  # published after they went quiet
                start = end - datetime.timedelta(days=10)
            window = end - start
            application.created_at = start + window * rng.uniform(0.05, 0.45)
            events = sorted(application.events.all(), key=lambda event: event.pk)
            later = sorted(rng.uniform(0.1, 0.95) for _event in events[1:])
            moments = [application.created_at] + [
                application.created_at + (end - application.created_at) * share for share in later
            ]
            for event, moment in zip(events, moments, strict=True):
                event.changed_at = moment
            application.stage_changed_at = moments[-1]
            changed_applications.append(application)
            changed_events.extend(events)
        Application.objects.bulk_update(
            changed_applications, ["created_at", "stage_changed_at"], batch_size=500
        )
        ApplicationEvent.objects.bulk_update(changed_events, ["changed_at"], batch_size=500)
        for vacancy in Vacancy.objects.filter(status=Vacancy.Status.FILLED):
            last = ApplicationEvent.objects.filter(application__vacancy=vacancy).aggregate(
                last=Max("changed_at")
            )["last"]
            if last is not None:
                Vacancy.objects.filter(pk=vacancy.pk).update(filled_at=last, closed_at=last)

    # The demo counsellor's caseload: every flag shows -----------------------------------------

    def _caseload_flags(self):
        self._stall(self.stalled)
        self._fail_a_section_twice(self.failing)
        with translation.override(self.no_consent.preferred_language):
            candidate_shortlist_consent_set(profile=self.no_consent.candidate_profile, given=False)
        # `self.starting` holds a place in the cohort starting within a week (see _enrolments).

    def _stall(self, user):
        """No activity for more than 30 days: every dated trace of the person moved back."""
        now = timezone.now()
        cutoff = now - datetime.timedelta(days=STALLED_DAYS_BACK - 2)
        back = now - datetime.timedelta(days=STALLED_DAYS_BACK)
        shift = datetime.timedelta(days=STALLED_DAYS_BACK + 13)
        User.objects.filter(pk=user.pk).update(last_login=back)
        CandidateProfile.objects.filter(user=user, updated_at__gt=cutoff).update(updated_at=back)
        CandidateSkill.objects.filter(profile__user=user, updated_at__gt=cutoff).update(
            updated_at=back
        )
        for queryset, fields in (
            (Attempt.objects.filter(user=user), ("started_at", "finished_at", "deadline")),
            (Enrolment.objects.filter(candidate=user), ("created_at", "enrolled_at")),
            (Application.objects.filter(profile__user=user), ("created_at", "stage_changed_at")),
            (ApplicationEvent.objects.filter(application__profile__user=user), ("changed_at",)),
        ):
            for field in fields:
                queryset.filter(**{f"{field}__gt": cutoff}).update(**{field: F(field) - shift})

    def _fail_a_section_twice(self, user):
        """Two finished attempts at the gardien de la paix exam failing the same section."""
        exam = Battery.objects.filter(slug="peace-guard-exam").prefetch_related("sections").first()
        if exam is None or exam.section_pass_percent is None:
            return
        rng = random.Random("2026-repeated-failure")
        now = timezone.now()
        for attempt_number in range(6):
            failed = [
                {
                    position
                    for position, score in (attempt.section_scores or {}).items()
                    if score is not None and score < exam.section_pass_percent
                }
                for attempt in Attempt.objects.filter(
                    user=user, battery=exam, finished_at__isnull=False
                )
            ]
            if any(
                len(first & second) > 0
                for index, first in enumerate(failed)
                for second in failed[index + 1 :]
            ):
                return
            simulate_attempt(
                user=user,
                battery=exam,
                language="fr" if "fr" in exam.languages else exam.languages[0],
                ability=-2.5,
                finished_at=now - datetime.timedelta(days=24 - 4 * attempt_number, hours=3),
                rng=rng,
            )

    # Notes and the action plan ---------------------------------------------------------------

    def _guidance(self, user):
        now = timezone.now()
        if not CounsellorNote.objects.filter(candidate=user).exists():
            CounsellorNote.objects.bulk_create(
                CounsellorNote(
                    candidate=user,
                    author=self.counsellor,
                    body=body,
                    created_at=now - datetime.timedelta(days=days_ago),
                )
                for days_ago, body in COUNSELLOR_NOTES
            )
        if not ActionItem.objects.filter(candidate=user).exists():
            ActionItem.objects.bulk_create(
                ActionItem(
                    candidate=user,
                    author=self.counsellor,
                    text=text,
                    due_on=self.today + datetime.timedelta(days=due_in),
                    done_at=now - datetime.timedelta(days=2) if done else None,
                    created_at=now - datetime.timedelta(days=20),
                )
                for text, due_in, done in ACTION_ITEMS
            )
