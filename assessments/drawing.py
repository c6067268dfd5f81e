"""Which items an attempt shows, in which order, and each item's options in which order.

The draw only reads the bank: the same battery, language and seed always give the same test,
so that an attempt, a simulation and the demo data draw alike.
"""

import random

from django.db.models import Q

from assessments.models import Competency, Item

OPTION_TYPES = {
    Item.Type.SINGLE_CHOICE,
    Item.Type.MULTIPLE_RESPONSE,
    Item.Type.SJT,
    Item.Type.MARK,
}
# The parts of an e-mail or a log keep their order: shuffled, they would no longer be one.
ORDERED_TYPES = {Item.Type.MARK}


def items_available(competency, language, role=""):
    """Live items of `competency` that can be shown in `language` (reading items only exist in
    their passage's language, which is the point of them); with a `role`, only the scenarios
    written for that role."""
    items = (
        Item.objects.live()
        .filter(competency=competency)
        .filter(Q(passage__isnull=False) | ~Q(**{f"stem_{language}": ""}))
    )
    if role:
        items = items.filter(role=role)
    return items.select_related("passage").prefetch_related("options").order_by("key")


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


def attempt_draw(battery, language, seed, pools=None):
    """Each section's items drawn at random, in order: a list of (item, section, option_order).

    Reproducible: the same battery, language and seed always give the same items in the same
    order with the same option orders. Items of a reading section are grouped by passage.
    `pools`, a dict, keeps each section's pool between calls (simulations draw thousands of
    times from a bank that does not change meanwhile).
    """
    rng = random.Random(seed)
    drawn, used = [], set()
    for section in battery.sections.order_by("position"):
        competency = Competency.for_language(section.competency, language)
        if pools is None:
            available = items_available(competency, language, section.role)
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
