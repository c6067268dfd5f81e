"""Realistic, reproducible Brussels demo data for `manage.py seed_demo`.

Every run gives the same people (a seeded random generator) and adds only what is missing,
so running it twice changes nothing.
"""

import datetime
import random
import re
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone, translation

from assessments.bank import load_batteries, load_item_bank
from assessments.demo import simulate_attempt, simulate_demo_attempts
from assessments.models import Attempt, Battery, Item
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
from college.demo.days import demo_application_notes, demo_appointments, demo_caseload_meetings
from college.guidance.paths import path_generate
from college.models import (
    ActionItem,
    Attendance,
    Certificate,
    Cohort,
    CohortSession,
    Commune,
    CounsellorNote,
    Enrolment,
    Guidance,
    Language,
    MfaDevice,
    Module,
    PoliceZone,
    Role,
    Skill,
    TrainingPath,
    User,
)
from college.reference.loader import load_reference_data
from college.training.catalogue import load_catalogue, upcoming_cohorts
from college.training.enrolment import cohort_enrol, cohort_is_open, enrolment_record_result
from employers.models import (
    Application,
    ApplicationEvent,
    Employer,
    Membership,
    Vacancy,
    VacancyRanking,
)
from employers.services import (
    FINAL_STAGES,
    STAGE_ORDER,
    AlreadyApplied,
    application_move,
    application_submit,
    vacancy_initial_from_role,
    vacancy_save,
    vacancy_set_status,
)

DEMO_DOMAIN = "passerelle.example"
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

# Brussels public bodies under their official French and Dutch names (and English where it
# differs); commune names from shared/data/brussels/communes.csv. Each keeps the slug an
# older seed gave it from its French name, so that a rerun finds it again.
MUNICIPAL_SERVICES = [
    (
        "ville-de-bruxelles-bravvo-prevention",
        (
            "Ville de Bruxelles – Bravvo (prévention)",
            "Stad Brussel – Bravvo (preventie)",
            "City of Brussels – Bravvo (prevention)",
        ),
        "21004",
    ),
    (
        "commune-de-schaerbeek-service-prevention",
        (
            "Commune de Schaerbeek – Service Prévention",
            "Gemeente Schaarbeek – Preventiedienst",
            "Municipality of Schaerbeek – Prevention service",
        ),
        "21015",
    ),
    (
        "commune-de-molenbeek-saint-jean-service-prevention",
        (
            "Commune de Molenbeek-Saint-Jean – Service Prévention",
            "Gemeente Sint-Jans-Molenbeek – Preventiedienst",
            "Municipality of Molenbeek-Saint-Jean – Prevention service",
        ),
        "21012",
    ),
    (
        "commune-danderlecht-service-prevention",
        (
            "Commune d’Anderlecht – Service Prévention",
            "Gemeente Anderlecht – Preventiedienst",
            "Municipality of Anderlecht – Prevention service",
        ),
        "21001",
    ),
    (
        "commune-de-saint-gilles-service-prevention",
        (
            "Commune de Saint-Gilles – Service Prévention",
            "Gemeente Sint-Gillis – Preventiedienst",
            "Municipality of Saint-Gilles – Prevention service",
        ),
        "21013",
    ),
    (
        "commune-dixelles-service-prevention",
        (
            "Commune d’Ixelles – Service Prévention",
            "Gemeente Elsene – Preventiedienst",
            "Municipality of Ixelles – Prevention service",
        ),
        "21009",
    ),
]

