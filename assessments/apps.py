from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Practice selection tests")

    def ready(self):
        # Every process moves the item bank's version on when it writes the bank.
        from assessments.bank_cache import connect_signals

        connect_signals()
