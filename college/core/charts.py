"""Geometry of the inline SVG charts (no JavaScript): pure functions returning data for templates.

Templates draw the shapes and write every label as real, auto-escaped text
(templates/includes/chart_bars.html, chart_columns.html), each chart with its figures in a
table as well, so that nothing is known only from a shape or a colour.
"""

import math
from decimal import Decimal

from django.utils.formats import number_format

# Each at least 4.5:1 against white, so bars and their text both read well.
SERIES_COLOURS = ["#0b4f6c", "#a3360f", "#1d6b3a"]
TEXT_COLOUR = "#1a1d21"
MUTED_COLOUR = "#4d5560"
TRACK_COLOUR = "#f3f5f7"
LINE_COLOUR = "#cfd6dd"

# Horizontal bars: the label above its bar(s), values right of a fixed track (360 px phones).
BARS_WIDTH = 340
TRACK_WIDTH = 250
BAR_HEIGHT = 16
BAR_GAP = 4
LABEL_HEIGHT = 18
ROW_GAP = 10
LEGEND_LINE = 18

# Grouped columns over time.
COLUMNS_WIDTH = 360
AXIS_WIDTH = 30
PLOT_HEIGHT = 140
AXIS_LABELS_HEIGHT = 30


def _value_text(value, percent):
    if value is None:
        return "—"
    if percent:
        return f"{round(value)} %"
    # A decimal in the reader's language: 1,5 in French and Dutch, 1.5 in English.
    return number_format(value) if isinstance(value, float | Decimal) else str(value)


def _legend(series, top=0):
    return [
        {
            "label": label,
            "colour": SERIES_COLOURS[index % len(SERIES_COLOURS)],
            "y": top + index * LEGEND_LINE,
            "text_y": top + index * LEGEND_LINE + 11,
        }
        for index, label in enumerate(series)
    ]


def bar_chart(rows, *, series, percent=False, maximum=None):
    """Horizontal bars: `rows` are ``{"label": …, "values": [one number or None per series]}``.

    With ``percent`` the values are percentages (0–100) on a 0–100 scale; otherwise the
    scale runs to ``maximum`` when given (a fixed scale, e.g. levels 0–6), or to the largest
    value. None means "no data" and draws no bar.
    """
    legend = _legend(series) if len(series) > 1 else []
    top = len(legend) * LEGEND_LINE + (6 if legend else 0)
    values = [value for row in rows for value in row["values"] if value is not None]
    if percent:
        maximum = 100
    elif maximum is None:
        maximum = max(values, default=0)
    drawn = []
    for row in rows:
        label_y = top + 13
        bars = []
        bar_y = top + LABEL_HEIGHT
        for index, value in enumerate(row["values"]):
            width = 0 if not value or not maximum else round(value / maximum * TRACK_WIDTH, 1)
            bars.append(
                {
                    "series": series[index],
                    "value": value,
                    "text": _value_text(value, percent),
                    "y": bar_y,
                    "width": width,
                    "text_y": bar_y + BAR_HEIGHT - 3,
                    "colour": SERIES_COLOURS[index % len(SERIES_COLOURS)],
                }
            )
            bar_y += BAR_HEIGHT + BAR_GAP
        drawn.append({"label": row["label"], "label_y": label_y, "bars": bars})
        top = bar_y - BAR_GAP + ROW_GAP
    return {
        "width": BARS_WIDTH,
        "height": max(top, 20),
        "track_width": TRACK_WIDTH,
        "bar_height": BAR_HEIGHT,
        "text_x": TRACK_WIDTH + 6,
        "series": list(series),
        "legend": legend,
        "rows": drawn,
        "percent": percent,
        "is_empty": not rows,
    }


def nice_maximum(value):
    """The smallest 1, 2 or 5 times a power of ten at least `value` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover (the loop always returns)


def column_chart(columns, *, series):
    """Grouped vertical columns: `columns` are ``{"label", "sub", "full_label", "values"}``.

    ``label`` is written under each group (a short month name), ``sub`` under it (a year,
    written only where it changes); ``full_label`` names the group in the table of figures.
    """
    legend = _legend(series)
    plot_top = len(legend) * LEGEND_LINE + 10
    plot_bottom = plot_top + PLOT_HEIGHT
    maximum = nice_maximum(max((v for c in columns for v in c["values"]), default=0))
    group_width = (COLUMNS_WIDTH - AXIS_WIDTH - 4) / max(len(columns), 1)
    bar_width = min(10, (group_width - 4) / max(len(series), 1))
    ticks = [
        {
            "value": value,
            "y": round(plot_bottom - value / maximum * PLOT_HEIGHT, 1),
            "text_y": round(plot_bottom - value / maximum * PLOT_HEIGHT + 4, 1),
        }
        for value in sorted({0, maximum, maximum // 2 if maximum % 2 == 0 else 0})
    ]
    groups = []
    for position, column in enumerate(columns):
        left = AXIS_WIDTH + position * group_width
        start = left + (group_width - bar_width * len(series)) / 2
        bars = []
        for index, value in enumerate(column["values"]):
            height = round(value / maximum * PLOT_HEIGHT, 1)
            bars.append(
                {
                    "series": series[index],
                    "value": value,
                    "x": round(start + index * bar_width, 1),
                    "y": round(plot_bottom - height, 1),
                    "height": height,
                    "colour": SERIES_COLOURS[index % len(SERIES_COLOURS)],
                }
            )
        groups.append(
            {
                "label": column["label"],
                "sub": column.get("sub", ""),
                "full_label": column.get("full_label") or column["label"],
                "values": column["values"],
                "x": round(left + group_width / 2, 1),
                "bars": bars,
            }
        )
    return {
        "width": COLUMNS_WIDTH,
        "height": plot_bottom + AXIS_LABELS_HEIGHT,
        "axis_x": AXIS_WIDTH,
        "plot_right": COLUMNS_WIDTH - 4,
        "plot_bottom": plot_bottom,
        "label_y": plot_bottom + 13,
        "sub_y": plot_bottom + 26,
        "bar_width": round(bar_width, 1),
        "series": list(series),
        "legend": legend,
        "ticks": ticks,
        "groups": groups,
        "maximum": maximum,
    }


def percent(part, whole):
    """`part` of `whole` in percent, rounded to a whole number; None when `whole` is 0."""
    if not whole:
        return None
    return round(part * 100 / whole)
