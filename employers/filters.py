"""The vacancy filters shared by the public board (`/vacancies/`) and the API.

One FilterSet, so a shareable board URL and an API query with the same parameters find the
same vacancies. Every parameter is optional; unknown values are a field error (a 400 in the
API, a message on the board), never a 500.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from college.models import (
    CEFR,
    Commune,
    Language,
    Role,
    Sector,
    Track,
    active_language,
    normalise_for_search,
)
from college.models.slugs import AnySlugChoiceFilter
from employers.models import Contract, Employer, Vacancy, VacancyLanguage

CLOSING_SOON_DAYS = 14
ORDERINGS = {
    "-published_at": _("Newest first"),
    "closes_on": _("Closing soonest"),
    "title": _("Title (A–Z)"),
    "-posts": _("Most posts"),
}


def _title_field():
    return f"title_{active_language()}"


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is an error, not silently "no filter"."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in (True, "true", "True", "1", 1):
            return True
        if value in (False, "false", "False", "0", 0):
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


def commune_for_code(value):
    """The commune a postcode (4 digits) or NIS code (5 digits) names, or None."""
    value = (value or "").strip()
    if not value.isdigit():
        return None
    for commune in Commune.objects.all():
        if value == commune.nis_code or value in commune.postcode_list:
            return commune
    return None


class VacancyFilterForm(forms.Form):
    """Checks what each filter alone cannot: a real commune, a level with its language."""

    def clean_commune(self):
        """The named Commune itself, so that filtering needs no second lookup."""
        value = self.cleaned_data.get("commune")
        if not value:
            return value
        commune = commune_for_code(value)
        if commune is None:
            raise forms.ValidationError(
                _("There is no Brussels commune with this postcode."), code="unknown_commune"
            )
        return commune

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cefr") and not cleaned.get("language") and "language" not in self.errors:
            self.add_error("cefr", _("Choose the language this level is for."))
        return cleaned


class VacancyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", label=_("Search"), max_length=200, help_text=_("Words to look for.")
    )
    role = django_filters.ModelChoiceFilter(
        queryset=Role.objects.all(), to_field_name="slug", label=_("Role")
    )
    employer = django_filters.ModelChoiceFilter(
        queryset=Employer.objects.verified(), to_field_name="slug", label=_("Employer")
    )
    sector = django_filters.ChoiceFilter(
        field_name="role__sector", choices=Sector.choices, label=_("Sector")
    )
    track = django_filters.ChoiceFilter(
        choices=Track.choices,
        method="filter_track",
        label=_("Track"),
        help_text=_("digital: the digital and cyber track; security: prevention and security."),
    )
    commune = django_filters.CharFilter(
        method="filter_commune",
        label=_("Commune"),
        max_length=5,
        help_text=_("A Brussels postcode (such as 1030) or a commune's NIS code."),
    )
    contract = django_filters.ChoiceFilter(choices=Contract.choices, label=_("Contract"))
    language = django_filters.ModelChoiceFilter(
        queryset=Language.objects.all(),
        to_field_name="code",
        method="filter_language",
        label=_("Language asked"),
        help_text=_("ISO code: vacancies that ask for this language."),
    )
    cefr = django_filters.ChoiceFilter(
        choices=CEFR.choices,
        method="filter_noop",
        label=_("My level in that language"),
        help_text=_(
            "With language: vacancies asking that language at this level or lower, or accepting"
            " another language instead (either … or)."
        ),
    )
    diploma_required = StrictBooleanFilter(
        label=_("Diploma required"),
        help_text=_("false: only vacancies open without a diploma."),
    )
    closing_before = django_filters.DateFilter(
        field_name="closes_on", lookup_expr="lte", label=_("Closing on or before")
    )
    closing_soon = StrictBooleanFilter(
        method="filter_closing_soon",
        label=_("Closing within two weeks"),
    )
    ordering = django_filters.ChoiceFilter(
        choices=list(ORDERINGS.items()),
        method="filter_ordering",
        label=_("Sort by"),
        empty_label=None,
    )

    # Parameters that need another one (checked by VacancyFilterForm, stated in the schema).
    requires = {"cefr": ("language",)}

    class Meta:
        model = Vacancy
        fields = []
        form = VacancyFilterForm

    def filter_q(self, queryset, name, value):
        for word in normalise_for_search(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_track(self, queryset, name, track):
        return queryset.filter(role__sector__in=Track.sectors(track))

    def filter_commune(self, queryset, name, commune):
        return queryset.filter(commune=commune)

    def filter_language(self, queryset, name, language):
        asked = VacancyLanguage.objects.filter(language=language)
        level = self.form.cleaned_data.get("cefr")
        if level:
            within = [code for code in CEFR.values if CEFR.rank(code) <= CEFR.rank(level)]
            # "French B2 or Dutch B2": another language of the either-or group meets it, so
            # a level below B2 in this one does not rule the vacancy out.
            another_accepted = Exists(
                VacancyLanguage.objects.filter(
                    vacancy=OuterRef("vacancy"), is_alternative=True
                ).exclude(language=language)
            )
            asked = asked.filter(Q(min_cefr__in=within) | Q(another_accepted, is_alternative=True))
        return queryset.filter(pk__in=asked.values("vacancy_id"))

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_closing_soon(self, queryset, name, value):
        if not value:
            return queryset
        until = timezone.localdate() + datetime.timedelta(days=CLOSING_SOON_DAYS)
        return queryset.filter(closes_on__lte=until)

    def filter_ordering(self, queryset, name, value):
        if value == "title":
            return queryset.order_by(_title_field(), "pk")
        return queryset.order_by(value, "pk")

    @property
    def qs(self):
        queryset = super().qs
        if not (self.is_bound and self.form.cleaned_data.get("ordering")):
            queryset = queryset.order_by("-published_at", "-pk")
        return queryset


class BoardVacancyFilter(VacancyFilter):
    """The board's filters: the role by its slug in any language. The API keeps the English
    slug alone, its documented value."""

    role = AnySlugChoiceFilter(queryset=Role.objects.all(), label=_("Role"))
