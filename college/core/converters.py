"""Ids as requests name them, in paths, query strings and bodies."""

from django.urls import register_converter

# Database ids are 64-bit: a larger number is an id that does not exist. Checked before the
# query, it names nothing instead of overflowing the database's integer (or an `IN (…)`).
MAX_ID = 2**63 - 1


class IdConverter:
    """`<id:pk>` in a URL: a positive whole number the database could hold, else no match (404).

    Every id and position in Passerelle's paths goes through it, so a number too large for the
    database never reaches a view."""

    regex = "[0-9]+"  # as Django's int; the size is checked below

    def to_python(self, value):
        number = int(value)
        if number > MAX_ID:
            raise ValueError("larger than any database id")
        return number

    def to_url(self, value):
        return str(int(value))


def register():
    register_converter(IdConverter, "id")
