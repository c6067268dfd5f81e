"""Accessibility checks: axe-core in the page, the register of pages to check, their world.

axe-core (MPL-2.0, see vendor/README.md) is evaluated through the DevTools protocol, so the
pages' Content-Security-Policy (no inline or foreign scripts) stays as it is in production.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.timezone import now

from college.core.mfa import SESSION_KEY as MFA_SESSION_KEY

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = ("fr", "nl")
# Checked for width only (no axe): English is the third interface language, rarer on a phone.
WIDTH_ONLY_LANGUAGES = ("en",)
PHONE_WIDTH = 360
WIDTHS = (1280, 360)
# Wider than the screen means sideways scrolling: the whole document must fit the phone.
# Measured after two animation frames: right after a resize from 1280 px, a wide table can still
# be laid out for the old width, and the walk once read 418 px for a page that fits.
_DOCUMENT_WIDTH = """() => new Promise(resolve => requestAnimationFrame(() =>
    requestAnimationFrame(() => resolve(document.documentElement.scrollWidth))))"""
# Rules whose "needs review" results are failures too: axe cannot tell, we can (an aria-label
# on an element without a role is ignored by screen readers, whatever its text is).
STRICT_REVIEW_RULES = ["aria-prohibited-attr"]
ROLES = ("anonymous", "candidate", "counsellor", "employer", "staff")
# Past the password, before the authenticator code: only the second step's page.
SECOND_STEP = "staff before the second step"


# --- axe -----------------------------------------------------------------------------------------

_RUN_AXE = """
async ([tags, strictRules]) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations", "incomplete"],
    preload: false,
  });
  const strict = results.incomplete.filter((result) => strictRules.includes(result.id));
  return results.violations.concat(strict).map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.slice(0, 5).map((node) => ({
      target: node.target.join(" "),
      summary: node.failureSummary,
      html: node.html.slice(0, 200),
    })),
  }));
}
"""


def with_axe(context):
    """Every page the context opens gets axe-core, outside the page's CSP."""
    context.add_init_script(script=AXE_SOURCE)
    return context


def axe_violations(page):
    """The WCAG 2.1 A/AA violations axe-core finds in the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate(_RUN_AXE, [WCAG_TAGS, STRICT_REVIEW_RULES])


def document_width(page, *, tries=4):
    """The page content's width in CSS pixels; wider than the viewport, it scrolls sideways.

    Read again a few times while it is wider: on a loaded machine a renderer can answer before
    it has applied the viewport's resize. A page that really overflows stays wide on every read
    (the staff item page's 418 px was one: hidden text in a scrolling table, not the resize)."""
    width = page.evaluate(_DOCUMENT_WIDTH)
    viewport = page.viewport_size["width"]
    for _retry in range(tries - 1):
        if width <= viewport:
            break
        page.wait_for_timeout(250)
        width = page.evaluate(_DOCUMENT_WIDTH)
    return width


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"      {node['target']}  {node['html']}")
            summary = (node["summary"] or "").replace("\n", " ")
            lines.append(f"        {summary[:300]}")
    return "\n".join(lines)


# --- the pages -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """A page people read, the roles that may open it, and how to build its URL in the world."""

    roles: tuple
    kwargs: Any = None  # a function of the World giving the URL's kwargs
    query: Any = None  # a function of the World giving a query string

    def url(self, name, world):
        path = reverse(name, kwargs=self.kwargs(world) if self.kwargs else None)
        return path + ("?" + self.query(world) if self.query else "")


ANONYMOUS = ("anonymous",)
CANDIDATE = ("candidate",)
COUNSELLOR = ("counsellor",)
EMPLOYER = ("employer",)
STAFF = ("staff",)

