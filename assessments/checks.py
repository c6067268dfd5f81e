"""Is a battery fit to verify skills? The cue checks and the statistics, and staff clearance.

A battery is *flagged* when one of these holds:

- cue check: in one of its sections, in one of its languages, over the live items that section
  draws from, a form strategy (`assessments.cues`) beats chance by more than
  `cues.SECTION_TOLERANCE` (10 percentage points);
- cue check on mark items: marking the longest part finds a suspicious one more often than
  chance plus the same tolerance (`cues.mark_report`);
- reliability: once it is calibrated (at least CALIBRATED_ATTEMPTS attempts analysed), its
  reliability (`assessments.statistics`) is below RELIABILITY_FLOOR (0.60).

A flagged battery grants no `test_verified` evidence until a staff member clears it
(`battery_clear`, logged in BatteryClearance with a reason). A clearance covers the findings it
saw: a new finding flags the battery again. The findings are stored on the battery
(`check_findings`, `checked_at`) by `battery_checks_refresh`, run when the bank is loaded, when
staff move items, by `manage.py check_batteries`, when staff clear a battery, and at the end
of an attempt when the last check is older than CHECK_MAX_AGE.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments import cues
from assessments.drawing import items_available
from assessments.models import Battery, BatteryClearance, Competency
from assessments.statistics import battery_statistics

RELIABILITY_FLOOR = 0.60
CALIBRATED_ATTEMPTS = 50
CHECK_MAX_AGE = datetime.timedelta(hours=1)

FINDING_LABELS = {
    "cue": _(
        "Part %(section)s (%(language)s): “%(strategy)s” finds the key in %(hit)s %% of the "
        "items, against %(chance)s %% by chance."
    ),
    "reliability": _(
        "Reliability %(value)s is below the floor of %(floor)s, over %(attempts)s attempts."
    ),
}


def section_cue_reports(battery, *, languages=None):
    """The cue report of each section in each language: [(section, language, SectionReport)]."""
    reports = []
    for section in battery.sections.order_by("position"):
        seen = set()
        for language in languages or battery.languages:
            competency = Competency.for_language(section.competency, language)
            pool = list(items_available(competency, language, section.role))
            cue_items = [cues.cue_item_from_model(item, language) for item in pool]
            cue_items = [item for item in cue_items if item is not None]
            if not cue_items:
                continue
            # Reading items are in their passage's language whatever the test's language.
            shown_in = cue_items[0].language
            if (competency, shown_in) in seen:
                continue
            seen.add((competency, shown_in))
            report = cues.section_report(cue_items, language=shown_in, drawn=section.item_count)
            reports.append((section, shown_in, report))
    return reports


def section_mark_reports(battery, *, languages=None):
    """The mark-item cue report of each section that draws mark items, in each language:
    [(section, language, MarkReport)]."""
    reports = []
    for section in battery.sections.order_by("position"):
        for language in languages or battery.languages:
            competency = Competency.for_language(section.competency, language)
            pool = items_available(competency, language, section.role).filter(type="mark")
            parts = [cues.mark_parts_from_model(item, language) for item in pool]
            report = cues.mark_report(parts)
            if report.item_count:
                reports.append((section, language, report))
    return reports


def battery_findings(battery, *, summary=None):
    """What keeps `battery` from verifying skills: a list of findings, each a dict with a
    stable `key` (what a clearance covers) and the figures for its message."""
    findings = []
    for section, language, report in section_cue_reports(battery):
        for result in report.flagged_strategies:
            findings.append(
                {
                    "key": f"cue:{section.position}:{language}:{result.strategy}",
                    "code": "cue",
                    "section": section.position,
                    "language": language,
                    "strategy": result.strategy,
                    "hit": result.hit_percent,
                    "chance": report.chance_percent,
                }
            )
    for section, language, report in section_mark_reports(battery):
        if report.is_flagged:
            findings.append(
                {
                    "key": f"cue:{section.position}:{language}:{cues.MARK_LONGEST}",
                    "code": "cue",
                    "section": section.position,
                    "language": language,
                    "strategy": cues.MARK_LONGEST,
                    "hit": report.hit_percent,
                    "chance": report.chance_percent,
                }
            )
    if summary is None:
        summary = battery_statistics(battery)
    if (
        summary.attempt_count >= CALIBRATED_ATTEMPTS
        and summary.reliability is not None
        and summary.reliability < RELIABILITY_FLOOR
    ):
        findings.append(
            {
                "key": "reliability",
                "code": "reliability",
                "value": round(summary.reliability, 2),
                "floor": RELIABILITY_FLOOR,
                "attempts": summary.attempt_count,
            }
        )
    return findings


def finding_message(finding):
    values = dict(finding)
    if finding["code"] == "cue":
        labels = {**cues.STRATEGY_LABELS, **cues.MARK_STRATEGY_LABELS}
        values["strategy"] = labels.get(finding["strategy"], finding["strategy"])
    return FINDING_LABELS[finding["code"]] % values


def battery_checks_refresh(battery, *, summary=None):
    """Runs the checks and stores their findings on the battery; returns the findings."""
    findings = battery_findings(battery, summary=summary)
    battery.check_findings = findings
    battery.checked_at = timezone.now()
    Battery.objects.filter(pk=battery.pk).update(
        check_findings=findings, checked_at=battery.checked_at
    )
    return findings


def batteries_checks_refresh(batteries=None):
    """Refreshes every battery's findings (all batteries by default); returns how many are
    flagged and not cleared."""
    blocked = 0
    for battery in batteries if batteries is not None else Battery.objects.all():
        battery_checks_refresh(battery)
        blocked += battery_is_blocked(battery)
    return blocked


def uncleared_findings(battery):
    """The stored findings no clearance covers."""
    if not battery.check_findings:
        return []
    clearance = BatteryClearance.objects.filter(battery=battery).order_by("-cleared_at").first()
    cleared = {finding["key"] for finding in clearance.findings} if clearance else set()
    return [finding for finding in battery.check_findings if finding["key"] not in cleared]


def battery_is_blocked(battery):
    """True while the battery's findings are not all cleared: it verifies no skill."""
    return bool(uncleared_findings(battery))


def battery_checks_if_stale(battery):
    """Refreshes the findings when they were never computed or are older than CHECK_MAX_AGE."""
    if battery.checked_at is None or timezone.now() - battery.checked_at > CHECK_MAX_AGE:
        battery_checks_refresh(battery)


@transaction.atomic
def battery_clear(*, battery, user, note):
    """A staff member vouches for the battery despite its current findings; logged."""
    findings = battery_checks_refresh(battery)
    return BatteryClearance.objects.create(
        battery=battery, cleared_by=user, findings=findings, note=note
    )
