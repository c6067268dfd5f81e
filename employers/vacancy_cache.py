"""A published vacancy's shared representation, kept in the shared cache under the data it shows.

The public cache (college/core/public_cache.py) keys every read by the public data's one
version, which moves on whenever any public row changes: after an edit anywhere, every vacancy
would render again. A vacancy is read far more than written, so what it shows to everyone (the
page's body and JSON-LD, the API's representation) is also kept here, under a key made of the
data itself: every column of the vacancy and of its employer, role and commune, its requirement
rows with the skill and language labels they show, the language, the day and whatever else the
caller names (the address its links start from). A change to any of them makes another key; no
version has to move on. The rows are read through `published()`: a vacancy closed, filled,
unpublished or past its closing date has no row, and is a 404 as before.

Reading those rows costs the ORM more to compile than the database to answer (a millisecond
against a few microseconds), so their three queries are compiled once per process, thread,
database and day (the day is `published()`'s only moving parameter), then run with the id asked.

Only what is the same for every reader is kept: the caller renders the personal frame (the
signed-in menu, the CSRF token, the CSP nonce) for each request. Kept for
`PUBLIC_CACHE_SECONDS`, off with it: that bounds what a deploy changing the templates or the
translations could serve, as for the public cache.
"""

import hashlib
import pickle
import threading
import zlib

from django.conf import settings
from django.core.cache import cache
from django.db import connections, models, router
from django.utils import timezone, translation

from college.models import Commune, Role
from employers.models import Employer, Vacancy, VacancyLanguage, VacancySkill

FORMAT = "1"  # moves on when what is kept changes shape
RELATED = (("employer", Employer), ("role", Role), ("commune", Commune))
# What the page and the API show of each requirement and of its skill or language (their other
# columns are long texts nobody reads here): a column shown later must be added to its list.
SKILL_COLUMNS = (
    "id",
    "skill_id",
    "importance",
    "min_level",
    "stage",
    "skill__esco_uri",
    "skill__label_fr",
    "skill__label_nl",
    "skill__label_en",
)
LANGUAGE_COLUMNS = (
    "id",
    "language_id",
    "min_cefr",
    "certificate",
    "is_alternative",
    "language__code",
    "language__name_fr",
    "language__name_nl",
    "language__name_en",
    "language__position",
)
_SENTINEL = -7_310_017  # the vacancy id the queries are compiled with
_compiled = threading.local()


def enabled():
    return settings.PUBLIC_CACHE_SECONDS > 0


def _columns(model, prefix=""):
    return [prefix + field.name for field in model._meta.concrete_fields]


def _published_row():
    columns = _columns(Vacancy)
    for name, model in RELATED:
        columns += _columns(model, f"{name}__")
    return Vacancy.objects.published().filter(pk=_SENTINEL).order_by().values_list(*columns)


def _requirements(model, columns):
    return model.objects.filter(vacancy_id=_SENTINEL).order_by("id").values_list(*columns)


QUERIES = {
    "published": _published_row,
    "skills": lambda: _requirements(VacancySkill, SKILL_COLUMNS),
    "languages": lambda: _requirements(VacancyLanguage, LANGUAGE_COLUMNS),
}


def _compiled_query(name, alias):
    """The SQL of `QUERIES[name]`, its parameters and its compiler (for the value converters)."""
    day = timezone.localdate()
    kept_here = getattr(_compiled, "queries", None)
    if kept_here is None or _compiled.day != day:
        kept_here = _compiled.queries = {}
        _compiled.day = day
    if (name, alias) not in kept_here:
        compiler = QUERIES[name]().query.get_compiler(alias)
        sql, params = compiler.as_sql()
        if list(params).count(_SENTINEL) != 1 or compiler.col_count != len(compiler.select):
            raise RuntimeError(
                f"the {name} query must select its columns alone and take the "
                f"vacancy id once: {sql!r} {params!r}"
            )
        # The database's values become Python's as `values_list` makes them (booleans,
        # aware datetimes, decimals, JSON), by the compiler's own converters.
        converters = compiler.get_converters([column[0] for column in compiler.select])
        kept_here[(name, alias)] = (sql, list(params), compiler, converters)
    return kept_here[(name, alias)]


def _rows(name, alias, pk):
    """The rows of `QUERIES[name]` for vacancy `pk`, converted as `values_list` gives them."""
    sql, params, compiler, converters = _compiled_query(name, alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [pk if value == _SENTINEL else value for value in params])
        rows = cursor.fetchall()
    if converters:
        rows = compiler.apply_converters(rows, converters)
    return [tuple(row) for row in rows]


def _stored(pk):
    """What the database holds now for published vacancy `pk`; None when none is published."""
    alias = router.db_for_read(Vacancy)
    published = _rows("published", alias, pk)
    if not published:
        return None
    return [published, _rows("skills", alias, pk), _rows("languages", alias, pk)]


def _column(instance, path):
    for name in path.split("__"):
        instance = getattr(instance, name)
    return instance


def _loaded(vacancy):
    """The same rows, read from `vacancy` as loaded (with its requirements)."""
    row = [getattr(vacancy, field.attname) for field in Vacancy._meta.concrete_fields]
    for name, model in RELATED:
        related = getattr(vacancy, name)
        row += [getattr(related, field.attname) for field in model._meta.concrete_fields]
    return [
        [tuple(row)],
        *(
            [
                tuple(_column(item, column) for column in columns)
                for item in sorted(related.all(), key=lambda item: item.pk)
            ]
            for related, columns in (
                (vacancy.skill_requirements, SKILL_COLUMNS),
                (vacancy.language_requirements, LANGUAGE_COLUMNS),
            )
        ),
    ]


def _key(scope, pk, stored, extra):
    parts = [
        FORMAT,
        scope,
        translation.get_language() or "",
        timezone.localdate().isoformat(),
        *extra,
        stored,
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"vacancy-shared:{pk}:{digest}"


def prefetch_requirements(vacancy):
    """Loads the requirements onto `vacancy`, as `with_requirements()` does for a queryset."""
    lookups = Vacancy.objects.with_requirements()._prefetch_related_lookups
    models.prefetch_related_objects([vacancy], *lookups)


def kept(scope, pk, load, render, *, extra=()):
    """What `render(vacancy)` gives for published vacancy `pk`, from the shared cache when the
    same data was rendered; `load()`'s Http404 when no vacancy of that id is published.

    `load()` returns the vacancy through the caller's access helper, with its employer, role and
    commune (`for_list()`); it runs only when `render` must, and the requirements are then
    prefetched. `extra` lists what else the output depends on (an absolute address's start).
    `render` must use nothing of the request but what `extra` and the active language say.
    """
    if not enabled():
        vacancy = load()
        prefetch_requirements(vacancy)
        return render(vacancy)
    stored = _stored(pk)
    if stored is None:
        # Not published: the access helper's own 404 (its message is the API's `detail`).
        vacancy = load()
        prefetch_requirements(vacancy)  # published since: rendered, not kept
        return render(vacancy)
    key = _key(scope, pk, stored, extra)
    entry = cache.get(key)
    if entry is not None:
        return pickle.loads(zlib.decompress(entry))
    vacancy = load()
    prefetch_requirements(vacancy)
    value = render(vacancy)
    # Kept only if what was rendered is the key's data: a write between the two reads would
    # otherwise keep the newer rendering under the older data's key.
    if _loaded(vacancy) == stored:
        # Compressed (a page's parts: 17 kB, 4 kB so): Redis holds the sessions too.
        entry = zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)
        cache.set(key, entry, settings.PUBLIC_CACHE_SECONDS)
    return value
