"""Loading the job-seekers and the vacancies or roles matching reads, in a constant number of
queries however many are asked for."""

from __future__ import annotations

from candidates.models import CandidateLanguage, CandidateSkill, Education, LanguageCertificate
from college.matching.score import (
    ENTRY,
    Candidate,
    HeldDiploma,
    HeldSkill,
    LanguageRequirement,
    SkillRequirement,
    Target,
)
from college.models import Commune, Role, RoleLanguageRequirement, RoleRequirement
from employers.models import VacancyLanguage, VacancySkill


def load_candidate(profile, *, with_diplomas=True) -> Candidate:
    """The candidate's matching data: three or four queries, whatever the profile's size."""
    return load_candidates([profile], with_diplomas=with_diplomas)[profile.pk]


def load_candidates(profiles, *, with_diplomas=True):
    """{profile id: Candidate} for many profiles, in three or four queries however many."""
    profiles = {profile.pk: profile for profile in profiles}
    ids = list(profiles)
    skills = {pk: {} for pk in ids}
    rows = CandidateSkill.objects.filter(profile_id__in=ids).values_list(
        "profile_id", "skill_id", "level", "evidence"
    )
    for profile_id, skill_id, level, evidence in rows:
        skills[profile_id][skill_id] = HeldSkill(level=level, evidence=evidence)
    languages = {pk: {} for pk in ids}
    rows = CandidateLanguage.objects.filter(profile_id__in=ids).values_list(
        "profile_id", "language_id", "cefr"
    )
    for profile_id, language_id, cefr in rows:
        languages[profile_id][language_id] = cefr
    certificates = {pk: set() for pk in ids}
    rows = LanguageCertificate.objects.filter(profile_id__in=ids).values_list(
        "profile_id", "language_id", "level"
    )
    for profile_id, language_id, level in rows:
        certificates[profile_id].add((language_id, level))
    diplomas = {pk: [] for pk in ids}
    if with_diplomas:
        rows = Education.objects.filter(profile_id__in=ids).values_list(
            "profile_id", "level", "recognition"
        )
        for profile_id, level, recognition in rows:
            diplomas[profile_id].append(HeldDiploma(level=level, recognition=recognition))
    return {
        pk: Candidate(
            id=pk,
            skills=skills[pk],
            languages=languages[pk],
            certificates=frozenset(certificates[pk]),
            commune_id=profile.commune_id,
            lives_outside_brussels=profile.lives_outside_brussels,
            max_travel_minutes=profile.max_travel_minutes,
            shifts=profile.shifts,
            nights=profile.nights,
            weekends=profile.weekends,
            birth_year=profile.birth_year,
            nationality=profile.nationality,
            driving_licences=tuple(profile.driving_licences or ()),
            diplomas=tuple(diplomas[pk]),
            has_no_diploma=profile.has_no_diploma,
        )
        for pk, profile in profiles.items()
    }


def zone_commune_ids(commune_id):
    if commune_id is None:
        return frozenset()
    return frozenset(
        Commune.objects.filter(police_zone__communes__id=commune_id).values_list("id", flat=True)
    )


def load_vacancy_target(vacancy, *, labels=True) -> Target:
    """The vacancy's requirements and conditions: three to five queries."""
    return load_vacancy_targets([vacancy], labels=labels)[vacancy.pk]


