"""Adaptive batteries and item calibration: connects `assessments.irt` to the bank and attempts.

An adaptive battery draws one item at a time. Each section stands for a content area (its
competency) with a target share proportional to its `item_count`; the next area is the one
furthest below its share, and the next item the one of that area most informative at the
current EAP ability estimate, with randomesque exposure control. The attempt stops at
`battery.max_items`, when the standard error reaches `battery.se_target` (after at least
`MIN_ITEMS`), or when the pool is exhausted.

Items that have not been calibrated yet (`manage.py calibrate_items`) get default parameters
from their author's difficulty label: a = 1.0 and b = −1.0 (easy), 0.0 (medium or no label)
or +1.0 (hard), on the scale where candidates are N(0, 1).
"""

from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments import irt
from assessments.bank_cache import bank_rows, bank_sections
from assessments.models import Attempt, AttemptItem, Battery, Competency, Item, Response

DEFAULT_A = 1.0
DEFAULT_B = {Item.Difficulty.EASY: -1.0, Item.Difficulty.MEDIUM: 0.0, Item.Difficulty.HARD: 1.0}
# Fewer answers than this never stop an attempt, however precise the estimate seems.
MIN_ITEMS = 5
# The next item is drawn at random among this many most informative ones (exposure control).
RANDOMESQUE = 5
# Partial credit (situational judgement) counts as correct from half the credit up.
CORRECT_FROM = 0.5


def item_parameters(item):
    """(a, b) of an item: calibrated, or the defaults from its difficulty label (module doc)."""
    if item.is_calibrated:
        return item.irt_a, item.irt_b
    return DEFAULT_A, DEFAULT_B.get(item.difficulty, 0.0)


def dichotomise(score):
    return 1.0 if score >= CORRECT_FROM else 0.0


def _estimate(answered_items):
    """EAP (theta, se) from (item, score) pairs; the items need what `item_parameters`
    reads."""
    if not answered_items:
        return irt.eap([], [], [])
    parameters = np.array([item_parameters(item) for item, _ in answered_items])
    responses = [dichotomise(score) for _, score in answered_items]
    return irt.eap(responses, parameters[:, 0], parameters[:, 1])


def estimate_for(attempt):
    """EAP ability (theta, se) from the attempt's answered scored items. One query."""
    answered = [(item_id, score) for item_id, answered, score in _drawn(attempt) if answered]
    parameters = _parameters_of([item_id for item_id, _score in answered])
    return _estimate(
        [
            (parameters[item_id], score)
            for item_id, score in answered
            if item_id in parameters and parameters[item_id].is_scored
        ]
    )


def _drawn(attempt):
    """The attempt's drawn items in order: (item id, answered, the answer's score)."""
    return [
        (item_id, response_id is not None, score)
        for item_id, response_id, score in AttemptItem.objects.filter(attempt=attempt)
        .order_by("position")
        .values_list("item_id", "response__id", "response__score")
    ]


class _Parameters:
    """What the engine reads of an item, as `values_list` gives it: its competency and type
    from the bank, its difficulty label and calibration (written without a signal, so read
    from the database, see `assessments.bank_cache`)."""

    __slots__ = ("pk", "competency", "type", "difficulty", "irt_a", "irt_b", "status")

    FIELDS = ("pk", "competency", "type", "difficulty", "irt_a", "irt_b", "status")

    def __init__(self, row):
        for name, value in zip(self.FIELDS, row, strict=True):
            setattr(self, name, value)

    @property
    def is_calibrated(self):
        return self.irt_a is not None and self.irt_b is not None

    @property
    def is_scored(self):
        return self.type != Item.Type.LIKERT


def _parameters_of(item_ids, candidates=None):
    """{item id: _Parameters} for these items, and, with `candidates` (a Q), for the items it
    selects too; one query, in the bank's order (the items' `key`)."""
    selected = Q(pk__in=item_ids)
    if candidates is not None:
        selected |= candidates
    if not item_ids and candidates is None:
        return {}
    rows = Item.objects.filter(selected).order_by("key").values_list(*_Parameters.FIELDS)
    return {row[0]: _Parameters(row) for row in rows}


