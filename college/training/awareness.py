"""The college's side of staff awareness: the trainer's list of the public services' bookings
and the completion they record, in numbers only (employers/awareness.py explains the rule).

The bookings belong to employers; the college reads and writes them here through their model,
as floor 5 may (README "Layout"), and every view and record is in the audit log.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from college.core.audit import audit_record
from college.models import AuditEvent
from employers.models import StaffAwarenessBooking


def awareness_bookings():
    """Every booking with its organisation and module: one query."""
    return StaffAwarenessBooking.objects.select_related("employer", "module").order_by(
        "completed_recorded_at", "-booked_at", "-pk"
    )


def awareness_bookings_viewed(*, user, request, count):
    audit_record(
        actor=user,
        action=AuditEvent.Action.AWARENESS_VIEWED,
        object_type="staff_awareness_booking",
        detail=f"{count} bookings listed",
        request=request,
    )


@transaction.atomic
def awareness_completion_record(*, booking, completed, by, request=None):
    """Records how many of the booking's seats completed the module (0 to the seats)."""
    booking = StaffAwarenessBooking.objects.select_for_update().get(pk=booking.pk)
    if not 0 <= completed <= booking.seats:
        raise ValidationError(
            {
                "completed": _("Between 0 and %(seats)s, the seats booked.")
                % {"seats": booking.seats}
            }
        )
    booking.completed = completed
    booking.completed_recorded_at = timezone.now()
    booking.completed_recorded_by = by
    booking.save(update_fields=["completed", "completed_recorded_at", "completed_recorded_by"])
    audit_record(
        actor=by,
        action=AuditEvent.Action.AWARENESS_COMPLETION,
        object_type="staff_awareness_booking",
        object_id=booking.pk,
        detail=f"{completed} of {booking.seats}",
        request=request,
    )
    return booking