PAGES = {
    "home": Page(ROLES),
    "login": Page(ANONYMOUS),
    "signup": Page(ANONYMOUS),
    "password_reset": Page(ANONYMOUS),
    "password_reset_done": Page(ANONYMOUS),
    "password_reset_confirm": Page(
        ANONYMOUS, lambda w: {"uidb64": w.reset_uid, "token": w.reset_token}
    ),
    "password_reset_complete": Page(ANONYMOUS),
    "role_list": Page(ROLES),
    "privacy_notice": Page(ROLES),
    "account": Page(("candidate", "counsellor", "employer", "staff")),
    "password_change": Page(("candidate", "counsellor", "employer", "staff")),
    "role_detail": Page(ROLES, lambda w: {"slug": w.role.slug}),
    "mfa_status": Page(("counsellor", "employer", "staff")),
    "mfa_setup": Page(COUNSELLOR),
    "mfa_verify": Page((SECOND_STEP,)),
    "audit_log": Page(STAFF),
    "staff_dashboard": Page(STAFF),
    "fairness_report": Page(STAFF),
    "staff_observatory": Page(STAFF),
    "public_observatory": Page(ROLES),
    "intake:list": Page(ROLES),
    "intake:detail": Page(ROLES, lambda w: {"pk": w.intake.pk}),
    "intake:apply": Page(CANDIDATE, lambda w: {"pk": w.intake.pk}),
    "intake:my_applications": Page(CANDIDATE),
    "intake:my_application": Page(CANDIDATE, lambda w: {"pk": w.intake_application.pk}),
    "intake:staff_list": Page(STAFF),
    "intake:ranking": Page(STAFF, lambda w: {"pk": w.applied_intake.pk}),
    "intake:rate": Page(STAFF, lambda w: {"pk": w.applied_intake.pk}),
    "intake:fairness": Page(STAFF, lambda w: {"pk": w.applied_intake.pk}),
    "assessments_staff:batteries": Page(STAFF),
    "assessments_staff:item": Page(STAFF, lambda w: {"key": w.item_key}),
    "assessments_staff:battery": Page(STAFF, lambda w: {"slug": w.practice_battery.slug}),
    "module_list": Page(ROLES),
    "module_detail": Page(ROLES, lambda w: {"slug": w.module.slug}),
    "cohort_detail": Page(ROLES, lambda w: {"code": w.cohort.code}),
    "my_training": Page(CANDIDATE),
    "staff_cohort_list": Page(STAFF),
    "staff_awareness": Page(STAFF),
    "staff_cohort": Page(STAFF, lambda w: {"code": w.cohort.code}),
    "certificate_verify": Page(ROLES, query=lambda w: f"code={w.certificate.code}"),
    "candidates:passport_verify": Page(ROLES, query=lambda w: f"code={w.profile.passport_code}"),
    "my_path": Page(CANDIDATE),
    "counsellor_path": Page(COUNSELLOR, lambda w: {"profile_id": w.profile.pk}),
    "caseload": Page(COUNSELLOR),
    "my_action_plan": Page(CANDIDATE),
    "candidates:dashboard": Page(CANDIDATE),
    "candidates:profile": Page(CANDIDATE),
    "candidates:profile_about": Page(CANDIDATE),
    "candidates:profile_languages": Page(CANDIDATE),
    "candidates:profile_skills": Page(CANDIDATE),
    "candidates:profile_skill_edit": Page(CANDIDATE, lambda w: {"skill_id": w.skill.pk}),
    "candidates:digital_self_assessment": Page(CANDIDATE),
    "candidates:digital_area": Page(CANDIDATE, lambda w: {"area": "safety"}),
    "candidates:digital_profile": Page(CANDIDATE),
    "candidates:certifications": Page(CANDIDATE),
    "candidates:profile_experience": Page(CANDIDATE),
    "candidates:profile_experience_add": Page(CANDIDATE),
    "candidates:profile_experience_edit": Page(CANDIDATE, lambda w: {"pk": w.experience.pk}),
    "candidates:profile_education": Page(CANDIDATE),
    "candidates:profile_education_add": Page(CANDIDATE),
    "candidates:profile_education_edit": Page(CANDIDATE, lambda w: {"pk": w.education.pk}),
    "candidates:profile_conditions": Page(CANDIDATE),
    "candidates:profile_roles": Page(CANDIDATE),
    "candidates:profile_sharing": Page(CANDIDATE),
    "candidates:matches": Page(CANDIDATE),
    "candidates:role_gap": Page(CANDIDATE, lambda w: {"slug": w.role.slug}),
    "candidates:my_data": Page(CANDIDATE),
    "candidates:erase_account": Page(CANDIDATE),
    "candidates:counsellor_profile": Page(COUNSELLOR, lambda w: {"profile_id": w.profile.pk}),
    "employers:dashboard": Page(EMPLOYER),
    "employers:vacancy_list": Page(EMPLOYER),
    "employers:vacancy_new": Page(EMPLOYER),
    "employers:vacancy_create": Page(EMPLOYER, lambda w: {"role_slug": w.role.slug}),
    "employers:vacancy_edit": Page(EMPLOYER, lambda w: {"pk": w.vacancy.pk}),
    "employers:vacancy_import": Page(EMPLOYER),
    "employers:member_invite": Page(EMPLOYER),
    "employers:staff_awareness": Page(EMPLOYER),
    "employers:invitation_accept": Page(ROLES, lambda w: {"token": w.invitation.token}),
    "employers:pipeline": Page(EMPLOYER, lambda w: {"pk": w.vacancy.pk}),
    "employers:application_detail": Page(EMPLOYER, lambda w: {"pk": w.application.pk}),
    "employers:shortlist": Page(EMPLOYER, lambda w: {"pk": w.vacancy.pk}),
    "employers:vacancy_pool": Page(EMPLOYER, lambda w: {"pk": w.vacancy.pk}),
    "employers:board": Page(ROLES),
    "employers:vacancy_detail": Page(ROLES, lambda w: {"pk": w.vacancy.pk}),
    "employers:apply": Page(CANDIDATE, lambda w: {"pk": w.other_vacancy.pk}),
    "employers:my_applications": Page(CANDIDATE),
    "assessments:battery_list": Page(CANDIDATE),
    "assessments:battery_detail": Page(CANDIDATE, lambda w: {"slug": w.practice_battery.slug}),
    "assessments:attempt": Page(CANDIDATE, lambda w: {"pk": w.open_attempt.pk}),
    "assessments:attempt_feedback": Page(
        CANDIDATE, lambda w: {"pk": w.open_attempt.pk, "position": 1}
    ),
    "assessments:attempt_review": Page(CANDIDATE, lambda w: {"pk": w.open_attempt.pk}),
    "assessments:attempt_result": Page(CANDIDATE, lambda w: {"pk": w.finished_attempt.pk}),
    "assessments:extra_time": Page(COUNSELLOR, lambda w: {"profile_id": w.profile.pk}),
}

