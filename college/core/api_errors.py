"""The API's errors: DRF's, except that a 404 never names a model.

Django's `get_object_or_404` says "No Vacancy matches the given query.", and DRF passed that on:
a class name in English inside a French or Dutch sentence, and a glimpse of the schema. Every
404 of the API now says DRF's own "Not found." in the reader's language, whatever raised it.
"""

from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return exception_handler(exc, context)
