"""Every URL of the project × every role: the status tests/access_matrix.py expects.

The cases are generated from the URL configuration (walked recursively, namespaces
included), so a URL name with no entry in the matrix fails here and names itself. One world
of objects is built once for the module, in a transaction undone at the end; each case runs
in its own savepoint (pytest-django's), so a POST that changes something is undone too.
"""

import datetime
import json
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.test.client import ClientHandler
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token

from assessments.models import Attempt, Battery, Item
from assessments.services import attempt_current_item, attempt_start, response_save
from candidates.models import (
    CandidateSkill,
    Education,
    Experience,
    ExternalCertification,
    LanguageCertificate,
)
from college.core.mfa import SESSION_KEY as MFA_SESSION_KEY
from college.models import Language, Module, Role, Skill
from college.views import home
from employers.models import Invitation, Vacancy
from employers.shortlists.selectors import candidate_ref
from tests import factories
from tests.access_matrix import (
    ADMIN_LOGIN,
    ANONYMOUS,
    LOGIN,
    MATRIX,
    REDIRECT,
    ROLES,
    SKIPPED,
)
from tests.conftest import ensure_reference_data

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch")


# The URL configuration ------------------------------------------------------------------------


def url_patterns(resolver=None, namespace="", route=""):
    """(name with its namespace or None, namespace, route) for every pattern, recursively."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern, inner, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, namespace, route + str(pattern.pattern)


def skip_reason(name, namespace, route):
    for key, reason in SKIPPED.items():
        if key.endswith(":") and f"{namespace}:".startswith(key):
            return reason
        if key.endswith("/") and route.startswith(key):
            return reason
        if key == name:
            return reason
    return None


def matrix_cases():
    """One case per URL name, method and role; one failing case per URL name left out."""
    cases = []
    seen = set()
    for name, namespace, route in url_patterns():
        if name in seen:
            continue
        if name not in MATRIX and skip_reason(name, namespace, route):
            continue
        seen.add(name)
        if name is None or name not in MATRIX:
            label = name or f"unnamed:{route}"
            cases.append(pytest.param(label, None, None, id=f"{label}-missing"))
            continue
        for key in [name, *(key for key in MATRIX if key.startswith(f"{name}#"))]:
            entry = MATRIX[key]
            for method in METHODS:
                expected = getattr(entry, method)
                if expected is None:
                    continue
                for role in ROLES:
                    suffix = "" if method == "get" else f".{method}"
                    cases.append(pytest.param(key, method, role, id=f"{key}{suffix}-{role}"))
    return cases


# The world ------------------------------------------------------------------------------------


@dataclass
class World:
    users: dict
    tokens: dict
    profile: object
    role: Role
    skill: Skill
    module: Module
    cohort: object
    enrolment: object
    certificate: object
    action: object
    language_certificate: object
    candidate_skill: object
    experience: object
    education: object
    battery: Battery
    attempt: Attempt
    item_key: str
    employer: object
    vacancy: object
    draft_vacancy: object
    unverified_employer: object
    application: object
    invitation: Invitation
    shortlist_ref: str
    uidb64: str
    intake: object
    intake_application: object
    external_certification: object


def build_world():
    candidate = factories.CandidateFactory(email="matrix-candidate@example.org")
    other_candidate = factories.CandidateFactory(email="matrix-other@example.org")
    counsellor = factories.CounsellorFactory(email="matrix-counsellor@example.org")
    other_counsellor = factories.CounsellorFactory(email="matrix-counsellor2@example.org")
    factories.GuidanceFactory(counsellor=counsellor, candidate=candidate)
    factories.GuidanceFactory(counsellor=other_counsellor, candidate=other_candidate)
    # The outsiders are near misses: the other counsellor used to guide the candidate, the
    # other organisation has the candidate's application to one of its own vacancies, the
    # other candidate is in the same cohort.
    factories.GuidanceFactory(
        counsellor=other_counsellor,
        candidate=candidate,
        started_at=timezone.now() - datetime.timedelta(days=90),
        ended_at=timezone.now() - datetime.timedelta(days=30),
    )
    # Both manage their organisation's members: the invitation page is theirs too.
    employer_member = factories.EmployerMemberFactory(
        email="matrix-employer@example.org", membership__is_admin=True
    )
    other_member = factories.EmployerMemberFactory(
        email="matrix-employer2@example.org", membership__is_admin=True
    )
    staff = factories.StaffFactory(email="matrix-staff@example.org")
    users = {
        "candidate": candidate,
        "other_candidate": other_candidate,
        "counsellor": counsellor,
        "other_counsellor": other_counsellor,
        "employer": employer_member,
        "other_employer": other_member,
        "staff": staff,
    }
    tokens = {role: Token.objects.create(user=user).key for role, user in users.items()}

    role = Role.objects.get(slug="peace-guard")
    profile = candidate.candidate_profile
    for person in (candidate, other_candidate):
        person.candidate_profile.target_roles.add(role)
    skill = Skill.objects.order_by("pk").first()
    candidate_skill = CandidateSkill.objects.create(profile=profile, skill=skill, level=2)
    french = Language.objects.get(code="fr")
    language_certificate = LanguageCertificate.objects.create(
        profile=profile, language=Language.objects.get(code="nl"), level="art9_1"
    )
    experience = Experience.objects.create(
        profile=profile,
        kind=Experience.Kind.values[0],
        title="Steward au stade",
        started_on=datetime.date(2020, 1, 1),
    )
    education = Education.objects.create(profile=profile, level="cess", recognition="belgian")

    module = Module.objects.order_by("pk").first()
    cohort = factories.CohortFactory(module=module, language=french)
    enrolment = factories.EnrolmentFactory(cohort=cohort, candidate=candidate)
    factories.EnrolmentFactory(cohort=cohort, candidate=other_candidate)
    certificate = factories.CertificateFactory(
        enrolment__candidate=candidate, enrolment__cohort__module=module
    )
    action = factories.ActionItemFactory(candidate=candidate, author=counsellor)

    battery = next(
        battery
        for battery in Battery.objects.filter(is_active=True, kind=Battery.Kind.FIXED).order_by(
            "pk"
        )
        if "fr" in battery.languages
    )
    attempt = attempt_start(
        user=candidate, battery=battery, mode=Attempt.Mode.PRACTICE, language="fr"
    )
    first = attempt_current_item(attempt=attempt)
    option = first.item.options.first()
    if option is not None:
        response_save(attempt=attempt, item=first, choice=option.pk)
    else:
        response_save(attempt=attempt, item=first, value="1")

    employer = employer_member.membership.employer
    vacancy = factories.VacancyFactory(employer=employer)
    draft_vacancy = factories.VacancyFactory(
        employer=employer, status=Vacancy.Status.DRAFT, published_at=None
    )
    unverified_employer = factories.EmployerFactory(is_verified=False, verified_at=None)
    factories.VacancyFactory(employer=unverified_employer)
    application = factories.ApplicationFactory(vacancy=vacancy, profile=profile)
    factories.ApplicationFactory(
        vacancy=factories.VacancyFactory(employer=other_member.membership.employer),
        profile=profile,
    )
    invitation = Invitation.objects.create(
        employer=employer,
        email="matrix-invited@example.org",
        token="matrix-invitation-token",
        invited_by=employer_member,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    # Both job-seekers applied to an open intake (applying again gives their own back).
    intake = factories.IntakeFactory()
    intake_application = factories.IntakeApplicationFactory(intake=intake, candidate=candidate)
    factories.IntakeApplicationFactory(intake=intake, candidate=other_candidate)
    external_certification = ExternalCertification.objects.create(
        profile=profile,
        certification="isc2-cc",
        obtained_on=datetime.date(2026, 1, 12),
        credential_id="CC-MATRIX-1",
    )
    return World(
        external_certification=external_certification,
        intake=intake,
        intake_application=intake_application,
        users=users,
        tokens=tokens,
        profile=profile,
        role=role,
        skill=skill,
        module=module,
        cohort=cohort,
        enrolment=enrolment,
        certificate=certificate,
        action=action,
        language_certificate=language_certificate,
        candidate_skill=candidate_skill,
        experience=experience,
        education=education,
        battery=battery,
        attempt=attempt,
        item_key=Item.objects.order_by("pk").values_list("key", flat=True).first(),
        employer=employer,
        vacancy=vacancy,
        draft_vacancy=draft_vacancy,
        unverified_employer=unverified_employer,
        application=application,
        invitation=invitation,
        shortlist_ref=candidate_ref(vacancy, profile),
        uidb64=urlsafe_base64_encode(force_bytes(candidate.pk)),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The objects every case points at; built once, in a transaction undone at the end."""
    with django_db_blocker.unblock():
        ensure_reference_data()
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# Requests -------------------------------------------------------------------------------------


