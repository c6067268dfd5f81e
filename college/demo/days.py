"""The demo's working days: appointments, internal notes and follow-up meetings.

A recruiter opening the demo finds the people invited to tests or interviews with a date, a
time, a place and what to bring, and the notes their colleagues left on applications; a
counsellor finds notes of past meetings with the people they guide and the next meetings on
each person's action plan. Every function adds only what is missing, so a rerun adds nothing.
"""

import datetime
import random
import zoneinfo

from django.utils import timezone

from college.models import ActionItem, CounsellorNote, Guidance, User
from employers.models import Application, ApplicationNote, Employer

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
DEMO_DOMAIN = "passerelle.example"  # the generated job-seekers are at demo.<this>
APPOINTMENT_STAGES = (Application.Stage.INVITED_TO_TESTS, Application.Stage.INTERVIEW)
# Start times of selection days and interviews, Brussels time.
SLOTS = ((9, 0), (10, 30), (13, 30), (14, 30))
POLICE_ROLES = {"police-agent", "police-inspector", "federal-security-agent", "cctv-operator"}

# Where the organisations the demo accounts belong to receive candidates. Other
# organisations are named with their commune only: the demo does not invent street addresses.
PLACES = {
    "zone-5339": {
        "fr": "Hôtel de police, rue du Marché au Charbon 30, 1000 Bruxelles (accueil)",
        "nl": "Politiehuis, Kolenmarkt 30, 1000 Brussel (onthaal)",
    },
    "commune-de-schaerbeek-service-prevention": {
        "fr": "Hôtel communal de Schaerbeek, place Colignon, 1030 Schaerbeek",
        "nl": "Gemeentehuis van Schaarbeek, Colignonplein, 1030 Schaarbeek",
    },
}
PLACE_ELSEWHERE = {
    "fr": "{employer}, {commune} (l’adresse exacte figure dans le courrier de confirmation)",
    "nl": "{employer}, {commune} (het juiste adres staat in de bevestigingsbrief)",
}

INSTRUCTIONS = {
    ("police", Application.Stage.INVITED_TO_TESTS): {
        "fr": "Épreuve écrite (rapport à rédiger à partir d’une courte vidéo), puis épreuve "
        "sportive. Apportez votre carte d’identité, une tenue de sport et des chaussures de "
        "course. Présentez-vous 20 minutes avant l’heure. Durée : environ 3 heures.",
        "nl": "Schriftelijke proef (verslag over een korte video), daarna sportproef. Breng "
        "je identiteitskaart, sportkleding en loopschoenen mee. Wees 20 minuten vooraf "
        "aanwezig. Duur: ongeveer 3 uur.",
    },
    ("prevention", Application.Stage.INVITED_TO_TESTS): {
        "fr": "Test écrit (un court rapport d’observation) et mise en situation : un contact "
        "avec un habitant dans l’espace public. Apportez votre carte d’identité et votre "
        "diplôme ou attestation de formation. Durée : environ 2 heures.",
        "nl": "Schriftelijke test (een kort observatieverslag) en rollenspel: een contact met "
        "een bewoner in de openbare ruimte. Breng je identiteitskaart en je diploma of "
        "opleidingsattest mee. Duur: ongeveer 2 uur.",
    },
    ("police", Application.Stage.INTERVIEW): {
        "fr": "Entretien d’environ 45 minutes avec un officier du service du personnel et un "
        "chef de service. Apportez votre carte d’identité et un extrait de casier judiciaire "
        "de moins de trois mois.",
        "nl": "Gesprek van ongeveer 45 minuten met een officier van de personeelsdienst en "
        "een diensthoofd. Breng je identiteitskaart en een uittreksel uit het strafregister "
        "van minder dan drie maanden mee.",
    },
    ("prevention", Application.Stage.INTERVIEW): {
        "fr": "Entretien d’environ 45 minutes avec la responsable du service prévention et "
        "une personne des ressources humaines. Apportez votre carte d’identité et un extrait "
        "de casier judiciaire de moins de trois mois.",
        "nl": "Gesprek van ongeveer 45 minuten met de verantwoordelijke van de preventiedienst "
        "en iemand van personeelszaken. Breng je identiteitskaart en een uittreksel uit het "
        "strafregister van minder dan drie maanden mee.",
    },
}
INVITATION_MESSAGES = {
    Application.Stage.INVITED_TO_TESTS: {
        "fr": "Votre candidature a retenu notre attention : vous êtes invité·e aux épreuves "
        "de sélection. Si la date ne vous convient pas, répondez-nous au plus vite.",
        "nl": "Je kandidatuur heeft onze aandacht getrokken: je bent uitgenodigd voor de "
        "selectieproeven. Past de datum niet, laat het ons dan zo snel mogelijk weten.",
    },
    Application.Stage.INTERVIEW: {
        "fr": "Vous avez réussi les épreuves : nous vous invitons à un entretien.",
        "nl": "Je bent geslaagd voor de proeven: we nodigen je uit voor een gesprek.",
    },
}

