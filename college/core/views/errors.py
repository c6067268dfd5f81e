"""Django's error views, answering JSON under /api/ as the API promises (shared/API.md).

DRF answers its own views' errors in JSON; these cover what happens outside them: an address
under /api/ that matches no pattern (404), a request Django refuses before the view (400), an
exception DRF does not handle (500). The messages are DRF's own, in its translations.
"""

from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions


def is_api(request):
    return request.path_info.startswith("/api/")


def _json(exception_class, status):
    return JsonResponse({"detail": str(exception_class.default_detail)}, status=status)


def bad_request(request, exception):
    if is_api(request):
        return _json(exceptions.ParseError, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if is_api(request):
        return _json(exceptions.PermissionDenied, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if is_api(request):
        return _json(exceptions.NotFound, 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return _json(exceptions.APIException, 500)
    return defaults.server_error(request)