# URL names that are not pages to check, and why. A new URL must land in one of the two.
NOT_PAGES = {
    "start": "redirects to the signed-in person's own space (checked there)",
    "healthz": "JSON for the load balancer",
    "logout": "POST only",
    "sign_out_everywhere": "POST only (its button is on the account page)",
    "assessments_staff:clear": "POST only (its form is on the battery's statistics page)",
    "employers:application_note": "POST only (its form is on the application and applicants pages)",
    "employers:vacancy_skill_add": "POST only (its forms are the editor's skill search results)",
    "set_language": "POST only",
    "mfa_recovery_codes": "POST only",
    "mfa_remove": "POST only",
    "assessments_staff:report": "PDF",
    "cohort_enrol": "POST only",
    "my_training_ics": "iCalendar file",
    "my_enrolment_cancel": "POST only",
    "staff_cohort_results": "POST only",
    "staff_cohort_capacity": "POST only",
    "staff_cohort_enrol": "POST only",
    "certificate_pdf": "PDF",
    "my_path_regenerate": "POST only",
    "caseload_csv": "CSV",
    "staff_observatory_csv": "CSV",
    "caseload_report": "PDF",
    "caseload_note_add": "POST only",
    "caseload_action_add": "POST only",
    "caseload_action_done": "POST only",
    "my_action_done": "POST only",
    "candidates:profile_certificate_delete": "POST only",
    "candidates:profile_skill_delete": "POST only",
    "candidates:profile_experience_delete": "POST only",
    "candidates:profile_education_delete": "POST only",
    "candidates:match_alerts": "POST only",
    "candidates:passport": "PDF",
    "candidates:counsellor_skill_validate": "POST only",
    "candidates:counsellor_certification_check": "POST only",
    "candidates:certification_delete": "POST only",
    "candidates:counsellor_passport": "PDF",
    "employers:vacancy_status": "POST only",
    "employers:vacancy_import_template": "CSV",
    "employers:application_stage": "POST only",
    "employers:shortlist_invite": "POST only",
    "intake:decide": "POST only (its form is on the ranking page)",
    "intake:withdraw": "POST only (its button is on the application's page)",
    "employers:feed": "Atom feed",
    "employers:feed_employer": "Atom feed",
    "employers:feed_role": "Atom feed",
    "employers:application_withdraw": "POST only",
    "assessments:attempt_finish": "POST only",
    "schema": "OpenAPI document (YAML)",
    "api_docs": "Swagger UI, a third-party page for developers",
}
# Whole namespaces left out: the REST API (JSON) and Django's own admin.
NOT_PAGE_NAMESPACES = {"api": "JSON API", "admin": "Django's admin (Django's own markup)"}


def url_names(patterns=None, namespace=""):
    """Every named URL of the project, with its namespace ("employers:board")."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def pages_for(role):
    """The pages `role` may open, in the register's order."""
    return [(name, page) for name, page in PAGES.items() if role in page.roles]


