"""The item bank as the test runner reads it on every step: items (with their options and
passage), sections and batteries, kept in each process under a version that moves on at every
write.

The bank is reference data: loaded by `manage.py load_item_bank` / `load_batteries`, edited now
and then in the admin, read at every step of every attempt. Each process keeps the rows it has
read; the version lives in the shared cache (`college.core.cache_versions`), so a write in any
process makes every process read the rows again. The version moves on when an item, option,
passage, section or battery is saved or deleted, at once and again when the transaction
commits: a process that read the old rows before the commit kept them under the old version.
The signals are connected when the app is ready (`assessments.apps`), in every process.

Only for what the test runner shows and scores: texts, options, keys, passages, the sections'
positions, titles and times, the batteries' settings. Not for an item's status or calibration,
nor a battery's check findings or whether it is offered (bulk updates that send no signal write
them; the drawing, the adaptive engine, the checks and the start read them from the database).
The kept model instances are shared between requests: read them, never change them.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from assessments.models import Battery, Item, Option, Passage, Section
from college.core import cache_versions

VERSION_KEY = "assessments:bank-version"
_kept = {"version": None, "items": {}, "sections": {}, "batteries": {}, "battery_sections": {}}


def bank_rows(*, item_ids=(), section_ids=()):
    """({item id: Item with options and passage}, {section id: Section}) for these ids, from
    what this process keeps while the bank has not changed. After a change, the first call
    reads the whole bank again (four queries: it holds hundreds of items); a row missing
    from it (written without a signal, such as by a bulk create) is read on its own. Ids
    that name no row are left out."""
    _refresh()
    items, sections = _kept["items"], _kept["sections"]
    missing = [pk for pk in set(item_ids) if pk not in items]
    if missing:
        items.update(_items_by_id(Item.objects.filter(pk__in=missing)))
    missing = [pk for pk in set(section_ids) if pk not in sections]
    if missing:
        sections.update(Section.objects.in_bulk(missing))
    return (
        {pk: items[pk] for pk in item_ids if pk in items},
        {pk: sections[pk] for pk in section_ids if pk in sections},
    )


def bank_battery(pk):
    """The battery with this id (its sections not prefetched), as `bank_rows` keeps it."""
    _refresh()
    batteries = _kept["batteries"]
    if pk not in batteries:
        batteries[pk] = Battery.objects.get(pk=pk)
    return batteries[pk]


def bank_sections(battery_id):
    """The battery's sections in order (its `sections.all()`), read once while the bank has
    not changed."""
    _refresh()
    kept = _kept["battery_sections"]
    if battery_id not in kept:
        kept[battery_id] = list(Section.objects.filter(battery_id=battery_id))
    return kept[battery_id]


def _refresh():
    version = cache_versions.current(VERSION_KEY)
    if _kept["version"] != version:
        # The version is read before the rows: rows read after a write keep under the
        # version the write left behind, which nobody reads any more.
        items = _items_by_id(Item.objects.all())
        sections, batteries = Section.objects.in_bulk(), Battery.objects.in_bulk()
        _kept.update(
            version=version,
            items=items,
            sections=sections,
            batteries=batteries,
            battery_sections={},
        )


def _items_by_id(items):
    return {item.pk: item for item in items.select_related("passage").prefetch_related("options")}


def bank_changed(sender=None, using="default", **kwargs):
    """Moves the bank's version on now and once the writing transaction commits."""
    cache_versions.move_on(VERSION_KEY)
    transaction.on_commit(lambda: cache_versions.move_on(VERSION_KEY), using=using)


def connect_signals():
    for model in (Item, Option, Passage, Section, Battery):
        post_save.connect(bank_changed, sender=model, dispatch_uid=f"bank-{model.__name__}-save")
        post_delete.connect(bank_changed, sender=model, dispatch_uid=f"bank-{model.__name__}-del")