def next_item_for(attempt, drawn=None):
    """The next (item, section) of an adaptive attempt, or None when the attempt should stop.

    Reproducible: the draw among the most informative items uses a generator seeded with the
    attempt's seed plus the number of answers so far. Two queries, however many items have
    been answered (one when `drawn`, the attempt's items as `_drawn` gives them, is passed):
    the items' calibration and status from the database, their texts and the battery's
    sections from the bank kept in the process (`assessments.bank_cache`).
    """
    battery = attempt.battery
    if battery.kind != Battery.Kind.ADAPTIVE:
        raise ValueError(f"{battery.slug} is not an adaptive battery")
    if drawn is None:
        drawn = _drawn(attempt)
    if len(drawn) >= battery.max_items:
        return None
    # Content areas: one per competency, the first section of a competency stands for it.
    sections, targets = {}, {}
    for section in bank_sections(battery.pk):
        competency = Competency.for_language(section.competency, attempt.language)
        sections.setdefault(competency, section)
        targets[competency] = targets.get(competency, 0) + section.item_count
    areas = list(sections)
    drawn_ids = [item_id for item_id, _answered, _score in drawn]
    parameters = _parameters_of(
        drawn_ids,
        candidates=Q(status=Item.Status.LIVE, competency__in=areas) & ~Q(type=Item.Type.LIKERT),
    )
    answers = [(item_id, score) for item_id, answered, score in drawn if answered]
    scored_answers = [
        (parameters[item_id], score)
        for item_id, score in answers
        if item_id in parameters and parameters[item_id].is_scored
    ]
    theta, se = _estimate(scored_answers)
    if len(scored_answers) >= min(MIN_ITEMS, battery.max_items) and se <= battery.se_target:
        return None
    excluded = set(drawn_ids)
    candidates = [
        item
        for item in parameters.values()
        if item.pk not in excluded
        and item.status == Item.Status.LIVE
        and item.competency in sections
        and item.type != Item.Type.LIKERT
    ]
    if not candidates:
        return None
    administered = [0] * len(areas)
    for item_id in drawn_ids:
        item = parameters.get(item_id)
        if item is not None and item.competency in sections:
            administered[areas.index(item.competency)] += 1
    candidate_areas = np.array([areas.index(item.competency) for item in candidates])
    area = irt.choose_area(
        [targets[competency] for competency in areas],
        administered,
        np.bincount(candidate_areas, minlength=len(areas)),
    )
    table = np.array([item_parameters(item) for item in candidates])
    rng = np.random.default_rng((attempt.seed + len(answers)) % 2**64)
    index = irt.select_next(
        theta, table[:, 0], table[:, 1], candidate_areas == area, rng, RANDOMESQUE
    )
    pk = candidates[index].pk
    items, _sections = bank_rows(item_ids=[pk])
    item = items[pk]
    return item, sections[candidates[index].competency]


# Calibration --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencyCalibration:
    competency: str
    items: list  # the items of the matrix's columns
    attempts: int  # the matrix's rows
    result: irt.Calibration

    @property
    def calibrated(self):
        return [item for item, ok in zip(self.items, self.result.is_calibrated, strict=True) if ok]

    @property
    def skipped(self):
        return [
            item for item, ok in zip(self.items, self.result.is_calibrated, strict=True) if not ok
        ]


def response_matrices(competencies=None):
    """Per competency: its items and the attempts × items matrix of dichotomised responses.

    Every finished or expired attempt is one person; its responses to scored live items count,
    and an item it was not given (or did not reach) is missing, not wrong.
    """
    responses = Response.objects.filter(
        attempt_item__attempt__status__in=[Attempt.Status.FINISHED, Attempt.Status.EXPIRED],
        attempt_item__item__status=Item.Status.LIVE,
    ).exclude(attempt_item__item__type=Item.Type.LIKERT)
    if competencies:
        responses = responses.filter(attempt_item__item__competency__in=competencies)
    by_competency = {}
    for attempt_id, item_id, competency, score in responses.values_list(
        "attempt_item__attempt_id",
        "attempt_item__item_id",
        "attempt_item__item__competency",
        "score",
    ):
        by_competency.setdefault(competency, []).append((attempt_id, item_id, dichotomise(score)))
    matrices = {}
    for competency, rows in sorted(by_competency.items()):
        item_ids = sorted({item_id for _, item_id, _ in rows})
        attempt_ids = sorted({attempt_id for attempt_id, _, _ in rows})
        columns = {item_id: column for column, item_id in enumerate(item_ids)}
        persons = {attempt_id: row for row, attempt_id in enumerate(attempt_ids)}
        matrix = np.full((len(attempt_ids), len(item_ids)), np.nan)
        for attempt_id, item_id, value in rows:
            matrix[persons[attempt_id], columns[item_id]] = value
        items = Item.objects.in_bulk(item_ids)
        matrices[competency] = ([items[item_id] for item_id in item_ids], matrix)
    return matrices


def items_calibrate(*, min_n=50, competencies=None, dry_run=False):
    """Fits the 2PL model per competency (one latent trait each) and saves the parameters of
    items with at least `min_n` responses; others are left as they were. Returns one
    `CompetencyCalibration` per competency that has responses."""
    now = timezone.now()
    calibrations = []
    for competency, (items, matrix) in response_matrices(competencies).items():
        result = irt.calibrate_2pl(matrix, min_n=min_n)
        calibrations.append(CompetencyCalibration(competency, items, len(matrix), result))
        for item, a, b, n in zip(items, result.a, result.b, result.n, strict=True):
            if not np.isnan(a):
                item.irt_a, item.irt_b = float(a), float(b)
                item.calibrated_at, item.calibration_n = now, int(n)
    if not dry_run:
        with transaction.atomic():
            Item.objects.bulk_update(
                [item for calibration in calibrations for item in calibration.calibrated],
                ["irt_a", "irt_b", "calibrated_at", "calibration_n"],
            )
    return calibrations