# Notes a recruiter leaves for colleagues, by the application's stage: never shown to the
# candidate. The colleague whose word they report is named by function, not by name.
RECRUITER_NOTES = {
    Application.Stage.RECEIVED: [
        "Dossier complet. Néerlandais à vérifier à l’entretien (niveau déclaré B1).",
        "Expérience d’animateur de quartier : profil intéressant pour le travail de proximité.",
        "Pas encore de permis B : à signaler si le poste implique des patrouilles en véhicule.",
    ],
    Application.Stage.INVITED_TO_TESTS: [
        "Joint·e par téléphone : confirme sa présence aux épreuves.",
        "A demandé s’il est possible de passer l’épreuve écrite en néerlandais : oui.",
    ],
    Application.Stage.INTERVIEW: [
        "Épreuves réussies, bon rapport écrit. Entretien à prévoir avec le chef de service.",
        "Bonne présentation au téléphone ; disponible pour le travail en pauses.",
    ],
    Application.Stage.OFFER: [
        "Offre envoyée ; réponse attendue avant la fin de la semaine.",
    ],
    Application.Stage.HIRED: [
        "A accepté l’offre. Début au prochain cycle de formation de base.",
    ],
    Application.Stage.NOT_RETAINED: [
        "Motif expliqué par téléphone ; encouragé·e à repostuler après la formation.",
    ],
}

# The counsellor's notes of past meetings (internal) and the next meeting, on the person's
# action plan (the person sees it, in their language).
MEETING_NOTES = [
    "Entretien individuel au collège : bilan du profil et des métiers visés. Motivation "
    "claire ; à travailler : la rédaction de rapports.",
    "Suivi téléphonique : a passé un test d’entraînement, résultats encourageants. "
    "Conseillé de le refaire en conditions d’examen.",
    "Atelier CV collectif : CV mis à jour avec les modules suivis au collège.",
    "Entretien de suivi : hésite entre gardien de la paix et agent de la STIB. Prévoir une "
    "rencontre avec un service de prévention.",
    "Rendez-vous manqué, sans nouvelles. Relance par SMS et par e-mail.",
]
NEXT_MEETING = {
    "fr": "Entretien de suivi avec {counsellor} au collège, le {day} à {time}.",
    "nl": "Opvolgingsgesprek met {counsellor} in het college, op {day} om {time}.",
}
WEEKDAYS = {
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
}
MONTHS = {
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
}
CASELOAD_WITH_MEETINGS = 14


def _language(user):
    return "nl" if user is not None and user.preferred_language == "nl" else "fr"


def _working_day(rng, today, first, last):
    """A weekday between `first` and `last` days after `today`."""
    day = today + datetime.timedelta(days=rng.randint(first, last))
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _day_in_words(day, language):
    # "1er" for the first of the month, as French writes it.
    number = "1er" if language == "fr" and day.day == 1 else str(day.day)
    return f"{WEEKDAYS[language][day.weekday()]} {number} {MONTHS[language][day.month - 1]}"


