"""The public cache: anonymous reads of public data, answered from the shared cache.

Four-fifths of what the site serves are anonymous reads of data that changes a few times a day:
the vacancy board, a vacancy's page, the Atom feeds, the public API (vacancies, skills, roles,
modules…). Rendering them again for each visitor is most of the server's work, so they are kept,
rendered, in the shared cache (Redis) for `PUBLIC_CACHE_SECONDS`:

* **Who.** Only anonymous requests (GET or HEAD) with no message waiting; a signed-in person
  always gets a fresh page (it shows their name, their matches, their applications…).
* **Key.** The view, the language, the scheme and host (absolute links), the full path with its
  query string, the day (dates shown relative to today) and, for the API, the media type;
  hashed.
* **Freshness.** Every entry carries the public data's *version* it was rendered under (read
  with the entry, in one round trip) and counts only while that version is the current one.
  Saving or deleting any model of :data:`PUBLIC_MODELS` (signals), and every command that loads
  public data in bulk, moves it on once the transaction commits, so the next read renders again.
  Writes that bypass signals call :func:`public_data_changed`. The time limit only bounds what a
  forgotten path could serve.
* **Primary.** What is kept is rendered from the primary database, never a read replica: a
  replica lagging behind the commit that moved the version on would be kept as new.
* **Per-person parts.** A page carries two values that must never be shared: the CSRF token of
  its forms and the CSP nonce of its scripts. While a page is rendered for the cache, the
  template context holds placeholders instead (:func:`placeholders`, a context processor);
  each response, fresh or cached, gets the requester's own token and nonce in their place. A
  view that reaches for the token itself (`get_token`) or that sets a cookie is not kept.

`PUBLIC_CACHE_SECONDS=0` turns the cache off. It is off by default without Redis: a per-process
memory cache would not see another process's changes.
"""

import functools
import hashlib
import zlib

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from college.core import cache_versions, db_router

VERSION_KEY = "public-cache:version"
CSRF_PLACEHOLDER = "PASSERELLE-CSRF-PLACEHOLDER-7c1e"
NONCE_PLACEHOLDER = "PASSERELLE-NONCE-PLACEHOLDER-7c1e"
RECORDING_ATTRIBUTE = "_public_cache_recording"
# The models whose rows the cached reads show; a change to any of them refreshes every one.
PUBLIC_MODELS = (
    "college.PoliceZone",
    "college.Commune",
    "college.Language",
    "college.Skill",
    "college.Role",
    "college.RoleRequirement",
    "college.RoleLanguageRequirement",
    "college.Programme",
    "college.Module",
    "college.ModuleSkill",
    "employers.Employer",
    "employers.Vacancy",
    "employers.VacancySkill",
    "employers.VacancyLanguage",
)
# Response headers a kept response carries over; the middleware adds the rest on each request.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Last-Modified", "Link", "X-Robots-Tag")


def enabled():
    return settings.PUBLIC_CACHE_SECONDS > 0


def version():
    """The public data's current version."""
    return cache_versions.current(VERSION_KEY)


def _bump():
    cache_versions.move_on(VERSION_KEY)


def public_data_changed(using=None):
    """Every cached public read renders again, once the current transaction commits.

    After the commit, not before: a read between the write and the commit would otherwise
    keep the old data under the new version.
    """
    transaction.on_commit(_bump, using=using, robust=True)


def _model_changed(sender, raw=False, using=None, **kwargs):
    if not raw:
        public_data_changed(using=using)


def connect():
    """Signals of every public model and of their many-to-many tables (AppConfig.ready)."""
    for label in PUBLIC_MODELS:
        model = apps.get_model(label)
        uid = f"public-cache-{label}"
        post_save.connect(_model_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_model_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _model_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
            )


def placeholders(request):
    """Context processor: placeholders for the CSRF token and the CSP nonce while a page is
    rendered for the cache (listed after Django's own csrf and csp processors)."""
    if getattr(request, RECORDING_ATTRIBUTE, False):
        return {"csrf_token": CSRF_PLACEHOLDER, "csp_nonce": NONCE_PLACEHOLDER}
    return {}


