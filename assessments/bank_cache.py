"""The item bank as the test runner reads it on every step: items (with their options and
passage) and sections, kept in each process under a version that moves on at every write.

The bank is reference data: loaded by `manage.py load_item_bank` / `load_batteries`, edited now
and then in the admin, read at every step of every attempt. Each process keeps the rows it has
read; the version lives in the shared cache (`college.core.cache_versions`), so a write in any
process makes every process read the rows again. The version moves on when an item, option,
passage or section is saved or deleted, at once and again when the transaction
commits: a process that read the old rows before the commit kept them under the old version.
The signals are connected when the app is ready (`assessments.apps`), in every process.

Only for what the test runner shows and scores: texts, options, keys, passages, the sections'
positions, titles and times. Not for an item's status or calibration (bulk updates that send no
signal write them, and the drawing and the adaptive engine read them from the database).
The kept model instances are shared between requests: read them, never change them.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from assessments.models import Item, Option, Passage, Section
from college.core import cache_versions

VERSION_KEY = "assessments:bank-version"
# Far more than the bank holds: a bound, should it ever grow without one.
MAX_KEPT = 20_000

_kept = {"version": None, "items": {}, "sections": {}}


def bank_rows(*, item_ids=(), section_ids=()):
    """({item id: Item with options and passage}, {section id: Section}) for these ids, from
    what this process keeps when the bank has not changed since; the missing rows are read in
    at most three queries. Ids that name no row are left out."""
    version = cache_versions.current(VERSION_KEY)
    if _kept["version"] != version or len(_kept["items"]) + len(_kept["sections"]) > MAX_KEPT:
        # Read before the rows: rows read after a write keep under the version it left behind.
        _kept.update(version=version, items={}, sections={})
    items, sections = _kept["items"], _kept["sections"]
    missing = [pk for pk in set(item_ids) if pk not in items]
    if missing:
        for item in (
            Item.objects.filter(pk__in=missing)
            .select_related("passage")
            .prefetch_related("options")
        ):
            items[item.pk] = item
    missing = [pk for pk in set(section_ids) if pk not in sections]
    if missing:
        sections.update(Section.objects.in_bulk(missing))
    return (
        {pk: items[pk] for pk in item_ids if pk in items},
        {pk: sections[pk] for pk in section_ids if pk in sections},
    )


def bank_changed(sender=None, using="default", **kwargs):
    """Moves the bank's version on now and once the writing transaction commits."""
    cache_versions.move_on(VERSION_KEY)
    transaction.on_commit(lambda: cache_versions.move_on(VERSION_KEY), using=using)


def connect_signals():
    for model in (Item, Option, Passage, Section):
        post_save.connect(bank_changed, sender=model, dispatch_uid=f"bank-{model.__name__}-save")
        post_delete.connect(bank_changed, sender=model, dispatch_uid=f"bank-{model.__name__}-del")
