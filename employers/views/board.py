"""The public vacancy board and vacancy pages (with schema.org JobPosting JSON-LD).

The board is one GET form over `VacancyFilter`: the query string holds the whole state, so
every result list can be shared, and each active filter is also a plain link that removes
it. A bad value is shown at its field and ignored; the other filters still apply.
"""

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from college.core.public_cache import cache_anonymous_page
from college.models import (
    CEFR,
    Commune,
    Importance,
    Language,
    RequirementStage,
    Role,
    Sector,
    Track,
    active_language,
)
from employers import vacancy_cache
from employers.access import get_published_vacancy
from employers.filters import CLOSING_SOON_DAYS, ORDERINGS, BoardVacancyFilter, VacancyFilter
from employers.jsonld import json_ld_text, vacancy_json_ld
from employers.models import Contract, Employer, Vacancy, VacancyLanguage

PAGE_SIZE = 20
BOARD_PARAMETERS = tuple(VacancyFilter.base_filters)


class _TrueCheckbox(forms.CheckboxInput):
    """A checkbox that sends `true`, the value the filters read."""

    def format_value(self, value):
        return "true"

    def value_from_datadict(self, data, files, name):
        return data.get(name) in ("true", "True")


def _board_state(query):
    """The board's parameters that carry a value: no empty fields, no page number."""
    state = QueryDict(mutable=True)
    for name in BOARD_PARAMETERS:
        value = query.get(name, "").strip()
        if value:
            state[name] = value
    return state


def _board_url(state, drop=(), **changes):
    query = state.copy()
    for name in drop:
        query.pop(name, None)
    for name, value in changes.items():
        query[name] = value
    encoded = query.urlencode()
    return reverse("employers:board") + (f"?{encoded}" if encoded else "")


def _prepare_board_form(form, communes, roles, employers, languages):
    """Widgets for people: selects with names in the active language, a search box, a date."""
    fields = form.fields
    fields["q"].widget = forms.SearchInput(attrs={"maxlength": 200})
    fields["q"].help_text = _("Words in French, Dutch or English: a job, a skill, a place.")
    fields["role"].widget = forms.Select(
        choices=[("", _("All roles"))] + [(role.local_slug, role.title) for role in roles]
    )
    fields["employer"].widget = forms.Select(
        choices=[("", _("All employers"))] + [(item.slug, item.name) for item in employers]
    )
    fields["sector"].widget = forms.Select(choices=[("", _("All sectors")), *Sector.choices])
    fields["track"].widget = forms.Select(choices=[("", _("Both tracks")), *Track.choices])
    fields["track"].help_text = ""
    fields["commune"].widget = forms.Select(
        choices=[("", _("All communes"))]
        + [(commune.main_postcode, commune.name) for commune in communes]
    )
    fields["commune"].help_text = ""
    fields["contract"].widget = forms.Select(choices=[("", _("All contracts")), *Contract.choices])
    fields["language"].widget = forms.Select(
        choices=[("", _("Any language"))]
        + [(language.code, language.name.capitalize()) for language in languages]
    )
    fields["language"].help_text = _("Only vacancies that ask for this language.")
    fields["cefr"].widget = forms.Select(choices=[("", _("Any level")), *CEFR.choices])
    fields["diploma_required"].label = _("Diploma")
    fields["diploma_required"].help_text = ""
    fields["diploma_required"].widget = forms.RadioSelect(
        choices=[
            ("", _("Any")),
            ("false", _("No diploma required")),
            ("true", _("Diploma required by law")),
        ]
    )
    fields["closing_before"].widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    fields["closing_soon"].widget = _TrueCheckbox()
    fields["ordering"].widget = forms.Select(choices=list(ORDERINGS.items()))
    # The bound fields were made while validating: they keep their own label and help text.
    for name, field in fields.items():
        form[name].label = field.label
        form[name].help_text = field.help_text


