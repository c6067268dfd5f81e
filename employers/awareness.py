"""Staff awareness: a public service books seats for its own staff in the college's awareness
modules and follows completion, in counts only.

No staff member is ever named or given a profile: a booking is a number of seats and an
invitation code the service hands out; the college's trainer records how many completed
(college/training/awareness.py). What the service sees is per module, summed over its
bookings, and a count of fewer than :data:`SMALL_GROUP` people is withheld — as is a count that
would leave fewer than that many unaccounted for, since the service knows whom it sent.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import Http404

from college.core.check_codes import certificate_code_new
from college.models import Module
from employers.access import get_membership_for
from employers.models import PUBLIC_SERVICE_KINDS, StaffAwarenessBooking

SMALL_GROUP = 5


def awareness_modules():
    """The active modules the college opens to employers' staff, in catalogue order."""
    return Module.objects.active().filter(offered_to_employers=True).order_by("position", "slug")


def may_book_awareness(employer):
    return employer.kind in PUBLIC_SERVICE_KINDS and employer.is_verified


def get_awareness_membership_for(user):
    """The membership of a member of a verified public service; a 404 for anyone else."""
    membership = get_membership_for(user)
    if not may_book_awareness(membership.employer):
        raise Http404
    return membership


@transaction.atomic
def awareness_booking_create(*, employer, module, seats, language, by):
    """Books `seats` in `module` for the employer's staff, with a fresh invitation code."""
    if not may_book_awareness(employer) or not module.offered_to_employers:
        raise ValueError("only verified public services book awareness modules")
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return StaffAwarenessBooking.objects.create(
                    employer=employer,
                    module=module,
                    seats=seats,
                    language=language,
                    invitation_code=certificate_code_new(),
                    booked_by=by,
                )
        except IntegrityError:  # a code drawn twice (60 bits: practically never)
            continue
    raise RuntimeError("no free invitation code")


@dataclass(frozen=True)
class ModuleCompletion:
    """One module's line on the service's page; a None count or percent is withheld."""

    module: Module
    enrolled: int | None  # seats booked
    awaiting: int | None  # seats whose session has no completion recorded yet
    completed: int | None
    percent: int | None  # completed out of the seats whose completion is recorded
    enrolled_is_small: bool
    completed_is_small: bool


def _shown(count):
    return count if count >= SMALL_GROUP else None


def completion_line(module, *, enrolled, recorded, completed):
    """The counts shown for `module`: `enrolled` seats, `recorded` of them with a completion
    recorded, `completed` of those completed."""
    if enrolled < SMALL_GROUP:
        return ModuleCompletion(module, None, None, None, None, True, True)
    others = recorded - completed
    can_show = completed >= SMALL_GROUP and (others == 0 or others >= SMALL_GROUP)
    awaiting = enrolled - recorded
    return ModuleCompletion(
        module=module,
        enrolled=enrolled,
        awaiting=awaiting if awaiting == 0 or awaiting >= SMALL_GROUP else None,
        completed=completed if can_show else None,
        percent=round(100 * completed / recorded) if can_show and recorded else None,
        enrolled_is_small=False,
        completed_is_small=recorded > 0 and not can_show,
    )


def awareness_summary(employer):
    """Per awareness module the service booked: its counts (two queries whatever the size)."""
    totals = {}
    for module_id, seats, completed in StaffAwarenessBooking.objects.filter(
        employer=employer
    ).values_list("module_id", "seats", "completed"):
        enrolled, recorded, done = totals.get(module_id, (0, 0, 0))
        if completed is None:
            totals[module_id] = (enrolled + seats, recorded, done)
        else:
            totals[module_id] = (enrolled + seats, recorded + seats, done + completed)
    modules = Module.objects.filter(pk__in=totals).order_by("position", "slug")
    return [
        completion_line(
            module,
            enrolled=totals[module.pk][0],
            recorded=totals[module.pk][1],
            completed=totals[module.pk][2],
        )
        for module in modules
    ]


def awareness_bookings_of(employer):
    """The service's bookings, newest first: module, seats, code; never a completion count."""
    return (
        StaffAwarenessBooking.objects.filter(employer=employer)
        .select_related("module")
        .order_by("-booked_at", "-pk")
    )
