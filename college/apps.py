from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollegeConfig(AppConfig):
    name = "college"
    verbose_name = _("College")

    def ready(self):
        from . import public_cache, ranking_signals, text

        text.install()
        ranking_signals.connect()
        public_cache.connect()
