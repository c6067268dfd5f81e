"""Item statistics for staff: a classical item analysis of the practice tests.

What each figure means, so that staff (and tests) can check it by hand:

Which answers count
    Closed attempts only (finished or expired), and only those in which the candidate answered
    at least one item: an attempt opened and abandoned says nothing about the items. Within an
    attempt the items are taken in the order they were shown. An item left unanswered *before*
    the last answered one was skipped: it counts as 0 credit, as in the candidate's own score.
    Items *after* the last answered one were not reached (time ran out, the candidate stopped):
    they are left out of the item statistics, which are about how people answer an item, not
    about how far they got. An attempt's total still counts them as 0: it is the score the
    candidate was given.

Item statistics (scored items: every type but the work-style statements)
    n            the attempts that reached the item (answered or skipped).
    facility p   the mean credit (0–1). For right/wrong items: the proportion who got it right.
    discrimination
                 the corrected item–total correlation: Pearson's r between the item's credit and
                 the candidate's rest score, the mean credit on the *other* scored items of the
                 same section in the same attempt. For right/wrong items it is the point-biserial
                 correlation. The section, not the whole battery, because each section measures
                 one competency (and the pass rule is per section): an abstract-reasoning item
                 should separate those strong and weak in abstract reasoning, and would look
                 poor against a total dominated by verbal items. The item itself is left out of
                 its rest score, so that it does not correlate with itself. A mean rather than a
                 sum, so that attempts that reached different numbers of items compare fairly;
                 with equal numbers the two give the same r.
    choice rates the share of the n attempts choosing each option (for multiple response, the
                 share selecting it, so rates can add up to more than 1), and the share giving no
                 answer. For single choice, the rate of the correct option equals p.
    time         the median seconds between an answer and the previous one (or the start), from
                 the order of `answered_at`; a median, because a candidate who pauses for ten
                 minutes would swamp a mean.

Work-style statements (no right answer)
    n, the share of each answer on the 1–5 agreement scale as the candidate gave it (the stored
    score is reversed for reverse-keyed statements, the answer is not), and its mean. No p, no
    discrimination, and they count neither in totals nor in reliability.

Battery statistics
    total        per attempt, 100 × credit ÷ scored items drawn (%). Mean and SD (sample SD,
                 n − 1) over the attempts.
    reliability  When every attempt answered the same items (a fixed form, or the tests), the
                 exact Cronbach's alpha over the attempts × items matrix; it is KR-20 when every
                 credit is 0 or 1. Batteries draw items at random, so in practice no two
                 attempts share all their items and alpha cannot be computed directly. Then the
                 standardised alpha k·r̄ / (1 + (k − 1)·r̄) estimates it, with r̄ the mean
                 correlation between pairs of the battery's items, each pair computed over the
                 attempts that drew both (pairwise-complete data, pairs seen together at least
                 MIN_PAIR_RESPONSES times, weighted by that number), and k the mean number of
                 scored items an attempt draws. It is the reliability of a k-item form made of
                 items like those of the bank.
    SEM          SD × √(1 − reliability), in percentage points: about two thirds of candidates'
                 observed scores lie within one SEM of their true score.

Flags
    Fewer than MIN_RESPONSES answers: "too few answers to judge", and no other flag, because a
    p or r from a handful of answers is noise. From MIN_RESPONSES on: discrimination below 0.2,
    p below 0.2 (very hard) or above 0.9 (very easy), and an option that is not the key (for
    situational judgement: not the best option) that nobody chose.
"""

import math
import statistics as stats
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import CLOSED_STATUSES, Attempt, AttemptItem, Battery, Item

MIN_RESPONSES = 30
POOR_DISCRIMINATION = 0.2
VERY_HARD = 0.2
VERY_EASY = 0.9
MIN_PAIR_RESPONSES = 5
HISTOGRAM_BINS = 10


class Flag(models.TextChoices):
    TOO_FEW = "too_few", _("Too few answers to judge")
    POOR_DISCRIMINATION = "poor_discrimination", _("Discriminates poorly")
    VERY_HARD = "very_hard", _("Very hard")
    VERY_EASY = "very_easy", _("Very easy")
    UNUSED_OPTION = "unused_option", _("An option nobody chooses")


