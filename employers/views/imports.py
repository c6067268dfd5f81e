"""Bulk import of vacancies for the member's organisation, from CSV or schema.org JSON.

Each row goes through the API's `VacancyInputSerializer`, so a row is accepted exactly when
`POST /api/v1/vacancies/` would accept it. Accepted rows become drafts of the member's
organisation, one transaction each; refused rows are reported with their reasons.
"""

import csv
import datetime

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from college.core.access import role_required
from college.core.serializers import errors_by_field
from college.core.text import csv_cell
from college.models import RequirementStage, Role, User, importance_order
from employers.access import get_membership_for
from employers.api import VacancyInputSerializer
from employers.forms.imports import (
    CSV_COLUMNS,
    CSV_REQUIRED_COLUMNS,
    MAX_IMPORT_ROWS,
    VacancyImportForm,
)
from employers.services import vacancy_create

TEMPLATE_ROLE = "peace-guard"
TEMPLATE_CLOSING_DAYS = 30
TEMPLATE_SKILLS = 3


def _reasons(row, detail, path=()):
    """DRF's nested errors as (field, message) pairs, fields named as in the file."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from _reasons(row, value, (*path, key))
    elif isinstance(detail, list) and all(isinstance(item, str) for item in detail):
        yield _field_label(row, path), " ".join(str(message) for message in detail)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if item:
                yield from _reasons(row, item, (*path, index))
    else:
        yield _field_label(row, path), str(detail)


def _field_label(row, path):
    parts = []
    for step in path:
        if isinstance(step, int) or (isinstance(step, str) and step.isdigit()):
            parts.append(_("item %(number)s") % {"number": int(step) + 1})
        elif step == "non_field_errors":
            continue
        else:
            parts.append(row.label(step) if not parts else step)
    return ", ".join(parts) or _("vacancy")


def _import_row(row, *, employer, user):
    """The draft created from `row`, or None with the reasons added to the row."""
    if row.errors:
        return None
    serializer = VacancyInputSerializer(data=row.data, context={"employer": employer})
    if not serializer.is_valid():
        row.errors.extend(_reasons(row, serializer.errors))
        return None
    arguments = serializer.service_arguments()
    # Imported rows are drafts, whatever the file says: the member publishes them one by one.
    arguments.pop("status", None)
    try:
        return vacancy_create(employer=employer, author=user, **arguments)
    except ValidationError as error:
        row.errors.extend(_reasons(row, errors_by_field(error, "status")))
        return None


@role_required(User.Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def vacancy_import(request):
    membership = get_membership_for(request.user)
    imported, refused = [], []
    if request.method == "POST":
        form = VacancyImportForm(request.POST, request.FILES)
        if form.is_valid():
            for row in form.cleaned_data["file"]:
                vacancy = _import_row(row, employer=membership.employer, user=request.user)
                if vacancy is None:
                    refused.append(row)
                else:
                    imported.append((row, vacancy))
    else:
        form = VacancyImportForm()
    context = {
        "employer": membership.employer,
        "form": form,
        "is_report": request.method == "POST" and form.is_valid(),
        "imported": imported,
        "refused": refused,
        "columns": CSV_COLUMNS,
        "required_columns": CSV_REQUIRED_COLUMNS,
        "max_rows": MAX_IMPORT_ROWS,
    }
    return render(request, "employers/vacancy_import.html", context)


def _template_row(role, employer):
    """An example vacancy built from a real role, so that the template imports as it is."""
    communes = list(employer.communes.all()[:1])
    languages = ";".join(
        f"{requirement.language.code}:{requirement.min_cefr}"
        for requirement in role.language_requirements.all()
    )
    # Entry requirements first, and one taught after hiring, so the example shows both stages.
    requirements = sorted(
        role.requirements.order_by(importance_order(), "pk"),
        key=lambda requirement: requirement.stage != RequirementStage.ENTRY,
    )
    example_skills = requirements[: TEMPLATE_SKILLS - 1]
    taught = [r for r in requirements if r.stage == RequirementStage.TRAINING][:1]
    example_skills += taught or requirements[TEMPLATE_SKILLS - 1 : TEMPLATE_SKILLS]
    skills = ";".join(
        f"{requirement.skill.esco_uri}|{requirement.importance}|{requirement.target_level}"
        f"|{requirement.stage}"
        for requirement in example_skills
    )
    closes_on = timezone.localdate() + datetime.timedelta(days=TEMPLATE_CLOSING_DAYS)
    example = {
        "role": role.slug,
        "title_fr": role.title_fr,
        "title_nl": role.title_nl,
        "title_en": role.title_en,
        "description_fr": role.summary_fr,
        "description_nl": role.summary_nl,
        "description_en": role.summary_en,
        "commune": communes[0].main_postcode if communes else "1030",
        "address": "",
        "contract": "permanent",
        "hours_per_week": "38",
        "posts": "1",
        "closes_on": closes_on.isoformat(),
        "salary_min": "",
        "salary_max": "",
        "salary_scale": "",
        "shifts": "no",
        "nights": "no",
        "weekends": "no",
        "languages": languages,
        "skills": skills,
    }
    return [example[column] for column in CSV_COLUMNS]


@role_required(User.Role.EMPLOYER)
@require_GET
def vacancy_import_template(request):
    membership = get_membership_for(request.user)
    roles = Role.objects.with_profile()
    role = roles.filter(slug=TEMPLATE_ROLE).first() or roles.order_by("slug").first()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="passerelle-vacancies.csv"'
    # The byte order mark makes spreadsheets read the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    if role is not None:
        writer.writerow([csv_cell(value) for value in _template_row(role, membership.employer)])
    return response
