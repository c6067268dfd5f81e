"""Small template tags used in long lists, where an `{% include %}` per row would cost more
than the row itself (a shortlist page shows some 300 evidence badges)."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from college.reference.fit import fit_of

register = template.Library()

# The mark before each kind of evidence, strongest first (hidden from screen readers: the label
# says it in words).
EVIDENCE_MARKS = {
    "training_certified": "★",
    "test_verified": "✓",
    "counsellor_validated": "●",
}


@register.simple_tag
def evidence_badge(evidence, label):
    """The badge naming how a skill is backed: training-certified, test-verified, …"""
    return format_html(
        '<span class="badge evidence-{}"><span aria-hidden="true">{} </span>{}</span>',
        evidence,
        EVIDENCE_MARKS.get(evidence, "○"),
        label,
    )


@register.simple_tag
def skill_line_items(lines):
    """The `<li>` of a shortlist card's skill lines: label (importance), levels, evidence.

    `lines` are dicts with label, importance, levels, evidence and evidence_label (see
    employers/shortlists/views.py). A page shows some 300 such lines: one tag per list costs a
    fifth of a template loop over them.
    """
    return format_html_join(
        "\n",
        '<li><span>{} <span class="small muted">({})</span></span> <span>{}</span>{}</li>',
        (
            (
                line["label"],
                line["importance"],
                line["levels"],
                format_html(" {}", evidence_badge(line["evidence"], line["evidence_label"]))
                if line["evidence"]
                else "",
            )
            for line in lines
        ),
    )


@register.filter
def iso_datetime(value):
    """A date or a moment as `<time datetime>` takes it: `2026-05-04` or
    `2026-05-04T09:30:00+02:00` in Brussels time. HTML allows at most three digits of a
    second's fraction, and `|date:'c'` writes six, so the fraction is left out."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return ""


@register.filter
def fit(score):
    """An engine score (0–100) with its band (`college.reference.fit.Fit`):
    `{% with fit=row.score|fit %}`, so that every list shows the words the person's own pages
    show for the same number."""
    return None if score is None else fit_of(score)
