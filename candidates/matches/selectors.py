"""What the job-seeker's match pages and API read: the ranking for one person and the full,
explained match for the vacancies of the page shown.

Ranking is the engine's (`matches_for`, one SQL statement over every published vacancy). Only
the vacancies of the page shown are then explained, all together: `vacancy_matches` reads the
profile once, the page's requirements in two queries, their police zones in one and the next
steps in one per provider, then builds each match with the engine's own pure functions, so a
page answers in a constant number of queries whatever its size or the number of vacancies.
"""

from dataclasses import dataclass

from django.urls import reverse

from assessments.models import Battery
from candidates.selectors import candidate_holdings, requirements_checklist
from college import matching
from college.matching.reasons import REASONS_SHOWN, decisive_reasons
from college.models import Importance, RequirementStage, Role
from college.reference.fit import fit_of
from employers.models import Application, Vacancy

# A card shows this many next steps; the rest waits behind "see more".
STEPS_SHOWN = 3

# Reads ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepEntry:
    """A next step as people and clients see it: where to go and what it brings."""

    kind: str
    object_id: int
    slug: str
    title: str
    url: str
    gain: int
    score_after: int
    skill_ids: tuple  # the gap skills (partial or missing) it addresses
    language_ids: tuple = ()  # the short languages it addresses
    hours: int = 0


@dataclass
class Gap:
    line: matching.SkillLine
    steps: list  # of StepEntry, best gain first

    @property
    def importance_label(self):
        return Importance(self.line.importance).label


@dataclass
class VacancyMatch:
    vacancy: object
    match: matching.Match
    steps: list  # of StepEntry, best gain first
    has_applied: bool = False
    is_target_role: bool = False

    @property
    def fit(self):
        """The score with its words, on the one scale every page and e-mail uses."""
        return fit_of(self.match.score)

    @property
    def words(self):
        return self.fit.words

    @property
    def reasons(self):
        """The two or three facts that weigh most in this fit, gaps first."""
        return decisive_reasons(self.match, limit=REASONS_SHOWN)

    @property
    def useful_steps(self):
        """The steps that raise the score, most useful first; those changing nothing are left
        out (they would only confirm what the fit already counts)."""
        return [step for step in self.steps if step.gain > 0]

    @property
    def top_steps(self):
        return self.useful_steps[:STEPS_SHOWN]

    @property
    def more_steps_count(self):
        return max(len(self.useful_steps) - STEPS_SHOWN, 0)

    @property
    def gaps(self):
        """Each partial or missing skill with the steps that close it."""
        return [
            Gap(
                line=line,
                steps=[step for step in self.useful_steps if line.skill_id in step.skill_ids],
            )
            for line in self.match.skills
            if line.state != matching.MATCHED
        ]

    @property
    def language_gaps(self):
        """Each language short of the level asked, with the courses that close it."""
        return [
            Gap(
                line=line,
                steps=[step for step in self.useful_steps if line.language_id in step.language_ids],
            )
            for line in self.match.languages
            if not line.met
        ]


def _battery_slugs(steps):
    ids = {step.object_id for step in steps if step.kind == "test"}
    if not ids:
        return {}
    return dict(Battery.objects.filter(pk__in=ids).values_list("pk", "slug"))


def step_entries(next_steps, slugs):
    """The match's next steps with a slug and the page that offers them."""
    entries = []
    for item in next_steps:
        step = item.step
        slug = step.slug or (slugs.get(step.object_id, "") if step.kind == "test" else "")
        # The engine's own address uses the reader's language; the English slug still answers.
        if step.url:
            url = step.url
        elif step.kind == "test" and slug:
            url = reverse("assessments:battery_detail", args=[slug])
        elif step.kind == "module" and slug:
            url = reverse("module_detail", args=[slug])
        else:
            url = ""
        entries.append(
            StepEntry(
                kind=step.kind,
                object_id=step.object_id,
                slug=slug,
                title=step.label,
                url=url,
                gain=item.gain,
                score_after=item.score_after,
                skill_ids=tuple(item.closes),
                language_ids=tuple(item.closes_languages),
                hours=step.hours,
            )
        )
    return entries


