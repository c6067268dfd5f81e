"""What keeps the blind shortlists' kept rankings exact when a job-seeker's data changes.

A change to a job-seeker's matching data appends a `ProfileChange`, which every kept ranking
reads before it answers (see `college.matching`, "Rankings"). Saves and deletes of the rows
that take part in matching are caught here; writes that bypass model signals (`bulk_create`,
`update`) call :func:`profile_changed` themselves. The receivers are connected in
`CandidatesConfig.ready()`; the employers' side (vacancies, applications) is in
`employers.signals`.
"""

from django.db.models.signals import post_delete, post_save

from candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    Education,
    LanguageCertificate,
    ProfileChange,
)
from college.models import User


def profile_changed(profile_id):
    """Records that this profile's matching data changed (nothing for no profile)."""
    if profile_id is not None:
        ProfileChange.objects.create(profile_id=profile_id)


def profile_row_changed(sender, instance, **kwargs):
    profile_changed(instance.profile_id)


def profile_row_deleted(sender, instance, origin=None, **kwargs):
    # A row deleted for itself (or with others of its kind) is a change; one deleted because its
    # profile, account or vacancy goes is not (the profile may be on its way out: erasure).
    origin_model = getattr(origin, "model", None) or type(origin)
    if origin_model is sender:
        profile_changed(instance.profile_id)


def _profile_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        profile_changed(instance.pk)


def _account_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    # Only the account's activity takes part in matching (a deactivated account leaves the pools);
    # logins save last_login alone and are not a change.
    if raw or created or (update_fields is not None and "is_active" not in update_fields):
        return
    profile_id = (
        CandidateProfile.objects.filter(user_id=instance.pk).values_list("pk", flat=True).first()
    )
    profile_changed(profile_id)


def connect():
    # A diploma takes part in eligibility (the law's), which the pool insight counts.
    for model in (CandidateSkill, CandidateLanguage, LanguageCertificate, Education):
        post_save.connect(profile_row_changed, sender=model, dispatch_uid=f"rank-{model.__name__}")
        post_delete.connect(
            profile_row_deleted, sender=model, dispatch_uid=f"rank-del-{model.__name__}"
        )
    post_save.connect(_profile_saved, sender=CandidateProfile, dispatch_uid="rank-profile")
    post_save.connect(_account_saved, sender=User, dispatch_uid="rank-account")
