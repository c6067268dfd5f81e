"""The demo's selective intakes: an oversubscribed cyber-security programme (closed, rated,
partly decided, so that staff can rate and decide the rest in the browser), the next intake
of that programme, and a traditional programme, peace guard, open for applications.

Runs once: when the cyber programme has intakes, nothing is added (the dates are relative to
the first run's day, like the rest of the demo).
"""

import datetime
import random

from django.utils import timezone

from assessments.demo import simulate_attempt
from assessments.models import CLOSED_STATUSES, Attempt, Battery
from candidates.models import CandidateProfile
from college.demo.days import DEMO_DOMAIN
from college.intake.ranking import intake_ranking
from college.intake.services import intake_apply, intake_decide, motivation_rate
from college.models import Intake, Language, Programme, Role, User

CYBER = {
    "slug": "cyber-security-operator",
    "title_fr": "Opérateur·rice en cybersécurité (SOC)",
    "title_nl": "Operator cyberbeveiliging (SOC)",
    "title_en": "Cyber-security operator (SOC)",
    "summary_fr": (
        "Seize semaines pour surveiller, détecter et signaler les incidents dans un centre "
        "opérationnel de sécurité, avec un stage chez un employeur bruxellois. Ouvert sans "
        "diplôme : la sélection se fait sur l’aptitude et la motivation."
    ),
    "summary_nl": (
        "Zestien weken om incidenten in een security operations center te bewaken, op te "
        "sporen en te melden, met een stage bij een Brusselse werkgever. Open zonder diploma: "
        "de selectie gebeurt op aanleg en motivatie."
    ),
    "summary_en": (
        "Sixteen weeks to monitor, detect and report incidents in a security operations "
        "centre, with a placement at a Brussels employer. Open without a diploma: selection "
        "is on aptitude and motivation."
    ),
    "position": 5,
}
JURY = ("selection.jury@demo." + DEMO_DOMAIN, "Jury de sélection Brusafe")

# Guided answers, by language: the demo's applicants pick one of each at random.
ANSWERS = {
    "fr": {
        "why": [
            "J’ai toujours réparé les ordinateurs de ma famille et je veux en faire un métier "
            "stable. Depuis que j’ai perdu mon emploi en entrepôt, je me forme seul le soir.",
            "Je veux protéger les gens et les entreprises de mon quartier. Une amie a perdu "
            "ses économies à cause d’une arnaque en ligne : cela m’a décidé.",
            "Après dix ans dans la vente, je cherche un métier d’avenir où l’on apprend tous "
            "les jours. Mes enfants sont grands, c’est le bon moment.",
        ],
        "experience": [
            "J’ai suivi deux MOOC sur les réseaux et j’ai installé le wifi de l’ASBL de mon "
            "quartier. J’étais aussi responsable de caisse, donc habitué·e aux procédures.",
            "Trois ans de bénévolat dans une école de devoirs, où je gérais les ordinateurs "
            "et les comptes des élèves.",
            "Agent de sécurité pendant deux ans : rondes, rapports, caméras. Je connais la "
            "rigueur et le travail en équipe.",
        ],
        "commitment": [
            "Mes parents gardent ma fille en journée et je viens en métro depuis Molenbeek, "
            "trente minutes.",
            "Je suis libre en journée ; j’ai prévenu mon CPAS et j’ai un abonnement STIB.",
            "Mon conjoint travaille le soir, nous avons réorganisé la semaine ensemble.",
        ],
    },
    "nl": {
        "why": [
            "Ik herstel al jaren de computers van mijn familie en wil daar een vast beroep "
            "van maken. Sinds ik mijn job in een magazijn kwijt ben, leer ik 's avonds zelf.",
            "Ik wil mensen en bedrijven in mijn buurt beschermen. Een vriendin verloor haar "
            "spaargeld door online oplichting: dat gaf de doorslag.",
            "Na tien jaar in de verkoop zoek ik een beroep met toekomst waarin ik elke dag "
            "bijleer. Mijn kinderen zijn groot, dit is het moment.",
        ],
        "experience": [
            "Ik volgde twee MOOC's over netwerken en installeerde de wifi van de vzw in mijn "
            "wijk. Als kassaverantwoordelijke ben ik procedures gewoon.",
            "Drie jaar vrijwilliger in een huiswerkschool, waar ik de computers en de "
            "accounts van de leerlingen beheerde.",
            "Twee jaar bewakingsagent: rondes, verslagen, camera's. Ik ken nauwkeurigheid en "
            "teamwerk.",
        ],
        "commitment": [
            "Mijn ouders passen overdag op mijn dochter en ik kom met de metro uit Molenbeek, "
            "dertig minuten.",
            "Ik ben overdag vrij; ik heb het OCMW verwittigd en heb een MIVB-abonnement.",
            "Mijn partner werkt 's avonds, we hebben de week samen herschikt.",
        ],
    },
}
MESSAGES = {
    "fr": {
        "admitted": "Félicitations : rendez-vous le premier jour à 9 h, campus de Haren.",
        "waitlisted": "Votre candidature est solide ; nous vous écrivons dès qu’une place "
        "se libère.",
        "declined": "Merci pour votre candidature ; le parcours proposé vous prépare à la "
        "prochaine sélection.",
    },
    "nl": {
        "admitted": "Proficiat: we verwachten u de eerste dag om 9 uur op de campus in Haren.",
        "waitlisted": "Uw kandidatuur is sterk; we schrijven u zodra er een plaats vrijkomt.",
        "declined": "Bedankt voor uw kandidatuur; het voorgestelde traject bereidt u voor op "
        "de volgende selectie.",
    },
}


