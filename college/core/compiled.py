"""Queries written with the ORM, compiled once per process, then run with each request's values.

On the hot paths (every step of a practice test, every shortlist read) the ORM took longer to
build and compile a query than the database to answer it: on the 2-core development machine
0.15 to 0.5 ms of CPU per query, against some microseconds for the database. A `Compiled` query
is still written with the ORM, with the access helpers' own querysets: it is compiled once per
process, thread and database (and day, for a query that compares to today), with a sentinel in
place of each value that changes between requests, and then run with the request's values
through the connection's cursor (so query counts, the debug log and transactions see it as any
other query). Rows come back as the ORM gives them: `values_list` tuples with its converters
applied (booleans, aware datetimes, decimals, JSON), or model instances for a model queryset,
with the related instances of its `select_related` (Django's own populators).

A sentinel must be a value no real query uses (a negative id, a UUID of our own); compiling
checks that each sentinel is found in the parameters and that nothing else is, so a query whose
shape hides a value (folded into the SQL text) fails at once rather than run with a stale one.
"""

import threading
import uuid
import weakref

from django.db import DatabaseError, connections, router
from django.db.models import NOT_PROVIDED, Model
from django.db.models.fields import AutoFieldMixin
from django.db.models.query import ValuesListIterable, get_related_populators
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

_kept = threading.local()


def sentinel_uuid(number):
    """A UUID no attempt or record has: version 0, the number in its last bits."""
    return uuid.UUID(int=number)


class Compiled:
    """`build(**sentinels)` returns the queryset; `rows(**values)` runs it with these values.
    A query that takes no value (its filters are constants) is compiled once all the same.

    `per_day`: the query compares to today (`published()`), so it is compiled again each day.
    """

    def __init__(self, name, build, *, per_day=False, **sentinels):
        self.name = name
        self.build = build
        self.sentinels = sentinels
        self.per_day = per_day
        self._shape = None  # (model, whether it locks the rows), from the first build

    def _compiled(self, alias):
        kept = getattr(_kept, "queries", None)
        day = timezone.localdate() if self.per_day else None
        if kept is None:
            kept = _kept.queries = {}
        key = (self.name, id(self), alias, day)
        if key not in kept:
            if self.per_day:
                for old in [k for k in kept if k[:3] == key[:3]]:
                    del kept[old]
            kept[key] = self._compile(alias)
        return kept[key]

    def _compile(self, alias):
        queryset = self.build(**self.sentinels)
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        params = list(params)
        # Where each value goes, and in which form (a UUID is its hex text where the database
        # has no UUID type).
        slots = []
        for index, param in enumerate(params):
            for name, sentinel in self.sentinels.items():
                if param == sentinel:
                    slots.append((index, name, False))
                elif isinstance(sentinel, uuid.UUID) and param == sentinel.hex:
                    slots.append((index, name, True))
        found = {name for _index, name, _hex in slots}
        if found != set(self.sentinels) or len({index for index, *_ in slots}) != len(slots):
            raise RuntimeError(
                f"the {self.name} query must take each of {sorted(self.sentinels)} as a "
                f"parameter: {sql!r} {params!r}"
            )
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        model_rows = None
        if not issubclass(queryset._iterable_class, ValuesListIterable):
            # As ModelIterable builds them: the model's own columns, each related model of
            # select_related by Django's own populators, then the annotations.
            fields = compiler.klass_info["select_fields"]
            start, end = fields[0], fields[-1] + 1
            names = [column[0].target.attname for column in compiler.select[start:end]]
            fetch_mode = queryset._fetch_mode
            populators = get_related_populators(
                compiler.klass_info, compiler.select, alias, fetch_mode
            )
            annotations = dict(compiler.annotation_col_map or {})
            model_rows = (queryset.model, start, end, names, populators, fetch_mode, annotations)
        return sql, params, slots, compiler, converters, model_rows

    def rows(self, using=None, **values):
        """The rows for these values: tuples, or model instances for a model queryset."""
        alias = using or self._alias()
        sql, params, slots, compiler, converters, model_rows = self._compiled(alias)
        params = list(params)
        for index, name, as_hex in slots:
            value = values[name]
            params[index] = value.hex if as_hex else value
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        if model_rows is None:
            return [tuple(row) for row in rows]
        model, start, end, names, populators, fetch_mode, annotations = model_rows
        instances, peers = [], []
        for row in rows:
            instance = model.from_db(alias, names, row[start:end], fetch_mode=fetch_mode)
            if fetch_mode.track_peers:
                peers.append(weakref.ref(instance))
                instance._state.peers = peers
            for populator in populators:
                populator.populate(row, instance)
            for attribute, position in annotations.items():
                setattr(instance, attribute, row[position])
            instances.append(instance)
        return instances

    def first(self, using=None, **values):
        rows = self.rows(using=using, **values)
        return rows[0] if rows else None

    def _alias(self):
        if self._shape is None:
            queryset = self.build(**self.sentinels)
            self._shape = (queryset.model, queryset.query.select_for_update)
        model, locks = self._shape
        return router.db_for_write(model) if locks else router.db_for_read(model)


