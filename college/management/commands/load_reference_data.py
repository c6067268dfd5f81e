from django.core.management.base import BaseCommand

from college.reference.loader import load_reference_data


class Command(BaseCommand):
    help = (
        "Loads the Brussels communes and police zones, languages, ESCO skills and the college's "
        "roles from college/reference/data/. Idempotent: safe to run after every deployment."
    )

    def handle(self, *args, **options):
        report = load_reference_data()
        self.stdout.write(self.style.SUCCESS(f"Reference data up to date: {report}."))
