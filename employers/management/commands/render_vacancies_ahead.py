"""Renders every published vacancy's shared parts ahead of its readers, after a deployment.

The key of a vacancy's kept page and API answer holds the code's identity
(employers/vacancy_cache.py), so a deployment leaves none of them for the new code: each
vacancy's first reader in each language would render it in full, some 20 times the minimal
view's CPU, all at once as the traffic comes back. Run once the new code serves (deploy/
compose.yaml's `render-ahead`, bench/load.sh), it renders them all in every language, as the
task that follows an employer's edit does for one vacancy; those already kept are skipped.
"""

import time

from django.core.management.base import BaseCommand

from employers import vacancy_cache
from employers.models import Vacancy


class Command(BaseCommand):
    help = "Renders every published vacancy's page and API answer ahead, in every language."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rendered = vacancies = 0
        for pk in Vacancy.objects.published().order_by("pk").values_list("pk", flat=True):
            vacancies += 1
            rendered += vacancy_cache.render_ahead(pk)
        self.stdout.write(
            f"{vacancies} published vacancies, {rendered} parts rendered ahead in "
            f"{time.perf_counter() - started:.1f} s"
        )
