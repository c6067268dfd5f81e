from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollegeConfig(AppConfig):
    name = "college"
    verbose_name = _("College")

    def ready(self):
        from college import public_cache, ranking_signals, text

        text.install()
        _translate_task_results_labels()
        ranking_signals.connect()
        public_cache.connect()


def _translate_task_results_labels():
    """django-tasks-db names its model and app in plain English strings; the admin shows them
    in every language. Lazy translations instead (options only: no migration follows, as
    migrations read the model's declared Meta)."""
    from django.apps import apps
    from django_tasks_db.models import DBTaskResult

    DBTaskResult._meta.verbose_name = _("background task result")
    DBTaskResult._meta.verbose_name_plural = _("background task results")
    apps.get_app_config(DBTaskResult._meta.app_label).verbose_name = _("Background tasks")
