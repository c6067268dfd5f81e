"""Filters every template has (a builtin library, see TEMPLATES in settings): French typography.

``date`` is Django's own filter, then "1er" for the first of the month in French; as a
builtin loaded after Django's, it replaces Django's everywhere, so no template can forget it.
"""

from django import template
from django.template import defaultfilters

from college.core import typography

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    return typography.first_of_month(defaultfilters.date(value, arg))


@register.filter(is_safe=True)
def elide(value):
    """ "Résultat de Aylin" → "Résultat d’Aylin" in French.

    Safe text stays safe: eliding removes a letter and a space and adds an apostrophe.
    """
    return typography.elide(value)


@register.simple_tag
def colon():
    """The colon after a label that is put together in the template ("Français : B1")."""
    return typography.colon()


@register.simple_tag
def list_separator():
    """ "; " between items a template lists on one line, "\u00a0; " in French."""
    return typography.list_separator()