def _key(request, scope, extra=""):
    parts = "\n".join(
        [
            scope,
            translation.get_language() or "",
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            timezone.localdate().isoformat(),
            extra,
        ]
    )
    digest = hashlib.sha256(parts.encode()).hexdigest()
    return f"public-cache:{digest}"


def _lookup(key):
    """(the kept entry or None, the public data's version), in one round trip to the cache: an
    entry holds the version it was rendered under, and counts only while that is the current
    one (a key holding the version would need the version read first)."""
    found = cache.get_many([VERSION_KEY, key])
    current = found.get(VERSION_KEY)
    if current is None:
        return None, version()  # started again (see cache_versions)
    kept = found.get(key)
    if kept is not None and kept[0] == current:
        return kept[1], current
    return None, current


def _keep(key, rendered_under, response):
    cache.set(key, (rendered_under, _entry(response)), settings.PUBLIC_CACHE_SECONDS)


def _is_anonymous_read(request):
    user = getattr(request, "user", None)
    return (
        enabled()
        and request.method in ("GET", "HEAD")
        and user is not None
        and not user.is_authenticated
    )


def _personalised(request, content):
    """The content with the requester's own CSRF token and CSP nonce for the placeholders."""
    if CSRF_PLACEHOLDER.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    if NONCE_PLACEHOLDER.encode() in content:
        # str() draws the lazy nonce (falsy until drawn); the CSP middleware then puts it in
        # the header.
        nonce = getattr(request, "_csp_nonce", None)
        value = "" if nonce is None else str(nonce)
        content = content.replace(NONCE_PLACEHOLDER.encode(), value.encode())
    return content


def _from_entry(request, entry):
    headers, compressed = entry
    response = HttpResponse(_personalised(request, zlib.decompress(compressed)), headers=headers)
    response["X-Public-Cache"] = "hit"
    return response


def _entry(response):
    # Compressed (a board page: 60 kB, 8 kB so): Redis holds the sessions too.
    return (
        {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
        zlib.compress(response.content, 1),
    )


def _keepable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
    )


def cache_anonymous_page(view):
    """Decorates a page view (a function or any callable taking the request): see the module."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _is_anonymous_read(request) or len(get_messages(request)):
            return view(request, *args, **kwargs)
        key = _key(request, getattr(view, "__qualname__", type(view).__qualname__))
        entry, current = _lookup(key)
        if entry is not None:
            return _from_entry(request, entry)
        db_router.read_from_primary()
        token_wanted_before = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
        setattr(request, RECORDING_ATTRIBUTE, True)
        try:
            response = view(request, *args, **kwargs)
        finally:
            setattr(request, RECORDING_ATTRIBUTE, False)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        reached_for_secrets = (
            request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False) and not token_wanted_before
        ) or bool(getattr(request, "_csp_nonce", None))
        if _keepable(response) and not reached_for_secrets:
            _keep(key, current, response)
            response["X-Public-Cache"] = "miss"
        if not response.streaming:
            response.content = _personalised(request, response.content)
        return response

    return wrapper


def cache_anonymous_api(method):
    """Decorates a DRF view's `get` method: anonymous JSON reads are kept, rendered.

    Authentication, permissions, throttles and content negotiation run as always (the decorated
    method is the handler); only the work of the handler and the rendering is kept. The browsable
    API is never kept (it carries a CSRF token and the signed-in state).
    """

    @functools.wraps(method)
    def wrapper(self, request, *args, **kwargs):
        renderer = getattr(request, "accepted_renderer", None)
        if not _is_anonymous_read(request) or getattr(renderer, "format", None) != "json":
            return method(self, request, *args, **kwargs)
        key = _key(request, type(self).__qualname__, request.accepted_media_type)
        entry, current = _lookup(key)
        if entry is not None:
            return _from_entry(request, entry)
        db_router.read_from_primary()
        response = method(self, request, *args, **kwargs)

        def keep(rendered):
            if _keepable(rendered):
                _keep(key, current, rendered)
                rendered["X-Public-Cache"] = "miss"

        if hasattr(response, "add_post_render_callback"):
            response.add_post_render_callback(keep)
        return response

    return wrapper


class AnonymousReadCacheMixin:
    """For a DRF generic view: anonymous JSON GETs are kept (see :func:`cache_anonymous_api`)."""

    @cache_anonymous_api
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
