"""Jobs for me: the job-seeker's ranked vacancies, what a role needs, and the alert threshold.

Ranking is the engine's (`college.matching.engine.matches_for`, one SQL statement over every
published vacancy). Only the vacancies of the page shown are then explained, all together:
`vacancy_matches` reads the profile once, the page's requirements in two queries, their
police zones in one and the next steps in one per provider, then builds each match with the
engine's own pure functions. The pages and `/api/v1/me/matches/` thus answer in a constant
number of queries, whatever the page size or the number of published vacancies; `evaluate`
would cost a handful per vacancy.

Eligibility is shown, never used to hide a vacancy: a vacancy the job-seeker cannot take yet
stays in the list with what is missing and what to do.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from candidates.matches.forms import MatchAlertForm
from candidates.selectors import ranked_for_person
from candidates.services import candidate_profile_get_or_create
from college.core.access import role_required
from college.guidance import paths
from college.matching import engine as matching
from college.models import Importance, Role, User
from college.models.slugs import get_by_any_slug
from college.reference.fit import fit_of

PAGE_SIZE = 10
# A card shows the fit in words, this many decisive reasons and this many next steps; the
# rest waits behind "see more", so that the page stays a list of jobs, not of explanations.
REASONS_SHOWN = 3
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
        from employers.shortlists.applicants import decisive_reasons

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
    from assessments.models import Battery

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
    from employers.models import Application, Vacancy

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


# Pages ----------------------------------------------------------------------------------------


def _matches_page(request, profile, alert_form, *, status=200):
    target_roles = list(profile.target_roles.order_by("title_fr", "pk"))
    ranked = ranked_for_person(profile)
    paginator = Paginator(ranked, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = vacancy_matches(
        profile=profile,
        vacancy_ids=[pk for pk, _score, _is_target in page.object_list],
        target_vacancy_ids={pk for pk, _score, is_target in page.object_list if is_target},
    )
    target_rows = [row for row in rows if row.is_target_role]
    context = {
        "page": page,
        "paginator": paginator,
        "rows": rows,
        "target_rows": target_rows,
        "other_rows": [row for row in rows if not row.is_target_role],
        "other_start": page.start_index() + len(target_rows),
        "target_count": sum(1 for _pk, _score, is_target in ranked if is_target),
        "alert_form": alert_form,
        "profile": profile,
        "target_roles": target_roles,
    }
    return render(request, "candidates/matches/matches.html", context, status=status)


@role_required(User.Role.CANDIDATE)
@require_GET
def matches(request):
    profile = candidate_profile_get_or_create(user=request.user)
    return _matches_page(request, profile, MatchAlertForm(profile=profile))


@role_required(User.Role.CANDIDATE)
@require_http_methods(["POST"])
def match_alerts(request):
    """Saves the alert threshold; a bad value is shown at the field and nothing is saved."""
    profile = candidate_profile_get_or_create(user=request.user)
    form = MatchAlertForm(request.POST, profile=profile)
    if not form.is_valid():
        return _matches_page(request, profile, form, status=400)
    threshold = form.cleaned_data["threshold"]
    profile.match_alert_threshold = threshold
    profile.save(update_fields=["match_alert_threshold", "updated_at"])
    if threshold is None:
        messages.success(request, _("Saved: you will not receive e-mail alerts."))
    else:
        messages.success(
            request,
            _("Saved: we will e-mail you each new vacancy that fits you at %(score)s or more.")
            % {"score": threshold},
        )
    return redirect("candidates:matches")


@role_required(User.Role.CANDIDATE)
@require_GET
def role_gap(request, slug):
    profile = candidate_profile_get_or_create(user=request.user)
    role = get_by_any_slug(Role.objects.all(), slug)
    if role is None:
        raise Http404
    match = matching.evaluate_role(profile=profile, role=role)
    is_target = profile.target_roles.filter(pk=role.pk).exists()
    # One plan: the next steps are the path's own (generated for a target role as the path
    # page does), never a second list ranked another way.
    steps = paths.plan_steps(profile=profile, role=role, generate=is_target)
    gaps = [
        Gap(line=line, steps=[step for step in steps if line.skill_id in step.skill_ids])
        for line in match.skills
        if line.state != matching.MATCHED
    ]
    language_gaps = [
        Gap(line=line, steps=[step for step in steps if step.language_id == line.language_id])
        for line in match.languages
        if not line.met
    ]
    context = {
        "role": role,
        "match": match,
        "fit": fit_of(match.score),
        "steps": steps,
        "hours": sum(step.hours for step in steps),
        "gaps": gaps,
        "language_gaps": language_gaps,
        "is_target": is_target,
    }
    return render(request, "candidates/matches/role_gap.html", context)
