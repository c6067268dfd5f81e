"""What the staff dashboard reads: counts of the platform's people and data, and its charts,
each in a fixed number of queries whatever the data."""

import datetime

from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from candidates.models import CandidateProfile, CandidateSkill, Evidence
from college.core.charts import bar_chart, column_chart, percent
from college.guidance.stages import stage_counts
from college.models import Enrolment, Module, Role, Skill, User
from employers.models import Application, Employer

# The dashboard charts the cohorts that ended last, so that the chart stays readable.
RECENT_COHORTS = 12


def staff_counts():
    """Accounts by role, skills by evidence, employers waiting for verification, and the sizes
    of the reference data."""
    users_by_role = dict(
        User.objects.values_list("role").annotate(count=Count("id")).values_list("role", "count")
    )
    evidence_counts = dict(
        CandidateSkill.objects.values_list("evidence").annotate(count=Count("id"))
    )
    return {
        "users_by_role": [
            (label, users_by_role.get(value, 0)) for value, label in User.Role.choices
        ],
        "employers_to_verify": Employer.objects.filter(is_verified=False).order_by("name_fr"),
        "verified_employer_count": Employer.objects.verified().count(),
        "skill_count": Skill.objects.count(),
        "role_count": Role.objects.count(),
        "evidence_counts": [
            (label, evidence_counts.get(value, 0)) for value, label in Evidence.choices
        ],
    }


def staff_charts():
    """The staff dashboard's charts, in a fixed number of queries whatever the data."""
    today = timezone.localdate()
    stages = stages_chart()
    cohorts = _ended_cohorts(today)
    hired = Application.objects.filter(stage=Application.Stage.HIRED)
    return {
        "stages": stages,
        "modules": modules_chart(cohorts),
        "cohorts": cohorts_chart(cohorts),
        "placements": placements_chart(hired),
        "months": months_chart(today, hired),
        "recent_cohorts": RECENT_COHORTS,
    }


def _rates():
    return [_("Completion"), _("Pass rate")]


def stages_chart():
    """How many job-seekers are at each stage of their way to a job."""
    stages = stage_counts(CandidateProfile.objects.all())
    return bar_chart(
        [{"label": stage.label, "values": [count]} for stage, count in stages],
        series=[_("Job-seekers")],
    )


def _ended_cohorts(today):
    """Per cohort over (not cancelled): its people enrolled, those with a result, those who
    passed. Completion needs a cohort to be over: people still in training have no result yet."""
    return list(
        Enrolment.objects.filter(
            status=Enrolment.Status.ENROLLED,
            cohort__is_cancelled=False,
            cohort__ends_on__lt=today,
        )
        .order_by()
        .values("cohort_id", "cohort__code", "cohort__module_id", "cohort__ends_on")
        .annotate(
            enrolled=Count("pk"),
            with_result=Count("pk", filter=~Q(result=Enrolment.Result.PENDING)),
            passed=Count("pk", filter=Q(result=Enrolment.Result.PASSED)),
        )
    )


def modules_chart(cohorts):
    """Completion and pass rate per module, over its ended `cohorts`, in catalogue order."""
    modules = Module.objects.filter(pk__in={row["cohort__module_id"] for row in cohorts})
    rows = []
    for module in modules:
        mine = [row for row in cohorts if row["cohort__module_id"] == module.pk]
        enrolled = sum(row["enrolled"] for row in mine)
        with_result = sum(row["with_result"] for row in mine)
        passed = sum(row["passed"] for row in mine)
        rows.append(
            {
                "label": module.title,
                "values": [percent(with_result, enrolled), percent(passed, with_result)],
            }
        )
    return bar_chart(rows, series=_rates(), percent=True)


def cohorts_chart(cohorts):
    """Completion and pass rate of the RECENT_COHORTS cohorts that ended last."""
    recent = sorted(cohorts, key=lambda row: (row["cohort__ends_on"], row["cohort__code"]))
    rows = [
        {
            "label": row["cohort__code"],
            "values": [
                percent(row["with_result"], row["enrolled"]),
                percent(row["passed"], row["with_result"]),
            ],
        }
        for row in recent[-RECENT_COHORTS:]
    ]
    return bar_chart(rows, series=_rates(), percent=True)


def placements_chart(hired):
    """People hired, per kind of employer."""
    placements = dict(
        hired.order_by()
        .values_list("vacancy__employer__kind")
        .annotate(count=Count("pk"))
        .values_list("vacancy__employer__kind", "count")
    )
    return bar_chart(
        [
            {"label": label, "values": [placements.get(value, 0)]}
            for value, label in Employer.Kind.choices
        ],
        series=[_("Placements")],
    )


def months_chart(today, hired):
    """Enrolments, modules passed and placements in each of the last twelve months."""
    months = month_starts(today)
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    enrolments = per_month(
        Enrolment.objects.filter(enrolled_at__isnull=False), "enrolled_at", since
    )
    passes = per_month(
        Enrolment.objects.filter(result=Enrolment.Result.PASSED), "result_recorded_at", since
    )
    hires = per_month(hired, "stage_changed_at", since)
    return column_chart(
        [
            {
                "label": date_format(month, "M"),
                "sub": str(month.year) if index == 0 or month.month == 1 else "",
                "full_label": date_format(month, "YEAR_MONTH_FORMAT"),
                "values": [
                    enrolments.get(month, 0),
                    passes.get(month, 0),
                    hires.get(month, 0),
                ],
            }
            for index, month in enumerate(months)
        ],
        series=[_("Enrolments"), _("Modules passed"), _("Placements")],
    )


def month_starts(today, count=12):
    """The first days of the last `count` months, oldest first, this month last."""
    index = today.year * 12 + today.month - 1
    return [
        datetime.date(month // 12, month % 12 + 1, 1)
        for month in range(index - count + 1, index + 1)
    ]


def per_month(queryset, field, since):
    """{first day of month: count} of `queryset` rows whose `field` falls since `since`."""
    return dict(
        queryset.filter(**{f"{field}__gte": since})
        .annotate(month=TruncMonth(field, output_field=DateField()))
        .order_by()
        .values_list("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    )
