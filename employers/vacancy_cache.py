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
database and day (the day is `published()`'s only moving parameter; college.core.compiled),
then run with the id asked.

Only what is the same for every reader is kept: the caller renders the personal frame (the
signed-in menu, the CSRF token, the CSP nonce) for each request. The key also holds the code's
identity (a hash of the project's code, templates and translations and of Django's and DRF's
versions, computed once per process), so that a deploy changing what is rendered renders again
instead of serving the older output. What is kept then lives until the day ends (the key holds
the day), at most half a session's age: when Redis runs short of memory it drops the keys
closest to expiry first (`volatile-ttl`), and these should go before most sessions. Off with
the public cache (`PUBLIC_CACHE_SECONDS=0`).

A vacancy is read far more than written: when one is published or changed, a task
(`employers.tasks.render_vacancy_shared_parts`) renders its parts in every language once the
change is committed (`render_ahead`), so that its first reader finds them. A change that no
task follows (an employer renamed in the admin, a skill's label, the next day) is seen by the
key all the same: the first reader renders.
"""

import datetime
import functools
import hashlib
import pathlib
import pickle
import platform
import zlib

import django
import rest_framework
from django.conf import settings
from django.core.cache import cache
from django.db import models, router
from django.http import Http404
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from college.core.compiled import Compiled
from college.models import Commune, Role
from employers.access import get_published_vacancy
from employers.models import Employer, Vacancy, VacancyLanguage, VacancySkill

FORMAT = "2"  # moves on when what is kept changes shape
# What `render_ahead` renders: each scope's function of (vacancy, origin), by its dotted path
# (the page and the API import this module), with the origin a request would give it.
AHEAD = {
    "page": ("employers.views.board.vacancy_shared_page", lambda: settings.SITE_URL),
    "api": ("employers.api.vacancy_shared_data", lambda: settings.SITE_URL + "/"),
}
# What the code's identity is read from (`code_identity`): whatever can change what is rendered.
CODE_DIRECTORIES = ("college", "candidates", "employers", "assessments", "templates", "locale")
CODE_SUFFIXES = (".py", ".html", ".txt", ".mo")
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


def enabled():
    return settings.PUBLIC_CACHE_SECONDS > 0


def _columns(model, prefix=""):
    return [prefix + field.name for field in model._meta.concrete_fields]


def _published_row(pk):
    columns = _columns(Vacancy)
    for name, model in RELATED:
        columns += _columns(model, f"{name}__")
    return Vacancy.objects.published().filter(pk=pk).order_by().values_list(*columns)


def _requirements(model, columns, pk):
    return model.objects.filter(vacancy_id=pk).order_by("id").values_list(*columns)


# Compiled once per process, thread, database and day (college.core.compiled; `published()`
# compares to today), then run with the vacancy's id; rows as `values_list` gives them.
QUERIES = {
    "published": Compiled("published vacancy", _published_row, per_day=True, pk=_SENTINEL),
    "skills": Compiled(
        "vacancy skills",
        lambda pk: _requirements(VacancySkill, SKILL_COLUMNS, pk),
        pk=_SENTINEL,
    ),
    "languages": Compiled(
        "vacancy languages",
        lambda pk: _requirements(VacancyLanguage, LANGUAGE_COLUMNS, pk),
        pk=_SENTINEL,
    ),
}


def _rows(name, alias, pk):
    """The rows of `QUERIES[name]` for vacancy `pk`, converted as `values_list` gives them."""
    return QUERIES[name].rows(using=alias, pk=pk)


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


@functools.cache
def code_identity():
    """A hash of the project's code, templates and translations and of the versions of Python,
    Django and DRF: the same on every machine running the same release, another after a deploy
    that changes any of them. Read once per process (about 20 ms)."""
    digest = hashlib.sha256(
        repr((platform.python_version(), django.__version__, rest_framework.VERSION)).encode()
    )
    root = pathlib.Path(settings.BASE_DIR)
    for directory in CODE_DIRECTORIES:
        for path in sorted((root / directory).rglob("*")):
            if path.suffix in CODE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(root)).encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _seconds():
    """How long what is rendered now is kept: until the day ends (the next day has other keys),
    at most half a session's age (see the module's docstring)."""
    now = timezone.localtime()
    midnight = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=now.tzinfo
    )
    until_midnight = int((midnight - now).total_seconds())
    return max(1, min(until_midnight, settings.SESSION_COOKIE_AGE // 2))


def _key(scope, pk, stored, extra):
    parts = [
        FORMAT,
        code_identity(),
        scope,
        translation.get_language() or "",
        timezone.localdate().isoformat(),
        get_script_prefix(),  # the start of every link the page holds
        *extra,
        stored,
    ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"vacancy-shared:{pk}:{digest}"


def _keep(key, value):
    # Compressed (a page's parts: 17 kB, 4 kB so): Redis holds the sessions too.
    entry = zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)
    cache.set(key, entry, _seconds())


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
        _keep(key, value)
    return value


def render_ahead(pk):
    """Renders and keeps published vacancy `pk`'s shared parts (`AHEAD`) in every language,
    those not kept already, as its readers' requests would; returns how many it rendered.

    For a task run once a change is committed, outside any request: the links start from the
    default script prefix and the API's from `SITE_URL`, as a request to the site's own address
    gives them.
    """
    if not enabled():
        return 0
    stored = _stored(pk)
    if stored is None:
        return 0  # not published (or no longer): nothing anyone may read
    wanted = {}
    for scope, (path, origin) in AHEAD.items():
        extra = [origin()]
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                wanted[_key(scope, pk, stored, extra)] = (scope, path, extra[0], language)
    found = cache.get_many(list(wanted))
    missing = [key for key in wanted if key not in found]
    if not missing:
        return 0
    try:
        vacancy = get_published_vacancy(pk, Vacancy.objects.for_list())
    except Http404:
        return 0  # unpublished since
    prefetch_requirements(vacancy)
    if _loaded(vacancy) != stored:
        return 0  # changed again since: the task that change enqueued renders it
    for key in missing:
        scope, path, origin, language = wanted[key]
        with translation.override(language):
            _keep(key, import_string(path)(vacancy, origin))
    return len(missing)
