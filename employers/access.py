"""Access to employers' data: each organisation sees and changes only its own.

An object another organisation owns is a 404, never a 403: its existence is not disclosed.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from college.models import User
from employers.models import Application, Membership, Vacancy


def membership_of(user):
    """The membership of a signed-in employer member; None for anyone who acts for no
    organisation (where a request is then refused with a 403, not a 404)."""
    if not user.is_authenticated or user.role != User.Role.EMPLOYER:
        return None
    memberships = Membership.objects.select_related("employer", "employer__police_zone")
    return memberships.filter(user=user).first()


def get_membership_for(user):
    """The membership of a signed-in employer member; a 404 for anyone without one."""
    membership = membership_of(user)
    if membership is None:
        raise Http404
    return membership


def vacancies_managed_by(user):
    """Every vacancy (drafts included) of the user's organisation; none for anyone else."""
    if not user.is_authenticated or user.role != User.Role.EMPLOYER:
        return Vacancy.objects.none()
    return Vacancy.objects.filter(employer__memberships__user=user)


def vacancies_visible_to(user):
    """Published vacancies for anyone; a member also sees every vacancy of their organisation."""
    published = Vacancy.objects.published()
    if membership_of(user) is None:
        return published
    return Vacancy.objects.filter(
        Q(pk__in=published.values("pk")) | Q(pk__in=vacancies_managed_by(user).values("pk"))
    )


def get_vacancy_for_member(user, pk):
    """A vacancy the member's organisation owns, whatever its status; a 404 otherwise."""
    return get_object_or_404(vacancies_managed_by(user), pk=pk)


def get_published_vacancy(pk, queryset=None):
    """A vacancy the public may see: published, open and from a verified organisation.

    `queryset` (of vacancies) says what to load with it, in the same query.
    """
    vacancies = Vacancy.objects.all() if queryset is None else queryset
    return get_object_or_404(vacancies.published(), pk=pk)


def applications_visible_to(user):
    """Candidates see their own applications; members those sent to their organisation."""
    applications = Application.objects.all()
    if not user.is_authenticated:
        return applications.none()
    if user.role == User.Role.CANDIDATE:
        return applications.filter(profile__user=user)
    if user.role == User.Role.EMPLOYER:
        # An erased application holds nothing to show: it only counts in the pipeline.
        return applications.filter(vacancy__employer__memberships__user=user, is_erased=False)
    return applications.none()


def get_application_for(user, pk):
    return get_object_or_404(applications_visible_to(user), pk=pk)
