"""The blind, explained ranking of an intake's applicants, for college staff.

The score
=========

Three components, each on 0–100:

* **aptitude**: the weighted mean, over the intake's counted tests (their weights are stated on
  the intake), of the person's result on each: the most recent finished attempt started before
  the intake closed. On an adaptive test, whose items are calibrated on the IRT scale, the
  result is the ability estimate θ as a percentile of the population (``ability_percent``);
  on a fixed test the score in percent. A counted test not taken counts 0.
* **motivation**: the mean of the (at most two) staff ratings, 1–5, mapped to 0–100
  ((mean − 1) × 25). Each rater rates without seeing the other's rating; the ranking shows
  their agreement (agree when the two differ by one point or less). Not yet rated counts 0.
* **readiness**: the matching engine's fit of the profile for the role the programme prepares
  for (the one score every page of Passerelle uses). An intake with no role has no readiness
  component, for everyone.

The **score** is the weighted mean of the components with the intake's weights (a component
that does not exist for the intake is left out of both sums), rounded to one decimal when
shown; the order uses the exact value.

**Ties** are broken, in order, by the higher aptitude, then the higher motivation, then by lot:
the alphabetical order of the pseudonyms, which are drawn at random when a person applies.

**Eligibility** is shown apart from the score and never changes it: the intake's minimum age
(reached in the year the programme starts) and the legal conditions of the role. Gender,
commune, nationality (other than a legal condition), language, name and contact details are
never read by the score: two people who differ only in them get the same row apart from their
pseudonym.

:func:`rank` and the component functions are pure; :func:`intake_ranking` reads the database in
a constant number of queries whatever the number of applicants.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import CLOSED_STATUSES, Attempt
from assessments.scoring import ability_percent
from college import matching
from college.models import IntakeApplication, IntakeBattery, MotivationRating

APTITUDE, MOTIVATION, READINESS = "aptitude", "motivation", "readiness"
AGREEMENT_GAP = 1  # two ratings this close (or closer) agree


@dataclass(frozen=True)
class BatteryResult:
    battery_id: int
    title: str
    weight: int
    value: Fraction | None  # 0–100; None: not taken
    on_irt_scale: bool = False


@dataclass(frozen=True)
class Component:
    key: str
    weight: int
    value: Fraction  # 0–100
    detail: dict = field(default_factory=dict)

    @property
    def display(self):
        return round(float(self.value), 1)


@dataclass(frozen=True)
class RankedApplication:
    application_id: int
    ref: str
    status: str
    score: Fraction
    components: tuple[Component, ...]
    eligibility: str
    eligibility_missing: tuple[str, ...]
    reasons: tuple[str, ...]
    rank: int = 0

    @property
    def score_display(self):
        return round(float(self.score), 1)

    def component(self, key):
        return next((item for item in self.components if item.key == key), None)

    @property
    def is_eligible(self):
        return self.eligibility != matching.NOT_YET


# Pure part --------------------------------------------------------------------------------------


def exact(value) -> Fraction:
    """A float result as an exact fraction of its two-decimal rounding (what is shown)."""
    return Fraction(str(round(float(value), 2)))


def aptitude(results: tuple[BatteryResult, ...]) -> Fraction:
    total = sum(result.weight for result in results)
    if not total:
        return Fraction(0)
    return sum((result.weight * (result.value or 0) for result in results), Fraction(0)) / total


def motivation(ratings: tuple[int, ...]) -> Fraction:
    if not ratings:
        return Fraction(0)
    mean = Fraction(sum(ratings), len(ratings))
    return (mean - 1) * 25


def agreement(ratings: tuple[int, ...]):
    """ "agree", "differ" (two ratings more than one point apart) or None (fewer than two)."""
    if len(ratings) < 2:
        return None
    return "agree" if max(ratings) - min(ratings) <= AGREEMENT_GAP else "differ"


def weighted_score(components: tuple[Component, ...]) -> Fraction:
    total = sum(item.weight for item in components)
    if not total:
        return Fraction(0)
    return sum((item.weight * item.value for item in components), Fraction(0)) / total


def order_key(row: RankedApplication):
    """Higher score first; then higher aptitude, higher motivation, then by lot (the random
    pseudonym's order)."""
    aptitude_part = row.component(APTITUDE)
    motivation_part = row.component(MOTIVATION)
    return (
        -row.score,
        -(aptitude_part.value if aptitude_part else 0),
        -(motivation_part.value if motivation_part else 0),
        row.ref,
    )


def rank(rows) -> list[RankedApplication]:
    """The rows in ranking order, numbered from 1 (no two rows share a rank: ties are broken)."""
    ordered = sorted(rows, key=order_key)
    return [
        RankedApplication(**{**row.__dict__, "rank": number})
        for number, row in enumerate(ordered, start=1)
    ]


def number(value):
    value = round(float(value), 1)
    return int(value) if value == int(value) else value


def reasons_for(components, missing, *, role_title=""):
    """The row's reasons in words, in the active language."""
    reasons = []
    for item in components:
        if item.key == APTITUDE:
            tests = item.detail["tests"]
            taken = [test for test in tests if test.value is not None]
            reasons.append(
                _("Aptitude %(value)s/100 from %(taken)s of %(count)s counted tests.")
                % {"value": number(item.value), "taken": len(taken), "count": len(tests)}
            )
            for test in tests:
                if test.value is None:
                    reasons.append(_("Not taken: %(test)s (counts 0).") % {"test": test.title})
        elif item.key == MOTIVATION:
            ratings = item.detail["ratings"]
            if not ratings:
                reasons.append(_("Motivation not rated yet (counts 0)."))
            elif len(ratings) == 1:
                reasons.append(
                    _("Motivation rated %(mean)s/5 by one staff member; a second rating is due.")
                    % {"mean": number(Fraction(sum(ratings), len(ratings)))}
                )
            else:
                mean = number(Fraction(sum(ratings), len(ratings)))
                if agreement(ratings) == "agree":
                    reasons.append(
                        _("Motivation rated %(mean)s/5 by two staff members who agree.")
                        % {"mean": mean}
                    )
                else:
                    reasons.append(
                        _(
                            "Motivation rated %(mean)s/5 by two staff members who differ by "
                            "%(gap)s points: worth a third look."
                        )
                        % {"mean": mean, "gap": max(ratings) - min(ratings)}
                    )
        elif item.key == READINESS:
            reasons.append(
                _("Readiness %(value)s/100 for the role %(role)s.")
                % {"value": number(item.value), "role": role_title}
            )
    reasons.extend(missing)
    return tuple(reasons)


def age_missing(*, birth_year, min_age, year):
    if not min_age:
        return ()
    if birth_year is None:
        return (_("Birth year to confirm (minimum age %(age)s).") % {"age": min_age},)
    if year - birth_year < min_age:
        return (_("Minimum age: %(age)s.") % {"age": min_age},)
    return ()


# Reading the database ---------------------------------------------------------------------------


def _attempts(user_ids, battery_ids, *, until):
    """The closed attempts at `battery_ids` of `user_ids` started on or before the day
    `until`, the most recent first per person and battery: one query."""
    return list(
        Attempt.objects.filter(
            user_id__in=user_ids,
            battery_id__in=battery_ids,
            status__in=CLOSED_STATUSES,
            started_at__date__lte=until,
        )
        .order_by("user_id", "battery_id", "-started_at", "-pk")
        .values_list("user_id", "battery_id", "started_at", "theta", "score_percent")
    )


def _results_from(attempts, counted, *, closes_on):
    """{(user id, battery id): (value, on IRT scale)} from the most recent of `attempts` (as
    :func:`_attempts` orders them) at a counted battery started on or before `closes_on`."""
    counted_ids = {row.battery_id for row in counted}
    results = {}
    for user_id, battery_id, started_at, theta, score_percent in attempts:
        if battery_id not in counted_ids or timezone.localdate(started_at) > closes_on:
            continue
        if (user_id, battery_id) in results:
            continue
        if theta is not None:
            results[user_id, battery_id] = (exact(ability_percent(theta)), True)
        elif score_percent is not None:
            results[user_id, battery_id] = (exact(score_percent), False)
    return results


def _latest_results(intake, user_ids, counted):
    """{(user id, battery id): (value, on IRT scale)} from the most recent closed attempt of
    each counted battery started on or before the closing day: one query."""
    attempts = _attempts(user_ids, [row.battery_id for row in counted], until=intake.closes_on)
    return _results_from(attempts, counted, closes_on=intake.closes_on)


def _ratings(application_ids):
    """{application id: [rating, …]}: one query."""
    ratings = {}
    for application_id, score in MotivationRating.objects.filter(
        application__in=application_ids
    ).values_list("application_id", "score"):
        ratings.setdefault(application_id, []).append(score)
    return ratings


def applications_ranked(intake, applications):
    """The ranking of `applications` (IntakeApplication rows of `intake`, with
    ``candidate__candidate_profile`` selected): a constant number of queries."""
    applications = list(applications)
    counted = list(IntakeBattery.objects.filter(intake=intake).select_related("battery"))
    user_ids = [application.candidate_id for application in applications]
    results = _latest_results(intake, user_ids, counted) if counted else {}
    ratings = _ratings([application.pk for application in applications])
    profiles = [application.candidate.candidate_profile for application in applications]
    candidates = matching.load_candidates(profiles) if profiles else {}
    target = matching.load_role_target(intake.role) if intake.role_id else None
    return _ranked(intake, applications, counted, results, ratings, candidates, target)


def person_rows(applications):
    """{application id: its row}, each application ranked alone in its intake (as the
    person's own file shows it), for one person's applications to any intakes: rows with
    ``intake__role`` and ``candidate__candidate_profile`` selected and
    ``intake__batteries__battery`` prefetched.

    Queries: one for the attempts, one for the ratings, the person's matching data once, and
    the role's target once per distinct role (two queries): not one more per application.
    """
    applications = list(applications)
    if not applications:
        return {}
    counted = {item.pk: list(item.intake.batteries.all()) for item in applications}
    battery_ids = {row.battery_id for rows in counted.values() for row in rows}
    user_ids = {item.candidate_id for item in applications}
    latest = max(item.intake.closes_on for item in applications)
    attempts = _attempts(user_ids, battery_ids, until=latest) if battery_ids else []
    ratings = _ratings([item.pk for item in applications])
    profiles = {
        item.candidate.candidate_profile.pk: item.candidate.candidate_profile
        for item in applications
    }
    candidates = matching.load_candidates(list(profiles.values()))
    targets = {}
    rows = {}
    for item in applications:
        intake = item.intake
        if intake.role_id and intake.role_id not in targets:
            targets[intake.role_id] = matching.load_role_target(intake.role)
        results = _results_from(attempts, counted[item.pk], closes_on=intake.closes_on)
        target = targets.get(intake.role_id)
        rows[item.pk] = _ranked(
            intake, [item], counted[item.pk], results, ratings, candidates, target
        )[0]
    return rows


def _ranked(intake, applications, counted, results, ratings, candidates, target):
    """The rows of `applications` of `intake`, ranked, from what was read (no query)."""
    role_title = intake.role.title if intake.role_id else ""
    rows = []
    for application in applications:
        profile = application.candidate.candidate_profile
        candidate = candidates[profile.pk]
        components = []
        if intake.aptitude_weight:
            tests = tuple(
                BatteryResult(
                    battery_id=row.battery_id,
                    title=row.battery.title,
                    weight=row.weight,
                    value=results.get((application.candidate_id, row.battery_id), (None,))[0],
                    on_irt_scale=results.get(
                        (application.candidate_id, row.battery_id), (None, False)
                    )[1],
                )
                for row in counted
            )
            components.append(
                Component(APTITUDE, intake.aptitude_weight, aptitude(tests), {"tests": tests})
            )
        if intake.motivation_weight:
            given = tuple(sorted(ratings.get(application.pk, ())))
            components.append(
                Component(
                    MOTIVATION,
                    intake.motivation_weight,
                    motivation(given),
                    {"ratings": given, "agreement": agreement(given)},
                )
            )
        if intake.readiness_weight and target is not None:
            components.append(
                Component(
                    READINESS,
                    intake.readiness_weight,
                    Fraction(matching.compute_score(candidate, target)),
                    {"role": role_title},
                )
            )
        missing = list(
            age_missing(
                birth_year=profile.birth_year,
                min_age=intake.min_age,
                year=intake.starts_on.year,
            )
        )
        status = matching.ELIGIBLE
        if target is not None:
            eligibility = matching.compute_eligibility(candidate, target, today=intake.starts_on)
            status = eligibility.status
            missing.extend(item for item in eligibility.missing if item not in missing)
        if missing:
            status = matching.NOT_YET
        components = tuple(components)
        rows.append(
            RankedApplication(
                application_id=application.pk,
                ref=application.ref,
                status=application.status,
                score=weighted_score(components),
                components=components,
                eligibility=status,
                eligibility_missing=tuple(missing),
                reasons=reasons_for(components, missing, role_title=role_title),
            )
        )
    return rank(rows)


def intake_ranking(intake):
    """Every application of the intake but the withdrawn ones, ranked."""
    applications = (
        IntakeApplication.objects.filter(intake=intake)
        .exclude(status=IntakeApplication.Status.WITHDRAWN)
        .select_related("candidate__candidate_profile")
    )
    return applications_ranked(intake, applications)