def is_api(key):
    return key.startswith("api:")


@pytest.fixture(scope="module")
def handler():
    """One request handler for every case: building one loads the middleware, and
    WhiteNoise's scans the static files each time (a fifth of a second)."""
    return ClientHandler(enforce_csrf_checks=False)


def client_for(handler, world, name, role):
    client = Client()
    client.handler = handler
    if role == ANONYMOUS:
        return client
    if is_api(name):
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {world.tokens[role]}"
    else:
        # Signed in as someone who has passed the second step, where theirs has one.
        client.force_login(world.users[role])
        session = client.session
        session[MFA_SESSION_KEY] = world.users[role].pk
        session.save()
    return client


def send(client, name, method, url, data):
    if method == "get":
        return client.get(url)
    if is_api(name):
        return getattr(client, method)(url, json.dumps(data), content_type="application/json")
    if method == "post":
        return client.post(url, data)
    return getattr(client, method)(url, data, content_type="application/x-www-form-urlencoded")


def describe(status):
    return status if isinstance(status, str) else str(status)


def outcome(response):
    """The response's status as the matrix spells it."""
    if response.status_code != 302:
        return response.status_code
    location = response["Location"]
    if location.startswith(reverse("admin:login")):
        return ADMIN_LOGIN
    if location.startswith(reverse("login")):
        return LOGIN
    return REDIRECT


