from django.db.models import Count
from django.shortcuts import render
from django.views.decorators.http import require_GET

from college.core.access import role_required
from college.models import User
from employers.access import get_membership_for
from employers.awareness import may_book_awareness
from employers.models import Vacancy
from employers.views.editor import pending_invitations, vacancy_status_counts

LATEST_VACANCIES = 5


@role_required(User.Role.EMPLOYER)
@require_GET
def dashboard(request):
    membership = get_membership_for(request.user)
    employer = membership.employer
    latest = (
        Vacancy.objects.of(employer)
        .for_list()
        .annotate(application_count=Count("applications"))
        .order_by("-created_at", "-pk")[:LATEST_VACANCIES]
    )
    context = {
        "membership": membership,
        "employer": employer,
        "communes": employer.communes.all(),
        "members": employer.memberships.select_related("user").order_by("user__full_name"),
        "status_counts": vacancy_status_counts(employer),
        "latest_vacancies": latest,
        "invitations": pending_invitations(employer) if membership.is_admin else [],
        "books_awareness": may_book_awareness(employer),
    }
    return render(request, "employers/dashboard.html", context)
