from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Job-seekers")

    def ready(self):
        # Imported here: models and receivers load once the app registry is ready.
        from candidates import signals

        signals.connect()
