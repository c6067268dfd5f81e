from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollegeConfig(AppConfig):
    name = "college"
    verbose_name = _("College")

    def ready(self):
        # Imported here: models and receivers load once the app registry is ready.
        from django.contrib.auth.signals import user_logged_in

        from college.core import converters, public_cache, sessions, text
        from college.matching import signals as ranking_signals

        text.install()
        converters.register()  # `<id:pk>` in every URLconf, loaded after the apps are ready
        _translate_task_results_labels()
        ranking_signals.connect()
        public_cache.connect()
        user_logged_in.connect(sessions.on_user_logged_in, dispatch_uid="college.session_start")


def _translate_task_results_labels():
    """django-tasks-db names its model and app in plain English strings; the admin shows them
    in every language. Lazy translations instead (options only: no migration follows, as
    migrations read the model's declared Meta)."""
    from django.apps import apps
    from django_tasks_db.models import DBTaskResult

    DBTaskResult._meta.verbose_name = _("background task result")
    DBTaskResult._meta.verbose_name_plural = _("background task results")
    apps.get_app_config(DBTaskResult._meta.app_label).verbose_name = _("Background tasks")
