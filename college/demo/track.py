"""The demo's digital and cyber track: the organisations that hire on it and their
recruiters, their vacancies on the six track roles, job-seekers on the track with the
counsellors who guide them, the track's training groups in 2027, and one public service's
staff awareness bookings.

Facts from shared/data/cyber/belgium.md: the CCB and CERT.be (2.1), Paradigm, the Brussels
regional IT office, ex-CIRB/CIBG (2.2), the federal judicial police's computer-crime units,
FCCU and the Brussels RCCU (2.3), municipalities and police zones (2.5), the programmes the
job-seekers come from: MolenGeek with Microsoft, CyberWayFinder, BeCode (3.2–3.4). The two
security operations centres are fictional companies, said so in their description; every
person is invented.

Idempotent: organisations, accounts and vacancies are found again by slug, e-mail and title;
cohorts by code; bookings are made once per organisation.
"""

import datetime
import random

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from assessments.demo import simulate_attempt
from assessments.models import Battery
from candidates.digital.services import (
    digital_self_assessment_save,
    external_certification_add,
    external_certification_verify,
)
from candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    DigitalSelfAssessment,
    Evidence,
    Experience,
    Nationality,
)
from college.core.public_cache import public_data_changed
from college.demo.training import PLACES, _at, _session_days
from college.demo.vacancies import demo_vacancy_create
from college.models import (
    Cohort,
    CohortSession,
    Commune,
    Guidance,
    Language,
    MfaDevice,
    Module,
    Role,
    Skill,
    User,
)
from college.reference.digital import digcomp_codes
from college.training.enrolment import cohort_enrol
from employers.awareness import awareness_booking_create
from employers.models import (
    Application,
    ApplicationEvent,
    Employer,
    Membership,
    StaffAwarenessBooking,
    Vacancy,
)
from employers.services import (
    AlreadyApplied,
    application_submit,
)

ESCO = "http://data.europa.eu/esco/skill/"
FICTIONAL = (
    "Entreprise fictive, pour la démonstration. / Fictief bedrijf, voor de demonstratie. / "
    "Fictional company, for the demonstration."
)

# (slug, (name FR, NL, EN), kind, communes served (NIS codes; None = all 19), description)
EMPLOYERS = [
    (
        "centre-cybersecurite-belgique-cert-be",
        (
            "Centre pour la Cybersécurité Belgique (CCB) – CERT.be",
            "Centrum voor Cybersecurity België (CCB) – CERT.be",
            "Centre for Cybersecurity Belgium (CCB) – CERT.be",
        ),
        Employer.Kind.CYBER_AGENCY,
        None,
        "The national cyber-security authority and CSIRT, under the Prime Minister's "
        "Chancellery; CERT.be placed under it in 2017 (belgium.md 2.1, 2.6).",
    ),
    (
        "paradigm-informatique-region-bruxelloise",
        (
            "Paradigm – Centre d’informatique pour la Région bruxelloise",
            "Paradigm – Centrum voor Informatica voor het Brusselse Gewest",
            "Paradigm – Brussels Regional Informatics Centre",
        ),
        Employer.Kind.PUBLIC_ICT,
        None,
        "The Region's IT office, formerly CIRB/CIBG (belgium.md 2.2).",
    ),
    (
        "police-judiciaire-federale-bruxelles-rccu",
        (
            "Police judiciaire fédérale de Bruxelles – Regional Computer Crime Unit (RCCU)",
            "Federale gerechtelijke politie Brussel – Regional Computer Crime Unit (RCCU)",
            "Brussels federal judicial police – Regional Computer Crime Unit (RCCU)",
        ),
        Employer.Kind.FEDERAL_POLICE,
        None,
        "Analyses seized IT equipment for the federal and local police of the district and "
        "investigates computer crime; its managers look for technicians (belgium.md 2.3).",
    ),
    (
        "commune-dixelles-service-informatique",
        (
            "Commune d’Ixelles – Service informatique",
            "Gemeente Elsene – Informaticadienst",
            "Municipality of Ixelles – ICT service",
        ),
        Employer.Kind.PUBLIC_ICT,
        ["21009"],
        "A commune's own ICT service: workstations, network and staff awareness.",
    ),
    (
        "zenne-secure-operations-srl",
        ("Zenne Secure Operations SRL", "", ""),
        Employer.Kind.SECURITY_OPERATIONS,
        None,
        FICTIONAL,
    ),
    (
        "canal-cyber-defence-sa",
        ("Canal Cyber Defence SA", "", ""),
        Employer.Kind.SECURITY_OPERATIONS,
        None,
        FICTIONAL,
    ),
]

# (e-mail, full name, organisation slug, what make run prints)
RECRUITERS = [
    (
        "employer-soc@passerelle.example",
        "Lotte Vermeulen",
        "zenne-secure-operations-srl",
        "recruiter of a company security operations centre (fictional), digital and cyber track",
    ),
    (
        "employer-paradigm@passerelle.example",
        "Olivier Mertens",
        "paradigm-informatique-region-bruxelloise",
        "recruiter of Paradigm, the Brussels regional IT office",
    ),
    (
        "employer-rccu@passerelle.example",
        "Inspectrice principale Leïla Amrani",
        "police-judiciaire-federale-bruxelles-rccu",
        "member of the Brussels Regional Computer Crime Unit (federal judicial police)",
    ),
    (
        "employer-ixelles-ict@passerelle.example",
        "Thomas Dupont",
        "commune-dixelles-service-informatique",
        "ICT service of Ixelles: vacancies and its staff's awareness bookings",
    ),
]

