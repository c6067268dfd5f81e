from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "employers"
    verbose_name = _("Employers")

    def ready(self):
        # Imported here: models and receivers load once the app registry is ready.
        from employers import signals
        from employers.shortlists import receivers

        signals.connect()
        signals.vacancy_published.connect(
            receivers.on_vacancy_published, dispatch_uid="shortlists-on-publish"
        )
