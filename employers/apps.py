from django.apps import AppConfig
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "employers"
    verbose_name = _("Employers")

    def ready(self):
        # Imported here: models and receivers load once the app registry is ready.
        from candidates.models import CandidateProfile
        from college.matching.rankings import ranking_rows_dropped
        from employers import signals
        from employers.models import VacancyRanking
        from employers.shortlists import receivers

        signals.connect()
        signals.vacancy_published.connect(
            receivers.on_vacancy_published, dispatch_uid="shortlists-on-publish"
        )
        pre_delete.connect(
            receivers.on_profile_deleted,
            sender=CandidateProfile,
            dispatch_uid="shortlists-forget-erased-rows",
        )
        # A person who left a ranking is no longer found through it: the pages that showed
        # them are forgotten when they leave, so that a later erasure leaves no copy.
        ranking_rows_dropped.connect(
            receivers.on_ranking_rows_dropped, dispatch_uid="shortlists-forget-dropped-rows"
        )
        pre_delete.connect(
            receivers.on_ranking_deleted,
            sender=VacancyRanking,
            dispatch_uid="shortlists-forget-deleted-ranking",
        )
