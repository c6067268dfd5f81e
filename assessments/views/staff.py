"""Item statistics for college staff: per battery, per item, and a PDF report."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from assessments import checks, cues
from assessments.forms import BatteryClearanceForm
from assessments.items import LANGUAGE_NAMES, item_languages, svg_clean
from assessments.models import Battery, BatteryClearance, Item
from assessments.statistics import (
    MIN_RESPONSES,
    POOR_DISCRIMINATION,
    VERY_EASY,
    VERY_HARD,
    all_battery_statistics,
    battery_statistics,
    item_statistics,
)
from college.core.access import role_required
from college.core.pdf import html_to_pdf
from college.models import User

LIKERT_SCALE = (
    (1, gettext_lazy("Strongly disagree")),
    (2, gettext_lazy("Disagree")),
    (3, gettext_lazy("Neither agree nor disagree")),
    (4, gettext_lazy("Agree")),
    (5, gettext_lazy("Strongly agree")),
)

# ?sort= on the battery page: the column, how to read it from an ItemStatistics row.
SORTS = {
    "key": (gettext_lazy("Item"), lambda row: row.key),
    "competency": (gettext_lazy("Competency"), lambda row: str(row.item.get_competency_display())),
    "n": (gettext_lazy("Answers (n)"), lambda row: row.n),
    "p": (gettext_lazy("Facility (p)"), lambda row: row.facility),
    "discrimination": (gettext_lazy("Discrimination"), lambda row: row.discrimination),
    "flags": (gettext_lazy("Flags"), lambda row: len(row.quality_flags)),
}


@role_required(User.Role.STAFF)
@require_GET
def battery_list(request):
    summaries = all_battery_statistics(Battery.objects.order_by("position", "slug"))
    return render(request, "assessments/staff/battery_list.html", {"summaries": summaries})


@role_required(User.Role.STAFF)
@require_GET
def battery_detail(request, slug):
    battery = get_object_or_404(Battery, slug=slug)
    return _battery_page(request, battery, BatteryClearanceForm())


def _battery_page(request, battery, form, status=200):
    summary = battery_statistics(battery)
    sort = request.GET.get("sort", "key")
    rows = sorted_items(summary.items, sort)
    context = {
        "battery": battery,
        "summary": summary,
        "rows": rows,
        "columns": sort_columns(sort),
        "chart": histogram_chart(summary.histogram),
        **checks_context(battery, summary),
        "form": form,
        **thresholds(),
    }
    return render(request, "assessments/staff/battery_detail.html", context, status=status)


def checks_context(battery, summary):
    """The cue report of each part and language, the checks' findings (as they stand now, and
    as the stored state that decides evidence) and the clearance log."""
    return {
        "cue_reports": [
            {"section": section, "language": LANGUAGE_NAMES.get(code, code), "report": report}
            for section, code, report in checks.section_cue_reports(battery)
        ],
        "findings": [
            checks.finding_message(finding)
            for finding in checks.battery_findings(battery, summary=summary)
        ],
        "uncleared": [
            checks.finding_message(finding) for finding in checks.uncleared_findings(battery)
        ],
        "clearances": list(
            BatteryClearance.objects.filter(battery=battery).select_related("cleared_by")[:10]
        ),
        "cue_tolerance": round(cues.SECTION_TOLERANCE * 100),
        "length_tolerance": round(cues.LENGTH_TOLERANCE * 100),
        "reliability_floor": checks.RELIABILITY_FLOOR,
        "calibrated_attempts": checks.CALIBRATED_ATTEMPTS,
    }


@role_required(User.Role.STAFF)
@require_POST
def battery_clear(request, slug):
    """Staff clear a battery's findings: it verifies skills again; logged with the reason."""
    battery = get_object_or_404(Battery, slug=slug)
    form = BatteryClearanceForm(request.POST)
    if not form.is_valid():
        return _battery_page(request, battery, form, status=400)
    clearance = checks.battery_clear(
        battery=battery, user=request.user, note=form.cleaned_data["note"]
    )
    if clearance.findings:
        messages.success(request, _("Cleared: this test verifies skills again."))
    else:
        messages.info(request, _("The checks find nothing now: this test verifies skills."))
    return redirect("assessments_staff:battery", battery.slug)


@role_required(User.Role.STAFF)
@require_GET
def battery_report(request, slug):
    battery = get_object_or_404(Battery, slug=slug)
    summary = battery_statistics(battery)
    response = HttpResponse(battery_report_pdf(summary), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="passerelle-item-statistics-{battery.slug}.pdf"'
    )
    return response


def battery_report_pdf(summary):
    """The battery's statistics as PDF bytes, in the active language."""

    flagged = summary.flagged_items
    html = render_to_string(
        "assessments/pdf/statistics.html",
        {
            "battery": summary.battery,
            "summary": summary,
            "flagged": flagged,
            "rows": summary.items,
            "generated_on": timezone.localdate(),
            **thresholds(),
        },
    )
    return html_to_pdf(html)


