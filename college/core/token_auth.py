"""API tokens, checked in one written-out query.

DRF's `TokenAuthentication` finds the token with `Token.objects.select_related("user")`: the ORM
builds and compiles that query again on every request, about 0.5 ms of CPU, as much as the whole
minimal view, on every request that carries a token (a job-seeker's practice test, an
employer's shortlist). The SQL here is written once per database vendor from the models' own
metadata and reads the user's row by the token's key; the rules stay DRF's: an unknown key or
an inactive user is handed to DRF's own lookup, which refuses it with its own messages (and
their translations); a deleted token or user is found by no one at the next request. Nothing
is kept between requests: a token deleted by "sign out everywhere" fails at once.
"""

from django.db import connections, router
from rest_framework import authentication
from rest_framework.authtoken.models import Token

from college.models import User

_LOOKUPS = {}  # per database vendor


def _lookup(connection):
    """The SELECT of the user's columns by their token's key, in `connection`'s dialect, and the
    names of the columns it reads; written once per database vendor."""
    found = _LOOKUPS.get(connection.vendor)
    if found is not None:
        return found
    quote = connection.ops.quote_name
    user, token = User._meta, Token._meta
    columns = ", ".join(f"u.{quote(field.column)}" for field in user.concrete_fields)
    user_column = quote(token.get_field("user").column)
    sql = (
        f"SELECT {columns} FROM {quote(user.db_table)} u "
        f"JOIN {quote(token.db_table)} t ON t.{user_column} = u.{quote(user.pk.column)} "
        f"WHERE t.{quote(token.pk.column)} = %s"
    )
    found = _LOOKUPS[connection.vendor] = (sql, [field.attname for field in user.concrete_fields])
    return found


def user_for_token(key):
    """The user whose token `key` is, or None."""
    alias = router.db_for_read(Token)
    connection = connections[alias]
    sql, names = _lookup(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row = cursor.fetchone()
    if row is None:
        return None
    return User.from_db(alias, names, row)


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication (`Authorization: Token <key>`), with the lookup above."""

    def authenticate_credentials(self, key):
        user = user_for_token(key)
        if user is None or not user.is_active:
            # Refused: DRF's own lookup says why, in its own words (and languages).
            return super().authenticate_credentials(key)
        token = Token(key=key, user_id=user.pk)
        token.user = user
        return (user, token)
