"""Which items an attempt shows, in which order, and each item's options in which order.

The draw only reads the bank: the same battery, language and seed always give the same test,
so that an attempt, a simulation and the demo data draw alike.
"""

import functools
import random

from django.db.models import Q

from assessments.bank_cache import bank_rows
from assessments.models import Competency, Item
from college.core.compiled import Compiled

OPTION_TYPES = {
    Item.Type.SINGLE_CHOICE,
    Item.Type.MULTIPLE_RESPONSE,
    Item.Type.SJT,
    Item.Type.MARK,
}
# The parts of an e-mail or a log keep their order: shuffled, they would no longer be one.
ORDERED_TYPES = {Item.Type.MARK}


def _shown_in(language):
    # Reading items only exist in their passage's language, which is the point of them.
    return Q(passage__isnull=False) | ~Q(**{f"stem_{language}": ""})


def items_available(competency, language, role=""):
    """Live items of `competency` that can be shown in `language`; with a `role`, only the
    scenarios written for that role."""
    items = Item.objects.live().filter(competency=competency).filter(_shown_in(language))
    if role:
        items = items.filter(role=role)
    return items.select_related("passage").prefetch_related("options").order_by("key")


def _pools_from_bank(sections, language):
    """{section id: `items_available` for the section, as a list}: which items are live from
    the database (a status is written without a signal, see `assessments.bank_cache`), in one
    query of ids for every section; the items themselves, with options and passage, from the
    bank kept in the process."""
    competencies = {
        section.pk: Competency.for_language(section.competency, language) for section in sections
    }
    rows = _live_ids(frozenset(competencies.values()), language).rows()
    items, _sections = bank_rows(item_ids=[pk for pk, _competency, _role in rows])
    return {
        section.pk: [
            items[pk]
            for pk, competency, role in rows
            if competency == competencies[section.pk]
            and (not section.role or role == section.role)
            and pk in items
        ]
        for section in sections
    }


@functools.cache
def _live_ids(competencies, language):
    """The query of `_pools_from_bank`'s ids, for these competencies and language, compiled
    once per process (`college.core.compiled`): only the items' status changes in it."""
    return Compiled(
        f"live item ids {sorted(competencies)} {language}",
        lambda: (
            Item.objects.live()
            .filter(competency__in=sorted(competencies))
            .filter(_shown_in(language))
            .order_by("key")
            .values_list("pk", "competency", "role")
        ),
    )


def option_order_for(item, seed):
    """The item's option ids in a shuffled order that depends only on the seed and the item
    (in the bank's order for the parts of an exhibit)."""
    if item.type not in OPTION_TYPES:
        return []
    ids = [option.pk for option in sorted(item.options.all(), key=lambda o: (o.position, o.pk))]
    if item.type in ORDERED_TYPES:
        return ids
    random.Random(f"{seed}:{item.key}").shuffle(ids)
    return ids


def attempt_draw(battery, language, seed, pools=None, sections=None):
    """Each section's items drawn at random, in order: a list of (item, section, option_order).

    Reproducible: the same battery, language and seed always give the same items in the same
    order with the same option orders. Items of a reading section are grouped by passage.
    `pools`, a dict, keeps each section's pool between calls (simulations draw thousands of
    times from a bank that does not change meanwhile); without it, the items come from the
    bank kept in the process. The battery's sections are read once (prefetched, or in one
    query), unless given.
    """
    rng = random.Random(seed)
    drawn, used = [], set()
    if sections is None:
        sections = battery.sections.all()
    sections = sorted(sections, key=lambda section: section.position)
    kept = _pools_from_bank(sections, language) if pools is None else None
    for section in sections:
        competency = Competency.for_language(section.competency, language)
        if pools is None:
            available = kept[section.pk]
        else:
            key = (competency, language, section.role)
            if key not in pools:
                pools[key] = list(items_available(competency, language, section.role))
            available = pools[key]
        pool = [item for item in available if item.pk not in used]
        chosen = rng.sample(pool, min(section.item_count, len(pool)))
        if any(item.passage_id for item in chosen):
            passages = list(dict.fromkeys(item.passage_id for item in chosen))
            chosen.sort(key=lambda item: passages.index(item.passage_id))
        for item in chosen:
            used.add(item.pk)
            drawn.append((item, section, option_order_for(item, seed)))
    return drawn