class Reliability(models.TextChoices):
    KR20 = "kr20", _("KR-20")
    ALPHA = "alpha", _("Cronbach's alpha")
    PAIRWISE = "pairwise", _("Standardised alpha from pairwise correlations")


# Pure functions: plain numbers in, plain numbers out (None where a figure is undefined).


def mean(values):
    values = list(values)
    return math.fsum(values) / len(values) if values else None


def sample_sd(values):
    """The standard deviation with n − 1; None below two values."""
    values = list(values)
    return stats.stdev(values) if len(values) >= 2 else None


def correlation(x, y):
    """Pearson's r; None below two pairs or when either side does not vary."""
    if len(x) != len(y):
        raise ValueError("x and y differ in length")
    if len(x) < 2:
        return None
    mean_x, mean_y = mean(x), mean(y)
    dx = [value - mean_x for value in x]
    dy = [value - mean_y for value in y]
    sxx = math.fsum(d * d for d in dx)
    syy = math.fsum(d * d for d in dy)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    return math.fsum(a * b for a, b in zip(dx, dy, strict=True)) / math.sqrt(sxx * syy)


def facility(scores):
    """p: the mean credit (the proportion right, for right/wrong items)."""
    return mean(scores)


def rest_scores(matrix):
    """For a complete persons × items matrix: per item, each person's total on the other items."""
    totals = [math.fsum(row) for row in matrix]
    return [
        [total - row[column] for total, row in zip(totals, matrix, strict=True)]
        for column in range(len(matrix[0]) if matrix else 0)
    ]


def item_rest_correlations(matrix):
    """The corrected item–total correlation of each column of a complete matrix."""
    rests = rest_scores(matrix)
    return [correlation([row[column] for row in matrix], rest) for column, rest in enumerate(rests)]


def choice_rates(chosen, options):
    """Share of the respondents choosing each option.

    `chosen`: one entry per respondent, the collection of options they chose (empty: no answer).
    Returns ({option: rate}, no-answer rate); rates are None when there is nobody.
    """
    chosen = [set(entry) for entry in chosen]
    if not chosen:
        return {option: None for option in options}, None
    count = len(chosen)
    rates = {option: sum(option in entry for entry in chosen) / count for option in options}
    return rates, sum(not entry for entry in chosen) / count


def cronbach_alpha(matrix):
    """Alpha = k/(k−1) · (1 − Σ item variances / variance of the totals), complete matrix."""
    if len(matrix) < 2 or len(matrix[0]) < 2:
        return None
    k = len(matrix[0])
    item_variance = math.fsum(stats.variance(column) for column in zip(*matrix, strict=True))
    total_variance = stats.variance([math.fsum(row) for row in matrix])
    if total_variance <= 1e-12:
        return None
    return k / (k - 1) * (1 - item_variance / total_variance)


def kr20(matrix):
    """KR-20 = k/(k−1) · (1 − Σ p·q / σ²), right/wrong items only (population variance)."""
    if any(value not in (0, 1) for row in matrix for value in row):
        raise ValueError("KR-20 needs right/wrong (0 or 1) scores")
    if len(matrix) < 2 or len(matrix[0]) < 2:
        return None
    k = len(matrix[0])
    sum_pq = math.fsum(p * (1 - p) for p in (mean(column) for column in zip(*matrix, strict=True)))
    total_variance = stats.pvariance([math.fsum(row) for row in matrix])
    if total_variance <= 1e-12:
        return None
    return k / (k - 1) * (1 - sum_pq / total_variance)


