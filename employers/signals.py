"""The employers' side of keeping rankings exact, and the vacancy workflow's named signal.

- A change to a vacancy or its requirements drops that vacancy's kept ranking (it is rebuilt
  on the next read); writes that bypass model signals call :func:`vacancy_changed` themselves.
- An application takes part in matching (a job-seeker who applied stays in that vacancy's
  pool), so its saves and deletes are a change to the job-seeker's profile.
- `vacancy_published` is sent by `employers.services.vacancy_set_status` when a vacancy is
  published; the features that stand on the matching engine listen to it
  (`employers.shortlists.receivers`), so the workflow never imports them.

Connected in `EmployersConfig.ready()`.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from candidates.signals import profile_row_changed, profile_row_deleted
from employers.models import Application, Vacancy, VacancyLanguage, VacancyRanking, VacancySkill

# Sent with `vacancy=` once a vacancy's status became published (inside its transaction).
vacancy_published = Signal()


def vacancy_changed(vacancy_id):
    VacancyRanking.objects.filter(vacancy_id=vacancy_id).delete()


def _vacancy_row_changed(sender, instance, **kwargs):
    vacancy_changed(instance.vacancy_id)


def _vacancy_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        vacancy_changed(instance.pk)


def connect():
    post_save.connect(profile_row_changed, sender=Application, dispatch_uid="rank-Application")
    post_delete.connect(
        profile_row_deleted, sender=Application, dispatch_uid="rank-del-Application"
    )
    post_save.connect(_vacancy_saved, sender=Vacancy, dispatch_uid="rank-vacancy")
    for model in (VacancySkill, VacancyLanguage):
        post_save.connect(_vacancy_row_changed, sender=model, dispatch_uid=f"rank-{model.__name__}")
        post_delete.connect(
            _vacancy_row_changed, sender=model, dispatch_uid=f"rank-del-{model.__name__}"
        )