def load_vacancy_targets(vacancies, *, labels=True) -> dict:
    """{vacancy id: Target} for many vacancies, in three to five queries however many."""
    vacancies = list(vacancies)
    ids = [vacancy.pk for vacancy in vacancies]
    rows = VacancySkill.objects.filter(vacancy_id__in=ids)
    if labels:
        rows = rows.select_related("skill")
    skills = {pk: [] for pk in ids}
    taught = {pk: [] for pk in ids}
    for row in rows.order_by("pk"):
        (skills if row.stage == ENTRY else taught)[row.vacancy_id].append(
            SkillRequirement(
                skill_id=row.skill_id,
                importance=row.importance,
                level=row.min_level,
                label=row.skill.label if labels else "",
                esco_uri=row.skill.esco_uri if labels else "",
            )
        )
    languages = {pk: [] for pk in ids}
    language_rows = VacancyLanguage.objects.filter(vacancy_id__in=ids).select_related("language")
    for row in language_rows.order_by("language__position", "pk"):
        languages[row.vacancy_id].append(
            LanguageRequirement(
                language_id=row.language_id,
                min_cefr=row.min_cefr,
                certificate=row.certificate,
                is_alternative=row.is_alternative,
                code=row.language.code,
                name=row.language.name,
            )
        )
    zones = _zone_communes({vacancy.commune_id for vacancy in vacancies})
    routes = {}
    diploma_roles = {vacancy.role_id for vacancy in vacancies if vacancy.diploma_required}
    if diploma_roles:
        roles = Role.objects.filter(pk__in=diploma_roles)
        routes = {role.pk: role.alternative_route for role in roles}
    return {
        vacancy.pk: Target(
            kind="vacancy",
            id=vacancy.pk,
            skills=tuple(skills[vacancy.pk]),
            languages=tuple(languages[vacancy.pk]),
            taught=tuple(taught[vacancy.pk]),
            shifts=vacancy.shifts,
            nights=vacancy.nights,
            weekends=vacancy.weekends,
            commune_id=vacancy.commune_id,
            zone_commune_ids=zones.get(vacancy.commune_id, frozenset()),
            min_age=vacancy.min_age,
            nationality=vacancy.nationality,
            driving_licence=vacancy.driving_licence,
            diploma_required=vacancy.diploma_required,
            required_diploma=vacancy.required_diploma,
            alternative_route=routes.get(vacancy.role_id, "") if vacancy.diploma_required else "",
            clean_record_required=vacancy.clean_record_required,
        )
        for vacancy in vacancies
    }


def _zone_communes(commune_ids):
    """{commune id: ids of the communes of its police zone} for these communes: one query."""
    commune_ids = {pk for pk in commune_ids if pk is not None}
    if not commune_ids:
        return {}
    zone_of = dict(
        Commune.objects.filter(police_zone__communes__id__in=commune_ids)
        .values_list("id", "police_zone_id")
        .distinct()
    )
    members = {}
    for commune_id, zone_id in zone_of.items():
        members.setdefault(zone_id, set()).add(commune_id)
    return {pk: frozenset(members.get(zone_of.get(pk), ())) for pk in commune_ids}


def load_role_target(role) -> Target:
    """The role's requirement profile and legal conditions: two queries."""
    rows = RoleRequirement.objects.filter(role=role).select_related("skill").order_by("pk")
    requirements = [
        (
            row.stage,
            SkillRequirement(
                skill_id=row.skill_id,
                importance=row.importance,
                level=row.target_level,
                label=row.skill.label,
                esco_uri=row.skill.esco_uri,
            ),
        )
        for row in rows
    ]
    skills = tuple(item for stage, item in requirements if stage == ENTRY)
    taught = tuple(item for stage, item in requirements if stage != ENTRY)
    languages = tuple(
        LanguageRequirement(
            language_id=row.language_id,
            min_cefr=row.min_cefr,
            is_alternative=row.is_alternative,
            code=row.language.code,
            name=row.language.name,
        )
        for row in RoleLanguageRequirement.objects.filter(role=role)
        .select_related("language")
        .order_by("language__position", "pk")
    )
    return Target(
        kind="role",
        id=role.pk,
        skills=skills,
        languages=languages,
        taught=taught,
        min_age=role.min_age,
        nationality=role.nationality,
        driving_licence=role.driving_licence,
        diploma_required=role.diploma_required_by_law,
        required_diploma=role.required_diploma,
        alternative_route=role.alternative_route,
        clean_record_required=role.clean_record_required,
    )
