from django.db import transaction

from college.models import User

from .models import CandidateProfile


@transaction.atomic
def candidate_sign_up(*, email, full_name, password, language):
    """Creates a job-seeker's account and their (empty) skills profile."""
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        role=User.Role.CANDIDATE,
        preferred_language=language,
    )
    CandidateProfile.objects.create(user=user)
    return user


def candidate_profile_get_or_create(*, user):
    """The job-seeker's profile; accounts made by staff in the admin get theirs on first visit."""
    profile, _created = CandidateProfile.objects.get_or_create(user=user)
    return profile