class IntakeDemo:
    def __init__(self, *, accounts, log=print, seed="intakes"):
        self.accounts = accounts
        self.log = log
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.demo_candidate = accounts["candidate@passerelle.example"]

    def run(self):
        cyber, _created = Programme.objects.get_or_create(slug=CYBER["slug"], defaults=CYBER)
        if Intake.objects.filter(programme=cyber).exists():
            return 0
        profiles = list(
            CandidateProfile.objects.filter(user__email__endswith=f"@demo.{DEMO_DOMAIN}")
            .select_related("user")
            .order_by("user__email")
        )
        if len(profiles) < 80:
            return 0
        self.rng.shuffle(profiles)
        staff = self.accounts["staff@passerelle.example"]
        jury = self._jury()
        french, dutch = Language.objects.get(code="fr"), Language.objects.get(code="nl")
        batteries = {battery.slug: battery for battery in Battery.objects.all()}

        closed = self._intake(
            cyber,
            places=12,
            opens=-45,
            closes=-3,
            starts=21,
            tests=((batteries["police-cognitive"], 2), (batteries["situational-judgement"], 1)),
            languages=(french, dutch),
            has_interview=True,
        )
        demo_candidate = self.demo_candidate
        applicants = [demo_candidate] + [profile.user for profile in profiles[:47]]
        self._apply(closed, applicants)
        self._rate(closed, jury, everyone=True)
        self._rate(closed, staff, everyone=False)
        self._decide(closed, staff, demo_candidate)
        self._intake(
            cyber,
            places=12,
            opens=60,
            closes=100,
            starts=130,
            tests=((batteries["police-cognitive"], 2), (batteries["situational-judgement"], 1)),
            languages=(french, dutch),
            has_interview=True,
        )
        peace_guard = Programme.objects.filter(slug="peace-guard").first()
        if peace_guard is not None:
            open_intake = self._intake(
                peace_guard,
                places=20,
                opens=-10,
                closes=12,
                starts=40,
                tests=((batteries["peace-guard-exam"], 2), (batteries["situational-judgement"], 1)),
                languages=(french, dutch),
                role=Role.objects.filter(slug="peace-guard").first(),
                min_age=18,
            )
            self._apply(open_intake, [demo_candidate] + [p.user for p in profiles[47:80]])
        return 1

    def _jury(self):
        email, name = JURY
        jury, created = User.objects.get_or_create(
            email=email, defaults={"full_name": name, "role": User.Role.STAFF}
        )
        if created:
            jury.set_unusable_password()
            jury.save(update_fields=["password"])
        return jury

    def _intake(self, programme, *, places, opens, closes, starts, tests, languages, **extra):
        intake = Intake.objects.create(
            programme=programme,
            places=places,
            opens_on=self.today + datetime.timedelta(days=opens),
            closes_on=self.today + datetime.timedelta(days=closes),
            starts_on=self.today + datetime.timedelta(days=starts),
            **extra,
        )
        intake.languages.set(languages)
        for battery, weight in tests:
            intake.batteries.create(battery=battery, weight=weight)
        return intake

    def _apply(self, intake, users):
        counted = list(intake.batteries.select_related("battery"))
        applied_on = min(intake.closes_on, self.today) - datetime.timedelta(days=1)
        for user in users:
            language = "nl" if user.preferred_language == "nl" else "fr"
            answers = {key: self.rng.choice(options) for key, options in ANSWERS[language].items()}
            intake_apply(
                intake=intake, candidate=user, motivation=answers, consent=True, today=applied_on
            )
            ability = self.rng.gauss(0, 1)
            for line in counted:
                taken = Attempt.objects.filter(
                    user=user, battery=line.battery, status__in=CLOSED_STATUSES
                ).exists()
                # Most applicants practise the counted tests; a few never do. The demo
                # job-seeker's own tests are the ones they take in the demo.
                if taken or user == self.demo_candidate or self.rng.random() < 0.12:
                    continue
                simulate_attempt(
                    user=user,
                    battery=line.battery,
                    language=language if language in line.battery.languages else "fr",
                    ability=ability,
                    finished_at=timezone.now() - datetime.timedelta(days=self.rng.randint(4, 30)),
                    rng=self.rng,
                )

    def _rate(self, intake, rater, *, everyone):
        for application in intake.applications.order_by("ref"):
            if not everyone and self.rng.random() < 0.5:
                continue  # left for staff to rate in the browser
            motivation_rate(application=application, rater=rater, score=self.rng.randint(2, 5))

    def _decide(self, intake, staff, demo_candidate):
        """Ten places given, the next six wait-listed, the last ten declined; the middle is
        left for staff to decide in the browser. The demo job-seeker is wait-listed:
        admissible, no place yet."""
        rows = [row for row in intake_ranking(intake) if row.is_eligible]
        mine = intake.applications.get(candidate=demo_candidate).ref
        rows = [row for row in rows if row.ref != mine]
        plan = [(row.ref, "admitted") for row in rows[:10]]
        plan += [(mine, "waitlisted")] + [(row.ref, "waitlisted") for row in rows[10:15]]
        plan += [(row.ref, "declined") for row in rows[-10:]]
        languages = dict(intake.applications.values_list("ref", "candidate__preferred_language"))
        for ref, decision in plan:
            language = "nl" if languages[ref] == "nl" else "fr"
            intake_decide(
                intake=intake,
                ref=ref,
                decision=decision,
                message=MESSAGES[language][decision],
                author=staff,
            )
