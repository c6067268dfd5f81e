"""Reads of the digital and cyber track's own data: a self-assessment's state and its profile by
area, and the certifications a person recorded, each with its reference text."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from candidates.models import DigitalSelfAssessment, ExternalCertification
from college.core.charts import bar_chart
from college.reference.digital import (
    DIGCOMP_LEVELS,
    NOT_DONE,
    certification_type,
    digcomp_areas,
    digcomp_codes,
)

TOP_LEVEL = DIGCOMP_LEVELS[-1]


def band_label(level):
    """DigComp's band of a (mean) level: foundation 1–2, intermediate 3–4, advanced 5–6."""
    if level <= 0:
        return _("not done yet")
    if level < Decimal("2.5"):
        return _("foundation")
    if level < Decimal("4.5"):
        return _("intermediate")
    return _("advanced")


@dataclass(frozen=True)
class AreaResult:
    area: object
    mean: Decimal  # 0–6, one decimal; "not done" counts as 0
    answered: int  # competences answered with a level (not "not done")
    total: int

    @property
    def band(self):
        return band_label(self.mean)


def area_results(answers):
    """Each area's mean level over its competences (0 for "not done" or unanswered)."""
    results = []
    for area in digcomp_areas():
        levels = [answers.get(item.code, NOT_DONE) for item in area.competences]
        mean = Decimal(sum(levels)) / len(levels)
        results.append(
            AreaResult(
                area=area,
                mean=mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP),
                answered=sum(1 for level in levels if level != NOT_DONE),
                total=len(levels),
            )
        )
    return results


def area_chart(results):
    """The area profile as an inline SVG bar chart (college.core.charts), on a 0–6 scale."""
    return bar_chart(
        [{"label": result.area.title, "values": [result.mean]} for result in results],
        series=[_("Mean level (0 to 6)")],
        maximum=TOP_LEVEL,
    )


@dataclass(frozen=True)
class SelfAssessmentState:
    open: DigitalSelfAssessment | None  # the take being filled in
    latest: DigitalSelfAssessment | None  # the last completed take
    history: list  # every completed take, newest first

    @property
    def answered(self):
        """How many competences the open take has answered (0 with none open)."""
        return len(self.open.answers) if self.open else 0

    @property
    def total(self):
        return len(digcomp_codes())

    @property
    def percent(self):
        return round(self.answered * 100 / self.total)

    @property
    def results(self):
        return area_results(self.latest.answers) if self.latest else []

    def area_is_saved(self, area):
        """The open take has saved every competence of `area`."""
        return self.open is not None and all(
            item.code in self.open.answers for item in area.competences
        )

    def initial_for(self, area):
        """What the area's form shows: the open take's answers, else the last completed one's."""
        source = self.open or self.latest
        answers = source.answers if source else {}
        return {
            item.field_name: answers[item.code] for item in area.competences if item.code in answers
        }


def self_assessment_state(*, profile):
    """The person's takes in one query."""
    takes = list(DigitalSelfAssessment.objects.filter(profile=profile))
    history = [take for take in takes if take.completed_at is not None]
    history.sort(key=lambda take: (take.completed_at, take.pk), reverse=True)
    return SelfAssessmentState(
        open=next((take for take in takes if take.completed_at is None), None),
        latest=history[0] if history else None,
        history=history,
    )


@dataclass(frozen=True)
class CertificationRow:
    record: ExternalCertification
    kind: object  # college.reference.digital.CertificationType


def certification_rows(*, profile):
    """The person's recorded certifications with their reference texts, in one query."""
    records = ExternalCertification.objects.filter(profile=profile).select_related("checked_by")
    return [
        CertificationRow(record=record, kind=certification_type(record.certification))
        for record in records
    ]