# The tests ------------------------------------------------------------------------------------


def missing_entries(patterns):
    return sorted(
        name or f"unnamed:{route}"
        for name, namespace, route in patterns
        if name not in MATRIX and not skip_reason(name, namespace, route)
    )


def test_every_url_name_has_an_entry_in_the_matrix():
    missing = missing_entries(url_patterns())
    assert not missing, (
        f"Add these URL names to MATRIX in tests/access_matrix.py, with the status each role "
        f"gets: {missing}"
    )


def test_a_new_url_without_an_entry_is_reported_but_not_the_admins_own():
    class WithANewPage:
        urlpatterns = [
            path("new-page/", home, name="new_page"),
            path("unnamed/", home),
            path("", include("college.urls")),
        ]

    missing = missing_entries(url_patterns(get_resolver(WithANewPage)))
    assert "new_page" in missing
    assert "unnamed:unnamed/" in missing
    assert not [name for name in missing if name.startswith("admin:")]


def test_every_entry_of_the_matrix_names_a_url():
    names = {name for name, _namespace, _route in url_patterns()}
    stale = sorted(key for key in MATRIX if key.partition("#")[0] not in names)
    assert not stale, f"MATRIX names URLs that no longer exist; remove them: {stale}"


@pytest.mark.parametrize(("name", "method", "role"), matrix_cases())
def test_access(handler, world, name, method, role):
    if method is None:
        pytest.fail(
            f"The URL {name!r} has no entry in MATRIX (tests/access_matrix.py): add one saying "
            f"what each role gets on it (or, for a URL of Django's own, a reasoned SKIPPED entry)."
        )
    entry = MATRIX[name]
    url = reverse(name.partition("#")[0], kwargs=entry.kwargs(world)) + entry.query
    expected = getattr(entry, method)[role]
    response = send(client_for(handler, world, name, role), name, method, url, entry.data or {})
    got = outcome(response)
    assert response.status_code < 500, f"{method.upper()} {url} as {role}: a server error"
    assert got == expected, (
        f"{method.upper()} {url} as {role}: expected {describe(expected)}, got {describe(got)}"
    )