def mean_pairwise_correlation(matrix, min_pairs=MIN_PAIR_RESPONSES):
    """r̄: the mean correlation over item pairs, each from the rows where both have a value.

    `matrix`: rows (attempts) × columns (items), None where the attempt did not draw the item.
    A pair counts when it was seen together in at least `min_pairs` rows and both items vary
    there; its r is weighted by that number of rows. Returns (r̄, pairs used); (None, 0) when
    no pair qualifies.
    """
    if not matrix or not matrix[0]:
        return None, 0
    values = np.array(
        [[np.nan if value is None else float(value) for value in row] for row in matrix]
    )
    present = (~np.isnan(values)).astype(float)
    filled = np.nan_to_num(values)
    # Sums over the rows where both items i and j are present, for every pair at once.
    n = present.T @ present
    sum_i = filled.T @ present  # [i, j]: Σ x_i over rows with j present too
    sum_ii = (filled**2).T @ present
    sum_ij = filled.T @ filled
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_i = sum_i / n
        mean_j = mean_i.T
        covariance = sum_ij / n - mean_i * mean_j
        variance_i = sum_ii / n - mean_i**2
        variance_j = variance_i.T
        r = covariance / np.sqrt(variance_i * variance_j)
    upper = np.triu(np.ones_like(n, dtype=bool), k=1)
    usable = upper & (n >= min_pairs) & (variance_i > 1e-12) & (variance_j > 1e-12)
    if not usable.any():
        return None, 0
    weights = n[usable]
    return float(np.sum(r[usable] * weights) / np.sum(weights)), int(usable.sum())


def standardised_alpha(mean_r, k):
    """k·r̄ / (1 + (k − 1)·r̄): the reliability of k items correlating r̄ on average."""
    if mean_r is None or k is None or k < 2:
        return None
    denominator = 1 + (k - 1) * mean_r
    if denominator <= 0:
        return None
    return k * mean_r / denominator


def standard_error_of_measurement(sd, reliability):
    """SD × √(1 − reliability); None when either is unknown or reliability is out of [0, 1]."""
    if sd is None or reliability is None or not 0 <= reliability <= 1:
        return None
    return sd * math.sqrt(1 - reliability)


def item_flags(n, p, discrimination, unused_options=0, min_responses=MIN_RESPONSES):
    """The flags of a scored item, see the module's docstring."""
    if n < min_responses:
        return [Flag.TOO_FEW]
    flags = []
    if discrimination is not None and discrimination < POOR_DISCRIMINATION:
        flags.append(Flag.POOR_DISCRIMINATION)
    if p is not None and p < VERY_HARD:
        flags.append(Flag.VERY_HARD)
    if p is not None and p > VERY_EASY:
        flags.append(Flag.VERY_EASY)
    if unused_options:
        flags.append(Flag.UNUSED_OPTION)
    return flags