FR_OR_NL = [("fr", "B2", "", True), ("nl", "B2", "", True)]
# Brussels local services (communes, police zones): the other language at article 8.
LOCAL_FR = [("fr", "B2", "", False), ("nl", "B1", "art8", False)]
EN_AND_FR_OR_NL = [("en", "B2", "", False), ("fr", "B1", "", True), ("nl", "B1", "", True)]


def _texts(fr, nl, en):
    return {"fr": fr, "nl": nl, "en": en}


# (organisation slug, role slug, commune NIS, contract, hours, posts, days until closing,
#  languages [(code, CEFR, certificate, either-or)], (scale, min, max) or None, rhythm,
#  title, description)
VACANCIES = [
    (
        "zenne-secure-operations-srl",
        "soc-analyst",
        "21012",
        "permanent",
        38,
        3,
        40,
        EN_AND_FR_OR_NL,
        ("", 2800, 3400),
        "snw",
        _texts(
            "Analyste SOC niveau 1 – équipe 24/7",
            "SOC-analist niveau 1 – 24/7-team",
            "Level 1 SOC analyst – 24/7 team",
        ),
        _texts(
            "Vous surveillez les alertes de nos clients (PME et entités NIS2), triez les faux "
            "positifs et escaladez les incidents selon nos procédures. Horaires en rotation, "
            "nuits et week-ends compensés. Sans diplôme exigé : nous recrutons sur l’aptitude "
            "et formons en interne.",
            "U bewaakt de alerts van onze klanten (kmo’s en NIS2-entiteiten), filtert valse "
            "positieven en escaleert incidenten volgens onze procedures. Wisselende uren, "
            "nachten en weekends gecompenseerd. Geen diploma vereist: we werven op aanleg en "
            "leiden intern op.",
            "You watch our clients' alerts (SMEs and NIS2 entities), sort out false positives "
            "and escalate incidents by our procedures. Rotating hours, nights and weekends "
            "compensated. No diploma required: we hire on aptitude and train in-house.",
        ),
    ),
    (
        "zenne-secure-operations-srl",
        "junior-penetration-tester",
        "21012",
        "permanent",
        38,
        1,
        35,
        EN_AND_FR_OR_NL,
        ("", 2900, 3500),
        "",
        _texts(
            "Testeur·euse d’intrusion junior",
            "Junior penetratietester",
            "Junior penetration tester",
        ),
        _texts(
            "Au sein d’une équipe de trois testeurs, vous menez des tests autorisés "
            "de sites web et de réseaux et rédigez les rapports. Un parcours CTF ou une "
            "formation type BeCode compte autant qu’un diplôme.",
            "In een team van drie testers voert u toegestane tests uit van webtoepassingen en "
            "netwerken en schrijft u de rapporten. CTF-ervaring of een opleiding zoals BeCode "
            "telt evenveel als een diploma.",
            "In a team of three testers you run authorised tests of web applications and "
            "networks and write the reports. CTF experience or a course such as BeCode's counts "
            "as much as a diploma.",
        ),
    ),
    (
        "zenne-secure-operations-srl",
        "cybersecurity-technician",
        "21012",
        "permanent",
        38,
        2,
        30,
        EN_AND_FR_OR_NL,
        ("", 2700, 3200),
        "",
        _texts(
            "Technicien·ne en cybersécurité – déploiements clients",
            "Technicus cyberbeveiliging – klantenprojecten",
            "Cyber-security technician – client roll-outs",
        ),
        _texts(
            "Vous installez et configurez chez nos clients l’authentification à deux facteurs, "
            "les sauvegardes, les pare-feu et les mises à jour, et tenez la documentation "
            "technique à jour.",
            "U installeert en configureert bij onze klanten tweestapsverificatie, back-ups, "
            "firewalls en updates, en houdt de technische documentatie bij.",
            "At our clients' you install and set up two-step verification, backups, firewalls "
            "and updates, and keep the technical documentation up to date.",
        ),
    ),
    (
        "canal-cyber-defence-sa",
        "soc-analyst",
        "21001",
        "fixed_term",
        38,
        2,
        25,
        EN_AND_FR_OR_NL,
        ("", 2750, 3300),
        "snw",
        _texts(
            "Analyste SOC junior – contrat d’un an après stage",
            "Junior SOC-analist – contract van een jaar na stage",
            "Junior SOC analyst – one-year contract after a placement",
        ),
        _texts(
            "Pour les stagiaires des parcours SOC bruxellois : un an de contrat dans notre SOC "
            "d’Anderlecht, avec un tuteur, puis un contrat à durée indéterminée si tout va bien.",
            "Voor stagiairs van Brusselse SOC-trajecten: een contract van een jaar in ons SOC "
            "in Anderlecht, met een mentor, daarna een contract van onbepaalde duur als alles "
            "goed gaat.",
            "For placement students of Brussels SOC courses: a one-year contract in our "
            "Anderlecht SOC, with a mentor, then a permanent contract if all goes well.",
        ),
    ),
    (
        "canal-cyber-defence-sa",
        "digital-forensics-assistant",
        "21001",
        "permanent",
        38,
        1,
        45,
        EN_AND_FR_OR_NL,
        ("", 2800, 3300),
        "",
        _texts(
            "Assistant·e en criminalistique numérique – réponse aux incidents",
            "Assistent digitaal forensisch onderzoek – incidentrespons",
            "Digital forensics assistant – incident response",
        ),
        _texts(
            "Après un incident chez un client, vous faites les copies légales des disques et "
            "des journaux, tenez la chaîne de possession et préparez le travail des analystes.",
            "Na een incident bij een klant maakt u forensische kopieën van schijven en "
            "logbestanden, bewaakt u de bewijsketen en bereidt u het werk van de analisten voor.",
            "After an incident at a client's you make forensic copies of disks and logs, keep "
            "the chain of custody and prepare the analysts' work.",
        ),
    ),
    (
        "canal-cyber-defence-sa",
        "ict-support-technician",
        "21001",
        "permanent",
        38,
        2,
        20,
        [("fr", "B2", "", True), ("nl", "B2", "", True), ("en", "B1", "", False)],
        ("", 2400, 2900),
        "",
        _texts(
            "Technicien·ne helpdesk – premier échelon vers le SOC",
            "Helpdesktechnicus – eerste stap naar het SOC",
            "Helpdesk technician – first step towards the SOC",
        ),
        _texts(
            "Vous répondez aux utilisateurs de nos clients par téléphone et par tickets, "
            "dépannez les postes Windows et Linux ; après un an, une place au SOC vous est "
            "proposée si vous le souhaitez.",
            "U helpt de gebruikers van onze klanten via telefoon en tickets en herstelt "
            "Windows- en Linux-werkposten; na een jaar kunt u, als u wilt, naar het SOC.",
            "You help our clients' users by phone and tickets and fix Windows and Linux "
            "workstations; after a year, a seat in the SOC is yours if you want it.",
        ),
    ),
    (
        "centre-cybersecurite-belgique-cert-be",
        "cyber-awareness-trainer",
        "21004",
        "fixed_term",
        38,
        1,
        50,
        FR_OR_NL + [("en", "B1", "", False)],
        None,
        "",
        _texts(
            "Formateur·rice en sensibilisation – campagnes Safeonweb",
            "Opleider bewustmaking – Safeonweb-campagnes",
            "Awareness trainer – Safeonweb campaigns",
        ),
        _texts(
            "Vous animez des séances de sensibilisation pour les administrations et les "
            "citoyens et adaptez les supports des campagnes Safeonweb. Poste fédéral recruté "
            "par BOSA ; les offres du CCB demandent d’ordinaire un diplôme, ce poste de "
            "démonstration montre la voie par les compétences.",
            "U geeft bewustmakingssessies voor administraties en burgers en past het materiaal "
            "van de Safeonweb-campagnes aan. Federale functie, aangeworven via BOSA; vacatures "
            "van het CCB vragen meestal een diploma, deze demonstratievacature toont de weg via "
            "vaardigheden.",
            "You run awareness sessions for administrations and citizens and adapt the "
            "Safeonweb campaigns' materials. A federal post recruited through BOSA; the CCB's "
            "vacancies usually ask for a diploma, this demonstration one shows the skills route.",
        ),
    ),
    (
        "paradigm-informatique-region-bruxelloise",
        "ict-support-technician",
        "21004",
        "permanent",
        38,
        3,
        30,
        FR_OR_NL,
        ("B1", 2500, 3100),
        "",
        _texts(
            "Technicien·ne support ICT – administrations régionales",
            "ICT-supporttechnicus – gewestelijke administraties",
            "ICT support technician – regional administrations",
        ),
        _texts(
            "Vous assurez le support de premier niveau des administrations bruxelloises "
            "desservies par Paradigm : tickets, postes de travail, comptes et accès.",
            "U verzorgt de eerstelijnsondersteuning van de Brusselse administraties die "
            "Paradigm bedient: tickets, werkposten, accounts en toegang.",
            "You provide first-line support to the Brussels administrations Paradigm serves: "
            "tickets, workstations, accounts and access.",
        ),
    ),
    (
        "paradigm-informatique-region-bruxelloise",
        "soc-analyst",
        "21004",
        "permanent",
        38,
        2,
        40,
        FR_OR_NL + [("en", "B1", "", False)],
        ("B1", 2700, 3400),
        "sw",
        _texts(
            "Analyste SOC – plateforme régionale",
            "SOC-analist – gewestelijk platform",
            "SOC analyst – regional platform",
        ),
        _texts(
            "Vous surveillez les alertes de la plateforme d’échange de données entre "
            "administrations bruxelloises et de leurs réseaux, et participez aux exercices de "
            "crise.",
            "U bewaakt de alerts van het platform voor gegevensuitwisseling tussen Brusselse "
            "administraties en van hun netwerken, en neemt deel aan crisisoefeningen.",
            "You watch the alerts of the Brussels administrations' data-exchange platform and "
            "networks, and take part in crisis exercises.",
        ),
    ),
    (
        "paradigm-informatique-region-bruxelloise",
        "cybersecurity-technician",
        "21004",
        "permanent",
        38,
        1,
        30,
        FR_OR_NL,
        ("B1", 2600, 3300),
        "",
        _texts(
            "Technicien·ne en cybersécurité – durcissement des postes",
            "Technicus cyberbeveiliging – beveiliging van werkposten",
            "Cyber-security technician – hardening workstations",
        ),
        _texts(
            "Vous appliquez les mesures de sécurité sur les postes et serveurs des "
            "administrations régionales : correctifs, chiffrement, comptes à privilèges.",
            "U past de beveiligingsmaatregelen toe op de werkposten en servers van de "
            "gewestelijke administraties: patches, encryptie, bevoorrechte accounts.",
            "You apply the security measures on the regional administrations' workstations and "
            "servers: patches, encryption, privileged accounts.",
        ),
    ),
    (
        "police-judiciaire-federale-bruxelles-rccu",
        "digital-forensics-assistant",
        "21004",
        "permanent",
        38,
        2,
        45,
        FR_OR_NL,
        None,
        "",
        _texts(
            "Assistant·e en criminalistique numérique – personnel CALOG",
            "Assistent digitaal forensisch onderzoek – CALOG-personeel",
            "Digital forensics assistant – CALOG civilian staff",
        ),
        _texts(
            "Au sein de la RCCU de Bruxelles, vous préparez les saisies d’ordinateurs et de "
            "téléphones, en faites les copies légales et rédigez les procès-verbaux techniques. "
            "Enquête de sécurité à l’engagement.",
            "Bij de RCCU Brussel bereidt u de inbeslagnames van computers en telefoons voor, "
            "maakt u er forensische kopieën van en schrijft u de technische processen-verbaal. "
            "Veiligheidsonderzoek bij de aanwerving.",
            "At the Brussels RCCU you prepare seizures of computers and phones, make forensic "
            "copies and write the technical reports. Security screening on hiring.",
        ),
    ),
    (
        "police-judiciaire-federale-bruxelles-rccu",
        "soc-analyst",
        "21004",
        "permanent",
        38,
        1,
        40,
        FR_OR_NL,
        None,
        "",
        _texts(
            "Analyste des signalements de cybercriminalité – personnel CALOG",
            "Analist meldingen van cybercriminaliteit – CALOG-personeel",
            "Cybercrime reports analyst – CALOG civilian staff",
        ),
        _texts(
            "Vous triez les signalements et les journaux transmis aux enquêteurs, repérez ce "
            "qui relève d’une attaque en cours et le documentez pour le centre régional.",
            "U sorteert de meldingen en logbestanden die naar de speurders gaan, ziet wat op "
            "een lopende aanval wijst en documenteert het voor het gewestelijk centrum.",
            "You sort the reports and logs sent to the investigators, spot what points to an "
            "ongoing attack and document it for the regional centre.",
        ),
    ),
    (
        "zone-5339",
        "ict-support-technician",
        "21009",
        "permanent",
        38,
        2,
        30,
        LOCAL_FR,
        ("C1", 2300, 3000),
        "",
        _texts(
            "Technicien·ne ICT – service informatique de la zone",
            "ICT-technicus – informaticadienst van de zone",
            "ICT technician – the zone's ICT service",
        ),
        _texts(
            "Vous installez et dépannez les postes, les radios et les terminaux mobiles des "
            "commissariats de la zone, et répondez aux tickets des policiers.",
            "U installeert en herstelt de werkposten, radio’s en mobiele terminals van de "
            "commissariaten van de zone en beantwoordt de tickets van de politiemensen.",
            "You install and fix the workstations, radios and mobile terminals of the zone's "
            "police stations, and answer the officers' tickets.",
        ),
    ),
    (
        "zone-5341",
        "ict-support-technician",
        "21001",
        "permanent",
        38,
        1,
        25,
        LOCAL_FR,
        ("C1", 2300, 3000),
        "",
        _texts(
            "Technicien·ne support ICT – commissariats",
            "ICT-supporttechnicus – commissariaten",
            "ICT support technician – police stations",
        ),
        _texts(
            "Premier contact des agents pour leurs soucis informatiques : comptes, imprimantes, "
            "postes de travail, en lien avec le service ICT de la zone.",
            "Eerste aanspreekpunt van de agenten voor hun IT-problemen: accounts, printers, "
            "werkposten, samen met de ICT-dienst van de zone.",
            "The officers' first contact for their IT troubles: accounts, printers, "
            "workstations, with the zone's ICT service.",
        ),
    ),
    (
        "commune-dixelles-service-informatique",
        "ict-support-technician",
        "21009",
        "permanent",
        38,
        2,
        30,
        LOCAL_FR,
        ("D4", 2200, 2900),
        "",
        _texts(
            "Technicien·ne helpdesk – administration communale",
            "Helpdesktechnicus – gemeentebestuur",
            "Helpdesk technician – municipal administration",
        ),
        _texts(
            "Vous soutenez les agents communaux d’Ixelles au quotidien : tickets, postes, "
            "téléphonie, guichets ; vous accueillez aussi les nouveaux agents.",
            "U ondersteunt het gemeentepersoneel van Elsene dagelijks: tickets, werkposten, "
            "telefonie, loketten; u verwelkomt ook nieuwe medewerkers.",
            "You support Ixelles' municipal staff day to day: tickets, workstations, phones, "
            "counters; you also welcome new staff.",
        ),
    ),
    (
        "commune-dixelles-service-informatique",
        "cyber-awareness-trainer",
        "21009",
        "fixed_term",
        19,
        1,
        30,
        LOCAL_FR,
        ("B1", 2600, 3200),
        "",
        _texts(
            "Formateur·rice en sensibilisation cyber – mi-temps",
            "Opleider cyberbewustzijn – halftijds",
            "Cyber awareness trainer – half-time",
        ),
        _texts(
            "Vous sensibilisez les agents communaux et le CPAS à l’hameçonnage et aux bons "
            "réflexes, avec les modules de sensibilisation du collège.",
            "U maakt het gemeentepersoneel en het OCMW bewust van phishing en de juiste "
            "reflexen, met de bewustmakingsmodules van het college.",
            "You make municipal and CPAS staff aware of phishing and the right reflexes, with "
            "the college's awareness modules.",
        ),
    ),
    (
        "commune-de-schaerbeek-service-prevention",
        "cyber-awareness-trainer",
        "21015",
        "fixed_term",
        38,
        1,
        28,
        LOCAL_FR,
        ("B1", 2600, 3200),
        "",
        _texts(
            "Animateur·rice prévention des arnaques en ligne",
            "Animator preventie van online oplichting",
            "Online scam prevention facilitator",
        ),
        _texts(
            "Dans les maisons de quartier et les associations de seniors de Schaerbeek, vous "
            "animez des ateliers pour reconnaître les arnaques en ligne et protéger ses comptes.",
            "In de buurthuizen en seniorenverenigingen van Schaarbeek geeft u workshops om "
            "online oplichting te herkennen en je accounts te beschermen.",
            "In Schaerbeek's neighbourhood centres and senior associations you run workshops on "
            "recognising online scams and protecting one's accounts.",
        ),
    ),
]


