"""A published vacancy as a schema.org `JobPosting`, for search engines and job boards.

`vacancy_json_ld` returns the JobPosting as a dict; `json_ld_text` serialises it so that it
can sit inside `<script type="application/ld+json">`: `<`, `>`, `&`, the line separators and
what HTML cannot carry are written as JSON escapes (`college.core.text.script_json`), so no title
or description can close the script element, and the block still parses to the stored text.
"""

import datetime
import json
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from college.core.text import script_json
from college.models import Diploma
from employers.models import Contract

FULL_TIME_HOURS = Decimal(36)
ESCO_SKILLS_SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"
ESCO_OCCUPATIONS_SCHEME = "http://data.europa.eu/esco/concept-scheme/occupations"
# Google's credentialCategory vocabulary; Belgian lower secondary (CE1D) has no closer term.
CREDENTIAL_CATEGORIES = {
    Diploma.LOWER_SECONDARY: "high school",
    Diploma.UPPER_SECONDARY: "high school",
    Diploma.BACHELOR: "bachelor degree",
}
CONTRACT_EMPLOYMENT_TYPES = {
    Contract.FIXED_TERM: "TEMPORARY",
    Contract.INTERNSHIP: "INTERN",
    Contract.STUDENT: "OTHER",
}


def vacancy_absolute_url(vacancy):
    return settings.SITE_URL + reverse("employers:vacancy_detail", args=[vacancy.pk])


def plain_job_title(vacancy):
    """The job title alone. Search engines want the place in `jobLocation`, never in the
    title, so a commune appended to it ("Gardien de la paix – Schaerbeek", "Steward
    (Anderlecht)") is left out here; the page keeps the title as written."""
    title = vacancy.title.strip()
    commune = vacancy.commune
    names = {commune.name_fr, commune.name_nl, commune.name_en} - {""}
    for name in sorted(names, key=len, reverse=True):
        for suffix in (f" – {name}", f" — {name}", f" - {name}", f", {name}", f" ({name})"):
            if title.casefold().endswith(suffix.casefold()) and len(title) > len(suffix):
                return title[: -len(suffix)].rstrip()
    return title


def employment_types(vacancy):
    """FULL_TIME or PART_TIME from the hours, plus what the contract says, as schema.org values."""
    types = []
    if vacancy.hours_per_week is not None:
        types.append("FULL_TIME" if vacancy.hours_per_week >= FULL_TIME_HOURS else "PART_TIME")
    if vacancy.contract in CONTRACT_EMPLOYMENT_TYPES:
        types.append(CONTRACT_EMPLOYMENT_TYPES[vacancy.contract])
    return types


def _base_salary(vacancy):
    low, high = vacancy.salary_min, vacancy.salary_max
    if low is None and high is None:
        return None
    value = {"@type": "QuantitativeValue", "unitText": "MONTH"}
    if low is not None and low == high:
        value["value"] = low
    else:
        if low is not None:
            value["minValue"] = low
        if high is not None:
            value["maxValue"] = high
    return {"@type": "MonetaryAmount", "currency": "EUR", "value": value}


def _education_requirements(vacancy):
    diploma = vacancy.required_diploma
    if diploma == Diploma.NONE:
        diploma = vacancy.role.required_diploma
    credential = {"@type": "EducationalOccupationalCredential"}
    if diploma in CREDENTIAL_CATEGORIES:
        credential["credentialCategory"] = CREDENTIAL_CATEGORIES[diploma]
        credential["name"] = str(Diploma(diploma).label)
    else:
        credential["name"] = _("Diploma required by law")
    return credential


def _valid_through(vacancy):
    """The last moment applications are taken: the end of the closing day, in Brussels."""
    closes_at = datetime.datetime.combine(
        vacancy.closes_on, datetime.time(23, 59, 59), tzinfo=timezone.get_default_timezone()
    )
    return closes_at.isoformat()


def _hiring_organisation(employer):
    organisation = {"@type": "Organization", "name": employer.name}
    # A Brussels public body's other official names, so that a board in either language
    # finds it ("Commune de Schaerbeek" / "Gemeente Schaarbeek").
    other_names = list(
        dict.fromkeys(
            name
            for name in (employer.name_fr, employer.name_nl, employer.name_en)
            if name and name != employer.name
        )
    )
    if other_names:
        organisation["alternateName"] = other_names
    if employer.website:
        organisation["sameAs"] = employer.website
    return organisation


