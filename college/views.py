import datetime

from django.contrib.auth import views as auth_views
from django.db import DatabaseError, connection
from django.db.models import Count, DateField, Q
from django.db.models.functions import TruncMonth
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from candidates.models import CandidateProfile, CandidateSkill, Evidence
from college.core import privacy
from college.core.access import role_required
from college.core.charts import bar_chart, column_chart, percent
from college.core.forms.login import ThrottledAuthenticationForm
from college.guidance.stages import stage_counts
from college.models import (
    Enrolment,
    Importance,
    Module,
    RequirementStage,
    Role,
    Sector,
    Skill,
    User,
)
from college.models.slugs import get_by_any_slug
from employers.models import Application, Employer

# The dashboard charts the cohorts that ended last, so that the chart stays readable.
RECENT_COHORTS = 12

START_PAGES = {
    User.Role.CANDIDATE: "candidates:dashboard",
    User.Role.COUNSELLOR: "caseload",
    User.Role.EMPLOYER: "employers:dashboard",
    User.Role.STAFF: "staff_dashboard",
}


@require_GET
def home(request):
    roles = Role.objects.order_by("sector", "title_fr")
    context = {
        "roles": roles,
        "role_count": len(roles),
        "skill_count": Skill.objects.count(),
        "employer_count": Employer.objects.verified().count(),
        "roles_without_diploma": sum(1 for role in roles if not role.diploma_required_by_law),
    }
    return render(request, "college/home.html", context)


@never_cache
def start(request):
    """Where a signed-in person lands: their role's own start page."""
    if not request.user.is_authenticated:
        return redirect("login")
    return redirect(START_PAGES.get(request.user.role, "home"))


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.is_throttled:
            response.status_code = 429
        return response


@require_GET
def privacy_notice(request):
    """The privacy notice: public, the same address in every language (?lang= or the switch)."""
    return render(
        request,
        "college/privacy_notice.html",
        {
            "notice_version": privacy.NOTICE_VERSION,
            "controller_email": privacy.CONTROLLER_EMAIL,
            "dpo_email": privacy.DPO_EMAIL,
            **privacy.retention_facts(),
        },
    )


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def role_list(request):
    sector = request.GET.get("sector", "")
    roles = Role.objects.annotate(requirement_count=Count("requirements")).order_by(
        "sector", "title_fr"
    )
    if sector in Sector.values:
        roles = roles.filter(sector=sector)
    return render(
        request,
        "college/role_list.html",
        {"roles": roles, "sectors": Sector.choices, "selected_sector": sector},
    )


@require_GET
def role_detail(request, slug):
    role = get_by_any_slug(Role.objects.with_profile(), slug)
    if role is None:
        raise Http404
    requirements = list(role.requirements.all())
    entry = [item for item in requirements if item.stage == RequirementStage.ENTRY]
    context = {
        "role": role,
        "requirement_groups": [
            (label, [item for item in entry if item.importance == value])
            for value, label in Importance.choices
        ],
        "taught_after_hiring": [item for item in requirements if item not in entry],
        "languages": list(role.language_requirements.all()),
    }
    return render(request, "college/role_detail.html", context)


def _month_starts(today, count=12):
    """The first days of the last `count` months, oldest first, this month last."""
    index = today.year * 12 + today.month - 1
    return [
        datetime.date(month // 12, month % 12 + 1, 1)
        for month in range(index - count + 1, index + 1)
    ]


def _per_month(queryset, field, since):
    """{first day of month: count} of `queryset` rows whose `field` falls since `since`."""
    return dict(
        queryset.filter(**{f"{field}__gte": since})
        .annotate(month=TruncMonth(field, output_field=DateField()))
        .order_by()
        .values_list("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    )


def _staff_charts():
    """The staff dashboard's charts, in a fixed number of queries whatever the data."""
    today = timezone.localdate()
    stages = stage_counts(CandidateProfile.objects.all())
    # Completion needs a cohort to be over: people still in training have no result yet.
    cohorts = list(
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
    modules = Module.objects.filter(pk__in={row["cohort__module_id"] for row in cohorts})
    module_rows = []
    for module in modules:  # in catalogue order
        mine = [row for row in cohorts if row["cohort__module_id"] == module.pk]
        enrolled = sum(row["enrolled"] for row in mine)
        with_result = sum(row["with_result"] for row in mine)
        passed = sum(row["passed"] for row in mine)
        module_rows.append(
            {
                "label": module.title,
                "values": [percent(with_result, enrolled), percent(passed, with_result)],
            }
        )
    recent_cohorts = sorted(cohorts, key=lambda row: (row["cohort__ends_on"], row["cohort__code"]))
    cohort_rows = [
        {
            "label": row["cohort__code"],
            "values": [
                percent(row["with_result"], row["enrolled"]),
                percent(row["passed"], row["with_result"]),
            ],
        }
        for row in recent_cohorts[-RECENT_COHORTS:]
    ]
    hired = Application.objects.filter(stage=Application.Stage.HIRED)
    placements = dict(
        hired.order_by()
        .values_list("vacancy__employer__kind")
        .annotate(count=Count("pk"))
        .values_list("vacancy__employer__kind", "count")
    )
    months = _month_starts(today)
    since = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time.min))
    enrolments = _per_month(
        Enrolment.objects.filter(enrolled_at__isnull=False), "enrolled_at", since
    )
    passes = _per_month(
        Enrolment.objects.filter(result=Enrolment.Result.PASSED), "result_recorded_at", since
    )
    hires = _per_month(hired, "stage_changed_at", since)
    rates = [_("Completion"), _("Pass rate")]
    return {
        "stages": bar_chart(
            [{"label": stage.label, "values": [count]} for stage, count in stages],
            series=[_("Job-seekers")],
        ),
        "modules": bar_chart(module_rows, series=rates, percent=True),
        "cohorts": bar_chart(cohort_rows, series=rates, percent=True),
        "placements": bar_chart(
            [
                {"label": label, "values": [placements.get(value, 0)]}
                for value, label in Employer.Kind.choices
            ],
            series=[_("Placements")],
        ),
        "months": column_chart(
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
        ),
        "recent_cohorts": RECENT_COHORTS,
    }


@role_required(User.Role.STAFF)
@require_GET
def staff_dashboard(request):
    users_by_role = dict(
        User.objects.values_list("role").annotate(count=Count("id")).values_list("role", "count")
    )
    evidence_counts = dict(
        CandidateSkill.objects.values_list("evidence").annotate(count=Count("id"))
    )
    context = {
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
        "charts": _staff_charts(),
    }
    return render(request, "college/staff_dashboard.html", context)
