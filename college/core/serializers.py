"""Pieces shared by the apps' API serializers."""

from rest_framework import serializers


def with_required(serializer, attrs, fields):
    """`attrs` once each of `fields` is in it; a 400 naming the missing ones otherwise.

    In a PATCH, DRF skips missing fields everywhere, list items included; an item needs them.
    """
    missing = {
        field: [serializer.fields[field].error_messages["required"]]
        for field in fields
        if field not in attrs
    }
    if missing:
        raise serializers.ValidationError(missing)
    return attrs


def errors_by_field(error, field):
    """A Django ValidationError from a service, in DRF's `{"field": ["message"]}` shape.

    An error that names no field is put at `field`, the one the request was about.
    """
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {field: error.messages}
