"""The trainer's page of the public services' staff awareness bookings (staff only, audited)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from college.core.access import role_required
from college.core.check_codes import certificate_code_display
from college.models import User
from college.training.awareness import (
    awareness_bookings,
    awareness_bookings_viewed,
    awareness_completion_record,
)
from college.training.forms import AwarenessCompletionForm


def _row_form(booking, data=None):
    return AwarenessCompletionForm(
        data,
        auto_id=f"id_b{booking.pk}_%s",
        initial={"booking": booking.pk, "completed": booking.completed},
    )


@never_cache
@role_required(User.Role.STAFF)
@require_http_methods(["GET", "POST"])
def staff_awareness(request):
    bookings = list(awareness_bookings())
    bound = None
    status = 200
    if request.method == "POST":
        bound = AwarenessCompletionForm(request.POST)
        target = None
        if bound.is_valid():
            target = next((b for b in bookings if b.pk == bound.cleaned_data["booking"]), None)
            if target is None:
                bound.add_error(None, _("This booking does not exist (any more)."))
            else:
                try:
                    awareness_completion_record(
                        booking=target,
                        completed=bound.cleaned_data["completed"],
                        by=request.user,
                        request=request,
                    )
                except ValidationError as error:
                    for field, errors in error.message_dict.items():
                        bound.add_error(field, errors)
                else:
                    messages.success(request, _("Completion recorded."))
                    return redirect("staff_awareness")
        status = 400
        if target is not None:
            bound.auto_id = f"id_b{target.pk}_%s"
        else:
            messages.error(request, " ".join(bound.non_field_errors()) or _("Check the number."))
    for booking in bookings:
        is_target = bound is not None and str(booking.pk) == request.POST.get("booking")
        booking.form = bound if is_target else _row_form(booking)
        booking.code_display = certificate_code_display(booking.invitation_code)
    awareness_bookings_viewed(user=request.user, request=request, count=len(bookings))
    return render(
        request,
        "college/training/staff_awareness.html",
        {"bookings": bookings},
        status=status,
    )
