"""Attempts: start, answer, finish; extra time. Every write of the test runner lives here.

The server is the only clock: an answer that arrives at or after the deadline is refused, and an
attempt past its deadline closes itself (status expired, results from what was answered) the
next time anything touches it, or when `manage.py expire_attempts` runs.

Exam conditions, as in the real selections: a fixed battery's sections (parts) are timed one by
one. The first part opens at the start; a part closes when its time (× the person's extra-time
multiplier) runs out or when all its items are answered, and the next one opens then: at the
moment the previous part ran out, whether or not anybody was looking, so that the parts' times
add up to the attempt's. An answer is accepted only for an item already served (shown) in this
attempt, of the part open now, before that part's deadline and the attempt's.
"""

import datetime
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, prefetch_related_objects
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from assessments import adaptive, checks, scoring
from assessments.bank_cache import bank_rows, bank_sections
from assessments.drawing import attempt_draw, option_order_for
from assessments.models import (
    CLOSED_STATUSES,
    Attempt,
    AttemptItem,
    Battery,
    EvidenceOutcome,
    Item,
    Response,
    TimeAccommodation,
)
from assessments.scoring import answer_validate, attempt_has_verified_skills
from assessments.selectors import (
    ItemNotInAttempt,
    attempt_progress,
    attempt_results_rows,
    progress_of,
    section_deadline_from,
    time_multiplier_for,
)
from candidates.models import Evidence
from candidates.services import candidate_profile_get_or_create, candidate_skills_verify
from college.core.compiled import Compiled, insert, sentinel_uuid, update
from college.core.converters import MAX_ID
from college.models import User

MULTIPLIERS = (Decimal("1"), Decimal("1.25"), Decimal("1.33"), Decimal("1.5"), Decimal("2"))


class StartRefused(ValueError):
    def __init__(self, message, field):
        super().__init__(str(message))
        self.message = message
        self.field = field


class AttemptClosed(Exception):
    """The attempt is finished or its time ran out: nothing more can be answered."""

    def __init__(self, attempt):
        super().__init__(attempt.status)
        self.attempt = attempt


class AnswerRefused(Exception):
    """The answer breaks the exam conditions; `code` is "not_served" (the item was not shown
    yet) or "section_closed" (its part's time is over, or the part is behind the candidate)."""

    def __init__(self, message, code):
        super().__init__(str(message))
        self.message = message
        self.code = code


InvalidAnswer = scoring.InvalidAnswer


# Starting -------------------------------------------------------------------------------------


def attempt_start(*, user, battery, mode, language):
    """Starts an attempt, or returns the user's open attempt at this battery (resumed).

    The returned attempt has `is_new` set, and a new one its `progress` (as
    `selectors.attempt_progress` gives it). The deadline is now + the battery's total time ×
    the user's extra-time multiplier. A fixed battery's items are drawn at once; an adaptive
    battery's are chosen one at a time by `attempt_current_item`.
    """
    if language not in battery.languages:
        raise StartRefused(_("This test cannot be taken in that language."), "language")
    if mode not in Attempt.Mode.values:
        raise StartRefused(_("Choose practice or exam."), "mode")
    if not battery.is_active:
        raise StartRefused(_("This test is not offered any more."), "battery")
    overdue = None
    with transaction.atomic():
        # One open attempt per person and battery: starts of the same person queue here.
        _PERSON_LOCKED.rows(user_id=user.pk)
        current = _OPEN_ATTEMPT.first(user_id=user.pk, battery_id=battery.pk)
        if current is not None and timezone.now() < current.deadline:
            current.is_new = False
            return current
        overdue = current
        now = timezone.now()
        multiplier = time_multiplier_for(user)
        # The sections once, for the time and the draw, from the bank kept in the process.
        sections = bank_sections(battery.pk)
        seconds = float(sum(section.time_limit_seconds for section in sections) * multiplier)
        attempt = Attempt(
            battery=battery,
            user=user,
            mode=mode,
            language=language,
            seed=secrets.randbits(62),
            time_multiplier=multiplier,
            started_at=now,
            deadline=now + datetime.timedelta(seconds=round(seconds)),
        )
        drawn = []
        if battery.kind == Battery.Kind.FIXED:
            drawn = attempt_draw(battery, language, attempt.seed, sections=sections)
            if drawn:
                first = drawn[0][1]
                attempt.section_position = first.position
                attempt.section_deadline = section_deadline_from(attempt, first, now)
        # Written with statements built once per process (college.core.compiled.insert).
        insert([attempt])
        if drawn:
            insert(
                AttemptItem(
                    attempt_id=attempt.pk,
                    item_id=item.pk,
                    section_id=section.pk,
                    position=position,
                    option_order=option_order,
                )
                for position, (item, section, option_order) in enumerate(drawn, start=1)
            )
    # Closed after the start's transaction, not in it: closing locks the overdue attempt, and a
    # request closing it from its side holds that lock and may need this person's row (a first
    # profile when a skill is verified), so holding both locks here could deadlock.
    if overdue is not None:
        attempt_finish(attempt=overdue)
    attempt.is_new = True
    attempt.progress = progress_of(battery, shown=len(drawn), answered=0)
    return attempt


