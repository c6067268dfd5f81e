"""Shared fixtures: the reference data, fast test settings and a named cast of users."""

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from assessments.bank import load_batteries, load_item_bank
from assessments.models import Item
from college.models import Skill, User
from college.reference.loader import load_reference_data
from college.training.catalogue import load_catalogue
from tests import factories


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Loads the real reference data, the item bank and the catalogue once for the session."""
    with django_db_blocker.unblock():
        ensure_reference_data()


def ensure_reference_data():
    """Loads the reference data, the catalogue, the item bank and the batteries again if a
    transactional test flushed them. Tests run in any order (and on several processes), so a
    fixture that builds on them, module-scoped ones included, calls this first."""
    if not Skill.objects.exists():
        load_reference_data()
        load_catalogue()
    if not Item.objects.exists():
        load_item_bank()
        load_batteries()


@pytest.fixture
def reference_data(db):
    ensure_reference_data()


@pytest.fixture
def item_bank(reference_data):
    """The practice items and batteries (`reference_data` brings them back after a flush)."""


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    settings.MFA_ENFORCED = False  # college/core/mfa.py: its own tests turn it on
    settings.PUBLIC_CACHE_SECONDS = 0  # college/core/public_cache.py: its own tests turn it on
    settings.WHITENOISE_AUTOREFRESH = True  # no static-file scan per test client (~0.2 s each)
    # Background tasks run at once, in the test's thread: their effects can be asserted.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()
    yield
    cache.clear()


@dataclass
class Cast:
    candidate: User
    other_candidate: User
    counsellor: User
    other_counsellor: User
    employer_member: User
    other_employer_member: User
    staff: User


@pytest.fixture
def cast(db):
    """One person per role, plus an outsider of the same role for access tests."""
    candidate = factories.CandidateFactory(email="yasmine@example.org", full_name="Yasmine Test")
    other_candidate = factories.CandidateFactory(email="other@example.org", full_name="Other Test")
    counsellor = factories.CounsellorFactory(email="counsellor@example.org", full_name="Marc Test")
    other_counsellor = factories.CounsellorFactory(email="counsellor2@example.org")
    factories.GuidanceFactory(counsellor=counsellor, candidate=candidate)
    factories.GuidanceFactory(counsellor=other_counsellor, candidate=other_candidate)
    return Cast(
        candidate=candidate,
        other_candidate=other_candidate,
        counsellor=counsellor,
        other_counsellor=other_counsellor,
        employer_member=factories.EmployerMemberFactory(
            email="employer@example.org", membership__employer__name="Zone de police Test"
        ),
        other_employer_member=factories.EmployerMemberFactory(
            email="employer2@example.org", membership__employer__name="Service Prévention Autre"
        ),
        staff=factories.StaffFactory(email="staff@example.org"),
    )


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
