from django.shortcuts import render
from django.views.decorators.http import require_GET

from college.access import role_required
from college.models import User

from .access import get_membership_for


@role_required(User.Role.EMPLOYER)
@require_GET
def dashboard(request):
    membership = get_membership_for(request.user)
    employer = membership.employer
    context = {
        "membership": membership,
        "employer": employer,
        "communes": employer.communes.all(),
        "members": employer.memberships.select_related("user").order_by("user__full_name"),
    }
    return render(request, "employers/dashboard.html", context)