# Answering -----------------------------------------------------------------------------------


def _section_is_over(attempt, now):
    return (
        attempt.section_position is None
        or now >= attempt.section_deadline
        or not AttemptItem.objects.filter(
            attempt=attempt, section__position=attempt.section_position, response__isnull=True
        ).exists()
    )


@transaction.atomic
def attempt_section_advance(*, attempt):
    """Fixed batteries: opens the next part when the current one is over (its time ran out,
    or all its items are answered); sets the attempt's `section_position` and
    `section_deadline` (on the object given too) and returns the attempt.

    A part whose time ran out opens the next one at the moment it ran out; a part finished
    early opens the next one now. After the last part, the position stays on it.
    """
    if attempt.battery.kind != Battery.Kind.FIXED or attempt.status != Attempt.Status.IN_PROGRESS:
        return attempt
    now = timezone.now()
    if not _section_is_over(attempt, now):
        return attempt
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    sections = {
        section.position: section
        for section in attempt.battery.sections.filter(
            pk__in=AttemptItem.objects.filter(attempt=locked).values("section")
        )
    }
    open_positions = set(
        AttemptItem.objects.filter(attempt=locked, response__isnull=True).values_list(
            "section__position", flat=True
        )
    )
    position, deadline = locked.section_position, locked.section_deadline
    if position is None or position not in sections:
        # Attempts started before the parts were timed: the part of the first open item.
        position = min(open_positions or sections or [None], default=None)
        if position is None:
            return attempt
        deadline = section_deadline_from(locked, sections[position], now)
    while now >= deadline or position not in open_positions:
        following = sorted(p for p in sections if p > position)
        if not following:
            break
        start = deadline if now >= deadline else now
        position = following[0]
        deadline = section_deadline_from(locked, sections[position], start)
    if (position, deadline) != (locked.section_position, locked.section_deadline):
        locked.section_position, locked.section_deadline = position, deadline
        locked.save(update_fields=["section_position", "section_deadline"])
    attempt.section_position, attempt.section_deadline = position, deadline
    return attempt


def _serve(attempt_item):
    """Marks the item as shown to the candidate (the first time): from now on it can be
    answered."""
    if attempt_item is not None and attempt_item.served_at is None:
        now = timezone.now()
        AttemptItem.objects.filter(pk=attempt_item.pk, served_at__isnull=True).update(served_at=now)
        attempt_item.served_at = now
    return attempt_item


STEP_FIELDS = ("pk", "item_id", "section_id", "position", "option_order", "served_at")
# The queries of every step, compiled once per process (college.core.compiled): the ORM took
# longer to compile them than the database to answer.
_ATTEMPT = sentinel_uuid(7_310_051)
_ITEM = -7_310_053
_STEPS = Compiled(
    "attempt steps",
    lambda attempt_id: (
        AttemptItem.objects.filter(attempt_id=attempt_id)
        .order_by("position")
        .values_list(*STEP_FIELDS, "response__id", "response__score")
    ),
    attempt_id=_ATTEMPT,
)
_ANSWER_TARGET = Compiled(
    "answer target",
    lambda attempt_id, item_id: (
        AttemptItem.objects.filter(attempt_id=attempt_id, item_id=item_id)
        .values_list(*STEP_FIELDS, "response__id", "attempt__status", "attempt__deadline")
        .order_by("pk")[:1]
    ),  # one row at most; not the default order, which joins the attempt's
    attempt_id=_ATTEMPT,
    item_id=_ITEM,
)
_LOCKED = Compiled(
    "attempt locked",
    lambda attempt_id: (
        Attempt.objects.select_for_update()
        .filter(pk=attempt_id)
        .order_by()
        .values_list("status", "deadline", "section_position", "section_deadline")
    ),
    attempt_id=_ATTEMPT,
)


