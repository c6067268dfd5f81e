"""Admission rates of an intake by group, against the four-fifths rule, for college staff.

The same approach as the shortlist fairness report (college/insights/fairness.py), applied to
an intake's applicants:

* the **applicants** are the intake's applications, withdrawn ones left out; the **admitted**
  those whose latest decision is an admission;
* the **rate** of a group is its admitted divided by its applicants;
* groups, one table per dimension: **sex** as the person gave it (not given: left out), **age
  band** (the age reached in the year the programme starts), **commune group** (the police
  zone of the commune; living outside Brussels is a group of its own; not given: left out),
  **diploma level** (the highest listed, or none), **nationality group** (Belgian, another
  EU/EEA country or Switzerland, another country; not given: left out) and **language** (the
  language the person uses Passerelle in);
* the **ratio** of a group is its rate divided by the highest rate among the groups shown (the
  reference); under 0.8 is flagged: a signal to look at, not proof of discrimination;
* **small groups are suppressed**: a group of fewer than :data:`MIN_GROUP_SIZE` applicants
  shows no figure and is never the reference; no total is given per dimension, so that a
  suppressed group cannot be recovered by subtraction (nor is the intake's number of
  applicants or admissions given here).

The programme's report pools every intake of the programme (a person who applied to two
intakes counts twice, once per application).

The age bands, the diploma order, the rates and ratios and the small-group rule are the ones
every fairness report shares (:mod:`college.reference.adverse_impact`).

Aggregates only: nothing here returns a person's id or attribute. :func:`dimension_table` and
:func:`person_groups` are pure; :func:`intake_fairness` runs a constant number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from candidates.models import Education, Nationality
from college.models import IntakeApplication, PoliceZone
from college.reference import adverse_impact
from college.reference.adverse_impact import (
    AGE_DIMENSION,
    MIN_GROUP_SIZE,
    NO_DIPLOMA,
    DimensionTable,
    Rate,
    age_band,
    highest_level,
)

OUTSIDE_BRUSSELS = "outside"


def static_dimensions():
    return {
        "sex": (
            _("Sex"),
            (("woman", _("Woman")), ("man", _("Man")), ("other", _("Other"))),
        ),
        "age": AGE_DIMENSION,
        "diploma": (
            _("Highest diploma level"),
            ((NO_DIPLOMA, _("No diploma listed")), *Education.Level.choices),
        ),
        "nationality": (_("Nationality group"), tuple(Nationality.choices)),
        "language": (
            _("Language"),
            (("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))),
        ),
    }


DIMENSION_ORDER = ("sex", "age", "commune", "diploma", "nationality", "language")


# Pure part ------------------------------------------------------------------------------------


def person_groups(*, gender, birth_year, zone, outside, diplomas, nationality, language, year):
    """One applicant's group in each dimension (None: left out of that dimension)."""
    return {
        "sex": gender or None,
        "age": age_band(birth_year, year=year),
        "commune": OUTSIDE_BRUSSELS if outside else (str(zone) if zone else None),
        "diploma": highest_level(diplomas),
        "nationality": nationality or None,
        "language": language or None,
    }


@dataclass(frozen=True)
class GroupRow(Rate):
    """One group of a dimension in this report's words: its applicants, its admitted and the
    ratio. A suppressed group carries no figure at all."""

    @property
    def applicants(self):
        return self.total

    @property
    def admitted(self):
        return self.selected

    @property
    def rate_value(self):
        return None if self.rate is None else round(float(self.rate), 3)

    @property
    def ratio_value(self):
        # Rounded down, so that a flagged 0.799 never reads 0.80.
        return self.ratio_display


def dimension_table(key, label, groups, counts) -> DimensionTable:
    """The table of one dimension: `groups` is ((key, label), …) in display order, `counts`
    {group key: (applicants, admitted)}. A group under MIN_GROUP_SIZE applicants is
    suppressed; the reference is the highest rate shown (the first in order on a tie)."""
    rows = adverse_impact.rates(
        tuple((group, str(group_label)) for group, group_label in groups),
        {
            group: (applicants, admitted, applicants)
            for group, (applicants, admitted) in counts.items()
        },
        row=GroupRow,
    )
    return DimensionTable(key=key, label=str(label), rows=rows)


def tables_from(people, dimensions):
    """The tables from [(groups dict, is admitted)] and {dimension: (label, groups)}."""
    people = list(people)
    counts = adverse_impact.group_counts((groups for groups, _admitted in people), dimensions)
    admitted = adverse_impact.group_counts(
        (groups for groups, is_admitted in people if is_admitted), dimensions
    )
    return tuple(
        dimension_table(
            key,
            dimensions[key][0],
            dimensions[key][1],
            {group: (counts[key][group], admitted[key][group]) for group in counts[key]},
        )
        for key in DIMENSION_ORDER
    )


# Reading the database -------------------------------------------------------------------------


@dataclass(frozen=True)
class FairnessReport:
    intake_id: int
    tables: tuple[DimensionTable, ...]
    programme_tables: tuple[DimensionTable, ...]
    min_group_size: int = MIN_GROUP_SIZE


def _people(applications):
    rows = list(
        applications.values_list(
            "pk",
            "status",
            "intake__starts_on",
            "candidate__candidate_profile__gender",
            "candidate__candidate_profile__birth_year",
            "candidate__candidate_profile__commune__police_zone_id",
            "candidate__candidate_profile__lives_outside_brussels",
            "candidate__candidate_profile__nationality",
            "candidate__candidate_profile__id",
            "candidate__preferred_language",
        )
    )
    diplomas = {}
    for profile_id, level in Education.objects.filter(
        profile_id__in={row[8] for row in rows}
    ).values_list("profile_id", "level"):
        diplomas.setdefault(profile_id, []).append(level)
    return [
        (
            person_groups(
                gender=gender,
                birth_year=birth_year,
                zone=zone,
                outside=outside,
                diplomas=diplomas.get(profile_id, ()),
                nationality=nationality,
                language=language,
                year=starts_on.year,
            ),
            status == IntakeApplication.Status.ADMITTED,
        )
        for (
            _pk,
            status,
            starts_on,
            gender,
            birth_year,
            zone,
            outside,
            nationality,
            profile_id,
            language,
        ) in rows
    ]


def dimensions():
    zones = tuple(
        (str(pk), name)
        for pk, name in PoliceZone.objects.order_by("number").values_list("pk", "short_name")
    )
    result = static_dimensions()
    result["commune"] = (
        _("Commune group (police zone)"),
        (*zones, (OUTSIDE_BRUSSELS, _("Outside Brussels"))),
    )
    return result


def intake_fairness(intake) -> FairnessReport:
    """The intake's report and its programme's: five queries."""
    groups = dimensions()
    live = IntakeApplication.objects.exclude(status=IntakeApplication.Status.WITHDRAWN)
    people = _people(live.filter(intake=intake))
    programme_people = _people(live.filter(intake__programme_id=intake.programme_id))
    return FairnessReport(
        intake_id=intake.pk,
        tables=tables_from(people, groups),
        programme_tables=tables_from(programme_people, groups),
    )