CALL_CENTRE_SLUG = "police-federale-cic-bruxelles"
# Public bodies have a Dutch (and English) name; private companies keep their one name.
OTHER_EMPLOYERS = [
    # Brussels' 101 calls are answered here, by the federal police (with civilian CALOG staff),
    # not by a local police zone.
    (
        CALL_CENTRE_SLUG,
        (
            "Police fédérale – Centre d’information et de communication de Bruxelles (CIC)",
            "Federale politie – Communicatie- en informatiecentrum Brussel (CIC)",
            "Federal police – Brussels communication and information centre (CIC)",
        ),
        Employer.Kind.FEDERAL_POLICE,
        True,
    ),
    (
        "police-federale-direction-de-securisation-dab",
        (
            "Police fédérale – Direction de sécurisation (DAB)",
            "Federale politie – Directie beveiliging (DAB)",
            "Federal police – Security directorate (DAB)",
        ),
        Employer.Kind.FEDERAL_POLICE,
        True,
    ),
    (
        "stib-mivb-securite-et-prevention",
        (
            "STIB – Sécurité et prévention",
            "MIVB – Veiligheid en preventie",
            "STIB – Security and prevention",
        ),
        Employer.Kind.PUBLIC_TRANSPORT,
        True,
    ),
    (
        "irisguard-securite-sa",
        ("IrisGuard Sécurité SA", "", ""),
        Employer.Kind.SECURITY_COMPANY,
        True,
    ),
    (
        "brussels-events-stewarding-asbl",
        ("Brussels Events Stewarding asbl", "", ""),
        Employer.Kind.EVENTS,
        True,
    ),
    ("nova-protect-srl", ("Nova Protect SRL", "", ""), Employer.Kind.SECURITY_COMPANY, False),
]

FIRST_NAMES = {
    "woman": [
        "Yasmine",
        "Sarah",
        "Fatima",
        "Inès",
        "Lina",
        "Nora",
        "Julie",
        "Emma",
        "Aylin",
        "Mariam",
        "Elif",
        "Chloé",
        "Aïcha",
        "Sofia",
        "Laura",
        "Hanna",
        "Amal",
        "Grace",
        "Oumou",
        "Ana",
        "Zeynep",
        "Kenza",
        "Marie",
        "Lotte",
        "Iman",
        "Noor",
        "Olena",
    ],
    "man": [
        "Mohamed",
        "Youssef",
        "Adam",
        "Lucas",
        "Mehdi",
        "Ilyas",
        "Thomas",
        "Ayoub",
        "Kevin",
        "Bilal",
        "Emre",
        "Moussa",
        "Rayan",
        "Jonas",
        "Nathan",
        "Samir",
        "Hamza",
        "Arnaud",
        "Daniel",
        "Ibrahim",
        "Mamadou",
        "Pedro",
        "Tomasz",
        "Andrei",
        "Omar",
    ],
    "other": ["Alex", "Sam", "Noa", "Charlie"],
}
LAST_NAMES = [
    "El Amrani",
    "Peeters",
    "Janssens",
    "Dubois",
    "Benali",
    "Diallo",
    "Yilmaz",
    "Lambert",
    "Maes",
    "Bakkali",
    "Kaya",
    "Mertens",
    "Nguyen",
    "Da Silva",
    "Kowalski",
    "Popescu",
    "Mbuyi",
    "Haddad",
    "Ouali",
    "Claes",
    "Laurent",
    "Aydin",
    "El Idrissi",
    "Willems",
    "Rossi",
    "Fernandes",
    "Traoré",
    "Bouzid",
    "Lemaire",
    "Goossens",
    "Achaoui",
    "Kabamba",
    "Demir",
    "Wouters",
    "Martin",
    "Jacobs",
]