def _chips(form, state):
    """Each filter in force as a link that removes it (and a bad value too, to clear it)."""
    cleaned = form.cleaned_data
    chips = []

    def add(name, label, also_drop=()):
        drop = (name, *also_drop)
        chips.append({"label": label, "url": _board_url(state, drop=drop), "drop": drop})

    for name in BOARD_PARAMETERS:
        if name not in state or name == "ordering":
            continue
        if name in form.errors:
            add(name, f"{form.fields[name].label}: {state[name]}")
            continue
        value = cleaned.get(name)
        if value in (None, ""):
            continue
        if name == "q":
            add(name, _("Search: “%(words)s”") % {"words": value})
        elif name == "role":
            add(name, value.title)
        elif name == "employer":
            add(name, value.name)
        elif name == "sector":
            add(name, Sector(value).label)
        elif name == "track":
            add(name, Track(value).label)
        elif name == "commune":
            add(name, value.name)  # the filter form cleans a code into its Commune
        elif name == "contract":
            add(name, Contract(value).label)
        elif name == "language":
            add(name, value.name.capitalize(), also_drop=("cefr",))
        elif name == "cefr":
            add(name, _("My level: %(level)s") % {"level": value})
        elif name == "diploma_required":
            add(name, _("Diploma required by law") if value else _("No diploma required"))
        elif name == "closing_before":
            add(
                name,
                _("Closing on or before %(date)s")
                % {"date": formats.date_format(value, "SHORT_DATE_FORMAT")},
            )
        elif name == "closing_soon" and value:
            add(name, _("Closing within two weeks"))
    return chips


def _without_each_filter(chips, state, request):
    """For an empty result: how many vacancies each active filter alone holds back.

    One count per active filter (a handful at most), only when nothing matched; the
    filters that would bring most vacancies back come first, those that bring none are left out.
    """
    suggestions = []
    for chip in chips:
        remaining = _board_state(state)
        for name in chip["drop"]:
            remaining.pop(name, None)
        filterset = BoardVacancyFilter(
            remaining, queryset=Vacancy.objects.published(), request=request
        )
        count = filterset.qs.count()
        if count:
            suggestions.append({**chip, "count": count})
    return sorted(suggestions, key=lambda item: -item["count"])


def _quick_links(state):
    sectors = [
        {
            "label": label,
            "url": _board_url(state, sector=value),
            "is_current": state.get("sector") == value,
        }
        for value, label in Sector.choices
    ]
    shortcuts = [
        {
            "label": _("No diploma required"),
            "url": _board_url(state, diploma_required="false"),
            "is_current": state.get("diploma_required") in ("false", "False"),
        },
        {
            "label": _("Closing within two weeks"),
            "url": _board_url(state, closing_soon="true"),
            "is_current": state.get("closing_soon") in ("true", "True"),
        },
        {
            "label": Contract.PERMANENT.label,
            "url": _board_url(state, contract=Contract.PERMANENT),
            "is_current": state.get("contract") == Contract.PERMANENT,
        },
    ]
    current_order = state.get("ordering", "-published_at")
    orderings = [
        {
            "label": label,
            "url": _board_url(state, ordering=value),
            "is_current": current_order == value,
        }
        for value, label in ORDERINGS.items()
    ]
    return sectors, shortcuts, orderings


def _track_links(state):
    """Each track as a plain link (the board's first-class choice between the two paths)."""
    return [
        {
            "label": label,
            "url": _board_url(state, track=value),
            "is_current": state.get("track") == value,
        }
        for value, label in Track.choices
    ]


def _board_vacancies():
    return (
        Vacancy.objects.published()
        .for_list()
        .prefetch_related(
            Prefetch(
                "language_requirements",
                queryset=VacancyLanguage.objects.select_related("language").order_by(
                    "language__position"
                ),
            )
        )
    )


