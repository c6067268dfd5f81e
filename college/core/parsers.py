"""The API's JSON parser: DRF's, with the limits a hostile body must not get past.

A body nested deeper than `MAX_DEPTH` is refused with 400 (`{"detail": …}`) before a serializer
sees it: Python would exhaust its recursion on it. A NUL or a lone surrogate (``"\\ud800"``) in
a string is refused as an error of the field that holds it, in DRF's shape
(`{"requirements": {"0": {"skill": ["…"]}}}`): PostgreSQL cannot store the first, and no UTF-8
output can write the second. Invalid UTF-8 and malformed JSON are refused by DRF's parser.
A body past `DATA_UPLOAD_MAX_MEMORY_SIZE` is a 413 even when it came without a Content-Length
(the request-hygiene middleware refuses it by its Content-Length otherwise).
"""

import io

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.parsers import JSONParser

from college.core import text

MAX_DEPTH = 64


def unstorable_character(text):
    """The first NUL or unpaired surrogate in `text` (what no column stores nor output writes),
    else None."""
    if "\x00" in text:
        return "\x00"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return text[error.start]
    return None


def is_storable(text):
    """Whether a string can be stored and written out: no NUL, no unpaired surrogate."""
    return unstorable_character(text) is None


def _too_deep():
    return ParseError(
        _("The JSON body is nested deeper than %(depth)s levels.") % {"depth": MAX_DEPTH}
    )


def _field_error(path, character):
    """DRF's nested error shape for the string at `path` (keys and list positions), in the
    words the forms use for the same character (college/core/text.py)."""
    code = "surrogate" if 0xD800 <= ord(character) <= 0xDFFF else "control_character"
    error = [str(text.MESSAGES[code]) % {"character": text.character_name(character)}]
    for key in reversed(path):
        error = {str(key): error}
    return ValidationError(error) if path else ParseError(_unstorable_body())


def _unstorable_body():
    return _("The JSON body holds a NUL character or an unpaired surrogate.")


def check_json(value, path=(), depth=1):
    """Raises when `value` is nested deeper than MAX_DEPTH (ParseError) or holds a string that
    cannot be stored or written out (ValidationError naming its field)."""
    if depth > MAX_DEPTH:
        raise _too_deep()
    if isinstance(value, str):
        character = unstorable_character(value)
        if character is not None:
            raise _field_error(path, character)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not is_storable(key):
                raise ParseError(_unstorable_body())
            check_json(item, (*path, key), depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_json(item, (*path, index), depth + 1)


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


class SafeJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and stream is not None:
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise BodyTooLarge(
                    _("The request body is larger than %(size)s.") % {"size": filesizeformat(limit)}
                )
            stream = io.BytesIO(body)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise _too_deep() from None
        check_json(data)
        return data