EVIDENCE_WEIGHTS = [
    (Evidence.SELF_DECLARED, 60),
    (Evidence.COUNSELLOR_VALIDATED, 20),
    (Evidence.TEST_VERIFIED, 12),
    (Evidence.TRAINING_CERTIFIED, 8),
]
OTHER_LANGUAGE_CODES = ["ar", "tr", "es", "pt", "it", "pl", "ro", "ber", "ln", "uk", "bg", "sq"]
CEFR_LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"]


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


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
                [_zone_employer_name(zone, language) for language in ("fr", "nl", "en")],
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
        # An older seed gave Polbru a 101/112 call-taker post, which no local police zone
        # recruits for: it goes, with its applications, and the federal police's CIC gets its own.
        stale = self._demo_vacancy(employers["zone-5339"], roles["emergency-dispatcher"], 0)
        if stale is not None:
            stale.delete()
            public_data_changed()
        for index, spec in enumerate(VACANCY_SPECS):
            slug, role_slug, nis, contract, hours, posts, days, languages, salary, rhythm = spec
            employer, role, commune = employers[slug], roles[role_slug], by_nis[nis]
            fields, skills, role_languages = vacancy_initial_from_role(role=role, employer=employer)
            place = {
                "fr": commune.name_fr,
                "nl": commune.name_nl,
                "en": commune.name_en or commune.name_fr,
            }
            title = {
                code: f"{_advertised_title(role, code)} – {place[code]}"
                for code in ("fr", "nl", "en")
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
            occurrence = seen[slug, role_slug]
            seen[slug, role_slug] += 1
            existing = self._demo_vacancy(employer, role, occurrence)
            if existing is not None:
                self._converge(
                    existing, commune=commune, posts=posts, title=title, description=description
                )
                continue
            scale, salary_min, salary_max = salary or ("", None, None)
            fields.update(
                title_fr=title["fr"],
                title_nl=title["nl"],
                title_en=title["en"],
                description_fr=description["fr"],
                description_nl=description["nl"],
                description_en=description["en"],
                commune=commune,
                address="",
                contract=contract,
                hours_per_week=hours,
                shifts="s" in rhythm,
                nights="n" in rhythm,
                weekends="w" in rhythm,
                salary_scale=scale or "",
                salary_min=salary_min,
                salary_max=salary_max,
                posts=posts,
                closes_on=today + datetime.timedelta(days=days),
            )
            if languages is not None:
                role_languages = [
                    {
                        "language": self.languages[code],
                        "min_cefr": cefr,
                        "certificate": certificate,
                        "is_alternative": either,
                    }
                    for code, cefr, certificate, either in languages
                ]
            vacancy = vacancy_save(
                employer=employer,
                data=fields,
                skills=skills,
                languages=role_languages,
                user=accounts["employer@passerelle.example"] if slug == "zone-5339" else None,
            )
            # Published over the last weeks, as a live board would be; unverified
            # organisations keep drafts, which nobody outside them sees.
            if employer.is_verified:
                Vacancy.objects.filter(pk=vacancy.pk).update(
                    status=Vacancy.Status.PUBLISHED,
                    published_at=now - datetime.timedelta(days=_published_days_ago(index)),
                )
                public_data_changed()
            created += 1
        # Written a few days before going online, not on the day of the seed after it.
        Vacancy.objects.filter(published_at__lt=F("created_at")).update(
            created_at=F("published_at") - datetime.timedelta(days=2)
        )
        return created

    def _demo_vacancy(self, employer, role, occurrence):
        """The seed's `occurrence`-th vacancy of `role` at `employer`, or None.

        Known by its generated title ("<role> – <any commune>"), so that a vacancy moved to
        another commune by a later version of the seed is found and moved, not duplicated,
        and one the employer wrote themselves is left alone."""
        titles = [
            f"{title} – {commune.name_fr}"
            for title in (role.title_fr, _advertised_title(role, "fr"))
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
        latest = profile.consents.filter(purpose=Consent.Purpose.SHORTLISTS).first()
        if latest is None or not latest.given:
            with translation.override("fr"):
                candidate_shortlist_consent_set(profile=profile, given=True)
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
        roles = {role.slug: role for role in self.roles}
        profile.target_roles.add(roles["peace-guard"], roles["police-agent"])
        evidence_cycle = [
            Evidence.COUNSELLOR_VALIDATED,
            Evidence.SELF_DECLARED,
            Evidence.TEST_VERIFIED,
            Evidence.SELF_DECLARED,
            Evidence.TRAINING_CERTIFIED,
            Evidence.SELF_DECLARED,
        ]
        requirements = list(roles["peace-guard"].requirements.all())[:9]
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
        spoken = set(profile.languages.values_list("language__code", flat=True))
        CandidateLanguage.objects.bulk_create(
            CandidateLanguage(profile=profile, language=self.languages[code], cefr=cefr)
            for code, cefr in [("fr", "C1"), ("nl", "B1"), ("ar", "C2"), ("en", "B1")]
            if code not in spoken
        )
        held = [requirement.skill for requirement in requirements]
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
        rng = self.rng
        emails = [
            f"jobseeker{number:03d}@demo.{DEMO_DOMAIN}"
            for number in range(1, GENERATED_CANDIDATES + 1)
        ]
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        people = []
        for email in emails:
            # Draw every person's traits even when they exist, so reruns stay reproducible.
            gender = _weighted(rng, [("woman", 47), ("man", 50), ("other", 3)])
            person = {
                "email": email,
                "full_name": f"{rng.choice(FIRST_NAMES[gender])} {rng.choice(LAST_NAMES)}",
                "gender": gender,
                "birth_year": rng.randint(1966, 2007),
                "outside": rng.random() < 0.08,
                "commune": rng.choice(self.communes),
                "visible": rng.random() < 0.7,
                "roles": rng.sample(self.roles, k=rng.choice([1, 1, 2, 2, 3])),
                "seed": rng.random(),
                "counsellor": counsellors[len(people) % len(counsellors)],
            }
            people.append(person)
        new_people = [person for person in people if person["email"] not in existing]
        if not new_people:
            return 0
        users = User.objects.bulk_create(
            User(
                email=person["email"],
                full_name=person["full_name"],
                role=User.Role.CANDIDATE,
                password=self.password_hash,
                preferred_language="nl" if person["seed"] < 0.25 else "fr",
            )
            for person in new_people
        )
        users = {
            user.email: user
            for user in User.objects.filter(email__in=[p["email"] for p in new_people])
        }
        profiles = CandidateProfile.objects.bulk_create(
            CandidateProfile(
                user=users[person["email"]],
                commune=None if person["outside"] else person["commune"],
                lives_outside_brussels=person["outside"],
                birth_year=person["birth_year"],
                gender=person["gender"],
                is_visible_in_shortlists=person["visible"],
            )
            for person in new_people
        )
        profiles = {
            profile.user.email: profile
            for profile in CandidateProfile.objects.select_related("user").filter(
                user__email__in=[p["email"] for p in new_people]
            )
        }
        skills, languages, guidances, target_links = [], [], [], []
        conditioned, consents = [], []
        now = timezone.now()
        shortlists_texts = {
            code: _in_language(code, consent_texts.shortlists_text) for code in ("fr", "nl")
        }
        Through = CandidateProfile.target_roles.through
        for person in new_people:
            profile = profiles[person["email"]]
            person_rng = random.Random(person["seed"])
            pool = {}
            for role in person["roles"]:
                target_links.append(Through(candidateprofile_id=profile.pk, role_id=role.pk))
                for requirement in role.requirements.all():
                    pool[requirement.skill_id] = requirement.target_level
            chosen = person_rng.sample(sorted(pool), k=min(len(pool), person_rng.randint(6, 18)))
            chosen += [
                skill.pk
                for skill in person_rng.sample(self.transversal, k=person_rng.randint(1, 5))
                if skill.pk not in pool
            ]
            for skill_id in chosen:
                evidence = _weighted(person_rng, EVIDENCE_WEIGHTS)
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
            main = "nl" if person["seed"] < 0.25 else "fr"
            second = "fr" if main == "nl" else "nl"
            languages.append(
                CandidateLanguage(
                    profile=profile,
                    language=self.languages[main],
                    cefr=person_rng.choice(["B2", "C1", "C2", "C2"]),
                )
            )
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
            guidances.append(Guidance(counsellor=person["counsellor"], candidate=profile.user))
            # Drawn last, from the person's own generator: earlier draws stay as they were.
            profile.nationality = _weighted(
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
        return len(new_people)


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
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
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
                    status = _weighted(
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


# Police agents are paid on the BA scales, not on the civilian (CALOG) C and D ones; the
# inspectors' scale is left out rather than guessed.
# (employer slug, role slug, commune NIS code, contract, hours, posts, days until closing,
#  languages: None = the role's own rule, else [(code, CEFR, certificate, either-or)],
#  salary: (scale, min, max) or None, shifts/nights/weekends)
VACANCY_SPECS = [
    (
        "zone-5339",
        "police-inspector",
        "21004",
        "permanent",
        38,
        6,
        45,
        None,
        ("", 2350, 3400),
        "snw",
    ),
    ("zone-5339", "police-agent", "21009", "permanent", 38, 4, 30, None, ("BA1", 2150, 2900), "sw"),
    (
        "zone-5339",
        "cctv-operator",
        "21004",
        "permanent",
        38,
        2,
        21,
        [("fr", "B1", "", False), ("nl", "B1", "art8", False)],
        ("C1", 2300, 3100),
        "snw",
    ),
    (
        CALL_CENTRE_SLUG,
        "emergency-dispatcher",
        "21004",
        "fixed_term",
        38,
        1,
        12,
        None,
        ("C1", 2400, 3300),
        "snw",
    ),
    ("zone-5340", "police-agent", "21010", "permanent", 38, 5, 35, None, ("BA1", 2150, 2900), "sw"),
    (
        "zone-5340",
        "police-inspector",
        "21012",
        "permanent",
        38,
        8,
        60,
        None,
        ("", 2350, 3400),
        "snw",
    ),
    ("zone-5340", "cctv-operator", "21012", "fixed_term", 38, 1, 9, None, None, "snw"),
    (
        "zone-5341",
        "police-inspector",
        "21001",
        "permanent",
        38,
        5,
        40,
        None,
        ("", 2350, 3400),
        "snw",
    ),
    (
        "zone-5341",
        "police-agent",
        "21007",
        "permanent",
        38,
        3,
        18,
        [("nl", "B1", "art8", False), ("fr", "B1", "", False)],
        ("BA1", 2150, 2900),
        "sw",
    ),
    (
        "zone-5342",
        "police-inspector",
        "21016",
        "permanent",
        38,
        4,
        50,
        None,
        ("", 2350, 3400),
        "snw",
    ),
    ("zone-5343", "police-agent", "21005", "permanent", 38, 3, 25, None, ("BA1", 2150, 2900), "sw"),
    (
        "zone-5343",
        "cctv-operator",
        "21018",
        "permanent",
        38,
        2,
        33,
        None,
        ("C1", 2300, 3100),
        "snw",
    ),
    (
        "zone-5344",
        "police-inspector",
        "21015",
        "permanent",
        38,
        4,
        28,
        None,
        ("", 2350, 3400),
        "snw",
    ),
    ("zone-5344", "cctv-operator", "21006", "fixed_term", 19, 1, 16, None, None, "sw"),
    (
        "ville-de-bruxelles-bravvo-prevention",
        "peace-guard",
        "21004",
        "permanent",
        38,
        6,
        20,
        [("fr", "B1", "", False), ("nl", "B1", "art8", False)],
        ("D4", 2050, 2600),
        "w",
    ),
    (
        "ville-de-bruxelles-bravvo-prevention",
        "street-educator",
        "21004",
        "fixed_term",
        38,
        2,
        27,
        None,
        ("B1", 2700, 3700),
        "",
    ),
    (
        "ville-de-bruxelles-bravvo-prevention",
        "neighbourhood-mediator",
        "21004",
        "permanent",
        30.4,
        1,
        42,
        None,
        ("B1", 2700, 3700),
        "",
    ),
    (
        "commune-de-schaerbeek-service-prevention",
        "peace-guard",
        "21015",
        "permanent",
        38,
        4,
        24,
        None,
        ("D4", 2050, 2600),
        "w",
    ),
    (
        "commune-de-schaerbeek-service-prevention",
        "sac-officer",
        "21015",
        "permanent",
        38,
        1,
        31,
        None,
        ("C1", 2300, 3100),
        "",
    ),
    (
        "commune-de-schaerbeek-service-prevention",
        "street-educator",
        "21015",
        "fixed_term",
        38,
        1,
        11,
        None,
        None,
        "w",
    ),
    (
        "commune-de-molenbeek-saint-jean-service-prevention",
        "peace-guard",
        "21012",
        "permanent",
        38,
        5,
        22,
        None,
        ("D4", 2050, 2600),
        "w",
    ),
    (
        "commune-de-molenbeek-saint-jean-service-prevention",
        "neighbourhood-mediator",
        "21012",
        "fixed_term",
        30.4,
        1,
        36,
        [("fr", "C1", "", True), ("nl", "C1", "", True), ("ar", "B2", "", False)],
        None,
        "",
    ),
    (
        "commune-danderlecht-service-prevention",
        "peace-guard",
        "21001",
        "permanent",
        38,
        3,
        14,
        None,
        ("D4", 2050, 2600),
        "w",
    ),
    (
        "commune-danderlecht-service-prevention",
        "sac-officer",
        "21001",
        "permanent",
        38,
        1,
        38,
        [("fr", "B2", "", False), ("nl", "B2", "art9_2", False)],
        ("C1", 2300, 3100),
        "",
    ),
    (
        "commune-de-saint-gilles-service-prevention",
        "peace-guard",
        "21013",
        "fixed_term",
        38,
        2,
        19,
        None,
        ("D4", 2050, 2600),
        "w",
    ),
    (
        "commune-de-saint-gilles-service-prevention",
        "street-educator",
        "21013",
        "permanent",
        38,
        1,
        44,
        None,
        ("B1", 2700, 3700),
        "w",
    ),
    (
        "commune-dixelles-service-prevention",
        "peace-guard",
        "21009",
        "permanent",
        38,
        3,
        26,
        [("nl", "B1", "art8", False), ("fr", "B1", "", False)],
        ("D4", 2050, 2600),
        "w",
    ),
    (
        "police-federale-direction-de-securisation-dab",
        "federal-security-agent",
        "21004",
        "permanent",
        38,
        20,
        55,
        None,
        ("D1", 2150, 2800),
        "snw",
    ),
    (
        "police-federale-direction-de-securisation-dab",
        "federal-security-agent",
        "21016",
        "permanent",
        38,
        10,
        13,
        None,
        ("D1", 2150, 2800),
        "snw",
    ),
    (
        "stib-mivb-securite-et-prevention",
        "transport-security-agent",
        "21004",
        "permanent",
        38,
        12,
        29,
        [("fr", "B1", "", False), ("nl", "B1", "", False)],
        (None, 2300, 2900),
        "snw",
    ),
    (
        "stib-mivb-securite-et-prevention",
        "cctv-operator",
        "21009",
        "permanent",
        38,
        3,
        23,
        None,
        (None, 2400, 3000),
        "snw",
    ),
    (
        "stib-mivb-securite-et-prevention",
        "transport-security-agent",
        "21015",
        "student",
        12,
        6,
        10,
        None,
        None,
        "w",
    ),
    (
        "irisguard-securite-sa",
        "security-guard",
        "21001",
        "permanent",
        38,
        8,
        34,
        None,
        (None, 2150, 2500),
        "snw",
    ),
    ("irisguard-securite-sa", "security-guard", "21019", "fixed_term", 24, 4, 15, None, None, "sw"),
    (
        "irisguard-securite-sa",
        "cctv-operator",
        "21019",
        "permanent",
        38,
        2,
        48,
        None,
        (None, 2250, 2700),
        "snw",
    ),
    ("brussels-events-stewarding-asbl", "steward", "21004", "student", 10, 40, 8, None, None, "nw"),
    (
        "brussels-events-stewarding-asbl",
        "steward",
        "21001",
        "fixed_term",
        16,
        25,
        37,
        None,
        None,
        "nw",
    ),
    ("nova-protect-srl", "security-guard", "21009", "permanent", 38, 3, 30, None, None, "sw"),
]

# (the stage reached, the reason, the note) of the applications the demo turns down.
NOT_RETAINED_AT = [
    (
        Application.Stage.RECEIVED,
        Application.Reason.LANGUAGE,
        "Le niveau de néerlandais demandé n’est pas encore atteint : le collège propose un "
        "module de néerlandais pour les métiers de la sécurité.",
    ),
    (
        Application.Stage.INVITED_TO_TESTS,
        Application.Reason.TESTS,
        "Les épreuves d’aptitude n’ont pas été réussies cette fois ; vous pourrez les repasser "
        "lors d’une prochaine sélection.",
    ),
    (
        Application.Stage.INTERVIEW,
        Application.Reason.INTERVIEW,
        "Votre entretien était de qualité, mais une autre personne correspondait mieux au poste.",
    ),
    (
        Application.Stage.RECEIVED,
        Application.Reason.REQUIREMENTS,
        "Le permis B est demandé pour ce poste : revenez vers nous quand vous l’aurez.",
    ),
]

SECTOR_DESCRIPTIONS = {
    "fr": (
        "{employer} recrute pour {commune}. Vous rejoignez une équipe soudée, proche des "
        "habitants. Formation payée, accompagnement à l’entrée en fonction. Les personnes "
        "sans diplôme reconnu sont les bienvenues : vos compétences comptent."
    ),
    "nl": (
        "{employer} werft aan voor {commune}. Je komt in een hecht team dat dicht bij de "
        "bewoners staat. Betaalde opleiding en begeleiding bij je start. Mensen zonder "
        "erkend diploma zijn welkom: je vaardigheden tellen."
    ),
    "en": (
        "{employer} is hiring for {commune}. You join a close-knit team that works near the "
        "residents. Paid training and support when you start. People without a recognised "
        "diploma are welcome: your skills count."
    ),
}


def _advertised_title(role, code):
    """The role's title as one organisation advertises it: without a closing parenthesis
    ("(STIB)", "(police fédérale)", "(101/112)"), the organisation being named anyway. Older
    seeds' titles were made this way from longer role titles: `_demo_vacancy` still finds them."""
    return re.sub(r"\s*\([^()]*\)$", "", getattr(role, f"title_{code}"))


def _zone_employer_name(zone, language="fr"):
    """ "Zone de police Midi", but "Zone de police Uccle/Watermael-Boitsfort/Auderghem (Marlow)":
    the usual short name is added only where the full name does not already hold it. The
    zones' names in each language: shared/data/brussels/police_zones.csv."""
    name = getattr(zone, f"name_{language}") or zone.name_fr
    short = zone.short_name.casefold()
    # A short name the French name holds is a French word ("Midi", "Bruxelles-Ouest"): it is
    # not added to the Dutch or English name either.
    if short in zone.name_fr.casefold() or short in name.casefold():
        return name
    return f"{name} ({zone.short_name})"


def _published_days_ago(index):
    """Vacancies went online over the last eight weeks, none today."""
    return 4 + (index * 11) % 52


def _in_language(code, text):
    with translation.override(code):
        return text()


def print_demo_logins(password, write):
    write("")
    write(f"Demo logins (password: {password})")
    for account in DEMO_ACCOUNTS:
        write(f"  {account.email:<32} {account.description}")
    last = f"jobseeker{GENERATED_CANDIDATES:03d}"
    write(f"  jobseeker001@demo.passerelle.example … {last}@demo.passerelle.example: job-seekers")
    write("")
    write("Staff and employer accounts ask for a two-step verification code: add the key")
    write(f"  {DEMO_MFA_SECRET}")
    write("to an authenticator app, or print the current code with")
    write(f"  .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('{DEMO_MFA_SECRET}').now())\"")
