"""The engine's own receivers: what no single app's data can tell.

- A change to the communes or police zones changes every journey (the commute part), so it
  drops every kept ranking.
- A profile or account deleted leaves every pool: the kept rankings move on without it.

The apps' receivers live in their apps (`candidates.signals`, `employers.signals`).
Connected in `CollegeConfig.ready()`.
"""

from django.db.models.signals import post_delete, post_save

from candidates.models import CandidateProfile
from college.matching.pool import pool_members_left
from college.models import Commune, PoliceZone, User
from employers.models import VacancyRanking


def _places_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        VacancyRanking.objects.all().delete()


def connect():
    for model in (CandidateProfile, User):
        post_delete.connect(pool_members_left, sender=model, dispatch_uid=f"pool-{model.__name__}")
    for model in (Commune, PoliceZone):
        post_save.connect(_places_changed, sender=model, dispatch_uid=f"rank-{model.__name__}")
