"""Requests no code behind this point needs to survive: refused early with a clear 400 or 413.

`RequestHygieneMiddleware` runs before sessions, authentication and the views, and refuses:

* a path, query string or header value with a NUL or another control character (PostgreSQL
  cannot store NUL, and no HTTP client sends one on purpose);
* a path, query string or form body that is not UTF-8 once percent-decoded (lone surrogates
  such as ``%ED%A0%80`` included);
* a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` that is not a file upload → 413.

JSON bodies are checked by the API's parser (college/core/parsers.py): depth, NUL, lone surrogates.
Under ``/api/`` the answer is JSON (``{"detail": …}``, DRF's shape), elsewhere a translated page;
an unreadable query string under ``/api/`` is refused by `QueryParameterCheck` once DRF has
authenticated the caller, so that a wrong token is a 401 whatever else is wrong.
"""

import re
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.throttling import BaseThrottle

# C0 controls but tab, and DEL: never in a URL or a header value.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"


def is_api(request):
    return request.path_info.startswith("/api/")


def answer_language(request, *, query_is_clean):
    """Sessions and the language middleware have not run: `?lang=` (when the query string is
    readable), the language cookie and Accept-Language say which language to answer in."""
    requested = request.GET.get("lang", "") if query_is_clean else ""
    if requested in {code for code, _name in settings.LANGUAGES}:
        return requested
    return translation.get_language_from_request(request)


def refusal(request, status, message, params=None, *, query_is_clean=False):
    """`message` as JSON under /api/, else as a page, in the caller's language."""
    language = answer_language(request, query_is_clean=query_is_clean)
    with translation.override(language):
        # Parameters that are translated themselves (a size in KB, Ko, kB) are given as callables.
        values = {
            key: value() if callable(value) else value for key, value in (params or {}).items()
        }
        text = str(message) % values if values else str(message)
        if is_api(request):
            response = JsonResponse({"detail": text}, status=status)
        else:
            title = _("Bad request") if status == 400 else _("Request too large")
            content = render_to_string("400.html", {"title": title, "message": text})
            response = HttpResponse(content, status=status)
    response["Content-Language"] = language
    return response


def decodes_cleanly(encoded, *, refused=CONTROL_CHARACTERS):
    """Whether a percent-encoded string is UTF-8 without `refused` characters once decoded."""
    try:
        decoded = unquote_to_bytes(encoded.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not refused.search(decoded.replace("\n", "").replace("\r", ""))


# What a query string or a form field may not carry: NUL (no database column can store it and
# code that reads parameters without a form would pass it on). Other control characters are
# text the form layer answers for (college/core/text.py): a pasted vertical tab becomes a line
# break, an escape character is a field error the person can read beside the field.
NUL = re.compile(r"\x00")


def path_and_headers_problem(request):
    raw_path = request.META.get("PATH_INFO", "")
    # WSGI hands the path over as latin-1 text of the raw bytes.
    try:
        path = raw_path.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return _("The address is not valid UTF-8.")
    # Django keeps bytes that are not UTF-8 percent-encoded in the path (so may a client or a
    # proxy): decoded once more, they must be UTF-8 too.
    if CONTROL_CHARACTERS.search(path) or ("%" in path and not decodes_cleanly(path)):
        return _("The address holds characters that are not allowed.")
    for key, value in request.META.items():
        if (key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH")) and isinstance(
            value, str
        ):
            if CONTROL_CHARACTERS.search(value):
                return _("A request header holds characters that are not allowed.")
    return None


def query_problem(request):
    query = request.META.get("QUERY_STRING", "")
    if "\x00" in query or not decodes_cleanly(query, refused=NUL):
        return _("The query string holds characters that are not allowed.")
    return None


def body_problem(request):
    """(status, message, parameters) for a body refused before any parser reads it, else None."""
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 400, _("The Content-Length header is not a number."), None
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if content_type != MULTIPART and limit is not None and length > limit:
        return (
            413,
            _("The request body is larger than %(size)s."),
            {"size": lambda: filesizeformat(limit)},
        )
    if content_type == FORM and length:
        try:
            body = request.body.decode("ascii")
        except UnicodeDecodeError:
            return 400, _("The form data is not valid: send it percent-encoded."), None
        if not all(decodes_cleanly(part, refused=NUL) for part in body.split("&")):
            return 400, _("The form data holds characters that are not allowed."), None
    return None


def RequestHygieneMiddleware(get_response):
    """Refuses malformed requests before the rest of the stack reads them (see the module)."""

    def middleware(request):
        message = path_and_headers_problem(request)
        if message:
            return refusal(request, 400, message)
        message = query_problem(request)
        if message and is_api(request):
            # The API authenticates first: QueryParameterCheck refuses it after that.
            request.query_problem = message
        elif message:
            return refusal(request, 400, message)
        problem = body_problem(request)
        if problem:
            status, message, params = problem
            return refusal(
                request, status, message, params, query_is_clean=query_problem(request) is None
            )
        return get_response(request)

    return middleware


class QueryParameterCheck(BaseThrottle):
    """The API's query-string checks, after authentication and permissions.

    Among the throttle classes because DRF checks those after it has authenticated the caller
    and checked permissions: a caller with a wrong token hears 401 whatever the query string.
    Refuses what the middleware found unreadable, and an unknown `lang` (pages ignore one,
    so that an old link still opens; the API's schema lists the three values).
    """

    def allow_request(self, request, view):
        problem = getattr(request._request, "query_problem", None)
        if problem:
            raise ParseError(str(problem))
        requested = request.query_params.get("lang", "")
        if requested and requested not in {code for code, _name in settings.LANGUAGES}:
            message = _("Choose one of: %(languages)s.") % {
                "languages": ", ".join(code for code, _name in settings.LANGUAGES)
            }
            raise ValidationError({"lang": [message]})
        return True