@role_required(User.Role.STAFF)
@require_GET
def item_detail(request, key):
    item = get_object_or_404(
        Item.objects.select_related("passage", "trait").prefetch_related("options"), key=key
    )
    rows, overall = item_statistics(item)
    options = sorted(item.options.all(), key=lambda option: option.position)
    rates = {option.id: option for option in overall.options} if overall else {}
    option_rows = [
        {
            "option": option,
            "statistics": rates.get(option.pk),
            "percent": percent(rates[option.pk].rate) if option.pk in rates else None,
            "figure": safe_svg(option.svg),
        }
        for option in options
    ]
    context = {
        "item": item,
        "versions": item_versions(item, options),
        "figures": [safe_svg(svg) for svg in item.sequence if isinstance(svg, str)],
        "option_rows": option_rows,
        "option_chart": bar_chart(
            [
                (option.key, row["statistics"].rate if row["statistics"] else None)
                for option, row in zip(options, option_rows, strict=True)
            ]
        ),
        "scale_rows": scale_rows(overall),
        "scale_chart": bar_chart(
            [(str(value), rate) for value, _count, rate in overall.scale] if overall else []
        ),
        "rows": rows,
        "overall": overall if len(rows) > 1 else None,
        "statistics": overall,
        "no_answer_percent": percent(overall.no_answer_rate) if overall else None,
        **thresholds(),
    }
    return render(request, "assessments/staff/item_detail.html", context)


def thresholds():
    return {
        "min_responses": MIN_RESPONSES,
        "poor_discrimination": POOR_DISCRIMINATION,
        "very_hard": VERY_HARD,
        "very_easy": VERY_EASY,
    }


def sorted_items(rows, sort):
    """The rows by `sort` ("p", or "-p" for descending); unknown columns sort by key.

    Rows without a value (no answers yet) come last in either direction.
    """
    descending = sort.startswith("-")
    column = sort.lstrip("-")
    if column not in SORTS:
        column, descending = "key", False
    read = SORTS[column][1]
    rows = sorted(rows, key=lambda row: row.key)
    known = [row for row in rows if read(row) is not None]
    unknown = [row for row in rows if read(row) is None]
    # Stable sorts: equal values (to 6 decimals) stay in key order in either direction.
    known.sort(key=lambda row: _comparable(read(row)), reverse=descending)
    return known + unknown


def _comparable(value):
    return round(value, 6) if isinstance(value, float) else value


def sort_columns(sort):
    """The sortable headers: a link each, the current one marked for assistive technology."""
    current = sort.lstrip("-") if sort.lstrip("-") in SORTS else "key"
    descending = sort.startswith("-") and current == sort.lstrip("-")
    columns = []
    for name, (label, _read) in SORTS.items():
        is_current = name == current
        # A second click on the current column reverses it; numbers start with the highest.
        if is_current:
            next_sort = name if descending else f"-{name}"
        else:
            next_sort = f"-{name}" if name in {"n", "p", "discrimination", "flags"} else name
        columns.append(
            {
                "name": name,
                "label": label,
                "url": f"?sort={next_sort}",
                "aria_sort": (
                    ("descending" if descending else "ascending") if is_current else None
                ),
            }
        )
    return columns


# Charts: inline SVG, drawn here so that templates only place the shapes.

CHART_WIDTH = 320
CHART_HEIGHT = 160
CHART_MARGIN = 24


def histogram_chart(bins):
    """Bars of the histogram of total scores, scaled to the tallest bin."""
    if not bins:
        return None
    tallest = max(entry["count"] for entry in bins) or 1
    plot_height = CHART_HEIGHT - 2 * CHART_MARGIN
    slot = (CHART_WIDTH - CHART_MARGIN) / len(bins)
    bars = []
    for index, entry in enumerate(bins):
        height = plot_height * entry["count"] / tallest
        bars.append(
            {
                **entry,
                "x": round(CHART_MARGIN / 2 + index * slot + 2, 1),
                "y": round(CHART_MARGIN + plot_height - height, 1),
                "width": round(slot - 4, 1),
                "height": round(height, 1),
                "label_x": round(CHART_MARGIN / 2 + index * slot + slot / 2, 1),
                "count_y": round(CHART_MARGIN + plot_height - height - 4, 1),
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "axis_y": CHART_MARGIN + plot_height,
        "label_y": CHART_HEIGHT - 6,
        "bars": bars,
        "tallest": tallest,
    }


def bar_chart(values):
    """Horizontal bars for shares 0–1: [(label, rate or None)]."""
    if not values:
        return None
    row_height = 28
    left = 40
    width = 240
    bars = []
    for index, (label, rate) in enumerate(values):
        bars.append(
            {
                "label": label,
                "percent": None if rate is None else round(rate * 100),
                "y": index * row_height + 4,
                "text_y": index * row_height + 19,
                "width": round((rate or 0) * width, 1),
                "value_x": left + round((rate or 0) * width, 1) + 6,
            }
        )
    return {"width": left + width + 48, "height": len(values) * row_height + 4, "bars": bars}


def percent(rate):
    return None if rate is None else round(rate * 100)


def scale_rows(overall):
    if overall is None or not overall.scale:
        return []
    labels = dict(LIKERT_SCALE)
    return [
        {"value": value, "label": labels[value], "count": count, "percent": percent(rate)}
        for value, count, rate in overall.scale
    ]


def item_versions(item, options):
    """The item's texts in each language it is written in, for staff to compare."""
    languages = (
        item_languages(item) if item.competency.startswith("reading") else ["fr", "nl", "en"]
    )
    versions = []
    for code in languages:
        stem = getattr(item, f"stem_{code}")
        if not stem and code == "en":
            continue
        versions.append(
            {
                "code": code,
                "name": LANGUAGE_NAMES[code],
                "stem": stem,
                "explanation": getattr(item, f"explanation_{code}"),
                "alt": getattr(item, f"alt_{code}"),
                "unit": getattr(item, f"unit_{code}"),
                "options": [(option, getattr(option, f"label_{code}")) for option in options],
            }
        )
    return versions


def safe_svg(svg):
    """The figure's markup when it holds only the bank's shapes; never script or style."""
    return svg_clean(svg) if svg else ""
