"""A public service's staff awareness: its bookings and, per module, completion in counts."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from college.core.access import role_required
from college.core.check_codes import certificate_code_display
from college.models import User
from employers.awareness import (
    SMALL_GROUP,
    awareness_booking_create,
    awareness_bookings_of,
    awareness_modules,
    awareness_summary,
    get_awareness_membership_for,
)
from employers.forms.awareness import AwarenessBookingForm


@never_cache
@role_required(User.Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def staff_awareness(request):
    membership = get_awareness_membership_for(request.user)
    employer = membership.employer
    modules = awareness_modules()
    form = AwarenessBookingForm(request.POST or None, modules=modules)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            booking = awareness_booking_create(
                employer=employer,
                module=form.cleaned_data["module"],
                seats=form.cleaned_data["seats"],
                language=form.cleaned_data["language"],
                by=request.user,
            )
            messages.success(
                request,
                ngettext(
                    "%(seats)s seat booked. Give your staff the invitation code %(code)s: "
                    "the college will plan the session with you.",
                    "%(seats)s seats booked. Give your staff the invitation code %(code)s: "
                    "the college will plan the session with you.",
                    booking.seats,
                )
                % {
                    "seats": booking.seats,
                    "code": certificate_code_display(booking.invitation_code),
                },
            )
            return redirect("employers:staff_awareness")
        status = 400
    bookings = list(awareness_bookings_of(employer))
    for booking in bookings:
        booking.code_display = certificate_code_display(booking.invitation_code)
    context = {
        "employer": employer,
        "form": form,
        "summary": awareness_summary(employer),
        "bookings": bookings,
        "small_group": SMALL_GROUP,
    }
    return render(request, "employers/staff_awareness.html", context, status=status)
