"""The college's training catalogue: its loader, its selectors and its filters.

`load_catalogue()` brings the database in line with `college/training/data/catalogue.json`
(sources and licence in that folder's README). It checks the whole file before writing
anything and is idempotent: programmes and modules are matched by slug; a module's skills
taught, prerequisites and languages of instruction are replaced by the file's. Modules dropped
from the file are left alone (cohorts and paths may point to them): staff retire them in the
admin.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import django_filters
from django.db import models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from college.core.public_cache import public_data_changed
from college.models import (
    CEFR,
    Cohort,
    Enrolment,
    Language,
    Level,
    Module,
    ModuleSkill,
    Programme,
    RequirementStage,
    Role,
    RoleLanguageRequirement,
    Skill,
    active_language,
    normalise_for_search,
)
from college.models.slugs import AnySlugChoiceFilter

CATALOGUE_FILE = Path(__file__).resolve().parent / "data" / "catalogue.json"
TEXT_LANGUAGES = ("fr", "nl", "en")


class CatalogueError(ValueError):
    """The catalogue file is not valid; the message names the entry and the problem."""


@dataclass
class CatalogueReport:
    counts: dict = field(default_factory=dict)

    def __str__(self):
        return ", ".join(f"{count} {name}" for name, count in self.counts.items())


# Loading ---------------------------------------------------------------------------------------


def _texts(entry, key, *, required=True, what="entry"):
    value = entry.get(key) or {}
    texts = {f"{key}_{code}": (value.get(code) or "").strip() for code in TEXT_LANGUAGES}
    if required:
        for code in TEXT_LANGUAGES:
            if not texts[f"{key}_{code}"]:
                raise CatalogueError(f"{what} has no {code} {key}")
    return texts


def _find_cycle(prerequisites):
    """A list of slugs forming a cycle in the prerequisite graph, or None."""
    state = {}

    def visit(slug, trail):
        state[slug] = "open"
        for required in prerequisites.get(slug, ()):
            if state.get(required) == "open":
                return [*trail[trail.index(required) :], required]
            if required not in state:
                cycle = visit(required, [*trail, required])
                if cycle:
                    return cycle
        state[slug] = "done"
        return None

    for slug in prerequisites:
        if slug not in state:
            cycle = visit(slug, [slug])
            if cycle:
                return cycle
    return None


def _validate_certifications(data):
    """The certifications named in the file: each with its name in French, Dutch and English."""
    certifications = data.get("certifications", {})
    if not isinstance(certifications, dict):
        raise CatalogueError("'certifications' must map each certification's slug to its names")
    for slug, entry in certifications.items():
        if not slug or not isinstance(entry, dict):
            raise CatalogueError(f"certification {slug or '?'} needs its names")
        _texts(entry, "name", what=f"certification {slug}")
    return certifications


def _validate(data, *, skills, languages, roles):
    """Checks the whole file; raises CatalogueError on the first problem found."""
    if not isinstance(data, dict) or "modules" not in data:
        raise CatalogueError("the catalogue needs a 'modules' list")
    certifications = _validate_certifications(data)
    programme_slugs = set()
    for entry in data.get("programmes", []):
        slug = entry.get("slug") or ""
        what = f"programme {slug or '?'}"
        if not slug:
            raise CatalogueError("a programme has no slug")
        if slug in programme_slugs:
            raise CatalogueError(f"{what} appears twice")
        programme_slugs.add(slug)
        _texts(entry, "title", what=what)
        for role in entry.get("roles", []):
            if role not in roles:
                raise CatalogueError(f"{what} prepares for an unknown role {role!r}")

    module_slugs = set()
    for entry in data["modules"]:
        slug = entry.get("slug") or ""
        if not slug:
            raise CatalogueError("a module has no slug")
        if slug in module_slugs:
            raise CatalogueError(f"module {slug} appears twice")
        module_slugs.add(slug)

    for entry in data["modules"]:
        what = f"module {entry['slug']}"
        _texts(entry, "title", what=what)
        _texts(entry, "summary", what=what)
        programme = entry.get("programme")
        if programme and programme not in programme_slugs:
            raise CatalogueError(f"{what} belongs to an unknown programme {programme!r}")
        hours = entry.get("hours")
        if not isinstance(hours, int) or hours < 1:
            raise CatalogueError(f"{what} needs a whole number of hours (at least 1)")
        pass_percent = entry.get("pass_percent", 60)
        if not isinstance(pass_percent, int) or not 1 <= pass_percent <= 100:
            raise CatalogueError(f"{what} has a pass mark outside 1–100: {pass_percent!r}")
        codes = entry.get("languages") or []
        if not codes:
            raise CatalogueError(f"{what} names no language of instruction")
        for code in codes:
            if code not in languages:
                raise CatalogueError(f"{what} is taught in an unknown language {code!r}")
        seen = set()
        for outcome in entry.get("skills", []):
            uri = outcome.get("skill")
            if uri not in skills:
                raise CatalogueError(f"{what} teaches an unknown skill {uri!r}")
            if uri in seen:
                raise CatalogueError(f"{what} lists the skill {uri} twice")
            seen.add(uri)
            if outcome.get("level") not in Level.values:
                raise CatalogueError(
                    f"{what} teaches {uri} at an unknown level {outcome.get('level')!r} "
                    f"(use 1 to 4)"
                )
        prepared = entry.get("certifications", [])
        for slug in prepared:
            if slug not in certifications:
                raise CatalogueError(f"{what} prepares for an unknown certification {slug!r}")
        if len(set(prepared)) != len(prepared):
            raise CatalogueError(f"{what} names a certification twice")
        if not isinstance(entry.get("offered_to_employers", False), bool):
            raise CatalogueError(f"{what}: offered_to_employers is true or false")
        for required in entry.get("prerequisites", []):
            if required not in module_slugs:
                raise CatalogueError(f"{what} requires an unknown module {required!r}")
            if required == entry["slug"]:
                raise CatalogueError(f"{what} requires itself")
        taught = entry.get("language_taught")
        cefr = entry.get("cefr_reached") or ""
        if taught and taught not in languages:
            raise CatalogueError(f"{what} teaches an unknown language {taught!r}")
        if bool(taught) != bool(cefr):
            raise CatalogueError(f"{what}: a language course needs both language_taught and level")
        if cefr and cefr not in CEFR.values:
            raise CatalogueError(f"{what} reaches an unknown CEFR level {cefr!r}")

    cycle = _find_cycle(
        {entry["slug"]: entry.get("prerequisites", []) for entry in data["modules"]}
    )
    if cycle:
        raise CatalogueError("prerequisites form a cycle: " + " → ".join(cycle))


def _load_programmes(entries, roles):
    programmes = {}
    for entry in entries:
        defaults = {"position": entry.get("position", 100)}
        defaults.update(_texts(entry, "title"))
        defaults.update(_texts(entry, "summary", required=False))
        programme, _created = Programme.objects.update_or_create(
            slug=entry["slug"], defaults=defaults
        )
        programme.roles.set([roles[slug] for slug in entry.get("roles", [])])
        programmes[programme.slug] = programme
    return programmes


def _certifications_of(entry, certifications):
    return [
        {"slug": slug, **{code: certifications[slug]["name"][code] for code in TEXT_LANGUAGES}}
        for slug in entry.get("certifications", [])
    ]


def _load_modules(entries, *, programmes, skills, languages, certifications):
    modules = {}
    for entry in entries:
        defaults = {
            "programme": programmes.get(entry.get("programme")),
            "hours": entry["hours"],
            "pass_percent": entry.get("pass_percent", 60),
            "language_taught": languages.get(entry.get("language_taught") or ""),
            "cefr_reached": entry.get("cefr_reached") or "",
            "is_active": entry.get("is_active", True),
            "position": entry.get("position", 100),
            "sources": entry.get("sources") or "",
            "certifications": _certifications_of(entry, certifications),
            "offered_to_employers": entry.get("offered_to_employers", False),
        }
        for key in ("title", "summary"):
            defaults.update(_texts(entry, key))
        defaults.update(_texts(entry, "certificate", required=False))
        module, _created = Module.objects.update_or_create(slug=entry["slug"], defaults=defaults)
        module.languages.set([languages[code] for code in entry["languages"]])

        wanted = {skills[item["skill"]].pk: item["level"] for item in entry.get("skills", [])}
        module.outcomes.exclude(skill_id__in=wanted).delete()
        current = dict(module.outcomes.values_list("skill_id", "level"))
        for skill_id, level in wanted.items():
            if skill_id not in current:
                ModuleSkill.objects.create(module=module, skill_id=skill_id, level=level)
            elif current[skill_id] != level:
                module.outcomes.filter(skill_id=skill_id).update(level=level)
        modules[module.slug] = module
    for entry in entries:
        modules[entry["slug"]].prerequisites.set(
            [modules[slug] for slug in entry.get("prerequisites", [])]
        )
    return modules


@transaction.atomic
def load_catalogue(*, path=CATALOGUE_FILE):
    """Loads the catalogue file; returns a CatalogueReport with the counts in the file."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except json.JSONDecodeError as error:
        raise CatalogueError(f"{path} is not valid JSON: {error}") from None
    skills = {skill.esco_uri: skill for skill in Skill.objects.only("pk", "esco_uri")}
    languages = {language.code: language for language in Language.objects.all()}
    roles = {role.slug: role for role in Role.objects.only("pk", "slug")}
    _validate(data, skills=skills, languages=languages, roles=roles)
    programmes = _load_programmes(data.get("programmes", []), roles)
    modules = _load_modules(
        data["modules"],
        programmes=programmes,
        skills=skills,
        languages=languages,
        certifications=data.get("certifications", {}),
    )
    public_data_changed()  # modules and their skills are written in bulk, past the signals
    report = CatalogueReport()
    report.counts["programmes"] = len(programmes)
    report.counts["modules"] = len(modules)
    report.counts["skills taught"] = sum(len(entry.get("skills", [])) for entry in data["modules"])
    report.counts["certifications prepared"] = sum(
        len(entry.get("certifications", [])) for entry in data["modules"]
    )
    report.counts["prerequisites"] = sum(
        len(entry.get("prerequisites", [])) for entry in data["modules"]
    )
    return report


