"""A match's decisive reasons in words: the few facts that weigh most in its score, gaps first.

Read the same way on the job-seeker's match cards and the employer's applicants list.
"""

from django.utils.translation import gettext as _

from college.matching.explain import MISSING, PARTIAL
from college.matching.score import COMMUTE_UNKNOWN, IMPORTANCE_WEIGHTS

REASONS_SHOWN = 3


def decisive_reasons(match, limit=REASONS_SHOWN):
    """The `limit` facts that weigh most in the score, gaps first: each `(is_positive, text)`.

    A skill weighs as its importance (essential 3, important 2, nice to have 1); a missing
    skill or a language short of the level asked counts before a skill held, and a partly
    held one counts half. Availability and the journey come in when they lower the score.
    """
    weighed = []  # (weight, is_positive, text)
    for line in match.skills:
        weight = IMPORTANCE_WEIGHTS.get(line.importance, 1)
        if line.state == MISSING:
            text = _("%(skill)s: missing (level %(level)s of 4 asked)") % {
                "skill": line.label,
                "level": line.required_level,
            }
            weighed.append((weight * 2, False, text))
        elif line.state == PARTIAL:
            if line.held_level < line.required_level:
                text = _("%(skill)s: level %(held)s, level %(level)s asked") % {
                    "skill": line.label,
                    "held": line.held_level,
                    "level": line.required_level,
                }
            else:
                text = _("%(skill)s: level reached, but only self-declared") % {"skill": line.label}
            weighed.append((weight, False, text))
        else:
            text = _("%(skill)s: held at the level asked") % {"skill": line.label}
            weighed.append((weight - 0.5, True, text))
    for line in match.languages:
        if not line.met:
            text = _("%(language)s: %(level)s asked, %(held)s held") % {
                "language": line.name.capitalize(),
                "level": line.min_cefr,
                "held": line.held_cefr or _("none"),
            }
            weighed.append((5, False, text))
    parts = match.parts
    if parts.d and parts.k < parts.d:
        weighed.append((2.5, False, _("Not available for every schedule asked")))
    if parts.c < COMMUTE_UNKNOWN:
        weighed.append((2.5, False, _("A long journey to work")))
    weighed.sort(key=lambda item: -item[0])
    return [(is_positive, text) for _weight, is_positive, text in weighed[:limit]]
