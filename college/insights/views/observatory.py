"""The skills observatory's pages: the public aggregate, the staff detail and its CSV
(figures read and suppressed in college/insights/observatory.py)."""

import csv

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from college.core import suppression
from college.core.access import role_required
from college.core.public_cache import cache_anonymous_page
from college.core.text import csv_cell
from college.insights import observatory
from college.models import Commune, Evidence, Role, Sector, User

CSV_DELIMITER = ";"
CSV_BOM = "\ufeff"


class ObservatoryFilterForm(forms.Form):
    """Narrows the demand to a role, a sector or a commune (college staff only)."""

    role = forms.ModelChoiceField(
        label=gettext_lazy("Role"),
        queryset=Role.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every role"),
    )
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), required=False)
    commune = forms.ModelChoiceField(
        label=gettext_lazy("Commune"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=gettext_lazy("Every commune"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Role.objects.order_by("title_fr", "pk")
        # Names in the reader's language (the models' __str__ are the reference's own).
        self.fields["role"].label_from_instance = lambda role: role.title
        self.fields["sector"].choices = [("", _("Every sector")), *Sector.choices]
        self.fields["commune"].queryset = Commune.objects.order_by("name_fr", "pk")
        self.fields["commune"].label_from_instance = lambda commune: commune.name

    def filters(self):
        """The valid filters; an invalid one is left out (its error shows at its field)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return observatory.Filters(
            role=data.get("role"), sector=data.get("sector") or None, commune=data.get("commune")
        )


def _context(result, months):
    return {
        "observatory": result,
        "chart": observatory.demand_supply_chart(result.skills),
        "trend_chart": observatory.trend_chart(months),
        "threshold": suppression.THRESHOLD,
        "fewer": suppression.FEWER,
        "evidence_kinds": Evidence.choices,
        "chart_skills": observatory.CHART_SKILLS,
    }


@require_GET
@cache_anonymous_page
def public_observatory(request):
    """Anyone: the aggregate of every published vacancy, no filter, no detail.

    Kept in the public cache like the board: a vacancy's change renders it again at once; a
    job-seeker's skill is not public data and shows within PUBLIC_CACHE_SECONDS."""
    result = observatory.skills_observatory()
    context = _context(result, observatory.trend())
    return render(request, "college/insights/observatory_public.html", context)


@role_required(User.Role.STAFF)
@require_GET
def staff_observatory(request):
    form = ObservatoryFilterForm(request.GET or None)
    filters = form.filters()
    result = observatory.skills_observatory(filters=filters, detail=True)
    context = {
        **_context(result, observatory.trend(filters=filters, detail=True)),
        "form": form,
        "query": request.GET.urlencode(),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "college/insights/observatory_staff.html", context, status=status)


def csv_header():
    return [
        _("Skill"),
        _("ESCO URI"),
        _("Vacancies asking it at entry"),
        _("Posts asking it at entry"),
        _("Vacancies teaching it after hiring"),
        _("Job-seekers holding it"),
        *[_("Job-seekers: %(evidence)s") % {"evidence": label} for _v, label in Evidence.choices],
        _("Modules teaching it"),
    ]


def csv_row(row):
    return [
        row.skill.label,
        row.skill.esco_uri,
        row.vacancies,
        row.posts,
        row.training_vacancies,
        row.people,
        *[row.by_evidence[value] for value in Evidence.values],
        " | ".join(outcome.module.title for outcome in row.modules),
    ]


@role_required(User.Role.STAFF)
@require_GET
def staff_observatory_csv(request):
    """The staff table as CSV: the same shown (rounded, suppressed) figures, never exact ones."""
    filters = ObservatoryFilterForm(request.GET or None).filters()
    result = observatory.skills_observatory(filters=filters, detail=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="passerelle-skills-observatory.csv"'
    add_never_cache_headers(response)
    response.write(CSV_BOM)
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    writer.writerow([csv_cell(value) for value in csv_header()])
    for row in result.skills:
        writer.writerow([csv_cell(value) for value in csv_row(row)])
    return response
