"""Serializer fields shared by the APIs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def inline_enum_field(name, values, description, *, nullable=False):
    """A CharField class documented with its values inline.

    drf-spectacular would otherwise name an enum component after the field ("status",
    "evidence"), which other APIs use for other values: a schema warning.
    """
    # The description keeps the allOf (a lone allOf would be unwrapped), and an enum under
    # allOf is left inline by the enum post-processing.
    schema = {"allOf": [{"type": "string", "enum": list(values)}], "description": description}
    if nullable:
        schema["nullable"] = True
    return extend_schema_field(schema)(type(name, (serializers.CharField,), {}))
