"""One rule for small groups: what an aggregate may say about few people.

Every figure Passerelle gives about a group of people (the skills observatory, a vacancy's pool
insight, the fairness reports of shortlists and of intakes) follows this module, so that the
threshold is the same everywhere and a page cannot be set against another one that rounds
differently.

Why
===

A count of a handful of people points at people: "2 job-seekers in Koekelberg hold this
certificate" or "the one applicant over 46 was declined" is about someone the reader may
know. Under :data:`THRESHOLD` (10) people an aggregate stops being anonymous in practice. A
threshold alone is not enough either: two exact counts that differ by less than the threshold
give away the small group between them by subtraction (all applicants minus the women and the
men is the people who gave another sex).

The two forms of the rule
=========================

* **Counts** (:func:`shown`): a count under the threshold, zero included, is :data:`FEWER`
  (``"<10"``), never a number; every other count is rounded *down to a multiple of the
  threshold*. Every number shown is then a multiple of 10, so the difference of any two is 0
  or at least 10, and two shown counts ``x`` and ``y`` bound the true ones to ``[x, x + 9]``
  and ``[y, y + 9]``: their difference is known only to an interval of 19 values. No sum or
  subtraction of shown counts gives an exact count, small or not. Totals are counted as such
  and rounded the same way, never added up from exact parts.
* **Rates by group** (:func:`is_small`, used by :mod:`college.reference.adverse_impact`): a
  rate needs its exact numerator and denominator, so a group of fewer than the threshold
  people shows no figure at all (and is never the reference of a comparison), and no total is
  given beside the groups, so that a withheld group cannot be recovered by subtraction.

Keeping the existing behaviour of each place that applies it is a test's job
(``tests/college/core/test_suppression.py`` and the tests of each report).
"""

THRESHOLD = 10
FEWER = f"<{THRESHOLD}"


def shown(count):
    """What may be shown of an exact `count`: :data:`FEWER` under the threshold, else the
    count rounded down to a multiple of the threshold (an ``int``, numpy integers included)."""
    count = int(count)
    if count < THRESHOLD:
        return FEWER
    return count - count % THRESHOLD


def as_number(value):
    """A shown figure as a number, for ordering and arithmetic on shown figures only:
    :data:`FEWER` counts as 0."""
    return 0 if value == FEWER else value


def is_small(people):
    """A group of fewer than :data:`THRESHOLD` people: it shows no figure at all."""
    return people < THRESHOLD
