"""Small template tags used in long lists, where an `{% include %}` per row would cost more
than the row itself (a shortlist page shows some 300 evidence badges)."""

from django import template
from django.utils.html import format_html

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
