"""The motivation form: a few guided questions rather than a blank page.

Answers are kept as {question key: text}. The questions are the same for every intake, so
that the two staff members who rate a motivation rate the same thing for everyone.
"""

from django.utils.translation import gettext_lazy as _

MIN_ANSWER = 20
MAX_ANSWER = 1500

QUESTIONS = (
    (
        "why",
        _("Why this programme, and why now?"),
        _("Say what draws you to this work and what changed for you recently."),
    ),
    (
        "experience",
        _("What have you already done that prepares you for it?"),
        _("Work, volunteering, sport, family: anything where you took responsibility counts."),
    ),
    (
        "commitment",
        _("How will you make time for the training?"),
        _("The days and hours, childcare, transport: what you have arranged or will arrange."),
    ),
)
QUESTION_KEYS = tuple(key for key, _label, _hint in QUESTIONS)


def motivation_errors(answers):
    """{question key: [message]} for the answers missing, too short or too long; {} if fine."""
    errors = {}
    if not isinstance(answers, dict):
        return {"motivation": [str(_("Answer each question."))]}
    unknown = sorted(set(answers) - set(QUESTION_KEYS))
    if unknown:
        errors["motivation"] = [
            str(_("Unknown questions: %(keys)s.") % {"keys": ", ".join(map(str, unknown))})
        ]
    for key in QUESTION_KEYS:
        text = answers.get(key)
        if not isinstance(text, str) or len(text.strip()) < MIN_ANSWER:
            errors[key] = [str(_("Write at least %(count)s characters.") % {"count": MIN_ANSWER})]
        elif len(text) > MAX_ANSWER:
            errors[key] = [str(_("Write at most %(count)s characters.") % {"count": MAX_ANSWER})]
    return errors
