from django.core.management.base import BaseCommand, CommandError

from college.training.catalogue import CatalogueError, load_catalogue


class Command(BaseCommand):
    help = (
        "Loads the college's training catalogue (programmes, modules, skills taught, "
        "prerequisites) from college/training/data/catalogue.json. Idempotent: safe to run after "
        "every deployment. Needs the reference data (load_reference_data) first."
    )

    def handle(self, *args, **options):
        try:
            report = load_catalogue()
        except CatalogueError as error:
            raise CommandError(f"Catalogue not loaded: {error}") from None
        self.stdout.write(self.style.SUCCESS(f"Catalogue up to date: {report}."))