_PERSON_LOCKED = Compiled(
    "person locked",
    lambda user_id: (
        User.objects.select_for_update().filter(pk=user_id).order_by("pk").values_list("pk")[:1]
    ),
    user_id=-7_310_071,
)
_OPEN_ATTEMPT = Compiled(
    "open attempt",
    lambda user_id, battery_id: Attempt.objects.filter(
        user_id=user_id, battery_id=battery_id, status=Attempt.Status.IN_PROGRESS
    ).order_by("-started_at")[:1],
    user_id=-7_310_073,
    battery_id=-7_310_079,
)


_LOCKED_FOR_FINISH = Compiled(
    "attempt locked for finishing",
    lambda attempt_id: (
        Attempt.objects.select_for_update()
        .select_related("battery", "user")
        .filter(pk=attempt_id)
        .order_by()
    ),
    attempt_id=_ATTEMPT,
)
# The norm group of a score: the battery's other closed attempts with a score, how many in all,
# below it and equal to it. One group (the battery's), or no row when there is none.
_NORM_COUNTS = Compiled(
    "norm counts",
    lambda battery_id, attempt_id, overall: (
        Attempt.objects.filter(
            battery_id=battery_id, status__in=CLOSED_STATUSES, score_percent__isnull=False
        )
        .exclude(pk=attempt_id)
        .order_by()
        .values("battery_id")
        .annotate(
            total=Count("pk"),
            below=Count("pk", filter=Q(score_percent__lt=overall)),
            equal=Count("pk", filter=Q(score_percent=overall)),
        )
        .values_list("total", "below", "equal")
    ),
    battery_id=-7_310_089,
    attempt_id=_ATTEMPT,
    overall=-7_310.097,
)


# What finishing writes on the attempt: its closing, results and evidence.
FINISH_FIELDS = (
    "status",
    "finished_at",
    "score_percent",
    "competency_scores",
    "section_scores",
    "trait_scores",
    "passed",
    "percentile",
    "theta",
    "theta_se",
    "evidence_outcome",
    "evidence_skills",
)


def _steps(attempt):
    """The attempt's drawn items in order, as narrow rows: the AttemptItem fields of
    STEP_FIELDS, then the response's id (None when unanswered) and score. One query."""
    return _STEPS.rows(attempt_id=attempt.pk)


def _locked(attempt):
    """{status, deadline, section_position, section_deadline} of the attempt as stored, its row
    locked until the transaction ends."""
    rows = _LOCKED.rows(attempt_id=attempt.pk)
    if not rows:
        raise Attempt.DoesNotExist(f"no attempt {attempt.pk}")
    names = ("status", "deadline", "section_position", "section_deadline")
    return dict(zip(names, rows[0], strict=True))


def _attempt_item_from(attempt, row, items, sections):
    """The AttemptItem of a step row, with its item (options, passage) and section from the
    bank kept in the process: what `item_content` and `answer_validate` read, without a query."""
    attempt_item = AttemptItem.from_db(
        attempt._state.db, ["id", "attempt_id", *STEP_FIELDS[1:]], [row[0], attempt.pk, *row[1:6]]
    )
    attempt_item.attempt = attempt
    attempt_item.item = items[row[1]]
    attempt_item.section = sections[row[2]]
    return attempt_item


def attempt_step(*, attempt):
    """(the item to answer now, the progress): `attempt_current_item` and
    `selectors.attempt_progress` in one read of the attempt's items, their texts and options
    from the bank kept in the process (`assessments.bank_cache`)."""
    if not attempt.is_open:
        return None, attempt_progress(attempt)
    rows = _steps(attempt)
    current = _current_item(attempt, rows)
    # Serving an item or opening a part answers nothing; an adaptive test's total is its
    # maximum length, whatever was appended.
    answered = sum(1 for row in rows if row[6] is not None)
    return current, progress_of(attempt.battery, shown=len(rows), answered=answered)


