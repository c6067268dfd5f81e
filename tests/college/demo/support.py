"""The demo seed as its tests run it: once per module, in a transaction undone at the end."""

from contextlib import contextmanager
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from tests.conftest import ensure_reference_data

PASSWORD = "demo-password-2026"
HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as the tests' settings


def seed():
    """Runs `seed_demo` (as `make run` does, DEBUG on); returns what it printed."""
    out = StringIO()
    with override_settings(DEBUG=True, PASSWORD_HASHERS=HASHERS):
        call_command("seed_demo", "--password", PASSWORD, stdout=out)
    return out.getvalue()


@contextmanager
def undone_at_the_end(django_db_blocker):
    """For a module-scoped fixture: the reference data, then whatever the fixture writes inside
    one transaction, rolled back when the module's tests are done."""
    with django_db_blocker.unblock():
        ensure_reference_data()
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