# What some of the track's job-seekers did on their digital profile: a DigComp self-assessment
# (levels 1–6 per area, every competence of the area at that level; an area left out is not
# answered yet, so that take stays open) and external certifications (slug, months ago,
# identifier, checked by their counsellor or waiting for the check). Identifiers are made up.
DIGITAL_PROFILES = {
    "karim.bouzid": ({"1": 3, "2": 3, "3": 2, "4": 4, "5": 3}, []),
    "ines.el-khatib": (
        {"1": 4, "2": 4, "3": 3, "4": 4, "5": 4},
        [("isc2-cc", 4, "CC-2026-0417-DEMO", True)],
    ),
    "sarah.de-smet": (
        {"1": 5, "2": 5, "3": 3, "4": 4, "5": 4},
        [("isc2-cc", 2, "CC-2026-0611-DEMO", True)],
    ),
    "youssef.amrani": (
        {"1": 3, "2": 3, "3": 3, "4": 3, "5": 5},
        [("google-it-support", 1, "GITS-DEMO-88214", False)],
    ),
    "jonas.peeters": ({"1": 4, "2": 3}, []),
}

# Job-seekers on the track: (e-mail, name, commune NIS, birth year, gender, headline,
#  languages [(code, CEFR)], skills [(ESCO id prefix, level, evidence)], experience
#  (kind, title, organisation, description, years ago started, years ago ended or None),
#  target roles, counsellor e-mail, aptitude ability or None)
SELF, VALIDATED = Evidence.SELF_DECLARED, Evidence.COUNSELLOR_VALIDATED
DOMAIN = "cyber.demo.passerelle.example"
PEOPLE = [
    (
        "karim.bouzid",
        "Karim Bouzid",
        "21012",
        1990,
        CandidateProfile.Gender.MAN,
        "Agent de gardiennage depuis huit ans, je veux passer à la surveillance d’un SOC.",
        [("fr", "C2"), ("ar", "C1"), ("nl", "A2"), ("en", "B1")],
        [("9190d87f", 2, VALIDATED), ("f642d7ed", 3, VALIDATED), ("8088750d", 1, SELF)],
        (
            Experience.Kind.JOB,
            "Agent de gardiennage – salle de contrôle",
            "Société de gardiennage à Bruxelles",
            "Surveillance de caméras et d’alarmes la nuit, rapports d’incident, procédures.",
            8,
            None,
        ),
        ["soc-analyst"],
        "counsellor2@passerelle.example",
        1.3,
    ),
    (
        "ines.el-khatib",
        "Inès El Khatib",
        "21012",
        2004,
        CandidateProfile.Gender.WOMAN,
        "Passée par MolenGeek, j’apprends la cybersécurité et je cherche un premier poste.",
        [("fr", "C1"), ("ar", "B2"), ("en", "B2"), ("nl", "A2")],
        [("744442ac", 2, VALIDATED), ("f9a6f35b", 2, SELF), ("5ef0c719", 1, SELF)],
        (
            Experience.Kind.INTERNSHIP,
            "Formation en cybersécurité",
            "MolenGeek (Molenbeek)",
            "Préformation puis parcours cybersécurité ; laboratoires Linux et réseaux.",
            1,
            None,
        ),
        ["cybersecurity-technician", "soc-analyst"],
        "counsellor2@passerelle.example",
        1.5,
    ),
    (
        "sarah.de-smet",
        "Sarah De Smet",
        "21005",
        1984,
        CandidateProfile.Gender.WOMAN,
        "Ancienne gestionnaire en banque, je me reconvertis en cybersécurité (CyberWayFinder).",
        [("nl", "C2"), ("fr", "C1"), ("en", "C1")],
        [("7814e88f", 2, VALIDATED), ("a56dec32", 2, VALIDATED), ("c55caed2", 3, SELF)],
        (
            Experience.Kind.JOB,
            "Gestionnaire conformité",
            "Banque à Bruxelles",
            "Contrôles de conformité, formation des collègues aux procédures.",
            12,
            1,
        ),
        ["cyber-awareness-trainer", "soc-analyst"],
        "counsellor3@passerelle.example",
        1.1,
    ),
    (
        "youssef.amrani",
        "Youssef Amrani",
        "21001",
        2001,
        CandidateProfile.Gender.MAN,
        "Sans diplôme, je répare des ordinateurs depuis l’adolescence et je veux en vivre.",
        [("fr", "C1"), ("ar", "C1"), ("nl", "A2")],
        [("744442ac", 3, VALIDATED), ("c2296e2e", 2, SELF), ("61970f8b", 2, SELF)],
        (
            Experience.Kind.VOLUNTEERING,
            "Réparateur bénévole",
            "Repair Café d’Anderlecht",
            "Diagnostic et réparation d’ordinateurs et de téléphones pour les habitants.",
            4,
            None,
        ),
        ["ict-support-technician"],
        "counsellor4@passerelle.example",
        1.4,
    ),
    (
        "jonas.peeters",
        "Jonas Peeters",
        "21010",
        1996,
        CandidateProfile.Gender.MAN,
        "Magazijnier met een passie voor netwerken; ik wil ICT-support doen bij de overheid.",
        [("nl", "C2"), ("fr", "B1"), ("en", "B2")],
        [("f9e788df", 2, SELF), ("6430eb0d", 2, VALIDATED), ("744442ac", 2, SELF)],
        (
            Experience.Kind.JOB,
            "Magazijnier",
            "Logistiek centrum in Jette",
            "Scanners en terminals van het magazijn beheren, collega’s helpen bij storingen.",
            5,
            None,
        ),
        ["ict-support-technician", "cybersecurity-technician"],
        "counsellor3@passerelle.example",
        1.0,
    ),
    (
        "aminata.diallo",
        "Aminata Diallo",
        "21015",
        1993,
        CandidateProfile.Gender.WOMAN,
        "Animatrice dans une école de devoirs, je veux former les gens à la sécurité en ligne.",
        [("fr", "C2"), ("en", "B1"), ("nl", "A2")],
        [("c55caed2", 3, VALIDATED), ("4c5d616e", 2, SELF), ("33a82b83", 2, SELF)],
        (
            Experience.Kind.ASSOCIATION,
            "Animatrice",
            "École de devoirs à Schaerbeek",
            "Ateliers numériques pour les enfants et leurs parents.",
            6,
            None,
        ),
        ["cyber-awareness-trainer"],
        "counsellor4@passerelle.example",
        None,
    ),
    (
        "mehdi.ouazzani",
        "Mehdi Ouazzani",
        "21013",
        1999,
        CandidateProfile.Gender.MAN,
        "Joueur de CTF autodidacte, je vise un poste de testeur d’intrusion junior.",
        [("fr", "C1"), ("en", "C1"), ("nl", "A1")],
        [("de586dcf", 2, VALIDATED), ("902fb91c", 2, SELF), ("5ef0c719", 2, SELF)],
        (
            Experience.Kind.OTHER,
            "Compétitions CTF",
            "Équipe amateur bruxelloise",
            "Épreuves web et réseau ; rédaction des solutions pour l’équipe.",
            3,
            None,
        ),
        ["junior-penetration-tester"],
        "counsellor2@passerelle.example",
        1.6,
    ),
    (
        "lucia.ferreira",
        "Lucia Ferreira",
        "21009",
        1988,
        CandidateProfile.Gender.WOMAN,
        "Ex-assistante de laboratoire, rigoureuse : je vise l’assistance en criminalistique.",
        [("pt", "C2"), ("fr", "C1"), ("nl", "B1"), ("en", "B2")],
        [("04dfd9fb", 3, VALIDATED), ("3c4c3fa1", 1, SELF), ("cf3e976d", 2, SELF)],
        (
            Experience.Kind.JOB,
            "Assistante de laboratoire",
            "Laboratoire d’analyses à Ixelles",
            "Traçabilité des échantillons, procédures qualité, rapports.",
            9,
            2,
        ),
        ["digital-forensics-assistant"],
        "counsellor3@passerelle.example",
        1.2,
    ),
]