def attempt_current_item(*, attempt):
    """The first unanswered item of the part open now, or None when none is left; it is
    marked as served, so that it can be answered.

    For an adaptive battery the next item is chosen (by `assessments.adaptive.next_item_for`)
    and appended when every shown item has been answered, under a lock of the attempt so two
    tabs never append two items.
    """
    if not attempt.is_open:
        return None
    return _current_item(attempt, _steps(attempt))


def _current_item(attempt, rows):
    items, sections = bank_rows(
        item_ids=[row[1] for row in rows], section_ids=[row[2] for row in rows]
    )
    if attempt.battery.kind == Battery.Kind.FIXED:
        now = timezone.now()
        if (
            attempt.section_position is None
            or now >= attempt.section_deadline
            or not any(
                row[6] is None and sections[row[2]].position == attempt.section_position
                for row in rows
            )
        ):
            attempt_section_advance(attempt=attempt)
        if attempt.section_position is None or timezone.now() >= attempt.section_deadline:
            return None
        for row in rows:
            if row[6] is None and sections[row[2]].position == attempt.section_position:
                return _serve(_attempt_item_from(attempt, row, items, sections))
        return None
    for row in rows:
        if row[6] is None:
            return _serve(_attempt_item_from(attempt, row, items, sections))
    return _adaptive_append(attempt)


@transaction.atomic
def _adaptive_append(attempt):
    """The next item of an adaptive attempt, chosen and appended (served) when every shown
    item is answered; None when the attempt should stop. Under the attempt's lock, so two tabs
    never append two items: four queries (the lock, the drawn items, the engine's read of the
    items' calibration, the insert)."""
    locked = _locked(attempt)
    if locked["status"] != Attempt.Status.IN_PROGRESS or timezone.now() >= locked["deadline"]:
        return None
    rows = _steps(attempt)
    for row in rows:
        if row[6] is None:
            items, sections = bank_rows(item_ids=[row[1]], section_ids=[row[2]])
            return _serve(_attempt_item_from(attempt, row, items, sections))
    if len(rows) >= attempt.battery.max_items:
        return None
    chosen = adaptive.next_item_for(attempt, drawn=[(row[1], True, row[7]) for row in rows])
    if chosen is None:
        return None
    item, section = chosen
    created = AttemptItem(
        attempt_id=attempt.pk,
        item_id=item.pk,
        section_id=section.pk,
        position=len(rows) + 1,
        option_order=option_order_for(item, attempt.seed),
        served_at=timezone.now(),
    )
    insert([created])  # as the start writes its items (college.core.compiled)
    created.attempt, created.item, created.section = attempt, item, section
    return created


# Not one transaction: the refusals are raised after what must stay written (an overdue attempt
# closed, a part opened when its predecessor ran out), which a rollback would undo.
def response_save(*, attempt, item, choice=None, choices=None, value=None):
    """Saves the answer to one item of the attempt; returns (response, created).

    - an item that is not in the attempt: ItemNotInAttempt (a 404);
    - at or after the deadline, or once the attempt is closed: AttemptClosed, and an overdue
      attempt is closed with the results of what was answered;
    - an already answered item: its stored response, unchanged (created False), even under
      parallel requests; answers are final;
    - an item not served yet, or of a part that is closed (its time ran out, or the candidate
      moved on to the next part): AnswerRefused;
    - an unusable answer (no option, an option of another item, not a number…): InvalidAnswer.
    """
    attempt_item, fresh, stored_id = _answer_target(attempt, item)
    if fresh["status"] != Attempt.Status.IN_PROGRESS or timezone.now() >= fresh["deadline"]:
        raise AttemptClosed(attempt_close_if_overdue(attempt=Attempt.objects.get(pk=attempt.pk)))
    if stored_id is not None:
        stored = Response.objects.get(pk=stored_id)
        stored.attempt_item = attempt_item
        return stored, False
    if attempt_item.served_at is None:
        raise AnswerRefused(
            _("This question has not been shown to you yet: answer the question on screen."),
            "not_served",
        )
    fields = answer_validate(attempt_item, choice=choice, choices=choices, value=value)
    is_fixed = attempt.battery.kind == Battery.Kind.FIXED
    now = timezone.now()
    if is_fixed and (
        attempt.section_position != attempt_item.section.position
        or attempt.section_deadline is None
        or now >= attempt.section_deadline
    ):
        # Opens the next part when this one is over (written even if the answer is refused).
        # While the item's part is open and the item unanswered, there is nothing to open.
        attempt_section_advance(attempt=attempt)
    closed = False
    try:
        with transaction.atomic():
            # Answers to one attempt queue here: the checks below hold until the commit.
            locked = _locked(attempt)
            now = timezone.now()
            if locked["status"] != Attempt.Status.IN_PROGRESS or now >= locked["deadline"]:
                closed = True
            elif is_fixed and (
                locked["section_position"] != attempt_item.section.position
                or locked["section_deadline"] is None
                or now >= locked["section_deadline"]
            ):
                raise AnswerRefused(
                    _("The time for this part of the test is over: its questions are closed."),
                    "section_closed",
                )
            else:
                response = Response(attempt_item=attempt_item, answered_at=timezone.now(), **fields)
                insert([response])  # a statement built once (college.core.compiled)
                return response, True
    except IntegrityError:
        # An answer to this item that went first (it held the lock before this one): the
        # constraint finds it, and the transaction rolled back wrote nothing.
        stored = Response.objects.get(attempt_item=attempt_item)
        stored.attempt_item = attempt_item
        return stored, False
    if closed:
        raise AttemptClosed(attempt_close_if_overdue(attempt=attempt))


