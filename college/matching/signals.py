"""What keeps the matching engine's vacancy rankings exact (see college/matching/rankings.py).

A change to a job-seeker's matching data appends a ProfileChange, read by every ranking before
it answers; a change to a vacancy or its requirements drops that vacancy's ranking; a change to
the communes or police zones (commute) drops them all. Writes that bypass model signals
(`bulk_create`, `update`) call :func:`profile_changed` or :func:`vacancy_changed` themselves.
"""

from django.db.models.signals import post_delete, post_save

from college.matching.pool import pool_members_left


def profile_changed(profile_id):
    from candidates.models import ProfileChange

    if profile_id is not None:
        ProfileChange.objects.create(profile_id=profile_id)


def vacancy_changed(vacancy_id):
    from employers.models import VacancyRanking

    VacancyRanking.objects.filter(vacancy_id=vacancy_id).delete()


def _profile_row_changed(sender, instance, **kwargs):
    profile_changed(instance.profile_id)


def _profile_row_deleted(sender, instance, origin=None, **kwargs):
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
    from candidates.models import CandidateProfile

    profile_id = (
        CandidateProfile.objects.filter(user_id=instance.pk).values_list("pk", flat=True).first()
    )
    profile_changed(profile_id)


def _vacancy_row_changed(sender, instance, **kwargs):
    vacancy_changed(instance.vacancy_id)


def _vacancy_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        vacancy_changed(instance.pk)


def _places_changed(sender, instance, raw=False, **kwargs):
    from employers.models import VacancyRanking

    if not raw:
        VacancyRanking.objects.all().delete()


def connect():
    from candidates.models import (
        CandidateLanguage,
        CandidateProfile,
        CandidateSkill,
        LanguageCertificate,
    )
    from college.models import Commune, PoliceZone, User
    from employers.models import Application, Vacancy, VacancyLanguage, VacancySkill

    for model in (CandidateSkill, CandidateLanguage, LanguageCertificate, Application):
        post_save.connect(_profile_row_changed, sender=model, dispatch_uid=f"rank-{model.__name__}")
        post_delete.connect(
            _profile_row_deleted, sender=model, dispatch_uid=f"rank-del-{model.__name__}"
        )
    post_save.connect(_profile_saved, sender=CandidateProfile, dispatch_uid="rank-profile")
    post_save.connect(_account_saved, sender=User, dispatch_uid="rank-account")
    post_save.connect(_vacancy_saved, sender=Vacancy, dispatch_uid="rank-vacancy")
    for model in (VacancySkill, VacancyLanguage):
        post_save.connect(_vacancy_row_changed, sender=model, dispatch_uid=f"rank-{model.__name__}")
        post_delete.connect(
            _vacancy_row_changed, sender=model, dispatch_uid=f"rank-del-{model.__name__}"
        )
    for model in (CandidateProfile, User):
        post_delete.connect(pool_members_left, sender=model, dispatch_uid=f"pool-{model.__name__}")
    for model in (Commune, PoliceZone):
        post_save.connect(_places_changed, sender=model, dispatch_uid=f"rank-{model.__name__}")
