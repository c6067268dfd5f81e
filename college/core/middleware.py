import logging
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _

from college.core import login_throttle, mfa, ratelimit
from college.core.sessions import SESSION_LAST_SEEN_KEY, SESSION_STARTED_KEY

request_logger = logging.getLogger("passerelle.requests")
SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}
LAST_SEEN_RESOLUTION = 60
# Pages a person who owes the second step may still open.
MFA_OPEN_VIEWS = {"mfa_setup", "mfa_verify", "logout", "admin:logout", "set_language", "healthz"}


def LanguageOverrideMiddleware(get_response):
    """`?lang=fr|nl|en` overrides the language for one request (handy for API clients and links)."""

    def middleware(request):
        requested = request.GET.get("lang", "")
        if requested in SUPPORTED_LANGUAGES:
            translation.activate(requested)
            request.LANGUAGE_CODE = requested
        return get_response(request)

    return middleware


def PrivateCacheMiddleware(get_response):
    """Every response that depends on who is signed in says `Cache-Control: private, no-store`.

    `no-store` rather than `no-cache`: a personal page (a profile, a caseload, a data export)
    must not even be written to a shared proxy's or a browser's disk cache, where the next
    user of a shared computer could read it back with the Back button. `private` as well, for
    the old proxies that know no `no-store`. `Vary: Cookie` (a session) or `Vary:
    Authorization` (a token) tells any cache that ignores both that the answer is per person.

    Placed before the session and authentication middleware so that it sees each response
    last, whatever added headers before it. The public cache (college/core/public_cache.py) is a
    view decorator that only keeps anonymous reads, inside every middleware: what it keeps
    never carried these headers, and what a signed-in person gets is never kept there.
    A response that depends on a signed-in person is one whose request ended signed in
    (a session, or DRF's token authentication, which sets the request's user too), or one
    that carried credentials at all (a refused token is not kept either).
    """

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        is_signed_in = bool(user is not None and user.is_authenticated)
        has_token = "HTTP_AUTHORIZATION" in request.META
        if not (is_signed_in or has_token):
            return response
        if response.has_header("Cache-Control"):
            # A view's own caching (a feed's max-age, say) is for anonymous readers only.
            kept = [
                directive.strip()
                for directive in response["Cache-Control"].split(",")
                if directive.strip().split("=")[0].lower() not in {"public", "s-maxage", "max-age"}
            ]
            response["Cache-Control"] = ", ".join(directive for directive in kept if directive)
            if not response["Cache-Control"]:
                del response["Cache-Control"]
        patch_cache_control(response, private=True, no_store=True)
        if response.has_header("Expires"):
            del response["Expires"]
        patch_vary_headers(response, ("Authorization",) if has_token else ("Cookie",))
        return response

    return middleware


def RequestLogMiddleware(get_response):
    """One structured line per request: route, status, duration, the user's id and role.

    No query strings, e-mail addresses or IP addresses: those are personal data. `cpu_ms` is
    the worker's CPU time for the request (what the server spends, whatever else it waits for);
    `public_cache` says whether the public cache answered (hit) or kept the answer (miss).
    """

    def middleware(request):
        started = time.perf_counter()
        cpu_started = time.thread_time()
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
                "cpu_ms": round((time.thread_time() - cpu_started) * 1000, 1),
                "public_cache": response.get("X-Public-Cache", ""),
                "user_id": user.pk if is_authenticated else None,
                "role": user.role if is_authenticated else "anonymous",
            },
        )
        return response

    return middleware


class RateLimitMiddleware:
    """Applies college/core/ratelimit.py's table: 429 with Retry-After past a route's limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429 and not response.has_header("Retry-After"):
            # The login form's own failure counter answers 429 without saying for how long.
            response["Retry-After"] = str(login_throttle.retry_after_seconds())
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = ratelimit.limit_for(request)
        if limit is None or ratelimit.is_api_view(request):
            return None
        retry_after = ratelimit.hit(limit.scope, ratelimit.client_key(request))
        if not retry_after:
            return None
        message = ratelimit.wait_message(retry_after)
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=429)
        else:
            response = render(
                request, "college/core/rate_limited.html", {"message": message}, status=429
            )
        response["Retry-After"] = str(retry_after)
        return response


def SessionTimeoutMiddleware(get_response):
    """Ends a signed-in session idle for SESSION_IDLE_TIMEOUT seconds or older than
    SESSION_COOKIE_AGE, whatever activity kept it alive (the absolute limit).

    The last-seen time is written at most once a minute, so that reading pages does not
    write the session each time.
    """

    def middleware(request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED_KEY)
            last_seen = request.session.get(SESSION_LAST_SEEN_KEY, started)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
                request.session[SESSION_LAST_SEEN_KEY] = now
            elif (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": _("Your session has expired. Log in again.")}, status=401
                    )
                messages.info(request, _("Your session has expired. Log in again."))
                return redirect_to_login(request.get_full_path())
            elif now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[SESSION_LAST_SEEN_KEY] = now
        return get_response(request)

    return middleware


class MfaMiddleware:
    """Holds a signed-in person who owes the second step on the MFA pages until they pass it.

    Covers every page, the Django admin and session-authenticated API calls; token API calls
    carry no session (the token itself was issued only after the second step).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not settings.MFA_ENFORCED:
            return None
        if not mfa.mfa_is_offered(user) or mfa.mfa_session_is_verified(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in MFA_OPEN_VIEWS:
            return None
        if not mfa.mfa_is_expected(user):
            # A counsellor without an authenticator: nothing to check again this session.
            mfa.mfa_session_mark_verified(request, rotate=False)
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Complete the two-step verification on the website first.")},
                status=403,
            )
        target = "mfa_verify" if mfa.confirmed_device(user) else "mfa_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
