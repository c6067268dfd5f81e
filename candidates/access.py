"""Access to job-seekers' profiles: the candidate themself and their active counsellors."""

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from college.models import Guidance, User

from .models import CandidateProfile


def profiles_visible_to(user):
    profiles = CandidateProfile.objects.all()
    if not user.is_authenticated:
        return profiles.none()
    if user.role == User.Role.CANDIDATE:
        return profiles.filter(user=user)
    if user.role == User.Role.COUNSELLOR:
        guided = Guidance.objects.active().filter(counsellor=user, candidate=OuterRef("user"))
        return profiles.filter(Exists(guided))
    return profiles.none()


def get_profile_for(user, pk):
    """The profile with this id if `user` may see it; a 404 otherwise, never a 403."""
    return get_object_or_404(profiles_visible_to(user), pk=pk)
