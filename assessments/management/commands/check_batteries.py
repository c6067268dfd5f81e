from django.core.management.base import BaseCommand

from assessments.checks import battery_checks_refresh, battery_is_blocked, finding_message
from assessments.models import Battery


class Command(BaseCommand):
    help = (
        "Runs every battery's cue checks and statistics (assessments/checks.py) and stores the "
        "findings; a battery flagged and not cleared by staff verifies no skill. Run it daily."
    )

    def handle(self, *args, **options):
        for battery in Battery.objects.order_by("position", "slug"):
            findings = battery_checks_refresh(battery)
            state = "blocked" if battery_is_blocked(battery) else "ok"
            self.stdout.write(f"{battery.slug}: {len(findings)} finding(s), {state}")
            for finding in findings:
                self.stdout.write(f"  - {finding_message(finding)}")
