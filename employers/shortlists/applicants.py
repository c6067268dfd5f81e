"""The applicants list of a vacancy: each applicant's fit as the engine scores it, in words,
with its decisive reasons, the practice-test results they chose to share and the
organisation's internal notes; sorted and filtered by GET parameters.

A constant number of queries whatever the number of applicants: the profiles' matching data
are read together (`matching.load_candidates`), the vacancy's requirements once, the shared
test results and the notes in one query each.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Attempt
from college import matching
from college.matching.reasons import decisive_reasons
from college.reference.fit import FIT_SCALE, fit_words  # noqa: F401 - one scale, read here too
from employers.models import Application, ApplicationNote
from employers.services import STAGE_ORDER

SORTS = {
    "score": gettext_lazy("Fit, best first"),
    "date": gettext_lazy("Date of application, newest first"),
    "stage": gettext_lazy("Stage, furthest first"),
}
DEFAULT_SORT = "score"
WITHDRAWN, ERASED = "withdrawn", "erased"


@dataclass
class ApplicantRow:
    application: Application
    status: str  # a stage value, "withdrawn" or "erased"
    score: int | None = None
    words: str = ""
    reasons: list = field(default_factory=list)
    test_results: list = field(default_factory=list)
    notes: list = field(default_factory=list)


def stage_filters():
    """Every value of the stage filter, with its label, in the pipeline's order."""
    values = [(stage.value, stage.label) for stage in STAGE_ORDER]
    values.append((Application.Stage.NOT_RETAINED.value, Application.Stage.NOT_RETAINED.label))
    values += [(WITHDRAWN, _("Withdrawn")), (ERASED, _("Erased"))]
    return values


def _status(application):
    if application.is_erased:
        return ERASED
    if application.reason == Application.Reason.WITHDRAWN:
        return WITHDRAWN
    return application.stage


def _shared_results(applications):
    """{user id: [latest finished attempt per battery]} of the applicants who share them."""
    user_ids = {
        application.profile.user_id
        for application in applications
        if application.shares_test_results
    }
    if not user_ids:
        return {}
    attempts = (
        Attempt.objects.filter(
            user_id__in=user_ids,
            status__in=[Attempt.Status.FINISHED, Attempt.Status.EXPIRED],
            score_percent__isnull=False,
        )
        .select_related("battery")
        .order_by("-finished_at", "-started_at")
    )
    results, seen = {}, set()
    for attempt in attempts:
        if (attempt.user_id, attempt.battery_id) in seen:
            continue
        seen.add((attempt.user_id, attempt.battery_id))
        results.setdefault(attempt.user_id, []).append(attempt)
    return results


def applicant_rows(*, vacancy, stage="", sort=DEFAULT_SORT):
    """The vacancy's applications as rows, filtered by `stage` (a value of `stage_filters`,
    or "" for all) and sorted by `sort` (a key of SORTS)."""
    applications = list(
        vacancy.applications.select_related("profile__user").prefetch_related(
            Prefetch("notes", queryset=ApplicationNote.objects.select_related("author"))
        )
    )
    rows = [ApplicantRow(application=item, status=_status(item)) for item in applications]
    if stage:
        rows = [row for row in rows if row.status == stage]
    active = [row for row in rows if row.status not in (WITHDRAWN, ERASED)]
    if active:
        target = matching.load_vacancy_target(vacancy)
        candidates = matching.load_candidates([row.application.profile for row in active])
        results = _shared_results([row.application for row in active])
        for row in active:
            profile = row.application.profile
            match = matching.build_match(candidates[profile.pk], target)
            row.score = match.score
            row.words = fit_words(match.score)
            row.reasons = decisive_reasons(match)
            row.test_results = results.get(profile.user_id, [])
            row.notes = list(row.application.notes.all())
    order = [value for value, _label in stage_filters()]
    if sort == "date":
        rows.sort(key=lambda row: (row.application.created_at, row.application.pk), reverse=True)
    elif sort == "stage":
        rows.sort(key=lambda row: (order.index(row.status), -(row.score or 0)))
        rows.sort(key=lambda row: -_progress(row.status))
    else:
        rows.sort(key=lambda row: (row.score is None, -(row.score or 0), row.application.pk))
    return rows


def _progress(status):
    # How far an application went: hired first, then offer, interview…; decided refusals,
    # withdrawals and erased records last.
    stages = [stage.value for stage in STAGE_ORDER]
    return stages.index(status) if status in stages else -1
