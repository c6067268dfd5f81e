from django.core.management.base import BaseCommand

from assessments.services import attempts_expire_overdue


class Command(BaseCommand):
    help = (
        "Closes the practice-test attempts whose time ran out, with the results of what was "
        "answered. Optional: an overdue attempt also closes itself when it is next opened."
    )

    def handle(self, *args, **options):
        count = attempts_expire_overdue()
        self.stdout.write(f"{count} attempt(s) closed.")
