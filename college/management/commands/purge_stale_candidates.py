from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from candidates.retention import retention_cutoff, stale_candidates, stale_candidates_purge


class Command(BaseCommand):
    help = (
        "Erases job-seekers with no activity for RETENTION_MONTHS (or --months) months, "
        "keeping only anonymous statistics. --dry-run only counts them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, months, dry_run, **options):
        months = settings.RETENTION_MONTHS if months is None else months
        if months < 1:
            raise CommandError("--months must be at least 1.")
        cutoff = retention_cutoff(months=months)
        if dry_run:
            count = stale_candidates(cutoff=cutoff).count()
            self.stdout.write(
                f"Dry run: {count} job-seeker(s) inactive since {cutoff:%Y-%m-%d} "
                f"({months} months) would be erased."
            )
            return
        count = stale_candidates_purge(months=months)
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased {count} job-seeker(s) inactive since {cutoff:%Y-%m-%d} ({months} months)."
            )
        )
