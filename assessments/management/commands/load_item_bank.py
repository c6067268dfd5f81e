from django.core.management.base import BaseCommand

from assessments.bank import load_batteries, load_item_bank
from assessments.checks import batteries_checks_refresh


class Command(BaseCommand):
    help = "Loads the practice item bank and test batteries from assessments/data/ (idempotent)."

    def handle(self, *args, **options):
        counts = load_item_bank()
        batteries = load_batteries()
        self.stdout.write(
            f"Item bank: {counts['items']} items, {counts['options']} options, "
            f"{counts['passages']} passages, {counts['traits']} traits; {batteries} batteries."
        )
        # What the batteries draw may have changed: run their cue checks and statistics again.
        flagged = batteries_checks_refresh()
        self.stdout.write(f"Batteries flagged by their checks and not cleared: {flagged}.")
