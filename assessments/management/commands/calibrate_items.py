import numpy as np
from django.core.management.base import BaseCommand, CommandError

from assessments.adaptive import items_calibrate
from assessments.models import Competency


class Command(BaseCommand):
    help = (
        "Fits a 2PL IRT model, one ability per competency, to the responses of finished and "
        "expired attempts, and saves each item's discrimination (a) and difficulty (b). Items "
        "with fewer responses than --min-n are left as they were."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-n",
            type=int,
            default=50,
            help="Fewest responses an item needs to be calibrated (default 50).",
        )
        parser.add_argument(
            "--competency",
            action="append",
            # Work-style statements have no right answer; "reading" is a section's alias.
            choices=[
                code
                for code in Competency.values
                if code not in (Competency.READING, Competency.WORK_STYLE)
            ],
            help="Calibrate this competency only (may be repeated).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Fit and report, but save nothing."
        )

    def handle(self, *args, min_n, competency, dry_run, **options):
        if min_n < 2:
            raise CommandError("--min-n must be at least 2.")
        self.stdout.write("Fitting the 2PL model per competency…")
        calibrations = items_calibrate(min_n=min_n, competencies=competency, dry_run=dry_run)
        if not calibrations:
            self.stdout.write("No responses from finished attempts to calibrate.")
            return
        header = (
            f"{'competency':<12} {'attempts':>8} {'items':>5} {'calibrated':>10} "
            f"{'skipped':>7} {'mean a':>6} {'b range':>15} {'EM iter.':>8}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for calibration in calibrations:
            result = calibration.result
            fitted = result.is_calibrated
            if fitted.any():
                mean_a = f"{np.mean(result.a[fitted]):.2f}"
                b_range = f"{np.min(result.b[fitted]):.2f} to {np.max(result.b[fitted]):.2f}"
            else:
                mean_a = b_range = "–"
            converged = "" if result.converged else " (did not converge)"
            self.stdout.write(
                f"{calibration.competency:<12} {calibration.attempts:>8} "
                f"{len(calibration.items):>5} {len(calibration.calibrated):>10} "
                f"{len(calibration.skipped):>7} {mean_a:>6} {b_range:>15} "
                f"{result.iterations:>8}{converged}"
            )
        total = sum(len(calibration.calibrated) for calibration in calibrations)
        skipped = sum(len(calibration.skipped) for calibration in calibrations)
        if dry_run:
            self.stdout.write(f"Dry run: {total} items would be calibrated, nothing saved.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{total} items calibrated; {skipped} skipped (fewer than {min_n} responses)."
                )
            )
