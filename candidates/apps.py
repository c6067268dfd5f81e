from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Job-seekers")

    def ready(self):
        from candidates import signals

        signals.connect()