# Selectors -------------------------------------------------------------------------------------


def modules_teaching(skill_ids):
    """Active modules teaching any of the skills, with their outcomes prefetched."""
    teaching = ModuleSkill.objects.filter(skill_id__in=list(skill_ids)).values("module_id")
    return Module.objects.active().filter(pk__in=teaching).with_outcomes()


def upcoming_cohorts(module=None):
    """Cohorts not cancelled that start today or later, with `enrolled_count` and `places_left`.

    `module` is a Module or its id; None gives the upcoming cohorts of every module.
    """
    enrolled = (
        Enrolment.objects.filter(cohort=OuterRef("pk"), status=Enrolment.Status.ENROLLED)
        .order_by()
        .values("cohort")
        .annotate(count=Count("pk"))
        .values("count")
    )
    cohorts = (
        Cohort.objects.filter(is_cancelled=False, starts_on__gte=timezone.localdate())
        .select_related("language")
        .annotate(enrolled_count=Coalesce(Subquery(enrolled), 0))
        .annotate(places_left=Greatest(F("capacity") - F("enrolled_count"), Value(0)))
        .order_by("starts_on", "code")
    )
    if module is not None:
        cohorts = cohorts.filter(module=module)
    return cohorts


def modules_for_role(role):
    """A condition on modules: its programme prepares for the role, or it closes one of its gaps.

    A module closes a gap when it teaches a skill the role requires at entry (one the employer
    teaches after hiring is no gap), or when it is a course of a language the role asks for.
    """
    required_skills = role.requirements.filter(stage=RequirementStage.ENTRY).values("skill_id")
    languages = RoleLanguageRequirement.objects.filter(role=role).values("language_id")
    return (
        Q(programme__roles=role)
        | Q(pk__in=ModuleSkill.objects.filter(skill_id__in=required_skills).values("module_id"))
        | Q(language_taught__in=languages)
    )