def vacancy_matches(*, profile, vacancy_ids, target_vacancy_ids=()):
    """The full match (score, eligibility, explanation, next steps) for each vacancy id, in the
    order given, as `matching.evaluate` computes it: about ten queries whatever their number.

    Ids of vacancies that no longer exist are skipped.
    """
    if not vacancy_ids:
        return []
    by_id = Vacancy.objects.select_related("employer", "role", "commune").in_bulk(vacancy_ids)
    vacancies = [by_id[pk] for pk in vacancy_ids if pk in by_id]
    loaded = matching.load_vacancy_targets(vacancies)
    targets = [loaded[vacancy.pk] for vacancy in vacancies]
    candidate = matching.load_candidate(profile, with_diplomas=True)
    steps = matching.collect_steps_for(candidate, targets)
    matches = [
        matching.build_match(candidate, target, steps=steps[target.id]) for target in targets
    ]
    slugs = _battery_slugs(item.step for match in matches for item in match.next_steps)
    applied = set(
        Application.objects.filter(profile=profile, vacancy_id__in=by_id).values_list(
            "vacancy_id", flat=True
        )
    )
    return [
        VacancyMatch(
            vacancy=vacancy,
            match=match,
            steps=step_entries(match.next_steps, slugs),
            has_applied=vacancy.pk in applied,
            is_target_role=vacancy.pk in target_vacancy_ids,
        )
        for vacancy, match in zip(vacancies, matches, strict=True)
    ]


# What ranks vacancies for one person: the matches page, its API and the dashboard's next action.


def ranked_for_person(profile):
    """The engine's ranking (`matching.matches_for`) with the vacancies of the person's target
    roles first, each group best fit first: [(vacancy id, score, is_target_role)].

    Three queries whatever the number of vacancies: the ranking, the target roles and their
    published vacancies.
    """
    ranked = matching.matches_for(profile=profile)
    target_ids = [role.pk for role in profile.target_roles.all()]
    targeted = set()
    if target_ids:
        targeted = set(
            Vacancy.objects.published().filter(role_id__in=target_ids).values_list("pk", flat=True)
        )
    rows = [(pk, score, pk in targeted) for pk, score in ranked]
    rows.sort(key=lambda row: not row[2])  # stable: each group keeps the engine's order
    return rows


def target_role_vacancy_ids(profile, vacancy_ids):
    """Which of these vacancies are for the person's target roles: one query."""
    return set(
        Vacancy.objects.filter(pk__in=vacancy_ids, role__in=profile.target_roles.all()).values_list(
            "pk", flat=True
        )
    )


def _role_score(holdings, role):
    """The engine's score against the role, from the rows already read: the number the role's
    page, the path and the dashboard show (a role has no place or schedule, so only skills
    and languages count)."""
    target = matching.Target(
        kind="role",
        id=role.pk,
        skills=tuple(
            matching.SkillRequirement(row.skill_id, row.importance, row.target_level)
            for row in role.requirements.all()
            if row.stage == RequirementStage.ENTRY
        ),
        languages=tuple(
            matching.LanguageRequirement(
                row.language_id, row.min_cefr, is_alternative=row.is_alternative
            )
            for row in role.language_requirements.all()
        ),
    )
    candidate = matching.Candidate(
        skills={
            skill_id: matching.HeldSkill(level=item.level, evidence=item.evidence)
            for skill_id, item in holdings["skills"].items()
        },
        languages=dict(holdings["languages"]),
    )
    return matching.compute_score(candidate, target)


def candidate_role_fit(*, profile, roles):
    """For each role, its `requirements_checklist` against the job-seeker's profile.

    Two queries for the requirements of all `roles`, none per role.
    """
    roles = Role.objects.filter(pk__in=[role.pk for role in roles]).with_profile()
    holdings = candidate_holdings(profile)
    return [
        {
            "role": role,
            "fit": fit_of(_role_score(holdings, role)),
            **requirements_checklist(
                holdings=holdings,
                skill_requirements=role.requirements.all(),
                language_requirements=role.language_requirements.all(),
                level_field="target_level",
            ),
        }
        for role in roles
    ]
