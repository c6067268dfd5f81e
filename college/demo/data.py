"""Realistic, reproducible Brussels demo data for `manage.py seed_demo`.

Every run gives the same people (a seeded random generator) and adds only what is missing,
so running it twice changes nothing. The accounts, employers, job-seekers, vacancies and
applications are made here, from the tables of college/demo/people.py and vacancies.py; the
training (cohorts, results, paths, the caseload's stories) in college/demo/training.py.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from assessments.bank import load_batteries, load_item_bank
from assessments.demo import simulate_demo_attempts
from assessments.models import Item
from candidates import consent as consent_texts
from candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    Consent,
    Education,
    Evidence,
    Experience,
    LanguageCertificate,
    Nationality,
)
from candidates.services import candidate_shortlist_consent_set
from college.core.public_cache import public_data_changed
from college.demo.days import DEMO_DOMAIN
from college.demo.intakes import IntakeDemo
from college.demo.people import (
    CEFR_LEVELS,
    EVIDENCE_WEIGHTS,
    FIRST_NAMES,
    LAST_NAMES,
    OTHER_LANGUAGE_CODES,
    weighted,
)
from college.demo.track import DOMAIN as TRACK_DOMAIN
from college.demo.track import PEOPLE as TRACK_PEOPLE
from college.demo.track import RECRUITERS as TRACK_RECRUITERS
from college.demo.track import TrackDemo
from college.demo.training import TrainingDemo
from college.demo.vacancies import (
    CALL_CENTRE_SLUG,
    MUNICIPAL_SERVICES,
    NOT_RETAINED_AT,
    OTHER_EMPLOYERS,
    SECTOR_DESCRIPTIONS,
    VACANCY_SPECS,
    advertised_title,
    demo_vacancy_create,
    published_days_ago,
    zone_employer_name,
)
from college.models import (
    Commune,
    Guidance,
    Language,
    MfaDevice,
    PoliceZone,
    Role,
    Sector,
    Skill,
    User,
)
from college.reference.loader import load_reference_data
from employers.models import Application, Employer, Membership, Vacancy, VacancyRanking
from employers.services import (
    STAGE_ORDER,
    AlreadyApplied,
    application_move,
    application_submit,
)

# The authenticator key of the demo accounts that must use two-step verification (staff and
# employers). Public on purpose: seed_demo runs only with DEBUG on, never on real data.
DEMO_MFA_SECRET = "PASSERELLEDEMOKEY234567PASSERELL"
GENERATED_CANDIDATES = 220


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    description: str


DEMO_ACCOUNTS = [
    DemoAccount(
        "candidate@passerelle.example",
        "Yasmine Benali",
        User.Role.CANDIDATE,
        "job-seeker in Schaerbeek, aiming at gardien de la paix and police agent",
    ),
    DemoAccount(
        "counsellor@passerelle.example",
        "Marc Dubois",
        User.Role.COUNSELLOR,
        "career counsellor with a caseload",
    ),
    DemoAccount(
        "employer@passerelle.example",
        "Inspecteur principal Karim Haddad",
        User.Role.EMPLOYER,
        "member of the Brussels-Capital/Ixelles police zone",
    ),
    DemoAccount(
        "employer2@passerelle.example",
        "Sofie Claes",
        User.Role.EMPLOYER,
        "member of Schaerbeek's prevention service",
    ),
    DemoAccount(
        "staff@passerelle.example",
        "Nathalie Lambert",
        User.Role.STAFF,
        "college staff, administration",
    ),
]

OTHER_COUNSELLORS = [
    ("counsellor2@passerelle.example", "Fatima Zahra Ouali"),
    ("counsellor3@passerelle.example", "Pieter Janssens"),
    ("counsellor4@passerelle.example", "Aïssatou Diallo"),
]

MOTIVATIONS = {
    "fr": "Je veux me rendre utile dans mon quartier et j’aime le contact avec les gens. "
    "J’ai de l’expérience comme animateur.",
    "nl": "Ik wil me nuttig maken in mijn wijk en ik hou van contact met mensen. Ik heb "
    "ervaring als jeugdanimator.",
}
# The organisation of the demo's prevention manager (employer2).
PREVENTION_MANAGER_SLUG = "commune-de-schaerbeek-service-prevention"
# Where their applicants stand: most wait or are at the tests, one has been turned down.
PREVENTION_STAGES = [
    Application.Stage.RECEIVED,
    Application.Stage.INVITED_TO_TESTS,
    Application.Stage.INTERVIEW,
    Application.Stage.RECEIVED,
    Application.Stage.NOT_RETAINED,
    Application.Stage.INVITED_TO_TESTS,
]

CALL_CENTRE_STAGES = [
    Application.Stage.INVITED_TO_TESTS,
    Application.Stage.OFFER,
    Application.Stage.RECEIVED,
    Application.Stage.INTERVIEW,
]


class DemoSeeder:
    def __init__(self, password, log=print):
        self.password_hash = make_password(password)
        self.log = log
        self.rng = random.Random(2026)

    @transaction.atomic
    def run(self):
        report = load_reference_data()
        self.log(f"Reference data: {report}.")
        if not Item.objects.exists():  # `manage.py load_item_bank` updates it after edits
            items = load_item_bank()
            self.log(f"Item bank: {items['items']} items, {load_batteries()} batteries.")
        self.communes = list(Commune.objects.order_by("nis_code"))
        self.languages = {language.code: language for language in Language.objects.all()}
        self.roles = list(Role.objects.with_profile().order_by("slug"))
        self.transversal = list(Skill.objects.filter(is_transversal=True).order_by("esco_uri"))
        accounts = {
            account.email: self._account(account.email, account.full_name, account.role)
            for account in DEMO_ACCOUNTS
        }
        counsellors = [accounts["counsellor@passerelle.example"]] + [
            self._account(email, name, User.Role.COUNSELLOR) for email, name in OTHER_COUNSELLORS
        ]
        self._staff(accounts["staff@passerelle.example"])
        self._authenticators(accounts)
        employers = self._employers()
        self._membership(accounts["employer@passerelle.example"], employers["zone-5339"], True)
        self._membership(
            accounts["employer2@passerelle.example"],
            employers["commune-de-schaerbeek-service-prevention"],
            True,
        )
        self._demo_candidate(accounts["candidate@passerelle.example"], counsellors[0])
        created = self._generated_candidates(counsellors)
        self.log(f"Job-seekers generated this run: {created}.")
        vacancies = self._vacancies(employers, accounts)
        self.log(f"Vacancies created this run: {vacancies}.")
        applications = self._applications(accounts)
        self.log(f"Applications created this run: {applications}.")
        attempts = simulate_demo_attempts(
            profiles=list(
                CandidateProfile.objects.filter(user__email__endswith=f"@demo.{DEMO_DOMAIN}")
                .select_related("user")
                .order_by("user__email")
            ),
            demo_user=accounts["candidate@passerelle.example"],
            rng=random.Random(f"{self.rng.random()}-attempts"),
        )
        self.log(f"Practice test attempts created this run: {attempts}.")
        TrainingDemo(accounts=accounts, counsellor=counsellors[0], log=self.log).run()
        if IntakeDemo(accounts=accounts, log=self.log).run():
            self.log("Selective intakes created this run: 3.")
        TrackDemo(password_hash=self.password_hash, mfa_secret=DEMO_MFA_SECRET, log=self.log).run()
        # The seed writes in bulk, past the signals that keep the shortlists' rankings exact:
        # let every ranking be built again on first use.
        VacancyRanking.objects.all().delete()

    def _account(self, email, full_name, role):
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"full_name": full_name, "role": role, "password": self.password_hash},
        )
        if created and role == User.Role.CANDIDATE:
            CandidateProfile.objects.create(user=user)
        return user

    def _authenticators(self, accounts):
        for user in accounts.values():
            if user.role in (User.Role.STAFF, User.Role.EMPLOYER):
                MfaDevice.objects.get_or_create(
                    user=user,
                    defaults={"secret": DEMO_MFA_SECRET, "confirmed_at": timezone.now()},
                )

    def _staff(self, user):
        if not (user.is_staff and user.is_superuser):
            user.is_staff = True
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])

    def _employer(self, slug, names, **defaults):
        employer, _created = Employer.objects.get_or_create(slug=slug, defaults=defaults)
        named = dict(zip(("name_fr", "name_nl", "name_en"), names, strict=True))
        if any(getattr(employer, field) != value for field, value in named.items()):
            # New, or named by an older seed (in French only, or twice over).
            for field, value in named.items():
                setattr(employer, field, value)
            employer.save(update_fields=list(named))
        return employer

    def _employers(self):
        employers = {}
        now = timezone.now()
        for zone in PoliceZone.objects.prefetch_related("communes"):
            employer = self._employer(
                f"zone-{zone.number}",
                [zone_employer_name(zone, language) for language in ("fr", "nl", "en")],
                kind=Employer.Kind.LOCAL_POLICE,
                police_zone=zone,
                is_verified=True,
                verified_at=now,
                description=f"{zone.name_fr} / {zone.name_nl}",
            )
            employer.communes.set(zone.communes.all())
            employers[employer.slug] = employer
        by_nis = {commune.nis_code: commune for commune in self.communes}
        for slug, names, nis_code in MUNICIPAL_SERVICES:
            employer = self._employer(
                slug,
                names,
                kind=Employer.Kind.MUNICIPAL_PREVENTION,
                is_verified=True,
                verified_at=now,
            )
            employer.communes.set([by_nis[nis_code]])
            employers[employer.slug] = employer
        for slug, names, kind, is_verified in OTHER_EMPLOYERS:
            employer = self._employer(
                slug,
                names,
                kind=kind,
                is_verified=is_verified,
                verified_at=now if is_verified else None,
            )
            if kind in (Employer.Kind.PUBLIC_TRANSPORT, Employer.Kind.FEDERAL_POLICE):
                employer.communes.set(self.communes)
            employers[employer.slug] = employer
        return employers

    def _membership(self, user, employer, is_admin):
        Membership.objects.get_or_create(
            user=user, defaults={"employer": employer, "is_admin": is_admin}
        )

    def _vacancies(self, employers, accounts):
        """Published vacancies across police zones, prevention services, STIB and firms."""
        roles = {role.slug: role for role in self.roles}
        by_nis = {commune.nis_code: commune for commune in self.communes}
        today = timezone.localdate()
        now = timezone.now()
        created = 0
        seen = defaultdict(int)
        self._drop_stale_call_taker(employers, roles)
        for index, spec in enumerate(VACANCY_SPECS):
            slug, role_slug, nis, _contract, _hours, posts, *_terms = spec
            employer, role, commune = employers[slug], roles[role_slug], by_nis[nis]
            title, description = self._vacancy_texts(employer, role, commune)
            occurrence = seen[slug, role_slug]
            seen[slug, role_slug] += 1
            existing = self._demo_vacancy(employer, role, occurrence)
            if existing is not None:
                self._converge(
                    existing, commune=commune, posts=posts, title=title, description=description
                )
                continue
            vacancy = demo_vacancy_create(
                spec,
                employer=employer,
                role=role,
                commune=commune,
                texts=(title, description),
                today=today,
                languages=self.languages,
                user=accounts["employer@passerelle.example"] if slug == "zone-5339" else None,
            )
            # Published over the last weeks, as a live board would be; unverified
            # organisations keep drafts, which nobody outside them sees.
            if employer.is_verified:
                Vacancy.objects.filter(pk=vacancy.pk).update(
                    status=Vacancy.Status.PUBLISHED,
                    published_at=now - datetime.timedelta(days=published_days_ago(index)),
                )
                public_data_changed()
            created += 1
        # Written a few days before going online, not on the day of the seed after it.
        Vacancy.objects.filter(published_at__lt=F("created_at")).update(
            created_at=F("published_at") - datetime.timedelta(days=2)
        )
        return created

    def _drop_stale_call_taker(self, employers, roles):
        # An older seed gave Polbru a 101/112 call-taker post, which no local police zone
        # recruits for: it goes, with its applications, and the federal police's CIC gets its own.
        stale = self._demo_vacancy(employers["zone-5339"], roles["emergency-dispatcher"], 0)
        if stale is not None:
            stale.delete()
            public_data_changed()

    def _vacancy_texts(self, employer, role, commune):
        """The vacancy's ({language: title}, {language: description}) in French, Dutch and
        English."""
        place = {
            "fr": commune.name_fr,
            "nl": commune.name_nl,
            "en": commune.name_en or commune.name_fr,
        }
        title = {
            code: f"{advertised_title(role, code)} – {place[code]}" for code in ("fr", "nl", "en")
        }
        description = {
            code: SECTOR_DESCRIPTIONS[code].format(
                employer=getattr(employer, f"name_{code}") or employer.name_fr,
                commune=place[code],
            )
            + "\n\n"
            + getattr(role, f"summary_{code}")
            for code in ("fr", "nl", "en")
        }
        return title, description

    def _demo_vacancy(self, employer, role, occurrence):
        """The seed's `occurrence`-th vacancy of `role` at `employer`, or None.

        Known by its generated title ("<role> – <any commune>"), so that a vacancy moved to
        another commune by a later version of the seed is found and moved, not duplicated,
        and one the employer wrote themselves is left alone."""
        titles = [
            f"{title} – {commune.name_fr}"
            for title in (role.title_fr, advertised_title(role, "fr"))
            for commune in self.communes
        ]
        matches = Vacancy.objects.filter(employer=employer, role=role, title_fr__in=titles)
        return matches.order_by("pk")[occurrence : occurrence + 1].first()

    def _converge(self, vacancy, *, commune, posts, title, description):
        """Brings a demo vacancy made by an older seed to its place and numbers now."""
        now = (vacancy.commune_id, vacancy.posts, vacancy.title_fr, vacancy.title_nl)
        texts = [getattr(vacancy, f"description_{code}") for code in ("fr", "nl", "en")]
        wanted = [description[code] for code in ("fr", "nl", "en")]
        # The Dutch text too: an older seed named the organisation in French in every language.
        if now == (commune.pk, posts, title["fr"], title["nl"]) and texts == wanted:
            return
        Vacancy.objects.filter(pk=vacancy.pk).update(
            commune=commune,
            posts=posts,
            **{f"title_{code}": title[code] for code in ("fr", "nl", "en")},
            **{f"description_{code}": description[code] for code in ("fr", "nl", "en")},
        )
        public_data_changed()

    def _applications(self, accounts):
        """The demo job-seeker and some generated ones apply; pipelines move along.

        An application that exists is left as it is, except the demo job-seeker's withdrawn
        ones: they are made again, so that the demo shows a pipeline after any rerun."""
        employer_user = accounts["employer@passerelle.example"]
        # Filled and closed ones stay in the plan (nobody applies to them), so that a rerun
        # plans the same applications: a vacancy the employer deleted and the seed made again
        # gets the pipeline it had, not one that fills it.
        vacancies = list(
            Vacancy.objects.filter(
                status__in=[
                    Vacancy.Status.PUBLISHED,
                    Vacancy.Status.FILLED,
                    Vacancy.Status.CLOSED,
                ]
            )
            # The digital and cyber track's vacancies come after this plan (college/demo/
            # track.py): left out, a rerun plans the same applications as the first run.
            .exclude(role__sector=Sector.DIGITAL)
            .select_related("role", "employer")
            .order_by("pk")
        )
        demo = accounts["candidate@passerelle.example"].candidate_profile
        peace_guard = [vacancy for vacancy in vacancies if vacancy.role.slug == "peace-guard"]
        # In an order that a vacancy deleted and made again by the seed keeps (its organisation
        # and role, not its new id): a rerun then sends it the same people, and no other
        # vacancy receives the offers that would fill it.
        board = sorted(vacancies, key=lambda vacancy: (vacancy.employer.slug, vacancy.role.slug))
        zone_vacancies = [vacancy for vacancy in board if vacancy.employer.slug == "zone-5339"]
        zone_agent = next(
            vacancy for vacancy in zone_vacancies if vacancy.role.slug == "police-agent"
        )
        created = 0
        plan = [(demo, peace_guard[0], Application.Stage.INVITED_TO_TESTS)]
        plan.append((demo, zone_agent, Application.Stage.RECEIVED))
        generated = list(
            CandidateProfile.objects.filter(user__email__endswith=f"@demo.{DEMO_DOMAIN}")
            .select_related("user")
            .order_by("user__email")[:60]
        )
        # Most applications wait or are at the tests; few reach an offer. Seven steps, so that
        # offers do not pile up on the same vacancy (the plan also cycles over 3 and 4).
        stages = [
            Application.Stage.RECEIVED,
            Application.Stage.INVITED_TO_TESTS,
            Application.Stage.RECEIVED,
            Application.Stage.INTERVIEW,
            Application.Stage.NOT_RETAINED,
            Application.Stage.INVITED_TO_TESTS,
            Application.Stage.OFFER,
        ]
        for index, profile in enumerate(generated):
            # Two in three go to the demo recruiter's zone, spread over all its vacancies; the
            # others over the whole board.
            vacancy = (
                zone_vacancies[(index - index // 3) % len(zone_vacancies)]
                if index % 3
                else board[(index * 5) % len(board)]
            )
            plan.append((profile, vacancy, stages[index % len(stages)]))
        # The prevention manager's vacancies get their own pipeline, from other job-seekers.
        # Filled ones stay in the plan (nobody applies to them), so a rerun plans the same.
        prevention = [
            vacancy for vacancy in vacancies if vacancy.employer.slug == PREVENTION_MANAGER_SLUG
        ]
        others = (
            CandidateProfile.objects.filter(user__email__endswith=f"@demo.{DEMO_DOMAIN}")
            .select_related("user")
            .order_by("user__email")[60:72]
        )
        for index, profile in enumerate(others if prevention else []):
            plan.append(
                (
                    profile,
                    prevention[index % len(prevention)],
                    PREVENTION_STAGES[index % len(PREVENTION_STAGES)],
                )
            )
        # The federal police's call-taker post (one) goes to the first person offered it: the
        # board shows a filled vacancy, and the people still waiting told the post is taken.
        call_centre = [vacancy for vacancy in board if vacancy.employer.slug == CALL_CENTRE_SLUG]
        callers = (
            CandidateProfile.objects.filter(user__email__endswith=f"@demo.{DEMO_DOMAIN}")
            .select_related("user")
            .order_by("user__email")[72 : 72 + len(CALL_CENTRE_STAGES)]
        )
        for profile, stage in zip(callers if call_centre else [], CALL_CENTRE_STAGES, strict=False):
            plan.append((profile, call_centre[0], stage))
        movers = {
            membership.employer_id: membership.user
            for membership in Membership.objects.select_related("user")
        }
        Application.objects.filter(
            profile=demo, vacancy__in=[vacancy for _profile, vacancy, _stage in plan[:2]]
        ).filter(reason=Application.Reason.WITHDRAWN).delete()
        applied = set(
            Application.objects.filter(
                profile__in=[profile for profile, _vacancy, _stage in plan]
            ).values_list("profile_id", "vacancy_id")
        )
        for index, (profile, vacancy, stage) in enumerate(plan):
            if (profile.pk, vacancy.pk) in applied:
                continue
            with translation.override(profile.user.preferred_language):
                try:
                    application = application_submit(
                        profile=profile,
                        vacancy=vacancy,
                        motivation=MOTIVATIONS.get(profile.user.preferred_language)
                        or MOTIVATIONS["fr"],
                    )
                except (AlreadyApplied, ValidationError):  # applied, or the vacancy is filled
                    continue
            created += 1
            mover = movers.get(vacancy.employer_id, employer_user)
            for step in (
                STAGE_ORDER[1 : STAGE_ORDER.index(stage) + 1] if stage in STAGE_ORDER else []
            ):
                application = application_move(
                    application=application, stage=step, user=mover, notify=False
                )
            if stage == Application.Stage.NOT_RETAINED:
                # Turned down at different steps, each for a reason that fits the step.
                reached, reason, note = NOT_RETAINED_AT[index % len(NOT_RETAINED_AT)]
                for step in STAGE_ORDER[1 : STAGE_ORDER.index(reached) + 1]:
                    application = application_move(
                        application=application, stage=step, user=mover, notify=False
                    )
                application_move(
                    application=application,
                    stage=stage,
                    user=mover,
                    reason=reason,
                    notify=False,
                    note=note,
                )
        return created

    def _guide(self, counsellor, candidate):
        Guidance.objects.get_or_create(counsellor=counsellor, candidate=candidate, ended_at=None)

    def _demo_candidate(self, user, counsellor):
        """The demo job-seeker's profile, restored piece by piece: whatever they emptied,
        withdrew or deleted through the site comes back, and nothing is added twice."""
        profile = user.candidate_profile
        self._guide(counsellor, user)
        self._demo_profile_fields(profile)
        latest = profile.consents.filter(purpose=Consent.Purpose.SHORTLISTS).first()
        if latest is None or not latest.given:
            with translation.override("fr"):
                candidate_shortlist_consent_set(profile=profile, given=True)
        self._demo_diplomas(profile)
        roles = {role.slug: role for role in self.roles}
        profile.target_roles.add(roles["peace-guard"], roles["police-agent"])
        requirements = list(roles["peace-guard"].requirements.all())[:9]
        self._demo_skills(profile, requirements, counsellor)
        spoken = set(profile.languages.values_list("language__code", flat=True))
        CandidateLanguage.objects.bulk_create(
            CandidateLanguage(profile=profile, language=self.languages[code], cefr=cefr)
            for code, cefr in [("fr", "C1"), ("nl", "B1"), ("ar", "C2"), ("en", "B1")]
            if code not in spoken
        )
        self._demo_experiences(profile, [requirement.skill for requirement in requirements])

    def _demo_profile_fields(self, profile):
        profile.commune = Commune.objects.get(nis_code="21015")
        profile.lives_outside_brussels = False
        profile.birth_year = 1997
        profile.gender = CandidateProfile.Gender.WOMAN
        profile.phone = "+32 470 12 34 56"
        profile.headline = "Animatrice de quartier, je veux devenir gardienne de la paix."
        profile.nationality = Nationality.BELGIAN
        profile.driving_licences = ["B"]
        profile.full_time = profile.shifts = profile.weekends = True
        profile.max_travel_minutes = 45
        profile.available_from = profile.available_from or timezone.localdate().replace(day=1)
        profile.conditions_saved_at = profile.conditions_saved_at or timezone.now()
        profile.match_alert_threshold = 70
        profile.save()

    def _demo_diplomas(self, profile):
        LanguageCertificate.objects.get_or_create(
            profile=profile, language=self.languages["nl"], level=LanguageCertificate.Level.ART_8
        )
        Education.objects.get_or_create(
            profile=profile,
            title="Baccalauréat, sciences expérimentales",
            defaults={
                "level": Education.Level.UPPER_SECONDARY,
                "institution": "Lycée Ibn Khaldoun",
                "country": "Maroc",
                "recognition": Education.Recognition.PENDING,
                "year": 2015,
            },
        )

    def _demo_skills(self, profile, requirements, counsellor):
        """Skills for these requirements, each kind of evidence in turn, those missing only."""
        evidence_cycle = [
            Evidence.COUNSELLOR_VALIDATED,
            Evidence.SELF_DECLARED,
            Evidence.TEST_VERIFIED,
            Evidence.SELF_DECLARED,
            Evidence.TRAINING_CERTIFIED,
            Evidence.SELF_DECLARED,
        ]
        held_ids = set(profile.skills.values_list("skill_id", flat=True))
        CandidateSkill.objects.bulk_create(
            CandidateSkill(
                profile=profile,
                skill=requirement.skill,
                level=min(4, requirement.target_level + (index % 3) - 1) or 1,
                evidence=evidence_cycle[index % len(evidence_cycle)],
                validated_by=counsellor
                if evidence_cycle[index % len(evidence_cycle)] == Evidence.COUNSELLOR_VALIDATED
                else None,
                evidence_note="Observée lors d’un entretien et d’une mise en situation."
                if evidence_cycle[index % len(evidence_cycle)] == Evidence.COUNSELLOR_VALIDATED
                else "",
            )
            for index, requirement in enumerate(requirements)
            if requirement.skill_id not in held_ids
        )

    def _demo_experiences(self, profile, held):
        """Two experiences, each showing some of the `held` skills."""
        today = timezone.localdate()
        experiences = [
            (
                Experience.Kind.ASSOCIATION,
                "Animatrice de quartier",
                "Maison de quartier Nord",
                "Activités pour les jeunes du quartier, médiation entre voisins, "
                "accueil des familles.",
                today.replace(year=today.year - 4, month=9, day=1),
                None,
                held[:4],
            ),
            (
                Experience.Kind.VOLUNTEERING,
                "Steward bénévole",
                "Festival de quartier de Schaerbeek",
                "Accueil du public, orientation, premiers secours avec la Croix-Rouge.",
                today.replace(year=today.year - 2, month=6, day=1),
                today.replace(year=today.year - 2, month=8, day=1),
                held[4:7],
            ),
        ]
        for kind, title, organisation, description, started, ended, skills in experiences:
            experience, created = Experience.objects.get_or_create(
                profile=profile,
                title=title,
                defaults={
                    "kind": kind,
                    "organisation": organisation,
                    "description": description,
                    "started_on": started,
                    "ended_on": ended,
                },
            )
            if created or not experience.skills.exists():
                experience.skills.set(skills)

    def _generated_candidates(self, counsellors):
        emails = [
            f"jobseeker{number:03d}@demo.{DEMO_DOMAIN}"
            for number in range(1, GENERATED_CANDIDATES + 1)
        ]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        # Draw every person's traits even when they exist, so reruns stay reproducible.
        people = [
            self._draw_person(email, counsellors, number) for number, email in enumerate(emails)
        ]
        new_people = [person for person in people if person["email"] not in existing]
        if not new_people:
            return 0
        profiles = self._generated_accounts(new_people)
        self._generated_profiles(new_people, profiles)
        return len(new_people)

    def _draw_person(self, email, counsellors, number):
        """The `number`-th generated job-seeker's traits, drawn from the seeder's generator;
        `seed` starts the person's own generator, which draws the rest of their profile."""
        rng = self.rng
        gender = weighted(rng, [("woman", 47), ("man", 50), ("other", 3)])
        return {
            "email": email,
            "full_name": f"{rng.choice(FIRST_NAMES[gender])} {rng.choice(LAST_NAMES)}",
            "gender": gender,
            "birth_year": rng.randint(1966, 2007),
            "outside": rng.random() < 0.08,
            "commune": rng.choice(self.communes),
            "visible": rng.random() < 0.7,
            "roles": rng.sample(self.roles, k=rng.choice([1, 1, 2, 2, 3])),
            "seed": rng.random(),
            "counsellor": counsellors[number % len(counsellors)],
        }

    def _generated_accounts(self, people):
        """The accounts and bare profiles of these people: {email: profile}."""
        User.objects.bulk_create(
            User(
                email=person["email"],
                full_name=person["full_name"],
                role=User.Role.CANDIDATE,
                password=self.password_hash,
                preferred_language="nl" if person["seed"] < 0.25 else "fr",
            )
            for person in people
        )
        users = {
            user.email: user for user in User.objects.filter(email__in=[p["email"] for p in people])
        }
        CandidateProfile.objects.bulk_create(
            CandidateProfile(
                user=users[person["email"]],
                commune=None if person["outside"] else person["commune"],
                lives_outside_brussels=person["outside"],
                birth_year=person["birth_year"],
                gender=person["gender"],
                is_visible_in_shortlists=person["visible"],
            )
            for person in people
        )
        return {
            profile.user.email: profile
            for profile in CandidateProfile.objects.select_related("user").filter(
                user__email__in=[p["email"] for p in people]
            )
        }

    def _generated_profiles(self, people, profiles):
        """Each person's target roles, skills, languages, counsellor, conditions and consent,
        written in bulk."""
        skills, languages, guidances, target_links = [], [], [], []
        conditioned, consents = [], []
        now = timezone.now()
        shortlists_texts = {
            code: _in_language(code, consent_texts.shortlists_text) for code in ("fr", "nl")
        }
        Through = CandidateProfile.target_roles.through
        for person in people:
            profile = profiles[person["email"]]
            person_rng = random.Random(person["seed"])
            target_links.extend(
                Through(candidateprofile_id=profile.pk, role_id=role.pk) for role in person["roles"]
            )
            skills.extend(self._generated_skills(profile, person, person_rng))
            languages.extend(self._generated_languages(profile, person, person_rng))
            guidances.append(Guidance(counsellor=person["counsellor"], candidate=profile.user))
            # Drawn last, from the person's own generator: earlier draws stay as they were.
            _draw_conditions(profile, person_rng)
            profile.conditions_saved_at = now
            conditioned.append(profile)
            if person["visible"]:
                consents.append(
                    Consent(
                        profile=profile,
                        purpose=Consent.Purpose.SHORTLISTS,
                        given=True,
                        text_version=consent_texts.SHORTLISTS_VERSION,
                        text=shortlists_texts[profile.user.preferred_language],
                        language=profile.user.preferred_language,
                        recorded_at=now,
                    )
                )
        CandidateProfile.objects.bulk_update(
            conditioned,
            [
                "nationality",
                "driving_licences",
                "full_time",
                "part_time",
                "shifts",
                "nights",
                "weekends",
                "max_travel_minutes",
                "conditions_saved_at",
            ],
            batch_size=500,
        )
        Consent.objects.bulk_create(consents, batch_size=1000)
        Through.objects.bulk_create(target_links)
        CandidateSkill.objects.bulk_create(skills, batch_size=1000)
        CandidateLanguage.objects.bulk_create(languages, batch_size=1000)
        Guidance.objects.bulk_create(guidances)

    def _generated_skills(self, profile, person, person_rng):
        """Some of the skills their target roles require, near the level required, and a few
        transversal ones, each with its evidence."""
        pool = {}
        for role in person["roles"]:
            for requirement in role.requirements.all():
                pool[requirement.skill_id] = requirement.target_level
        chosen = person_rng.sample(sorted(pool), k=min(len(pool), person_rng.randint(6, 18)))
        chosen += [
            skill.pk
            for skill in person_rng.sample(self.transversal, k=person_rng.randint(1, 5))
            if skill.pk not in pool
        ]
        skills = []
        for skill_id in chosen:
            evidence = weighted(person_rng, EVIDENCE_WEIGHTS)
            target = pool.get(skill_id, 2)
            skills.append(
                CandidateSkill(
                    profile=profile,
                    skill_id=skill_id,
                    level=max(1, min(4, target + person_rng.choice([-2, -1, -1, 0, 0, 0, 1]))),
                    evidence=evidence,
                    validated_by=person["counsellor"]
                    if evidence == Evidence.COUNSELLOR_VALIDATED
                    else None,
                )
            )
        return skills

    def _generated_languages(self, profile, person, person_rng):
        """Their main language (Dutch for a quarter of them), often the other one, English
        and a language of elsewhere."""
        main = "nl" if person["seed"] < 0.25 else "fr"
        second = "fr" if main == "nl" else "nl"
        languages = [
            CandidateLanguage(
                profile=profile,
                language=self.languages[main],
                cefr=person_rng.choice(["B2", "C1", "C2", "C2"]),
            )
        ]
        if person_rng.random() < 0.6:
            languages.append(
                CandidateLanguage(
                    profile=profile,
                    language=self.languages[second],
                    cefr=person_rng.choice(CEFR_LEVELS[:4]),
                )
            )
        if person_rng.random() < 0.55:
            languages.append(
                CandidateLanguage(
                    profile=profile,
                    language=self.languages["en"],
                    cefr=person_rng.choice(CEFR_LEVELS[:5]),
                )
            )
        if person_rng.random() < 0.5:
            other = person_rng.choice(OTHER_LANGUAGE_CODES)
            languages.append(
                CandidateLanguage(
                    profile=profile,
                    language=self.languages[other],
                    cefr=person_rng.choice(["B2", "C1", "C2"]),
                )
            )
        return languages