# --- the world -----------------------------------------------------------------------------------


@dataclass
class World:
    users: dict
    role: Any
    profile: Any
    skill: Any
    experience: Any
    education: Any
    module: Any
    cohort: Any
    certificate: Any
    vacancy: Any
    other_vacancy: Any
    application: Any
    invitation: Any
    practice_battery: Any
    item_key: str
    open_attempt: Any
    finished_attempt: Any
    intake: Any
    applied_intake: Any
    intake_application: Any
    reset_uid: str
    reset_token: str


def build_world():
    """One of each thing a page shows, with people of every role around them."""
    from assessments.models import Attempt
    from assessments.services import (
        attempt_current_item,
        attempt_finish,
        attempt_start,
        response_save,
    )
    from candidates.models import Education, Experience
    from candidates.passports import passport_issue
    from candidates.selectors import candidate_profile_detail
    from candidates.services import candidate_shortlist_consent_set
    from college.models import Language, MfaDevice, Module, Role
    from employers.awareness import awareness_booking_create
    from employers.services import invitation_create
    from tests import factories
    from tests.assessments.test_attempts import tiny_battery

    # Long, real-looking names and addresses: a phone layout must wrap them, not widen the page.
    candidate = factories.CandidateFactory(
        email="amina.el-khattabi-vandenbroucke@example.org",
        full_name="Amina El Khattabi-Vandenbroucke",
    )
    counsellor = factories.CounsellorFactory(email="marc@example.org", full_name="Marc Test")
    employer_member = factories.EmployerMemberFactory(
        email="employer@example.org", full_name="Els Test"
    )
    staff = factories.StaffFactory(email="staff@example.org", full_name="Sara Test")
    signing_in = factories.StaffFactory(email="staff2@example.org", full_name="Tom Test")
    for user in (employer_member, staff, signing_in):
        MfaDevice.objects.create(user=user, secret=pyotp.random_base32(), confirmed_at=now())
    factories.GuidanceFactory(counsellor=counsellor, candidate=candidate)
    profile = candidate.candidate_profile
    role = Role.objects.get(slug="peace-guard")

    skill = role.requirements.select_related("skill").first().skill
    factories.CandidateSkillFactory(profile=profile, skill=skill, level=2)
    factories.CandidateLanguageFactory(profile=profile, language=Language.objects.get(code="fr"))
    experience = Experience.objects.create(
        profile=profile,
        kind=Experience.Kind.JOB,
        title="Steward",
        organisation="Stade Roi Baudouin",
        started_on=datetime.date(2023, 3, 1),
        ended_on=datetime.date(2024, 6, 30),
    )
    education = Education.objects.create(
        profile=profile, level=Education.Level.UPPER_SECONDARY, title="CESS", institution="Athénée"
    )
    candidate_shortlist_consent_set(profile=profile, given=True)

    module = factories.ModuleFactory()
    cohort = factories.CohortFactory(module=module)
    factories.CohortSessionFactory(cohort=cohort)
    factories.EnrolmentFactory(cohort=cohort, candidate=candidate)
    certificate = factories.CertificateFactory(
        code="7KQ2M9XD4TRB", enrolment__candidate=candidate, enrolment__cohort__module=module
    )
    path = factories.TrainingPathFactory(candidate=candidate, role=role)
    factories.PathStepFactory(path=path, module=module)
    factories.CounsellorNoteFactory(candidate=candidate, author=counsellor)
    factories.ActionItemFactory(candidate=candidate, author=counsellor)

    employer_member.membership.is_admin = True
    employer_member.membership.save(update_fields=["is_admin"])
    employer = employer_member.membership.employer
    vacancy = factories.VacancyFactory(employer=employer, role=role)
    other_vacancy = factories.VacancyFactory(role=role)
    application = factories.ApplicationFactory(vacancy=vacancy, profile=profile)
    invitation = invitation_create(
        employer=employer, email="new.colleague@example.org", invited_by=employer_member
    )
    # Staff awareness: the service's table and the trainer's form each have a row to show.
    for seats, completed in ((12, 10), (4, None)):
        booking = awareness_booking_create(
            employer=employer,
            module=Module.objects.filter(offered_to_employers=True).order_by("pk").first(),
            seats=seats,
            language="fr",
            by=employer_member,
        )
        if completed is not None:
            booking.completed = completed
            booking.save(update_fields=["completed"])

    practice = tiny_battery("a11y-practice", sections=(("verbal", 3, 10),), pass_percent=60)
    open_attempt = attempt_start(
        user=candidate, battery=practice, mode=Attempt.Mode.PRACTICE, language="fr"
    )
    first = attempt_current_item(attempt=open_attempt)
    response_save(attempt=open_attempt, item=first.item, choice=first.option_order[0])
    exam = tiny_battery("a11y-exam", sections=(("verbal", 3, 10),), pass_percent=60)
    finished_attempt = attempt_start(
        user=candidate, battery=exam, mode=Attempt.Mode.EXAM, language="fr"
    )
    for _position in range(3):
        current = attempt_current_item(attempt=finished_attempt)
        response_save(attempt=finished_attempt, item=current.item, choice=current.option_order[0])
    attempt_finish(attempt=finished_attempt)
    # The digital track: a completed DigComp self-assessment (every answer, levels 0–6 in
    # turn) and an external certification waiting for the counsellor's check.
    from candidates.digital.services import (
        digital_self_assessment_save,
        external_certification_add,
    )
    from college.reference.digital import digcomp_codes

    digital_self_assessment_save(
        profile=profile,
        answers={code: index % 7 for index, code in enumerate(digcomp_codes())},
    )
    external_certification_add(
        profile=profile,
        certification="cisco-ccst-cybersecurity",
        obtained_on=datetime.date(2026, 2, 16),
        credential_id="CSCO-CCST-2026-0042-BXL",
        verification_url="https://www.credly.com/badges/00000000-0000-0000-0000-000000000042",
    )
    # A passport printed now: its check code verifies on the public page.
    passport_issue(profile=candidate_profile_detail(profile=profile))
    profile.refresh_from_db()
    # Two intakes of one programme: one open to apply to, one the candidate applied to.
    intake = factories.IntakeFactory(places=12)
    applied_intake = factories.IntakeFactory(programme=intake.programme, places=12)
    intake_application = factories.IntakeApplicationFactory(
        intake=applied_intake, candidate=candidate
    )

    return World(
        users={
            "candidate": candidate,
            "counsellor": counsellor,
            "employer": employer_member,
            "staff": staff,
            SECOND_STEP: signing_in,
        },
        role=role,
        profile=profile,
        skill=skill,
        experience=experience,
        education=education,
        module=module,
        cohort=cohort,
        certificate=certificate,
        vacancy=vacancy,
        other_vacancy=other_vacancy,
        application=application,
        invitation=invitation,
        practice_battery=practice,
        item_key=first.item.key,
        open_attempt=open_attempt,
        finished_attempt=finished_attempt,
        intake=intake,
        applied_intake=applied_intake,
        intake_application=intake_application,
        reset_uid=urlsafe_base64_encode(force_bytes(candidate.pk)),
        reset_token=default_token_generator.make_token(candidate),
    )


