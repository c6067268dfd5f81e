from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Practice selection tests")

    def ready(self):
        # Imported here: models and receivers load once the app registry is ready. Every
        # process moves the item bank's version on when it writes the bank.
        from assessments.bank_cache import connect_signals

        connect_signals()