@require_GET
@cache_anonymous_page
def board(request):
    state = _board_state(request.GET)
    communes = list(Commune.objects.order_by("name_fr"))
    filterset = BoardVacancyFilter(state, queryset=_board_vacancies(), request=request)
    form = filterset.form
    form.is_valid()  # errors show at their field; the other filters still apply
    role = form.cleaned_data.get("role")
    if role is not None:
        # A role named in another language reads as the reader's: the select shows it chosen
        # and every link the page writes (chips, pages, suggestions) carries the reader's slug.
        state["role"] = role.local_slug
    vacancies = filterset.qs

    paginator = Paginator(vacancies, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    today = timezone.localdate()
    for vacancy in page.object_list:
        vacancy.days_left = (vacancy.closes_on - today).days
        vacancy.closes_soon = vacancy.days_left <= CLOSING_SOON_DAYS
        vacancy.language_groups = _language_groups(list(vacancy.language_requirements.all()))

    title_field = f"title_{active_language()}"
    _prepare_board_form(
        form,
        communes=sorted(communes, key=lambda commune: commune.name),
        roles=Role.objects.order_by(title_field),
        employers=Employer.objects.verified().order_by("name_fr"),
        languages=Language.objects.all(),
    )
    sectors, shortcuts, orderings = _quick_links(state)
    chips = _chips(form, state)
    cleaned = form.cleaned_data
    drop_suggestions = (
        _without_each_filter(chips, state, request) if chips and not paginator.count else []
    )
    context = {
        "form": form,
        "page": page,
        "paginator": paginator,
        "vacancies": page.object_list,
        "chips": chips,
        "sectors": sectors,
        "tracks": _track_links(state),
        "all_tracks_url": _board_url(state, drop=("track",)),
        "shortcuts": shortcuts,
        "orderings": orderings,
        "has_filters": bool(chips),
        "drop_suggestions": drop_suggestions,
        # Results first: the filters stay folded unless a value there needs correcting.
        "show_filters": bool(form.errors),
        "previous_url": _board_url(state, page=page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": _board_url(state, page=page.next_page_number()) if page.has_next() else "",
        "all_sectors_url": _board_url(state, drop=("sector",)),
        "clear_url": _board_url(state, drop=[n for n in BOARD_PARAMETERS if n != "ordering"]),
        "role_feed": cleaned.get("role"),
        "employer_feed": cleaned.get("employer"),
        "closing_soon_days": CLOSING_SOON_DAYS,
    }
    return render(request, "employers/board.html", context)


def _language_groups(requirements):
    """Languages as groups: each required one alone, the alternatives together ("either … or")."""
    alternatives = [item for item in requirements if item.is_alternative]
    groups = [[item] for item in requirements if not item.is_alternative]
    if alternatives:
        groups.append(alternatives)
    return groups


def vacancy_shared_page(vacancy, site_url):
    """The parts of a vacancy's page that are the same for every reader (see vacancy_cache).

    `site_url` is the SITE_URL the key holds; the JSON-LD reads it from the settings itself.
    """
    skills = list(vacancy.skill_requirements.all())
    languages = list(vacancy.language_requirements.all())
    context = {
        "vacancy": vacancy,
        "employer": vacancy.employer,
        "role": vacancy.role,
        "skills": skills,
        "skill_groups": [
            (
                label,
                [
                    item
                    for item in skills
                    if item.importance == value and item.stage == RequirementStage.ENTRY
                ],
            )
            for value, label in Importance.choices
        ],
        "taught_after_hiring": [item for item in skills if item.stage != RequirementStage.ENTRY],
        "language_groups": _language_groups(languages),
        "days_left": (vacancy.closes_on - timezone.localdate()).days,
        "closing_soon_days": CLOSING_SOON_DAYS,
        "has_salary": vacancy.salary_min is not None or vacancy.salary_max is not None,
    }
    return {
        "title": f"{vacancy.title} – {vacancy.employer.name}",
        "head": render_to_string("employers/includes/vacancy_head.html", context),
        "json_ld": json_ld_text(vacancy_json_ld(vacancy)),
        "body": render_to_string("employers/includes/vacancy_body.html", context),
    }


@require_GET
@cache_anonymous_page
def vacancy_detail(request, pk):
    # The JSON-LD's addresses start from SITE_URL; the body's links are relative.
    site_url = settings.SITE_URL
    shared = vacancy_cache.kept(
        "page",
        pk,
        lambda: get_published_vacancy(pk, Vacancy.objects.for_list()),
        lambda vacancy: vacancy_shared_page(vacancy, site_url),
        extra=[site_url],
    )
    return render(request, "employers/vacancy_detail.html", {"shared": shared})