def _draw_conditions(profile, person_rng):
    """A generated person's nationality, licence and working conditions."""
    profile.nationality = weighted(
        person_rng,
        [(Nationality.BELGIAN, 70), (Nationality.EEA, 12), (Nationality.OTHER, 18)],
    )
    profile.driving_licences = ["B"] if person_rng.random() < 0.45 else []
    profile.full_time = person_rng.random() < 0.8
    profile.part_time = person_rng.random() < 0.4
    profile.shifts = person_rng.random() < 0.6
    profile.nights = person_rng.random() < 0.35
    profile.weekends = person_rng.random() < 0.55
    profile.max_travel_minutes = person_rng.choice([30, 45, 45, 60, 60, 90])


def _in_language(code, text):
    with translation.override(code):
        return text()


def print_demo_logins(password, write):
    write("")
    write(f"Demo logins (password: {password})")
    for account in DEMO_ACCOUNTS:
        write(f"  {account.email:<32} {account.description}")
    for email, _name, _organisation, description in TRACK_RECRUITERS:
        write(f"  {email:<32} {description}")
    last = f"jobseeker{GENERATED_CANDIDATES:03d}"
    write(f"  jobseeker001@demo.passerelle.example … {last}@demo.passerelle.example: job-seekers")
    first, *_others, final = (person[0] for person in TRACK_PEOPLE)
    write(
        f"  {first}@{TRACK_DOMAIN} … {final}@{TRACK_DOMAIN} "
        f"({len(TRACK_PEOPLE)}): job-seekers on the digital and cyber track"
    )
    write("")
    write("Staff and employer accounts ask for a two-step verification code: add the key")
    write(f"  {DEMO_MFA_SECRET}")
    write("to an authenticator app, or print the current code with")
    write(f"  .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('{DEMO_MFA_SECRET}').now())\"")