def _answer_target(attempt, item):
    """(the attempt's AttemptItem for an AttemptItem, an Item or an item id, the attempt's
    status and deadline as stored now, the id of its response or None), in one query; the
    item's texts and options from the bank kept in the process. ItemNotInAttempt (a 404)
    when the item is not in the attempt."""
    if isinstance(item, AttemptItem):
        if item.attempt_id != attempt.pk:
            raise ItemNotInAttempt
        item_id = item.item_id
    else:
        item_id = item.pk if isinstance(item, Item) else item
    try:
        item_id = int(item_id)
    except (TypeError, ValueError):
        raise ItemNotInAttempt from None
    if not 0 < item_id <= MAX_ID:  # beyond the column's range, it names no item
        raise ItemNotInAttempt
    row = _ANSWER_TARGET.first(attempt_id=attempt.pk, item_id=item_id)
    if row is None:
        raise ItemNotInAttempt
    items, sections = bank_rows(item_ids=[row[1]], section_ids=[row[2]])
    attempt_item = _attempt_item_from(attempt, row, items, sections)
    return attempt_item, {"status": row[7], "deadline": row[8]}, row[6]


# Finishing -----------------------------------------------------------------------------------


def attempt_close_if_overdue(*, attempt):
    """Closes an attempt whose time ran out; returns the attempt as it now stands. It writes
    only through `attempt_finish`, whose transaction is enough."""
    if attempt.status == Attempt.Status.IN_PROGRESS and timezone.now() >= attempt.deadline:
        return attempt_finish(attempt=attempt)
    return attempt


def attempts_expire_overdue():
    """Closes every attempt whose time ran out; returns how many. Each attempt closes in its
    own transaction (`attempt_finish`), so a long run never holds every overdue attempt's
    lock, and one that fails leaves the others closed."""
    overdue = Attempt.objects.filter(
        status=Attempt.Status.IN_PROGRESS, deadline__lte=timezone.now()
    ).select_related("battery", "user")
    count = 0
    for attempt in overdue.iterator():
        attempt_finish(attempt=attempt)
        count += 1
    return count


@transaction.atomic
def attempt_finish(*, attempt):
    """Closes the attempt and stores its results; a closed attempt is returned as it is.

    Past the deadline the attempt is "expired" and closed at the deadline, with the results of
    what was answered in time. A score at or above the battery's evidence threshold makes the
    skills it verifies test-verified in the candidate's profile.
    """
    locked = _LOCKED_FOR_FINISH.first(attempt_id=attempt.pk)
    if locked is None:
        raise Attempt.DoesNotExist(f"no attempt {attempt.pk}")
    if locked.status != Attempt.Status.IN_PROGRESS:
        return locked
    now = timezone.now()
    if now >= locked.deadline:
        locked.status = Attempt.Status.EXPIRED
        locked.finished_at = locked.deadline
    else:
        locked.status = Attempt.Status.FINISHED
        locked.finished_at = now
    attempt_results_compute(attempt=locked)
    # The skills once, for the evidence and the result shown.
    prefetch_related_objects([locked.battery], "skills_verified")
    _evidence_decide(locked)
    # The results and the evidence, written with a statement built once (college.core.compiled).
    update(locked, FINISH_FIELDS)
    return locked


