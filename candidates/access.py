"""Access to job-seekers' profiles: the candidate themself and their active counsellors."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from candidates.models import CandidateProfile
from candidates.services import candidate_profile_get_or_create
from college.models import Guidance, User


def profiles_visible_to(user):
    profiles = CandidateProfile.objects.all()
    if not user.is_authenticated:
        return profiles.none()
    if user.role == User.Role.CANDIDATE:
        return profiles.filter(user=user)
    if user.role == User.Role.COUNSELLOR:
        return profiles.filter(Exists(Guidance.objects.guiding(user, OuterRef("user"))))
    return profiles.none()


def get_profile_for(user, pk):
    """The profile with this id if `user` may see it; a 404 otherwise, never a 403."""
    return get_object_or_404(profiles_visible_to(user), pk=pk)


def get_own_profile(user):
    """The signed-in job-seeker's own profile (made on first visit); a 403 for any other role.

    A 403, not a 404: a "me" address names no object another person could own.
    """
    if not user.is_authenticated or user.role != User.Role.CANDIDATE:
        raise PermissionDenied
    return candidate_profile_get_or_create(user=user)
