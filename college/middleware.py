import logging
import time

from django.conf import settings
from django.utils import translation

request_logger = logging.getLogger("passerelle.requests")
SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def LanguageOverrideMiddleware(get_response):
    """`?lang=fr|nl|en` overrides the language for one request (handy for API clients and links)."""

    def middleware(request):
        requested = request.GET.get("lang", "")
        if requested in SUPPORTED_LANGUAGES:
            translation.activate(requested)
            request.LANGUAGE_CODE = requested
        return get_response(request)

    return middleware


def RequestLogMiddleware(get_response):
    """One structured line per request: route, status, duration, the user's id and role.

    No query strings, e-mail addresses or IP addresses: those are personal data.
    """

    def middleware(request):
        started = time.perf_counter()
        response = get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        is_authenticated = bool(user and user.is_authenticated)
        request_logger.info(
            "request",
            extra={
                "method": request.method,
                "route": match.route if match else "",
                "view": match.view_name if match else "",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if is_authenticated else None,
                "role": user.role if is_authenticated else "anonymous",
            },
        )
        return response

    return middleware