# (job-seeker, organisation, role, motivation)
APPLICATIONS = [
    (
        "karim.bouzid",
        "zenne-secure-operations-srl",
        "soc-analyst",
        "Huit ans de nuits en salle de contrôle : je connais la vigilance, les procédures et "
        "les rapports. Je veux mettre cette rigueur au service d’un SOC.",
    ),
    (
        "ines.el-khatib",
        "paradigm-informatique-region-bruxelloise",
        "cybersecurity-technician",
        "Formée chez MolenGeek, je veux protéger les services publics de ma région.",
    ),
    (
        "youssef.amrani",
        "commune-dixelles-service-informatique",
        "ict-support-technician",
        "Je dépanne des ordinateurs au Repair Café depuis quatre ans et j’aime expliquer "
        "simplement.",
    ),
]

# The track's training groups in 2027 (the catalogue's sessions): module slug, code prefix,
# first Monday, language, capacity (the SOC path takes 12, like the Fujitsu–Evoliris course).
COHORTS = [
    ("digital-basics", "digital-basics", datetime.date(2027, 1, 11), "fr", 16),
    ("digital-basics", "digital-basics", datetime.date(2027, 2, 1), "nl", 14),
    ("digital-safety", "digital-safety", datetime.date(2027, 1, 18), "fr", 16),
    ("it-helpdesk", "it-helpdesk", datetime.date(2027, 2, 15), "fr", 14),
    ("it-systems-basics", "it-systems", datetime.date(2027, 3, 8), "fr", 14),
    ("networks-basics", "networks", datetime.date(2027, 4, 19), "fr", 14),
    ("linux-admin-basics", "linux", datetime.date(2027, 4, 19), "nl", 12),
    ("cyber-security-foundations", "cyber-foundations", datetime.date(2027, 2, 1), "fr", 12),
    ("soc-monitoring", "soc-monitoring", datetime.date(2027, 3, 1), "fr", 12),
    ("soc-internship", "soc-internship", datetime.date(2027, 5, 3), "fr", 12),
    ("cyber-awareness-trainer", "awareness-trainer", datetime.date(2027, 3, 15), "fr", 12),
    ("digital-forensics-assistant", "forensics", datetime.date(2027, 5, 3), "fr", 10),
    ("pentest-introduction", "pentest", datetime.date(2027, 6, 7), "fr", 10),
]
# The Ixelles ICT service's staff awareness: (module, seats, language, completed or None).
# 24 booked and 21 completed: the 3 who did not are fewer than 5, so the service's page
# withholds that count; the Dutch session completed in full; 3 seats are a small group.
BOOKINGS = [
    ("cyber-awareness-staff", 24, "fr", 21),
    ("cyber-awareness-staff", 12, "nl", 12),
    ("cyber-awareness-staff", 18, "fr", None),
    ("digital-safety", 3, "fr", None),
]