def _orm_only(model):
    """Whether a write of `model` must go through the ORM: a save() of its own, a parent model,
    or anything listening to its pre_save or post_save signal (a receiver added later is never
    skipped)."""
    return (
        model.save is not Model.save
        or bool(model._meta.parents)
        or pre_save.has_listeners(model)
        or post_save.has_listeners(model)
    )


def insert(instances, *, using=None):
    """Writes new rows of one model, as `bulk_create` (or `save(force_insert=True)` for one)
    would, with the INSERT statement built once per process for the model, database and number
    of rows: the ORM's insert compiler cost more than the database's work for a practice test's
    start (its attempt and some twenty drawn items).

    Only for a model whose primary key is set before the write (a UUID) or generated by the
    database: a single new row's id is read back where the database can return it (PostgreSQL,
    SQLite), the ids of several rows are not. Goes through the ORM itself when `_orm_only` says
    so, or a field has a database default.
    """
    instances = list(instances)
    if not instances:
        return instances
    model = type(instances[0])
    alias = using or router.db_for_write(model)
    if (
        _orm_only(model)
        or any(field.db_default is not NOT_PROVIDED for field in model._meta.concrete_fields)
        or any(type(instance) is not model for instance in instances)
    ):
        if len(instances) == 1:
            instances[0].save(force_insert=True, using=alias)
        else:
            model._default_manager.using(alias).bulk_create(instances)
        return instances
    connection = connections[alias]
    fields = [
        field
        for field in model._meta.local_concrete_fields
        if not field.generated and not isinstance(field, AutoFieldMixin)
    ]
    pk = model._meta.pk
    # One new row whose id the database gives: read back, as save() does, where it can be.
    returning = (
        len(instances) == 1
        and isinstance(pk, AutoFieldMixin)
        and instances[0].pk is None
        and connection.features.can_return_columns_from_insert
    )
    kept = getattr(_kept, "inserts", None)
    if kept is None:
        kept = _kept.inserts = {}
    key = (model, alias, len(instances), returning)
    if key not in kept:
        quote = connection.ops.quote_name
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        kept[key] = (
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES {', '.join([row] * len(instances))}"
            + (f" RETURNING {quote(pk.column)}" if returning else "")
        )
    params = [
        field.get_db_prep_save(field.pre_save(instance, True), connection)
        for instance in instances
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(kept[key], params)
        if returning:
            instances[0].pk = cursor.fetchone()[0]
    for instance in instances:
        instance._state.adding = False
        instance._state.db = alias
    return instances


def update(instance, fields, *, using=None):
    """`instance.save(update_fields=fields)` with the UPDATE statement built once per process for
    the model, the fields and the database. Goes through save() when `_orm_only` says so. Like
    save(), it refuses
    (DatabaseError) when no row was updated."""
    model = type(instance)
    alias = using or instance._state.db or router.db_for_write(model)
    if _orm_only(model):
        instance.save(update_fields=fields, using=alias)
        return instance
    connection = connections[alias]
    columns = [model._meta.get_field(name) for name in fields]
    kept = getattr(_kept, "updates", None)
    if kept is None:
        kept = _kept.updates = {}
    key = (model, alias, tuple(fields))
    if key not in kept:
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
        kept[key] = (
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
            f"WHERE {quote(model._meta.pk.column)} = %s"
        )
    params = [
        field.get_db_prep_save(field.pre_save(instance, False), connection) for field in columns
    ]
    params.append(model._meta.pk.get_db_prep_value(instance.pk, connection))
    with connection.cursor() as cursor:
        cursor.execute(kept[key], params)
        if cursor.rowcount == 0:
            raise DatabaseError("Save with update_fields did not affect any rows.")
    return instance
