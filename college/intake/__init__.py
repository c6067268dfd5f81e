"""Fair intake for oversubscribed programmes: apply, a blind and explained ranking for staff,
decisions taken by people, the waiting list, a way forward for everyone, and fairness figures.

* :mod:`~college.intake.questions`: the guided motivation questions;
* :mod:`~college.intake.ranking`: the score, its components, eligibility and reasons (pure
  functions) and the ranking of an intake read from the database;
* :mod:`~college.intake.services`: applying, rating a motivation, deciding, the waiting list;
* :mod:`~college.intake.fairness`: admission rates by group against the four-fifths rule;
* :mod:`~college.intake.api`: the endpoints of API.md.
"""
