"""The demo's employers and their vacancies: Brussels public bodies and firms, and what each
recruits for, where and on what terms."""

import datetime
import re

from employers.models import Application, Employer
from employers.services import vacancy_initial_from_role, vacancy_save

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


def advertised_title(role, code):
    """The role's title as one organisation advertises it: without a closing parenthesis
    ("(STIB)", "(police fédérale)", "(101/112)"), the organisation being named anyway. Older
    seeds' titles were made this way from longer role titles: `_demo_vacancy` still finds them."""
    return re.sub(r"\s*\([^()]*\)$", "", getattr(role, f"title_{code}"))


def zone_employer_name(zone, language="fr"):
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


def published_days_ago(index):
    """Vacancies went online over the last eight weeks, none today."""
    return 4 + (index * 11) % 52


def demo_vacancy_create(spec, *, employer, role, commune, texts, today, languages, user):
    """A draft vacancy from the first ten fields of a spec line (VACANCY_SPECS, the track's
    VACANCIES), through the employers' own service: the role's requirements, the spec's
    languages when it names some (`languages`: the Language rows by code), else the role's."""
    _slug, _role, _nis, contract, hours, posts, days, wanted, salary, rhythm = spec[:10]
    title, description = texts
    fields, skills, role_languages = vacancy_initial_from_role(role=role, employer=employer)
    scale, salary_min, salary_max = salary or ("", None, None)
    fields.update(
        **{f"title_{code}": title[code] for code in ("fr", "nl", "en")},
        **{f"description_{code}": description[code] for code in ("fr", "nl", "en")},
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
    if wanted is not None:
        role_languages = [
            {
                "language": languages[code],
                "min_cefr": cefr,
                "certificate": certificate,
                "is_alternative": either,
            }
            for code, cefr, certificate, either in wanted
        ]
    return vacancy_save(
        employer=employer, data=fields, skills=skills, languages=role_languages, user=user
    )