def _job_location(vacancy):
    commune = vacancy.commune
    address = {"@type": "PostalAddress"}
    if vacancy.address:
        address["streetAddress"] = vacancy.address
    address.update(
        {
            "addressLocality": commune.name,
            "postalCode": commune.main_postcode,
            "addressRegion": _("Brussels-Capital Region"),
            "addressCountry": "BE",
        }
    )
    return {"@type": "Place", "address": address}


def _occupational_category(role):
    return {
        "@type": "CategoryCode",
        "@id": role.esco_uri,
        "name": role.title,
        "codeValue": role.esco_uri,
        "inCodeSet": ESCO_OCCUPATIONS_SCHEME,
    }


def _track_category(role):
    """The college's track of the role (digital and cyber, or prevention and security) as a
    code of Passerelle's own set: the role list filtered by that track."""
    return {
        "@type": "CategoryCode",
        "codeValue": str(role.track),
        "name": str(role.get_track_display()),
        "inCodeSet": settings.SITE_URL + reverse("role_list"),
        "url": settings.SITE_URL + reverse("role_list") + f"?track={role.track}",
    }


def _relevant_occupation(role):
    """The role as a schema.org Occupation, classed by its ESCO occupation and by its track."""
    return {
        "@type": "Occupation",
        "name": role.title,
        "occupationalCategory": [_occupational_category(role), _track_category(role)],
    }


def _conditions(vacancy):
    """Employment type, hours and pay, each only when the vacancy says it."""
    conditions = {}
    types = employment_types(vacancy)
    if types:
        conditions["employmentType"] = types[0] if len(types) == 1 else types
    if vacancy.hours_per_week is not None:
        conditions["workHours"] = _("%(hours)s hours per week") % {
            "hours": f"{vacancy.hours_per_week.normalize():f}"
        }
    salary = _base_salary(vacancy)
    if salary:
        conditions["baseSalary"] = salary
    return conditions


def _skills(vacancy):
    return [
        {
            "@type": "DefinedTerm",
            "@id": requirement.skill.esco_uri,
            "name": requirement.skill.label,
            "url": requirement.skill.esco_uri,
            "termCode": requirement.skill.esco_uri,
            "inDefinedTermSet": ESCO_SKILLS_SCHEME,
        }
        for requirement in vacancy.skill_requirements.all()
    ]


def _qualifications(vacancy):
    """The diploma where the law requires one, else the word that skills are what counts."""
    if vacancy.diploma_required:
        return {
            "educationRequirements": _education_requirements(vacancy),
            "experienceInPlaceOfEducation": bool(vacancy.role.alternative_route),
        }
    return {
        "experienceRequirements": _(
            "No diploma required: the skills listed count, whether learnt at work, "
            "in training or in daily life."
        ),
        "experienceInPlaceOfEducation": True,
    }


def vacancy_json_ld(vacancy, request=None):
    """The JobPosting of a published vacancy.

    Expects the vacancy loaded with `for_list().with_requirements()`. A diploma appears
    (`educationRequirements`) only where the vacancy requires one by law;
    `experienceInPlaceOfEducation` is true whenever skills can stand in for it: no diploma
    required, or a legal alternative route exists.
    """
    employer, role = vacancy.employer, vacancy.role
    published = vacancy.published_at or vacancy.created_at
    data = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": plain_job_title(vacancy),
        "description": linebreaks(vacancy.description, autoescape=True),
        "identifier": {
            "@type": "PropertyValue",
            "name": employer.name,
            "value": str(vacancy.pk),
        },
        "datePosted": timezone.localdate(published).isoformat(),
        "validThrough": _valid_through(vacancy),
        "hiringOrganization": _hiring_organisation(employer),
        "jobLocation": _job_location(vacancy),
        "url": vacancy_absolute_url(vacancy),
        "directApply": True,
        "totalJobOpenings": vacancy.posts,
        "industry": str(role.get_sector_display()),
        "occupationalCategory": _occupational_category(role),
        "relevantOccupation": _relevant_occupation(role),
        **_conditions(vacancy),
    }
    skills = _skills(vacancy)
    if skills:
        data["skills"] = skills
    data.update(_qualifications(vacancy))
    return data


def json_ld_text(data):
    """JSON that is safe inside a `<script>` element of an HTML page."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return mark_safe(script_json(text))
