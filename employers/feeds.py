"""Atom feeds of published vacancies: all, per employer, per role.

Links and ids are absolute, built on `settings.SITE_URL`, so an entry keeps its id whatever
host the feed was read through. Every text goes through `college.core.text.xml_safe`: a row
written before the input rule (or straight into the database) may hold a character XML 1.0
cannot carry, and one such character would take the whole feed down for every reader.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from college.core import typography
from college.core.text import xml_safe
from college.models import Role
from employers.jsonld import vacancy_absolute_url
from employers.models import Employer, Vacancy

FEED_SIZE = 50
SUMMARY_CHARS = 300


def _absolute(path):
    return settings.SITE_URL + path


def _xml_safe_values(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return [_xml_safe_values(item) for item in value]
    return value


class XmlSafeAtom1Feed(Atom1Feed):
    """An Atom feed that drops the characters XML 1.0 forbids from every text it is given."""

    def __init__(self, *args, **kwargs):
        super().__init__(
            *[_xml_safe_values(value) for value in args],
            **{name: _xml_safe_values(value) for name, value in kwargs.items()},
        )

    def add_item(self, *args, **kwargs):
        super().add_item(
            *[_xml_safe_values(value) for value in args],
            **{name: _xml_safe_values(value) for name, value in kwargs.items()},
        )


class LatestVacanciesFeed(Feed):
    feed_type = XmlSafeAtom1Feed
    title = gettext_lazy("Passerelle – latest vacancies in prevention and security")
    subtitle = gettext_lazy(
        "Vacancies published by verified Brussels employers: police zones, prevention "
        "services, public transport, security firms."
    )
    author_name = gettext_lazy("Passerelle")

    def link(self, obj=None):
        return _absolute(reverse("employers:board"))

    def feed_url(self, obj=None):
        return _absolute(reverse("employers:feed"))

    def feed_guid(self, obj=None):
        return self.feed_url(obj)

    def vacancies(self, obj=None):
        return Vacancy.objects.published().for_list()

    def items(self, obj=None):
        return self.vacancies(obj).order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, vacancy):
        return vacancy.title

    def item_link(self, vacancy):
        return vacancy_absolute_url(vacancy)

    def item_guid(self, vacancy):
        return vacancy_absolute_url(vacancy)

    def item_pubdate(self, vacancy):
        return vacancy.published_at or vacancy.created_at

    def item_updateddate(self, vacancy):
        return vacancy.updated_at

    def item_author_name(self, vacancy):
        return vacancy.employer.name

    def item_author_link(self, vacancy):
        return vacancy.employer.website or None

    def item_description(self, vacancy):
        """Atom's summary, as escaped HTML: the start of the description, then the key facts."""
        summary = Truncator(vacancy.description).chars(SUMMARY_CHARS)
        facts = _("%(commune)s · %(contract)s · closes on %(date)s") % {
            "commune": vacancy.commune.name,
            "contract": vacancy.get_contract_display(),
            "date": typography.date_format(vacancy.closes_on, "DATE_FORMAT"),
        }
        return f"<p>{escape(summary)}</p><p>{escape(facts)}</p>"

    def item_categories(self, vacancy):
        return [
            vacancy.role.title,
            str(vacancy.role.get_sector_display()),
            str(vacancy.role.get_track_display()),
            vacancy.commune.name,
        ]


class EmployerVacanciesFeed(LatestVacanciesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Employer.objects.verified(), slug=slug)

    def title(self, employer):
        return _("Passerelle – vacancies at %(employer)s") % {"employer": employer.name}

    def subtitle(self, employer):
        text = _("The open vacancies %(employer)s publishes on Passerelle.")
        return typography.elide(text % {"employer": employer.name})

    def link(self, employer):
        return _absolute(reverse("employers:board")) + f"?employer={employer.slug}"

    def feed_url(self, employer):
        return _absolute(reverse("employers:feed_employer", args=[employer.slug]))

    def vacancies(self, employer):
        return super().vacancies().filter(employer=employer)


class RoleVacanciesFeed(LatestVacanciesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Role, slug=slug)

    def title(self, role):
        return _("Passerelle – vacancies for %(role)s") % {"role": role.title}

    def subtitle(self, role):
        return _("The open vacancies for this role on Passerelle: %(summary)s") % {
            "summary": role.summary
        }

    def link(self, role):
        return _absolute(reverse("employers:board")) + f"?role={role.slug}"

    def feed_url(self, role):
        return _absolute(reverse("employers:feed_role", args=[role.slug]))

    def vacancies(self, role):
        return super().vacancies().filter(role=role)
