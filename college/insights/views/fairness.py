"""The fairness report page for college staff (computed in college/insights/fairness.py)."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from college.core.access import role_required
from college.insights import fairness
from college.models import User
from college.reference.adverse_impact import FOUR_FIFTHS

# The bar chart: one row per group, its label above its bar.
CHART_WIDTH = 330
BAR_WIDTH = 240
ROW_HEIGHT = 46


class VacancyChoiceForm(forms.Form):
    vacancy = forms.TypedChoiceField(
        label=_("Vacancy"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _(
                "Choose one of the vacancies in the list: this one is not in the report."
            )
        },
    )

    def __init__(self, *args, vacancies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].choices = [("", _("All vacancies together only"))] + [
            (str(item.vacancy_id), f"{item.title} — {item.employer_name}") for item in vacancies
        ]


def rate_chart(table):
    """Bars of the shortlist rates of a dimension's groups, with the four-fifths line."""
    rows = []
    for index, row in enumerate(table.rows):
        top = index * ROW_HEIGHT
        width = 0 if row.rate is None else round(float(row.rate) * BAR_WIDTH, 1)
        rows.append(
            {
                "row": row,
                "label_y": top + 14,
                "bar_y": top + 20,
                "text_y": top + 34,
                "line_top": top + 17,
                "line_bottom": top + 41,
                "width": width,
                "value_x": BAR_WIDTH + 6,  # right of the track: never under the mark
            }
        )
    reference = table.reference
    line_x = None
    if reference is not None:
        line_x = round(float(reference.rate * FOUR_FIFTHS) * BAR_WIDTH, 1)
    return {
        "width": CHART_WIDTH,
        "height": len(rows) * ROW_HEIGHT + 4,
        "bar_width": BAR_WIDTH,
        "rows": rows,
        "line_x": line_x,
    }


def section(key, heading, tables):
    return {
        "key": key,
        "heading": heading,
        "tables": [{"table": table, "chart": rate_chart(table)} for table in tables],
    }


@role_required(User.Role.STAFF)
@require_GET
def fairness_report(request):
    report = fairness.fairness_report()
    form = VacancyChoiceForm(request.GET or None, vacancies=report.vacancies)
    status = 200
    selected = None
    if form.is_bound:
        if form.is_valid():
            vacancy_id = form.cleaned_data["vacancy"]
            selected = report.vacancy(vacancy_id) if vacancy_id is not None else None
        else:
            status = 400
    sections = []
    if selected is not None:
        sections.append(
            section(
                f"vacancy-{selected.vacancy_id}",
                _("%(title)s — %(employer)s")
                % {"title": selected.title, "employer": selected.employer_name},
                selected.tables,
            )
        )
    if report.overall:
        sections.append(section("overall", _("All vacancies together"), report.overall))
    context = {
        "report": report,
        "form": form,
        "selected": selected,
        "sections": sections,
    }
    return render(request, "college/insights/fairness.html", context, status=status)
