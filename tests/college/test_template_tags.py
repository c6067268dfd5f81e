from django.template import Context, Template

from college.templatetags.passerelle import evidence_badge


def test_the_evidence_badge_names_the_evidence_with_its_mark():
    assert evidence_badge("test_verified", "Test-verified") == (
        '<span class="badge evidence-test_verified"><span aria-hidden="true">✓ </span>'
        "Test-verified</span>"
    )
    assert '<span aria-hidden="true">○ </span>' in evidence_badge("self_declared", "Declared")


def test_skill_line_items_escape_and_show_the_badge_only_with_evidence():
    lines = [
        {
            "label": "Gérer <les> conflits",
            "importance": "essential",
            "levels": "level asked: 3 · held: 2",
            "evidence": "training_certified",
            "evidence_label": "Training-certified",
        },
        {
            "label": "Patrol",
            "importance": "important",
            "levels": "level asked: 2 · not held",
            "evidence": None,
            "evidence_label": "",
        },
    ]
    html = Template("{% load passerelle %}{% skill_line_items lines %}").render(
        Context({"lines": lines})
    )
    first, second = html.split("\n")
    assert first.startswith('<li><span>Gérer &lt;les&gt; conflits <span class="small muted">')
    assert "evidence-training_certified" in first and "held: 2" in first
    assert "badge" not in second and second.endswith("not held</span></li>")