def session_cookie(user, base_url, *, second_step_done=True):
    """A signed-in session for `user`, without the login form (and the authenticator code)."""
    client = Client()
    client.force_login(user)
    if second_step_done:
        session = client.session
        session[MFA_SESSION_KEY] = user.pk
        session.save()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}


def language_cookie(language, base_url):
    return {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}


# --- the keyboard --------------------------------------------------------------------------------

_FOCUS_RING = """
() => {
  const style = getComputedStyle(document.activeElement);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return outline || style.boxShadow !== "none";
}
"""


def focused(page, selector):
    return page.evaluate("(selector) => document.activeElement.matches(selector)", selector)


def focus_is_visible(page):
    """The focused element shows a ring (outline or box shadow) a sighted keyboard user sees."""
    return page.evaluate(_FOCUS_RING)


def tab_to(page, selector, *, backwards=False, limit=80):
    """Presses Tab (or Shift+Tab) until `selector` has the focus, and checks the ring shows."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if focused(page, selector):
            html = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
            assert focus_is_visible(page), f"no visible focus on {html}"
            return
    raise AssertionError(f"{key} never reached {selector}")


def press_and_wait(page, key="Enter"):
    with page.expect_navigation():
        page.keyboard.press(key)


def log_in_with_keyboard(page, base, email, next_path):
    from tests.browser.conftest import PASSWORD

    page.goto(f"{base}/accounts/login/?next={next_path}")
    tab_to(page, "#id_username")
    page.keyboard.type(email)
    tab_to(page, "#id_password", limit=3)
    page.keyboard.type(PASSWORD)
    press_and_wait(page)
    page.wait_for_url(base + next_path)