def demo_appointments():
    """Gives every application waiting at tests or an interview its appointment: a weekday
    in the coming two weeks, a place, and what to bring, in the candidate's language."""
    today = timezone.localdate()
    waiting = (
        Application.objects.filter(stage__in=APPOINTMENT_STAGES, appointment_at__isnull=True)
        .select_related("vacancy__employer", "vacancy__commune", "vacancy__role", "profile__user")
        .order_by("pk")
    )
    changed = []
    for application in waiting:
        rng = random.Random(f"appointment-{application.pk}")
        vacancy = application.vacancy
        language = _language(application.profile.user if application.profile else None)
        day = _working_day(rng, today, 3, 16)
        hour, minute = rng.choice(SLOTS)
        application.appointment_at = datetime.datetime(
            day.year, day.month, day.day, hour, minute, tzinfo=BRUSSELS
        )
        place = PLACES.get(vacancy.employer.slug)
        if place is not None:
            application.appointment_place = place[language]
        else:
            commune = vacancy.commune.name_nl if language == "nl" else vacancy.commune.name_fr
            application.appointment_place = PLACE_ELSEWHERE[language].format(
                employer=vacancy.employer.name, commune=commune
            )
        family = (
            "police"
            if vacancy.role.slug in POLICE_ROLES
            or vacancy.employer.kind in (Employer.Kind.LOCAL_POLICE, Employer.Kind.FEDERAL_POLICE)
            else "prevention"
        )
        application.appointment_instructions = INSTRUCTIONS[family, application.stage][language]
        if not application.reason_note:
            application.reason_note = INVITATION_MESSAGES[application.stage][language]
        changed.append(application)
    Application.objects.bulk_update(
        changed,
        ["appointment_at", "appointment_place", "appointment_instructions", "reason_note"],
        batch_size=500,
    )
    return len(changed)


def demo_application_notes(members):
    """Internal notes by the demo recruiters (`members`: employer id → user) on the
    applications to their organisation, written while each application moved on."""
    applications = (
        Application.objects.filter(vacancy__employer__in=list(members), profile__isnull=False)
        .exclude(notes__isnull=False)
        .select_related("vacancy")
        .order_by("pk")
    )
    notes = []
    for application in applications:
        if application.pk % 4 == 3:  # not every application gets a note, the same on a rerun
            continue
        rng = random.Random(f"application-note-{application.pk}")
        texts = RECRUITER_NOTES[application.stage]
        start, end = application.created_at, application.stage_changed_at
        if end <= start:
            end = start + datetime.timedelta(hours=2)
        notes.append(
            ApplicationNote(
                application=application,
                author=members[application.vacancy.employer_id],
                text=rng.choice(texts),
                created_at=start + (end - start) * rng.uniform(0.3, 1.0),
            )
        )
    ApplicationNote.objects.bulk_create(notes)
    return len(notes)


def demo_caseload_meetings(counsellor):
    """Notes of past meetings with part of `counsellor`'s caseload and, on each person's
    action plan, the next meeting in the coming weeks."""
    now = timezone.now()
    today = timezone.localdate()
    # The same people on every run; those who have notes already are left as they are.
    people = list(
        User.objects.filter(
            guidances_received__in=Guidance.objects.guiding(counsellor),
            email__endswith=f"@demo.{DEMO_DOMAIN}",
        ).order_by("email")[:CASELOAD_WITH_MEETINGS]
    )
    noted = set(
        CounsellorNote.objects.filter(candidate__in=people).values_list("candidate", flat=True)
    )
    notes, actions = [], []
    for index, person in enumerate(people):
        if person.pk in noted:
            continue
        rng = random.Random(f"meeting-{person.pk}")
        # Two different meetings, weeks apart, written during office hours.
        for step, days_ago in enumerate(sorted(rng.sample(range(4, 45), 2), reverse=True)):
            day = today - datetime.timedelta(days=days_ago)
            while day.weekday() >= 5:
                day -= datetime.timedelta(days=1)
            hour, minute = rng.choice(SLOTS)
            notes.append(
                CounsellorNote(
                    candidate=person,
                    author=counsellor,
                    body=MEETING_NOTES[(index + 2 * step) % len(MEETING_NOTES)],
                    created_at=datetime.datetime(
                        day.year, day.month, day.day, hour + 1, minute, tzinfo=BRUSSELS
                    ),
                )
            )
        language = _language(person)
        day = _working_day(rng, today, 1 + index % 10, 4 + index % 10)
        hour, minute = rng.choice(SLOTS)
        actions.append(
            ActionItem(
                candidate=person,
                author=counsellor,
                text=NEXT_MEETING[language].format(
                    counsellor=counsellor.full_name,
                    day=_day_in_words(day, language),
                    time=f"{hour}:{minute:02d}"
                    if language == "nl"
                    else f"{hour}\u00a0h\u00a0{minute:02d}",
                ),
                due_on=day,
                created_at=now - datetime.timedelta(days=3),
            )
        )
    CounsellorNote.objects.bulk_create(notes)
    ActionItem.objects.bulk_create(actions)
    return len(notes), len(actions)