def module_ids_matching(query):
    """Ids of modules whose title (any language) or a skill taught contains every word.

    Accent- and case-insensitive, like the skills search. The titles are compared in Python:
    the catalogue holds a few dozen modules, so one small query beats a search column.
    """
    words = normalise_for_search(query).split()
    if not words:
        return None
    skill_condition = Q()
    for word in words:
        skill_condition &= Q(search_text__contains=word)
    by_skill = ModuleSkill.objects.filter(skill__in=Skill.objects.filter(skill_condition)).values(
        "module_id"
    )
    by_title = [
        pk
        for pk, *titles in Module.objects.values_list("pk", "title_fr", "title_nl", "title_en")
        if all(word in normalise_for_search(" ".join(titles)) for word in words)
    ]
    return Q(pk__in=by_skill) | Q(pk__in=by_title)


def catalogue_modules():
    """Active modules for a list: programme, skill count and next cohort date annotated."""
    skill_count = (
        ModuleSkill.objects.filter(module=OuterRef("pk"))
        .order_by()
        .values("module")
        .annotate(count=Count("pk"))
        .values("count")
    )
    next_cohort = (
        Cohort.objects.filter(
            module=OuterRef("pk"), is_cancelled=False, starts_on__gte=timezone.localdate()
        )
        .order_by("starts_on")
        .values("starts_on")[:1]
    )
    return (
        Module.objects.active()
        .select_related("programme", "language_taught")
        .annotate(
            skill_count=Coalesce(Subquery(skill_count), 0),
            next_cohort_on=Subquery(next_cohort, output_field=models.DateField()),
        )
        .order_by(
            F("programme__position").asc(nulls_last=True), "programme__slug", "position", "slug"
        )
    )


