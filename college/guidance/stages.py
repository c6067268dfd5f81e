"""Where a job-seeker stands on the way to a job: one definition for caseloads and dashboards.

A stage is the furthest milestone reached, each read from data the system already holds:

* ``placed`` — an application reached "hired";
* ``applying`` — an application still open (not closed as not retained, which includes
  withdrawn ones);
* ``training`` — a live enrolment (enrolled or waiting) or a module passed;
* ``testing`` — a practice test finished;
* ``profile`` — at least one skill in the profile;
* ``new`` — none of these yet.

``annotate_stage`` adds the stage to a ``CandidateProfile`` queryset as one SQL expression
(``EXISTS`` sub-queries), so a list of any length costs no extra query.
"""

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from assessments.models import Attempt
from candidates.models import CandidateSkill
from college.models import Enrolment
from employers.models import Application


class Stage(models.TextChoices):
    NEW = "new", _("Getting started")
    PROFILE = "profile", _("Building the profile")
    TESTING = "testing", _("Practising the tests")
    TRAINING = "training", _("In training")
    APPLYING = "applying", _("Applying")
    PLACED = "placed", _("Hired")


STAGE_ORDER = [choice.value for choice in Stage]


def _milestones():
    applications = Application.objects.filter(profile=OuterRef("pk"))
    return {
        Stage.PLACED: Exists(applications.filter(stage=Application.Stage.HIRED)),
        Stage.APPLYING: Exists(applications.exclude(stage=Application.Stage.NOT_RETAINED)),
        Stage.TRAINING: Exists(
            Enrolment.objects.filter(candidate=OuterRef("user_id")).filter(
                Q(status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.WAITLISTED])
                | Q(result=Enrolment.Result.PASSED)
            )
        ),
        Stage.TESTING: Exists(
            Attempt.objects.filter(user=OuterRef("user_id"), finished_at__isnull=False)
        ),
        Stage.PROFILE: Exists(CandidateSkill.objects.filter(profile=OuterRef("pk"))),
    }


def stage_expression():
    """A SQL CASE giving the stage of each CandidateProfile row, furthest milestone first."""
    milestones = _milestones()
    return Case(
        *[
            When(milestones[stage], then=Value(stage.value))
            for stage in reversed(Stage)
            if stage != Stage.NEW
        ],
        default=Value(Stage.NEW.value),
        output_field=models.CharField(),
    )


def annotate_stage(profiles):
    """`profiles` (a CandidateProfile queryset) with `stage`, one of :class:`Stage`'s values."""
    return profiles.annotate(stage=stage_expression())


def stage_counts(profiles):
    """How many of `profiles` are at each stage, in stage order: [(Stage, count)], one query."""
    rows = dict(
        annotate_stage(profiles)
        .order_by()
        .values_list("stage")
        .annotate(count=models.Count("pk"))
        .values_list("stage", "count")
    )
    return [(stage, rows.get(stage.value, 0)) for stage in Stage]