def attempt_results_compute(*, attempt):
    """Sets the attempt's scores, pass decision, percentile and ability estimate (unsaved), and
    its `progress` (as `selectors.attempt_progress` gives it)."""
    battery = attempt.battery
    rows = attempt_results_rows(attempt)
    answered = sum(1 for row in rows if row.credit is not None)
    attempt.progress = progress_of(battery, shown=len(rows), answered=answered)
    overall, sections, competencies = scoring.attempt_percentages(rows)
    attempt.section_scores = {str(position): value for position, value in sections.items()}
    attempt.competency_scores = competencies
    attempt.trait_scores = scoring.trait_profile(rows)
    if battery.kind == Battery.Kind.ADAPTIVE and any(row.credit is not None for row in rows):
        theta, se = adaptive.estimate_for(attempt)
        attempt.theta, attempt.theta_se = float(theta), float(se)
        overall = scoring.ability_percent(attempt.theta)
    attempt.score_percent = overall
    attempt.passed = scoring.pass_decision(
        overall,
        sections,
        pass_percent=battery.pass_percent,
        section_pass_percent=battery.section_pass_percent,
    )
    attempt.percentile = None
    if overall is not None:
        counts = _NORM_COUNTS.first(
            battery_id=battery.pk, attempt_id=attempt.pk, overall=float(overall)
        )
        total, below, equal = counts or (0, 0, 0)
        attempt.percentile = scoring.percentile_from_counts(below=below, equal=equal, total=total)
    return attempt


@transaction.atomic
def attempt_evidence_apply(*, attempt):
    """Test-verified evidence for the battery's skills when the score reaches its threshold and
    the battery passes its checks (`assessments.checks`). Stores on the attempt why it did or
    did not verify skills (`evidence_outcome`) and which (`evidence_skills`); returns the
    profile rows changed."""
    changed = _evidence_decide(attempt)
    Attempt.objects.filter(pk=attempt.pk).update(
        evidence_outcome=attempt.evidence_outcome, evidence_skills=attempt.evidence_skills
    )
    return changed


def _evidence_decide(attempt):
    """`attempt_evidence_apply` but the attempt's own fields left unsaved (`attempt_finish`
    saves them with the results)."""
    battery = attempt.battery
    skills = list(battery.skills_verified.all())
    changed = []
    if battery.evidence_threshold is None or not skills or attempt.user.role != User.Role.CANDIDATE:
        outcome = EvidenceOutcome.NO_EVIDENCE
    elif not attempt_has_verified_skills(attempt):
        outcome = EvidenceOutcome.BELOW_THRESHOLD
    else:
        checks.battery_checks_if_stale(battery)
        if checks.battery_is_blocked(battery):
            outcome = EvidenceOutcome.BATTERY_FLAGGED
        else:
            outcome = EvidenceOutcome.VERIFIED
            changed = _skills_verify(attempt, skills)
    attempt.evidence_outcome = outcome
    attempt.evidence_skills = (
        [skill.pk for skill in skills] if outcome == EvidenceOutcome.VERIFIED else []
    )
    return changed


def _skills_verify(attempt, skills):
    profile = candidate_profile_get_or_create(user=attempt.user)
    with translation.override(attempt.user.preferred_language):
        note = "{title}, {date}".format(
            title=attempt.battery.title,
            date=formats.date_format(timezone.localdate(attempt.finished_at), "SHORT_DATE_FORMAT"),
        )
    return candidate_skills_verify(
        profile=profile, skills=skills, evidence=Evidence.TEST_VERIFIED, note=note[:200]
    )


# Extra time ----------------------------------------------------------------------------------


@transaction.atomic
def time_accommodation_set(*, candidate, multiplier, note, set_by):
    """Sets the person's extra time; attempts started from now on get it."""
    multiplier = Decimal(str(multiplier))
    if multiplier not in MULTIPLIERS:
        raise ValueError(f"multiplier {multiplier} is not one of {MULTIPLIERS}")
    accommodation, _created = TimeAccommodation.objects.update_or_create(
        user=candidate, defaults={"multiplier": multiplier, "note": note, "set_by": set_by}
    )
    return accommodation
