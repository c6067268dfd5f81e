"""The staff dashboard (its figures and charts read in college/insights/selectors.py)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from college.core.access import role_required
from college.insights.selectors import staff_charts, staff_counts
from college.models import User


@role_required(User.Role.STAFF)
@require_GET
def staff_dashboard(request):
    context = {**staff_counts(), "charts": staff_charts()}
    return render(request, "college/insights/staff_dashboard.html", context)
