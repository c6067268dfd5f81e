"""The vacancy editor's pool insight panel (employers.shortlists.pool).

The editor's page belongs to `employers.views`, a floor below the shortlists that compute the
insight; the page asks this tag for it, as the templates' shell may use every floor.
"""

from django import template

from employers.shortlists.pool import insight_data, pool_insight

register = template.Library()


@register.simple_tag
def vacancy_pool(vacancy):
    """The saved vacancy's pool insight, every count suppressed (`insight_data`)."""
    return insight_data(pool_insight(vacancy=vacancy))
