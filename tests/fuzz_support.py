"""What the schemathesis run needs: the API schema, the WSGI app, a world with one user per role.

The schema is generated in-process by drf-spectacular (the same document `/api/schema/`
serves) and the calls go through `college.wsgi.application`, so nothing leaves the process.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token

from assessments.models import Battery
from assessments.services import attempt_start
from college.models import Language, Module, Role, Skill
from tests import factories

ROLES = ("anonymous", "candidate", "counsellor", "employer", "staff")
# A token that was never issued (or was revoked): must be refused, never taken as anonymous.
WRONG_TOKEN = "wrong token"
PASSWORD = "a-long-enough-password"  # the factories' password


def api_schema_document():
    """The OpenAPI document of the API, as `/api/schema/` serves it."""
    return SchemaGenerator().get_schema(request=None, public=True)


@contextmanager
def shared_test_connection():
    """Lets WSGI requests run inside the test's transaction.

    Django's handler closes "old" connections when a request starts and finishes; inside a
    test's atomic block that would close the connection and lose the rollback. The test client
    disconnects the same receiver for the same reason.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@dataclass
class FuzzWorld:
    """One user per role, their API tokens, and objects whose ids the fuzzer may aim at."""

    tokens: dict = field(default_factory=dict)
    # path prefix under /api/v1/ → {path parameter name: a real value}
    known: dict = field(default_factory=dict)
    # (method, path) → body fields that reach past validation (real credentials, a real role…),
    # set over the generated body; the other generated fields are kept.
    known_fields: dict = field(default_factory=dict)

    def headers_for(self, role):
        if role == "anonymous":
            return {}
        if role == WRONG_TOKEN:
            return {"Authorization": "Token " + "0" * 40}
        return {"Authorization": f"Token {self.tokens[role]}"}

    def aim_at_known_objects(self, case):
        """Points the case's path parameters (or body) at objects that exist."""
        for prefix, values in self.known.items():
            if case.path.startswith(prefix):
                for name, value in values.items():
                    if name in (case.path_parameters or {}):
                        case.path_parameters[name] = value
                break
        fields = self.known_fields.get((case.method, case.path), {})
        if fields and isinstance(case.body, dict):
            case.body.update(fields)


def build_world():
    """Creates the cast of the fuzz run with the factories and the real reference data."""
    candidate = factories.CandidateFactory(email="fuzz-candidate@example.org")
    factories.CandidateSkillFactory(
        profile=candidate.candidate_profile, skill=Skill.objects.order_by("pk").first()
    )
    factories.CandidateLanguageFactory(
        profile=candidate.candidate_profile, language=Language.objects.get(code="nl")
    )
    counsellor = factories.CounsellorFactory(email="fuzz-counsellor@example.org")
    factories.GuidanceFactory(counsellor=counsellor, candidate=candidate)
    employer_member = factories.EmployerMemberFactory(email="fuzz-employer@example.org")
    employer = employer_member.membership.employer
    staff = factories.StaffFactory(email="fuzz-staff@example.org")

    vacancy = factories.VacancyFactory(employer=employer)
    factories.VacancySkillFactory(vacancy=vacancy, skill=Skill.objects.order_by("pk").first())
    factories.VacancyLanguageFactory(vacancy=vacancy)
    factories.ApplicationFactory(vacancy=vacancy, profile=candidate.candidate_profile)
    cohort = factories.CohortFactory(module=Module.objects.order_by("pk").first())
    enrolment = factories.EnrolmentFactory(cohort=cohort, candidate=candidate)
    battery = (
        Battery.objects.filter(is_active=True, kind=Battery.Kind.FIXED).order_by("slug").first()
    )
    attempt = attempt_start(
        user=candidate, battery=battery, mode="practice", language=battery.languages[0]
    )

    users = {
        "candidate": candidate,
        "counsellor": counsellor,
        "employer": employer_member,
        "staff": staff,
    }
    world = FuzzWorld()
    for role, user in users.items():
        world.tokens[role] = Token.objects.create(user=user).key
    world.known = {
        "/api/v1/attempts/": {"id": str(attempt.pk)},
        "/api/v1/vacancies/": {"id": vacancy.pk},
        "/api/v1/enrolments/": {"id": enrolment.pk},
        "/api/v1/cohorts/": {"code": cohort.code},
        "/api/v1/employers/": {"slug": employer.slug},
        "/api/v1/modules/": {"id": cohort.module_id},
        "/api/v1/roles/": {"id": Role.objects.order_by("pk").first().pk},
        "/api/v1/skills/": {"id": Skill.objects.order_by("pk").first().pk},
    }
    future = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    world.known_fields = {
        ("POST", "/api/v1/auth/token/"): {"email": candidate.email, "password": PASSWORD},
        ("POST", "/api/v1/attempts/"): {
            "battery": battery.slug,
            "test": battery.slug,
            "language": battery.languages[0],
        },
        ("POST", "/api/v1/attempts/{id}/responses/"): {
            "item": attempt.attempt_items.order_by("position").first().item_id
        },
        ("POST", "/api/v1/vacancies/"): {
            "role": "peace-guard",
            "commune": "1030",
            "closes_on": future,
        },
        ("PATCH", "/api/v1/vacancies/{id}/"): {
            "role": "peace-guard",
            "commune": "1030",
            "closes_on": future,
        },
    }
    return world