def histogram(percentages, bins=HISTOGRAM_BINS):
    """Counts of scores in equal bins over 0–100 %, the last one including 100."""
    width = 100 / bins
    counts = [0] * bins
    for value in percentages:
        counts[min(int(max(value, 0) // width), bins - 1)] += 1
    return [
        {"low": round(i * width), "high": round((i + 1) * width), "count": count}
        for i, count in enumerate(counts)
    ]


# The analysis of a set of attempts: plain records in, statistics out.


@dataclass(frozen=True)
class OptionFacts:
    id: int
    key: str
    is_keyed: bool  # the correct option, or the best one in situational judgement


@dataclass(frozen=True)
class ItemFacts:
    id: int
    key: str
    type: str
    competency: str
    options: tuple = ()
    reverse: bool = False  # work-style: the stored score is 6 − the answer

    @property
    def is_scored(self):
        return self.type != "likert"


@dataclass(frozen=True)
class Administration:
    """One item drawn in one closed attempt, with its answer if any."""

    attempt: Any
    item: int
    section: int
    position: int
    score: float | None = None  # None: not answered
    choice: int | None = None
    choices: tuple = ()
    value: str = ""  # as typed (numeric), or the 1–5 agreement (work style)
    answered_at: datetime | None = None
    started_at: datetime | None = None  # the attempt's


@dataclass
class OptionStatistics:
    id: int
    key: str
    is_keyed: bool
    count: int
    rate: float | None


@dataclass
class ItemStatistics:
    item_id: int
    key: str
    type: str
    competency: str
    is_scored: bool
    n: int = 0
    answered: int = 0
    facility: float | None = None
    discrimination: float | None = None
    options: list = field(default_factory=list)
    no_answer_rate: float | None = None
    scale: list = field(default_factory=list)  # work style: (agreement, count, rate), 1–5
    mean_value: float | None = None  # work style: the mean agreement, 1–5 as answered
    median_seconds: float | None = None
    flags: list = field(default_factory=list)
    item: Any = None  # the model instance, for pages

    @property
    def quality_flags(self):
        return [flag for flag in self.flags if flag != Flag.TOO_FEW]

    @property
    def flag_labels(self):
        return [flag.label for flag in self.flags]


@dataclass
class BatteryStatistics:
    attempt_count: int = 0  # attempts analysed
    closed_attempt_count: int = 0  # including those with no answer at all
    mean: float | None = None
    sd: float | None = None
    reliability: float | None = None
    reliability_method: str = ""
    items_per_attempt: float | None = None
    sem: float | None = None
    histogram: list = field(default_factory=list)
    items: list = field(default_factory=list)
    battery: Any = None

    @property
    def flagged_items(self):
        return [item for item in self.items if item.quality_flags]

    @property
    def too_few_count(self):
        return sum(Flag.TOO_FEW in item.flags for item in self.items)

    @property
    def reliability_label(self):
        return Reliability(self.reliability_method).label if self.reliability_method else ""


def analyse(administrations, items, min_responses=MIN_RESPONSES):
    """Statistics of the items in `administrations` and of the attempts' totals.

    `items`: {item id: ItemFacts} for every item administered.
    """
    attempts = _answered_attempts(administrations)
    reached = [a for attempt_items, last in attempts for a in attempt_items if a.position <= last]
    durations = _answer_durations(attempt_items for attempt_items, _last in attempts)
    scored_reached = [a for a in reached if items[a.item].is_scored]
    per_item = _rest_score_observations(scored_reached)
    likert = defaultdict(list)
    for a in reached:
        if not items[a.item].is_scored:
            likert[a.item].append(a)
    results = [
        _item_statistics(
            items[item_id], item_id, durations, per_item, likert, min_responses=min_responses
        )
        for item_id in sorted({a.item for a in reached}, key=lambda pk: items[pk].key)
    ]
    return _battery_summary(attempts, items, results)


def _answered_attempts(administrations):
    """Each attempt's administrations in the order given, with the position of its last answer:
    [(administrations, last position)], leaving out attempts with no answer at all."""
    by_attempt = defaultdict(list)
    for administration in administrations:
        by_attempt[administration.attempt].append(administration)
    attempts = []
    for attempt_items in by_attempt.values():
        answered = [a for a in attempt_items if a.score is not None]
        if answered:
            attempts.append((attempt_items, max(a.position for a in answered)))
    return attempts


def _answer_durations(attempts):
    """{item id: [seconds]}: the time between each answer and the previous one (or the start)."""
    durations = defaultdict(list)
    for attempt_items in attempts:
        answered = [a for a in attempt_items if a.score is not None]
        previous = attempt_items[0].started_at
        for a in sorted(answered, key=lambda a: a.answered_at or datetime.min):
            if a.answered_at is None or previous is None:
                continue
            seconds = (a.answered_at - previous).total_seconds()
            if seconds >= 0:
                durations[a.item].append(seconds)
            previous = a.answered_at
    return durations


def _rest_score_observations(scored_reached):
    """{item id: [(administration, credit, rest or None)]}, the rest score being the mean
    credit on the other reached scored items of the same section in the same attempt."""
    groups = defaultdict(list)
    for a in scored_reached:
        groups[(a.attempt, a.section)].append(a)
    per_item = defaultdict(list)
    for group in groups.values():
        total = math.fsum(a.score or 0.0 for a in group)
        for a in group:
            others = len(group) - 1
            rest = (total - (a.score or 0.0)) / others if others else None
            per_item[a.item].append((a, a.score or 0.0, rest))
    return per_item


def _item_statistics(facts, item_id, durations, per_item, likert, *, min_responses):
    """One item's statistics and flags: scored items from their credits and rest scores,
    work-style statements from the agreement given."""
    result = ItemStatistics(
        item_id=item_id,
        key=facts.key,
        type=facts.type,
        competency=facts.competency,
        is_scored=facts.is_scored,
    )
    if durations[item_id]:
        result.median_seconds = stats.median(durations[item_id])
    if facts.is_scored:
        _score_item(result, facts, per_item[item_id])
        unused = sum(1 for option in result.options if not option.is_keyed and not option.count)
        result.flags = item_flags(
            result.n, result.facility, result.discrimination, unused, min_responses
        )
    else:
        _describe_statement(result, facts, likert[item_id])
        result.flags = [Flag.TOO_FEW] if result.answered < min_responses else []
    return result


def _battery_summary(attempts, items, results):
    """The attempts' totals (every scored item drawn, unanswered ones counting 0, as in the
    candidate's score), their spread and the reliability of the battery."""
    totals = []
    drawn_counts = []
    rows = []  # one {item id: credit} per attempt, for reliability: the items it reached
    for attempt_items, last in attempts:
        scored = [a for a in attempt_items if items[a.item].is_scored]
        if scored:
            totals.append(100 * math.fsum(a.score or 0 for a in scored) / len(scored))
            drawn_counts.append(len(scored))
            rows.append({a.item: a.score or 0.0 for a in scored if a.position <= last})
    summary = BatteryStatistics(
        attempt_count=len(totals), items=results, histogram=histogram(totals)
    )
    summary.mean = mean(totals)
    summary.sd = sample_sd(totals)
    summary.items_per_attempt = mean(drawn_counts)
    summary.reliability, summary.reliability_method = _reliability(rows, summary.items_per_attempt)
    summary.sem = standard_error_of_measurement(summary.sd, summary.reliability)
    return summary


def _score_item(result, facts, observations):
    result.n = len(observations)
    result.answered = sum(1 for a, _credit, _rest in observations if a.score is not None)
    credits = [credit for _a, credit, _rest in observations]
    result.facility = facility(credits)
    pairs = [(credit, rest) for _a, credit, rest in observations if rest is not None]
    result.discrimination = correlation([c for c, _ in pairs], [r for _, r in pairs])
    if facts.options:
        chosen = [
            (a.choices or ((a.choice,) if a.choice is not None else ()))
            if a.score is not None
            else ()
            for a, _credit, _rest in observations
        ]
        rates, result.no_answer_rate = choice_rates(chosen, [o.id for o in facts.options])
        result.options = [
            OptionStatistics(
                id=option.id,
                key=option.key,
                is_keyed=option.is_keyed,
                count=sum(option.id in entry for entry in chosen),
                rate=rates[option.id],
            )
            for option in facts.options
        ]


def _describe_statement(result, facts, observations):
    values = [_agreement(a, facts) for a in observations if a.score is not None]
    result.n = len(observations)
    result.answered = len(values)
    result.mean_value = mean(values)
    result.scale = [
        (value, values.count(value), values.count(value) / len(values) if values else None)
        for value in range(1, 6)
    ]


def _agreement(administration, facts):
    """The 1–5 agreement as answered: the stored score is reversed for reverse-keyed items."""
    if administration.value.strip().isdigit() and 1 <= int(administration.value) <= 5:
        return int(administration.value)
    return round(6 - administration.score if facts.reverse else administration.score)


def _reliability(rows, items_per_attempt):
    """(reliability, method): exact alpha/KR-20 on a complete matrix, else pairwise r̄."""
    if len(rows) < 2:
        return None, ""
    columns = sorted({item for row in rows for item in row})
    if all(len(row) == len(columns) for row in rows):
        matrix = [[row[item] for item in columns] for row in rows]
        if all(value in (0, 1) for row in matrix for value in row):
            value = kr20(matrix)
            return value, Reliability.KR20 if value is not None else ""
        value = cronbach_alpha(matrix)
        return value, Reliability.ALPHA if value is not None else ""
    matrix = [[row.get(item) for item in columns] for row in rows]
    mean_r, _pairs = mean_pairwise_correlation(matrix)
    value = standardised_alpha(mean_r, items_per_attempt)
    return value, Reliability.PAIRWISE if value is not None else ""


# Loading from the database: a constant number of queries, however many attempts.


def load_administrations(attempt_items):
    """Administrations from an AttemptItem queryset, in one query; grouped by battery id."""
    rows = attempt_items.values_list(
        "attempt_id",
        "attempt__battery_id",
        "item_id",
        "section_id",
        "position",
        "response__score",
        "response__choice_id",
        "response__choices",
        "response__value",
        "response__answered_at",
        "attempt__started_at",
    ).order_by()
    by_battery = defaultdict(list)
    for (
        attempt,
        battery,
        item,
        section,
        position,
        score,
        choice,
        choices,
        value,
        answered_at,
        started_at,
    ) in rows:
        by_battery[battery].append(
            Administration(
                attempt=attempt,
                item=item,
                section=section,
                position=position,
                score=score,
                choice=choice,
                choices=tuple(_option_ids(choices)),
                value=value or "",
                answered_at=answered_at,
                started_at=started_at,
            )
        )
    return by_battery


def _option_ids(choices):
    if not isinstance(choices, list):
        return []
    return [value for value in choices if isinstance(value, int) and not isinstance(value, bool)]


def load_items(item_ids):
    """{id: Item} with their options, in two queries."""
    if not item_ids:
        return {}
    items = Item.objects.filter(pk__in=list(item_ids)).prefetch_related("options")
    return {item.pk: item for item in items}


def item_facts(item):
    is_sjt = item.type == "sjt"
    return ItemFacts(
        id=item.pk,
        key=item.key,
        type=item.type,
        competency=item.competency,
        reverse=item.reverse,
        options=tuple(
            OptionFacts(
                id=option.pk,
                key=option.key,
                is_keyed=option.effectiveness == 4 if is_sjt else option.is_correct,
            )
            for option in sorted(item.options.all(), key=lambda option: option.position)
            if item.type != "numeric"
        ),
    )


def _analyse_with_items(administrations, items_by_id):
    summary = analyse(
        administrations,
        {pk: item_facts(items_by_id[pk]) for pk in {a.item for a in administrations}},
    )
    for result in summary.items:
        result.item = items_by_id[result.item_id]
        options = {option.pk: option for option in result.item.options.all()}
        for option in result.options:
            option.option = options.get(option.id)
    return summary


def battery_statistics(battery):
    """The statistics of one battery, from its closed attempts."""
    administrations = load_administrations(
        AttemptItem.objects.filter(attempt__battery=battery, attempt__status__in=CLOSED_STATUSES)
    ).get(battery.pk, [])
    items = load_items({a.item for a in administrations})
    summary = _analyse_with_items(administrations, items)
    summary.closed_attempt_count = Attempt.objects.filter(
        battery=battery, status__in=CLOSED_STATUSES
    ).count()
    summary.battery = battery
    return summary


def all_battery_statistics(batteries):
    """The statistics of each battery in `batteries`, in a constant number of queries."""
    batteries = list(batteries)
    by_battery = load_administrations(
        AttemptItem.objects.filter(
            attempt__battery__in=batteries, attempt__status__in=CLOSED_STATUSES
        )
    )
    items = load_items({a.item for rows in by_battery.values() for a in rows})
    counts = dict(
        Attempt.objects.filter(battery__in=batteries, status__in=CLOSED_STATUSES)
        .values_list("battery")
        .annotate(count=models.Count("pk"))
        .values_list("battery", "count")
    )
    summaries = []
    for battery in batteries:
        summary = _analyse_with_items(by_battery.get(battery.pk, []), items)
        summary.closed_attempt_count = counts.get(battery.pk, 0)
        summary.battery = battery
        summaries.append(summary)
    return summaries


def item_statistics(item):
    """One item's statistics in each battery it was drawn in, and over all of them.

    Returns (rows, overall): rows are (battery, ItemStatistics) in battery order; overall is
    the ItemStatistics over every battery (None when the item was never reached). The rest
    scores come from the same attempts' sections, so pooling batteries keeps them comparable.
    """
    attempts = Attempt.objects.filter(status__in=CLOSED_STATUSES, attempt_items__item=item)
    by_battery = load_administrations(AttemptItem.objects.filter(attempt__in=attempts.values("pk")))
    items = load_items({a.item for rows in by_battery.values() for a in rows})
    batteries = Battery.objects.filter(pk__in=list(by_battery)).order_by("position", "slug")
    rows = []
    for battery in batteries:
        found = _find(_analyse_with_items(by_battery[battery.pk], items), item.pk)
        if found is not None:
            rows.append((battery, found))
    everything = [a for administrations in by_battery.values() for a in administrations]
    overall = _find(_analyse_with_items(everything, items), item.pk) if everything else None
    return rows, overall


def _find(summary, item_id):
    return next((result for result in summary.items if result.item_id == item_id), None)
