from django.core.management.base import BaseCommand

from assessments.bank import load_batteries, load_item_bank


class Command(BaseCommand):
    help = "Loads the practice item bank and test batteries from assessments/data/ (idempotent)."

    def handle(self, *args, **options):
        counts = load_item_bank()
        batteries = load_batteries()
        self.stdout.write(
            f"Item bank: {counts['items']} items, {counts['options']} options, "
            f"{counts['passages']} passages, {counts['traits']} traits; {batteries} batteries."
        )