# Filters shared by the catalogue page and the modules API -------------------------------------


class ModuleFilter(django_filters.FilterSet):
    """Every parameter is optional; an unknown value is a field error (400 in the API)."""

    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Skill or title"),
        max_length=200,
        help_text=_("Words in French, Dutch or English, such as “first aid” or “eerste hulp”."),
    )
    role = django_filters.ModelChoiceFilter(
        queryset=Role.objects.all(),
        to_field_name="slug",
        method="filter_role",
        label=_("Prepares for"),
    )
    skill = django_filters.ModelChoiceFilter(
        queryset=Skill.objects.all(),
        method="filter_skill",
        label=_("Skill taught"),
        help_text=_("A skill's id: modules that teach it."),
    )
    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.all(), to_field_name="slug", label=_("Programme")
    )
    language = django_filters.ModelChoiceFilter(
        queryset=Language.objects.all(),
        to_field_name="code",
        method="filter_language",
        label=_("Language of instruction"),
    )

    class Meta:
        model = Module
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        title = f"title_{active_language()}"
        name = f"name_{active_language()}"
        self.filters["role"].queryset = Role.objects.order_by(title, "pk")
        self.filters["programme"].queryset = Programme.objects.order_by("position", "slug")
        taught_in = Module.languages.through.objects.values("language_id")
        self.filters["language"].queryset = Language.objects.filter(pk__in=taught_in).order_by(name)
        self.form.fields["role"].label_from_instance = lambda role: role.title
        self.form.fields["programme"].label_from_instance = lambda programme: programme.title
        self.form.fields["language"].label_from_instance = lambda language: language.name

    def filter_q(self, queryset, name, value):
        condition = module_ids_matching(value)
        return queryset if condition is None else queryset.filter(condition)

    # The hints name each parameter's type in the API schema: a slug, an id, a code. The
    # value received is the Role, Skill or Language the form found.
    def filter_role(self, queryset, name, value: str):
        return queryset.filter(pk__in=Module.objects.filter(modules_for_role(value)).values("pk"))

    def filter_skill(self, queryset, name, value: int):
        return queryset.filter(pk__in=ModuleSkill.objects.filter(skill=value).values("module_id"))

    def filter_language(self, queryset, name, value: str):
        return queryset.filter(
            pk__in=Module.languages.through.objects.filter(language=value).values("module_id")
        )


class PageModuleFilter(ModuleFilter):
    """The catalogue page's filters: the role by its slug in any language, offered in the
    reader's. The API keeps the English slug alone, its documented value."""

    role = AnySlugChoiceFilter(
        queryset=Role.objects.all(), method="filter_role", label=_("Prepares for")
    )
