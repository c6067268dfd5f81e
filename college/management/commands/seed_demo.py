from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from college.demo.data import DemoSeeder, print_demo_logins


class Command(BaseCommand):
    help = (
        "Creates realistic Brussels demo data and the demo accounts (see shared/API.md). "
        "Idempotent; refuses to run when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default="passerelle-demo",
            help="Password of every demo account (default: passerelle-demo).",
        )

    def handle(self, *args, password, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DEBUG on: it must never touch real data.")
        DemoSeeder(password, log=self.stdout.write).run()
        print_demo_logins(password, self.stdout.write)