class TrackDemo:
    def __init__(self, *, password_hash, mfa_secret, log):
        self.password_hash = password_hash
        self.mfa_secret = mfa_secret
        self.log = log
        self.rng = random.Random("2026-track")
        self.languages = {language.code: language for language in Language.objects.all()}
        self.communes = {commune.nis_code: commune for commune in Commune.objects.all()}

    def run(self):
        employers = self._employers()
        self._recruiters(employers)
        self.log(f"Digital and cyber track: vacancies created this run: {self._vacancies()}.")
        self.log(f"Digital and cyber track: job-seekers created this run: {self._people()}.")
        self.log(f"Digital and cyber track: applications this run: {self._applications()}.")
        self.log(f"Digital and cyber track: digital self-assessments: {self._digital()}.")
        self.log(f"Digital and cyber track: training groups created: {self._cohorts()}.")
        self.log(f"Staff awareness bookings created: {self._bookings(employers)}.")

    # Organisations and their recruiters ---------------------------------------------------

    def _employers(self):
        found = {}
        now = timezone.now()
        for slug, names, kind, nis_codes, description in EMPLOYERS:
            employer, _created = Employer.objects.get_or_create(
                slug=slug,
                defaults={
                    "kind": kind,
                    "is_verified": True,
                    "verified_at": now,
                    "description": description,
                },
            )
            named = dict(zip(("name_fr", "name_nl", "name_en"), names, strict=True))
            if any(getattr(employer, field) != value for field, value in named.items()):
                Employer.objects.filter(pk=employer.pk).update(**named)
                employer.refresh_from_db()
            communes = (
                self.communes.values()
                if nis_codes is None
                else [self.communes[code] for code in nis_codes]
            )
            employer.communes.set(communes)
            found[slug] = employer
        return found

    def _recruiters(self, employers):
        for email, name, slug, _description in RECRUITERS:
            user, _created = User.objects.get_or_create(
                email=email,
                defaults={
                    "full_name": name,
                    "role": User.Role.EMPLOYER,
                    "password": self.password_hash,
                },
            )
            Membership.objects.get_or_create(
                user=user, defaults={"employer": employers[slug], "is_admin": True}
            )
            MfaDevice.objects.get_or_create(
                user=user, defaults={"secret": self.mfa_secret, "confirmed_at": timezone.now()}
            )

    # Vacancies ----------------------------------------------------------------------------

    def _vacancies(self):
        roles = {role.slug: role for role in Role.objects.all()}
        employers = {employer.slug: employer for employer in Employer.objects.all()}
        today = timezone.localdate()
        now = timezone.now()
        created = 0
        for index, spec in enumerate(VACANCIES):
            slug, role_slug, nis = spec[:3]
            title, description = spec[10], spec[11]
            employer, role = employers[slug], roles[role_slug]
            if Vacancy.objects.filter(employer=employer, role=role, title_fr=title["fr"]).exists():
                continue
            vacancy = demo_vacancy_create(
                spec,
                employer=employer,
                role=role,
                commune=self.communes[nis],
                texts=(title, description),
                today=today,
                languages=self.languages,
                user=None,
            )
            online = now - datetime.timedelta(days=2 + (index * 5) % 19)
            Vacancy.objects.filter(pk=vacancy.pk).update(
                status=Vacancy.Status.PUBLISHED,
                published_at=online,
                created_at=online - datetime.timedelta(days=2),
            )
            created += 1
        if created:
            public_data_changed()
        return created

    # Job-seekers on the track --------------------------------------------------------------

    def _people(self):
        skills = {
            skill.esco_uri.removeprefix(ESCO)[:8]: skill
            for skill in Skill.objects.filter(esco_uri__startswith=ESCO)
        }
        roles = {role.slug: role for role in Role.objects.all()}
        counsellors = {user.email: user for user in User.objects.filter(role=User.Role.COUNSELLOR)}
        batteries = {battery.slug: battery for battery in Battery.objects.all()}
        # The cyber aptitude practice when the item bank has it; else the reasoning test
        # the college's cyber programme selects with (college/demo/intakes.py).
        aptitude = batteries.get("cyber-aptitude") or batteries.get("police-cognitive")
        created = 0
        for person in PEOPLE:
            (local, name, nis, born, gender, headline, spoken, held, experience) = person[:9]
            targets, counsellor_email, ability = person[9], person[10], person[11]
            user, is_new = User.objects.get_or_create(
                email=f"{local}@{DOMAIN}",
                defaults={
                    "full_name": name,
                    "role": User.Role.CANDIDATE,
                    "password": self.password_hash,
                },
            )
            profile, _created = CandidateProfile.objects.get_or_create(user=user)
            counsellor = counsellors[counsellor_email]
            Guidance.objects.get_or_create(counsellor=counsellor, candidate=user, ended_at=None)
            if not is_new:
                continue
            created += 1
            CandidateProfile.objects.filter(pk=profile.pk).update(
                commune=self.communes[nis],
                birth_year=born,
                gender=gender,
                headline=headline,
                nationality=Nationality.EEA if local == "lucia.ferreira" else Nationality.BELGIAN,
                full_time=True,
                shifts=True,
                max_travel_minutes=45,
                available_from=timezone.localdate(),
            )
            CandidateLanguage.objects.bulk_create(
                CandidateLanguage(profile=profile, language=self.languages[code], cefr=cefr)
                for code, cefr in spoken
                if code in self.languages
            )
            rows = [
                CandidateSkill(
                    profile=profile,
                    skill=skills[prefix],
                    level=level,
                    evidence=evidence,
                    validated_by=counsellor if evidence == VALIDATED else None,
                    evidence_note="Observée en entretien et lors d’un exercice pratique."
                    if evidence == VALIDATED
                    else "",
                )
                for prefix, level, evidence in held
            ]
            CandidateSkill.objects.bulk_create(rows)
            kind, title, organisation, description, began, ended = experience
            today = timezone.localdate()
            record = Experience.objects.create(
                profile=profile,
                kind=kind,
                title=title,
                organisation=organisation,
                description=description,
                started_on=today.replace(year=today.year - began, day=1),
                ended_on=None if ended is None else today.replace(year=today.year - ended, day=1),
            )
            record.skills.set([skills[prefix] for prefix, _level, _evidence in held])
            profile.target_roles.add(*[roles[slug] for slug in targets])
            if ability is not None and aptitude is not None:
                simulate_attempt(
                    user=user,
                    battery=aptitude,
                    language="nl" if spoken[0][0] == "nl" else "fr",
                    ability=ability,
                    finished_at=timezone.now() - datetime.timedelta(days=self.rng.randint(3, 20)),
                    rng=self.rng,
                )
        return created

    def _applications(self):
        """Three of the track's job-seekers have applied to a track vacancy; once each."""
        created = 0
        for local, slug, role_slug, motivation in APPLICATIONS:
            profile = CandidateProfile.objects.filter(user__email=f"{local}@{DOMAIN}").first()
            vacancy = (
                Vacancy.objects.published()
                .filter(employer__slug=slug, role__slug=role_slug)
                .order_by("pk")
                .first()
            )
            if profile is None or vacancy is None:
                continue
            try:
                application = application_submit(
                    profile=profile, vacancy=vacancy, motivation=motivation
                )
            except (AlreadyApplied, ValidationError):  # applied already, or closed since
                continue
            # Sent a day after the vacancy went online, its one event at that moment.
            sent = min(
                vacancy.published_at + datetime.timedelta(days=1),
                timezone.now() - datetime.timedelta(hours=1),
            )
            Application.objects.filter(pk=application.pk).update(
                created_at=sent, stage_changed_at=sent
            )
            ApplicationEvent.objects.filter(application=application).update(changed_at=sent)
            created += 1
        return created

    # Training groups in 2027 and the staff awareness bookings -------------------------------

    def _digital(self):
        """DigComp self-assessments and certifications of DIGITAL_PROFILES, once."""
        made = 0
        codes = digcomp_codes()
        for local, (areas, certifications) in DIGITAL_PROFILES.items():
            profile = CandidateProfile.objects.filter(user__email=f"{local}@{DOMAIN}").first()
            if profile is None or DigitalSelfAssessment.objects.filter(profile=profile).exists():
                continue
            digital_self_assessment_save(
                profile=profile,
                answers={
                    code: level
                    for code in codes
                    for area, level in areas.items()
                    if code.split(".")[0] == area
                },
            )
            guidance = profile.user.guidances_received.filter(ended_at=None).first()
            for slug, months, identifier, checked in certifications:
                record = external_certification_add(
                    profile=profile,
                    certification=slug,
                    obtained_on=timezone.localdate() - datetime.timedelta(days=30 * months),
                    credential_id=identifier,
                )
                if checked and guidance is not None:
                    external_certification_verify(
                        certification=record,
                        by=guidance.counsellor,
                        note="Vérifiée sur le registre en ligne de l’organisme.",
                    )
            made += 1
        return made

    def _cohorts(self):
        modules = {
            module.slug: module
            for module in Module.objects.filter(slug__in={row[0] for row in COHORTS})
        }
        existing = set(Cohort.objects.values_list("code", flat=True))
        planned = []
        for index, (slug, short, start, language, capacity) in enumerate(COHORTS):
            code = f"{short}-{start:%Y-%m}-{language}"
            if code in existing:
                continue
            module = modules[slug]
            sessions = _session_days(module, start)
            cohort = Cohort(
                module=module,
                code=code,
                language=self.languages[language],
                place=PLACES[index % len(PLACES)],
                capacity=capacity,
                starts_on=start,
                ends_on=sessions[-1][0],
                enrolment_closes_on=start - datetime.timedelta(days=7),
                trainer="",
            )
            cohort.planned_sessions = sessions
            planned.append(cohort)
        if not planned:
            return 0
        Cohort.objects.bulk_create(planned)
        saved = {
            cohort.code: cohort
            for cohort in Cohort.objects.filter(code__in=[cohort.code for cohort in planned])
        }
        CohortSession.objects.bulk_create(
            CohortSession(
                cohort=saved[cohort.code],
                starts_at=_at(day, times[0]),
                ends_at=_at(day, times[1]),
                topic=f"{cohort.module.title_fr} – séance {number}",
            )
            for cohort in planned
            for number, (day, times) in enumerate(cohort.planned_sessions, start=1)
        )
        # Two of the track's job-seekers start with the digital foundations.
        for local in ("youssef.amrani", "aminata.diallo"):
            user = User.objects.filter(email=f"{local}@{DOMAIN}").first()
            first = saved.get("digital-basics-2027-01-fr")
            if user is not None and first is not None:
                try:
                    cohort_enrol(cohort=first, candidate=user)
                except ValidationError:  # a first run after enrolment closed: no place
                    pass
        return len(planned)

    def _bookings(self, employers):
        service = employers["commune-dixelles-service-informatique"]
        if StaffAwarenessBooking.objects.filter(employer=service).exists():
            return 0
        member = Membership.objects.filter(employer=service).select_related("user").first()
        modules = {
            module.slug: module for module in Module.objects.filter(offered_to_employers=True)
        }
        for slug, seats, language, completed in BOOKINGS:
            booking = awareness_booking_create(
                employer=service,
                module=modules[slug],
                seats=seats,
                language=language,
                by=member.user if member else None,
            )
            if completed is not None:
                StaffAwarenessBooking.objects.filter(pk=booking.pk).update(
                    completed=completed, completed_recorded_at=F("booked_at")
                )
        return len(BOOKINGS)
