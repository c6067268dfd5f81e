"""The access-control matrix: who gets which status on every URL of the project.

One entry per URL name (with its namespace, e.g. ``employers:shortlist`` or ``api:vacancy``).
tests/test_access_matrix.py walks the URL configuration and requests every URL as every role
below; a URL name with no entry here fails that test, so a new page or endpoint cannot ship
without saying who may use it.

How to add an entry
-------------------
* ``kwargs``: a function of the test world (see ``world`` in tests/test_access_matrix.py)
  giving the URL's arguments, pointing at objects of ``candidate`` / ``counsellor`` /
  ``employer`` so that ``other_candidate`` / ``other_counsellor`` / ``other_employer`` are
  the outsiders of the same role.
* ``get``: the status for each role (a dict from ``statuses``, ``public``, ``only``…).
  ``LOGIN`` means a 302 to the login page, ``ADMIN_LOGIN`` to the admin's login page,
  ``REDIRECT`` any other 302.
* A second case of the same URL (a draft instead of a published vacancy, say) is an entry
  keyed ``"<url name>#<what differs>"``.
* ``post`` / ``put`` / ``patch``: the same for an empty (or the entry's ``data``) body, for
  the URLs that take that method. An outsider never gets a 2xx, and nobody gets a 5xx.

The project's rules, as the access helpers implement them:
* anonymous on a page that needs an account → 302 to the login page; on the API → 401;
* a signed-in user of another role → 403 (``role_required``, the API's role permissions);
* an object the user may not see (another candidate's attempt, another organisation's
  vacancy, a profile the counsellor does not guide) → 404, never 403;
* "me" addresses name no object: every candidate gets their own (200 for both candidates).
"""

from dataclasses import dataclass

ANONYMOUS = "anonymous"
CANDIDATE = "candidate"
OTHER_CANDIDATE = "other_candidate"
COUNSELLOR = "counsellor"
OTHER_COUNSELLOR = "other_counsellor"
EMPLOYER = "employer"
OTHER_EMPLOYER = "other_employer"
STAFF = "staff"

ROLES = (
    ANONYMOUS,
    CANDIDATE,
    OTHER_CANDIDATE,
    COUNSELLOR,
    OTHER_COUNSELLOR,
    EMPLOYER,
    OTHER_EMPLOYER,
    STAFF,
)
CANDIDATES = (CANDIDATE, OTHER_CANDIDATE)
COUNSELLORS = (COUNSELLOR, OTHER_COUNSELLOR)
EMPLOYERS = (EMPLOYER, OTHER_EMPLOYER)
SIGNED_IN = ROLES[1:]

LOGIN = "302 to the login page"
ADMIN_LOGIN = "302 to the admin's login page"
REDIRECT = "302 elsewhere"


def statuses(default, **by_role):
    """Every role gets `default`, except the roles named."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: by_role.get(role, default) for role in ROLES}


def public(status=200, **by_role):
    """Anyone, signed in or not."""
    return statuses(status, **by_role)


def only(roles, status=200, *, anonymous=LOGIN, others=403, **by_role):
    """A page for `roles`; anonymous visitors to the login page, other roles a 403."""
    result = statuses(others, **by_role)
    result[ANONYMOUS] = by_role.get(ANONYMOUS, anonymous)
    for role in roles:
        result[role] = by_role.get(role, status)
    return result


def api_only(roles, status=200, *, others=403, **by_role):
    """An API endpoint for `roles`: 401 without credentials, 403 for the other roles."""
    return only(roles, status, anonymous=401, others=others, **by_role)


def owner(role, outsider, status=200, *, others=403, anonymous=LOGIN, **by_role):
    """One object of `role`'s: its owner gets `status`, `outsider` (same role) a 404."""
    return only((role,), status, anonymous=anonymous, others=others, **{outsider: 404, **by_role})


def candidate_object(status=200, **by_role):
    return owner(CANDIDATE, OTHER_CANDIDATE, status, **by_role)


def guided_profile(status=200, **by_role):
    """A job-seeker's profile for their counsellor; another counsellor gets a 404."""
    return owner(COUNSELLOR, OTHER_COUNSELLOR, status, **by_role)


def organisation_object(status=200, **by_role):
    """An object of the employer's organisation; a member of another one gets a 404."""
    return owner(EMPLOYER, OTHER_EMPLOYER, status, **by_role)


def staff_only(status=200, **by_role):
    return only((STAFF,), status, **by_role)


def admin_page():
    """Django's admin: active staff only; everyone else is sent to the admin's login page."""
    return statuses(ADMIN_LOGIN, staff=200)


def no_kwargs(world):
    return {}


@dataclass(frozen=True)
class Entry:
    get: dict
    kwargs: object = no_kwargs
    post: dict | None = None
    put: dict | None = None
    patch: dict | None = None
    query: str = ""
    data: dict | None = None


# Shorthands for the statuses of POST-only pages and GET-only endpoints.
ALL_405 = public(405)


MATRIX = {
    # --- The site's public pages and accounts -------------------------------------------------
    "home": Entry(get=public()),
    "start": Entry(get=public(REDIRECT, anonymous=LOGIN)),
    "healthz": Entry(get=public()),
    "login": Entry(
        # A signed-in visitor is sent on to their start page; an empty form is shown again.
        get=public(REDIRECT, anonymous=200),
        post=public(REDIRECT, anonymous=200),
    ),
    "logout": Entry(get=ALL_405, post=public(REDIRECT)),
    "signup": Entry(get=public(REDIRECT, anonymous=200), post=public(REDIRECT, anonymous=200)),
    "password_reset": Entry(get=public(), post=public()),
    "password_reset_done": Entry(get=public()),
    "password_reset_confirm": Entry(
        # A link with a wrong token says so (200); it never resets anything.
        kwargs=lambda w: {"uidb64": w.uidb64, "token": "not-the-token"},
        get=public(),
        post=public(),
    ),
    "password_reset_complete": Entry(get=public()),
    "account": Entry(get=only(SIGNED_IN)),
    "password_change": Entry(get=only(SIGNED_IN), post=only(SIGNED_IN)),
    "sign_out_everywhere": Entry(get=only(SIGNED_IN, 405), post=only(SIGNED_IN, REDIRECT)),
    "privacy_notice": Entry(get=public()),
    "set_language": Entry(get=public(REDIRECT), post=public(REDIRECT)),
    "role_list": Entry(get=public()),
    "role_detail": Entry(kwargs=lambda w: {"slug": w.role.slug}, get=public()),
    # --- College staff -----------------------------------------------------------------------
    "staff_dashboard": Entry(get=staff_only()),
    "fairness_report": Entry(get=staff_only()),
    "staff_observatory": Entry(get=staff_only()),
    "staff_observatory#filtered": Entry(query="?sector=police", get=staff_only()),
    "staff_observatory_csv": Entry(get=staff_only()),
    # Anyone: the aggregate only (staff get the same page; their detail is the page above).
    "public_observatory": Entry(get=public()),
    "assessments_staff:batteries": Entry(get=staff_only()),
    "assessments_staff:item": Entry(kwargs=lambda w: {"key": w.item_key}, get=staff_only()),
    "assessments_staff:battery": Entry(kwargs=lambda w: {"slug": w.battery.slug}, get=staff_only()),
    "assessments_staff:report": Entry(kwargs=lambda w: {"slug": w.battery.slug}, get=staff_only()),
    "assessments_staff:clear": Entry(
        kwargs=lambda w: {"slug": w.battery.slug}, get=staff_only(405), post=staff_only(400)
    ),
    "staff_cohort_list": Entry(get=staff_only()),
    # An empty POST names no booking: a 400 with the error, nothing recorded.
    "staff_awareness": Entry(get=staff_only(), post=staff_only(400)),
    "staff_cohort": Entry(
        kwargs=lambda w: {"code": w.cohort.code}, get=staff_only(), post=staff_only(REDIRECT)
    ),
    "staff_cohort_results": Entry(
        kwargs=lambda w: {"code": w.cohort.code},
        get=staff_only(405),
        post=staff_only(REDIRECT),
    ),
    "staff_cohort_capacity": Entry(
        kwargs=lambda w: {"code": w.cohort.code},
        get=staff_only(405),
        post=staff_only(400),
    ),
    "staff_cohort_enrol": Entry(
        kwargs=lambda w: {"code": w.cohort.code},
        get=staff_only(405),
        post=staff_only(400),
    ),
    # --- The training catalogue, enrolment and certificates ----------------------------------
    "module_list": Entry(get=public()),
    "module_detail": Entry(kwargs=lambda w: {"slug": w.module.slug}, get=public()),
    "cohort_detail": Entry(kwargs=lambda w: {"code": w.cohort.code}, get=public()),
    "cohort_enrol": Entry(
        kwargs=lambda w: {"code": w.cohort.code},
        get=only(CANDIDATES, 405),
        post=only(CANDIDATES, REDIRECT),
    ),
    "my_training": Entry(get=only(CANDIDATES)),
    "my_training_ics": Entry(get=only(CANDIDATES)),
    "my_enrolment_cancel": Entry(
        kwargs=lambda w: {"pk": w.enrolment.pk},
        get=only(CANDIDATES, 405),
        post=candidate_object(REDIRECT),
    ),
    "certificate_pdf": Entry(
        # The holder, their counsellor and college staff download it; nobody else knows it.
        kwargs=lambda w: {"code": w.certificate.code},
        get=statuses(404, anonymous=LOGIN, candidate=200, counsellor=200, staff=200),
    ),
    "certificate_verify": Entry(get=public()),
    # Anyone holding a printed skills passport checks its code: no account needed.
    "candidates:passport_verify": Entry(get=public()),
    # --- Training paths ------------------------------------------------------------------------
    "my_path": Entry(get=only(CANDIDATES)),
    "my_path_regenerate": Entry(
        # Without a role of theirs in the form, there is no path to prepare again.
        get=only(CANDIDATES, 405),
        post=only(CANDIDATES, 404),
    ),
    "counsellor_path": Entry(
        # Staff may look at a path but not change it; no other role knows the profile.
        kwargs=lambda w: {"profile_id": w.profile.pk},
        get=guided_profile(others=404, staff=200),
        post=guided_profile(404, others=404, staff=403),
    ),
    # --- The counsellor's caseload -----------------------------------------------------------
    "caseload": Entry(get=only(COUNSELLORS)),
    "caseload_csv": Entry(get=only(COUNSELLORS)),
    "caseload_report": Entry(kwargs=lambda w: {"profile_id": w.profile.pk}, get=guided_profile()),
    "caseload_note_add": Entry(
        kwargs=lambda w: {"profile_id": w.profile.pk},
        get=only(COUNSELLORS, 405),
        post=guided_profile(400),
    ),
    "caseload_action_add": Entry(
        kwargs=lambda w: {"profile_id": w.profile.pk},
        get=only(COUNSELLORS, 405),
        post=guided_profile(400),
    ),
    "caseload_action_done": Entry(
        kwargs=lambda w: {"profile_id": w.profile.pk, "pk": w.action.pk},
        get=only(COUNSELLORS, 405),
        post=guided_profile(REDIRECT),
    ),
    "my_action_plan": Entry(get=only(CANDIDATES)),
    "my_action_done": Entry(
        kwargs=lambda w: {"pk": w.action.pk},
        get=only(CANDIDATES, 405),
        post=candidate_object(REDIRECT),
    ),
    # --- The job-seeker's own space ------------------------------------------------------------
    "candidates:dashboard": Entry(get=only(CANDIDATES)),
    "candidates:profile": Entry(get=only(CANDIDATES)),
    "candidates:profile_about": Entry(get=only(CANDIDATES), post=only(CANDIDATES, 200)),
    "candidates:profile_languages": Entry(get=only(CANDIDATES), post=only(CANDIDATES, 400)),
    "candidates:profile_certificate_delete": Entry(
        kwargs=lambda w: {"pk": w.language_certificate.pk},
        get=only(CANDIDATES, 405),
        post=candidate_object(REDIRECT),
    ),
    "candidates:profile_skills": Entry(get=only(CANDIDATES), post=only(CANDIDATES, 400)),
    "candidates:profile_skill_edit": Entry(
        kwargs=lambda w: {"skill_id": w.candidate_skill.skill_id},
        get=candidate_object(),
        post=candidate_object(200),
    ),
    "candidates:profile_skill_delete": Entry(
        kwargs=lambda w: {"skill_id": w.candidate_skill.skill_id},
        get=only(CANDIDATES, 405),
        post=candidate_object(REDIRECT),
    ),
    # The digital and cyber track: DigComp self-assessment, external certifications.
    "candidates:digital_self_assessment": Entry(get=only(CANDIDATES)),
    "candidates:digital_area": Entry(
        kwargs=lambda w: {"area": "safety"},
        get=only(CANDIDATES),
        post=only(CANDIDATES, 400),
    ),
    "candidates:digital_profile": Entry(get=only(CANDIDATES)),
    "candidates:certifications": Entry(get=only(CANDIDATES), post=only(CANDIDATES, 400)),
    "candidates:certification_delete": Entry(
        kwargs=lambda w: {"pk": w.external_certification.pk},
        get=only(CANDIDATES, 405),
        post=candidate_object(REDIRECT),
    ),
    "candidates:counsellor_certification_check": Entry(
        kwargs=lambda w: {"profile_id": w.profile.pk, "pk": w.external_certification.pk},
        get=only(COUNSELLORS, 405),
        # An empty check comes back on the profile page, its errors at their fields.
        post=guided_profile(400),
    ),
    "candidates:profile_experience": Entry(get=only(CANDIDATES)),
    "candidates:profile_experience_add": Entry(get=only(CANDIDATES), post=only(CANDIDATES, 200)),
    "candidates:profile_experience_edit": Entry(
        kwargs=lambda w: {"pk": w.experience.pk},
        get=candidate_object(),
        post=candidate_object(200),
    ),
    "candidates:profile_experience_delete": Entry(
        kwargs=lambda w: {"pk": w.experience.pk},
        get=only(CANDIDATES, 405),
        post=candidate_object(REDIRECT),
    ),
    "candidates:profile_education": Entry(get=only(CANDIDATES), post=only(CANDIDATES, REDIRECT)),
    "candidates:profile_education_add": Entry(get=only(CANDIDATES), post=only(CANDIDATES, 200)),
    "candidates:profile_education_edit": Entry(
        kwargs=lambda w: {"pk": w.education.pk},
        get=candidate_object(),
        post=candidate_object(200),
    ),
    "candidates:profile_education_delete": Entry(
        kwargs=lambda w: {"pk": w.education.pk},
        get=only(CANDIDATES, 405),
        post=candidate_object(REDIRECT),
    ),
    "candidates:profile_conditions": Entry(get=only(CANDIDATES), post=only(CANDIDATES, REDIRECT)),
    "candidates:profile_roles": Entry(get=only(CANDIDATES), post=only(CANDIDATES, REDIRECT)),
    "candidates:profile_sharing": Entry(get=only(CANDIDATES), post=only(CANDIDATES, 200)),
    "candidates:matches": Entry(get=only(CANDIDATES)),
    "candidates:match_alerts": Entry(get=only(CANDIDATES, 405), post=only(CANDIDATES, 400)),
    "candidates:role_gap": Entry(kwargs=lambda w: {"slug": w.role.slug}, get=only(CANDIDATES)),
    "candidates:my_data": Entry(get=only(CANDIDATES)),
    "candidates:erase_account": Entry(get=only(CANDIDATES), post=only(CANDIDATES, 200)),
    "candidates:passport": Entry(get=only(CANDIDATES)),
    "candidates:counsellor_profile": Entry(
        kwargs=lambda w: {"profile_id": w.profile.pk}, get=guided_profile()
    ),
    "candidates:counsellor_skill_validate": Entry(
        kwargs=lambda w: {"profile_id": w.profile.pk, "skill_id": w.candidate_skill.skill_id},
        get=only(COUNSELLORS, 405),
        post=guided_profile(400),
    ),
    "candidates:counsellor_passport": Entry(
        kwargs=lambda w: {"profile_id": w.profile.pk}, get=guided_profile()
    ),
    # --- Practice tests ------------------------------------------------------------------------
    "assessments:battery_list": Entry(get=only(CANDIDATES)),
    "assessments:battery_detail": Entry(
        kwargs=lambda w: {"slug": w.battery.slug},
        get=only(CANDIDATES),
        post=only(CANDIDATES, 200),
    ),
    "assessments:attempt": Entry(
        kwargs=lambda w: {"pk": w.attempt.pk},
        get=candidate_object(),
        post=candidate_object(400),
    ),
    "assessments:attempt_feedback": Entry(
        kwargs=lambda w: {"pk": w.attempt.pk, "position": 1}, get=candidate_object()
    ),
    "assessments:attempt_review": Entry(
        kwargs=lambda w: {"pk": w.attempt.pk}, get=candidate_object()
    ),
    "assessments:attempt_finish": Entry(
        kwargs=lambda w: {"pk": w.attempt.pk},
        get=only(CANDIDATES, 405),
        post=candidate_object(REDIRECT),
    ),
    "assessments:attempt_result": Entry(
        # An attempt still in progress has no result yet: back to its current item.
        kwargs=lambda w: {"pk": w.attempt.pk},
        get=candidate_object(REDIRECT),
    ),
    "assessments:extra_time": Entry(
        kwargs=lambda w: {"profile_id": w.profile.pk},
        get=guided_profile(),
        post=guided_profile(200),
    ),
    # --- Employers' space ----------------------------------------------------------------------
    "employers:dashboard": Entry(get=only(EMPLOYERS)),
    # The matrix's organisations are public services (municipal prevention): an empty POST
    # books nothing and shows the form's errors.
    "employers:staff_awareness": Entry(get=only(EMPLOYERS), post=only(EMPLOYERS, 400)),
    "employers:vacancy_list": Entry(get=only(EMPLOYERS)),
    "employers:vacancy_new": Entry(get=only(EMPLOYERS)),
    "employers:vacancy_create": Entry(
        kwargs=lambda w: {"role_slug": w.role.slug},
        get=only(EMPLOYERS),
        post=only(EMPLOYERS, 200),
    ),
    "employers:vacancy_edit": Entry(
        kwargs=lambda w: {"pk": w.vacancy.pk},
        get=organisation_object(),
        post=organisation_object(200),
    ),
    "employers:vacancy_pool": Entry(
        # The pool insight: the saved vacancy's (GET), or as edited (POST, an empty form
        # shows the editor again with its errors and the saved vacancy's counts).
        kwargs=lambda w: {"pk": w.vacancy.pk},
        get=organisation_object(),
        post=organisation_object(200),
    ),
    "employers:vacancy_status": Entry(
        kwargs=lambda w: {"pk": w.vacancy.pk},
        get=organisation_object(405),
        post=organisation_object(REDIRECT),
    ),
    "employers:vacancy_skill_add": Entry(
        # An empty form goes back to the editor with the error as a message.
        kwargs=lambda w: {"pk": w.vacancy.pk},
        get=only(EMPLOYERS, 405),
        post=organisation_object(REDIRECT),
    ),
    "employers:vacancy_import": Entry(get=only(EMPLOYERS), post=only(EMPLOYERS, 200)),
    "employers:vacancy_import_template": Entry(get=only(EMPLOYERS)),
    "employers:member_invite": Entry(get=only(EMPLOYERS), post=only(EMPLOYERS, 200)),
    "employers:invitation_accept": Entry(
        # The link in the e-mail: whoever holds it sees the invitation; signing in accepts it.
        kwargs=lambda w: {"token": w.invitation.token},
        get=public(),
        post=public(),
    ),
    "employers:pipeline": Entry(kwargs=lambda w: {"pk": w.vacancy.pk}, get=organisation_object()),
    "employers:application_detail": Entry(
        kwargs=lambda w: {"pk": w.application.pk}, get=organisation_object()
    ),
    "employers:application_stage": Entry(
        kwargs=lambda w: {"pk": w.application.pk},
        get=only(EMPLOYERS, 405),
        post=organisation_object(400),
    ),
    "employers:application_note": Entry(
        # Internal notes: the owning organisation's members only; the candidate never.
        kwargs=lambda w: {"pk": w.application.pk},
        get=only(EMPLOYERS, 405),
        post=organisation_object(400),
    ),
    "employers:shortlist": Entry(
        # Blind shortlists: nobody but the organisation learns the vacancy has one.
        kwargs=lambda w: {"pk": w.vacancy.pk},
        get=organisation_object(others=404),
    ),
    "employers:shortlist_invite": Entry(
        kwargs=lambda w: {"pk": w.vacancy.pk, "ref": w.shortlist_ref},
        get=ALL_405,
        post=organisation_object(REDIRECT, others=404),
    ),
    # --- The public board and its feeds --------------------------------------------------------
    "employers:board": Entry(get=public()),
    "employers:feed": Entry(get=public()),
    "employers:feed_employer": Entry(kwargs=lambda w: {"slug": w.employer.slug}, get=public()),
    "employers:feed_role": Entry(kwargs=lambda w: {"slug": w.role.slug}, get=public()),
    "employers:vacancy_detail": Entry(kwargs=lambda w: {"pk": w.vacancy.pk}, get=public()),
    "employers:vacancy_detail#draft": Entry(
        kwargs=lambda w: {"pk": w.draft_vacancy.pk}, get=public(404)
    ),
    "employers:feed_employer#unverified": Entry(
        kwargs=lambda w: {"slug": w.unverified_employer.slug}, get=public(404)
    ),
    # --- Applications ---------------------------------------------------------------------------
    "employers:apply#draft": Entry(
        kwargs=lambda w: {"pk": w.draft_vacancy.pk},
        get=only(CANDIDATES, 404),
        post=only(CANDIDATES, 404),
    ),
    "employers:apply": Entry(
        kwargs=lambda w: {"pk": w.vacancy.pk},
        # The candidate has applied already: their page says so.
        get=only(CANDIDATES),
        post=only(CANDIDATES, 400, candidate=REDIRECT),
    ),
    "employers:my_applications": Entry(get=only(CANDIDATES)),
    "employers:application_withdraw": Entry(
        kwargs=lambda w: {"pk": w.application.pk},
        get=only(CANDIDATES, 405),
        post=candidate_object(400),
    ),
    # --- Two-step verification (staff and employers must, counsellors may; not job-seekers) ---
    # The signed-in sessions here have passed the second step already, without a device.
    "mfa_status": Entry(get=statuses(200, anonymous=LOGIN, candidate=403, other_candidate=403)),
    "mfa_setup": Entry(
        get=statuses(200, anonymous=LOGIN, candidate=403, other_candidate=403),
        post=statuses(200, anonymous=LOGIN, candidate=403, other_candidate=403),
    ),
    "mfa_verify": Entry(
        get=statuses(REDIRECT, anonymous=LOGIN, candidate=403, other_candidate=403),
        post=statuses(REDIRECT, anonymous=LOGIN, candidate=403, other_candidate=403),
    ),
    "mfa_recovery_codes": Entry(
        get=statuses(405, anonymous=LOGIN),
        post=statuses(REDIRECT, anonymous=LOGIN, candidate=403, other_candidate=403),
    ),
    "mfa_remove": Entry(
        # Only counsellors may turn it off, and only with a current code.
        get=statuses(405, anonymous=LOGIN),
        post=statuses(403, anonymous=LOGIN, counsellor=400, other_counsellor=400),
    ),
    "audit_log": Entry(get=staff_only()),
    # --- Django's admin (a sample: every admin view goes through AdminSite.admin_view) --------
    "admin:index": Entry(get=admin_page()),
    "admin:college_user_changelist": Entry(get=admin_page()),
    "admin:college_user_change": Entry(
        kwargs=lambda w: {"object_id": w.users[CANDIDATE].pk}, get=admin_page()
    ),
    "admin:candidates_candidateprofile_changelist": Entry(get=admin_page()),
    "admin:employers_vacancy_changelist": Entry(get=admin_page()),
    "admin:assessments_item_changelist": Entry(get=admin_page()),
    # --- The API (/api/v1/) ---------------------------------------------------------------------
    "schema": Entry(get=public()),
    "api_docs": Entry(get=public()),
    "api:token": Entry(get=ALL_405, post=public(400)),
    "api:skills": Entry(get=public()),
    # Anyone gets the aggregate; staff the detail, with filters (ignored for anyone else).
    "api:observatory_skills": Entry(get=public()),
    "api:observatory_skills#filtered": Entry(query="?sector=police", get=public()),
    "api:observatory_trend": Entry(get=public()),
    "api:skill": Entry(kwargs=lambda w: {"pk": w.skill.pk}, get=public()),
    "api:roles": Entry(get=public()),
    "api:role": Entry(kwargs=lambda w: {"pk": w.role.pk}, get=public()),
    "api:communes": Entry(get=public()),
    "api:languages": Entry(get=public()),
    "api:employers": Entry(get=public()),
    "api:employer": Entry(kwargs=lambda w: {"slug": w.employer.slug}, get=public()),
    "api:vacancies": Entry(get=public(), post=api_only(EMPLOYERS, 400)),
    "api:vacancy": Entry(
        kwargs=lambda w: {"pk": w.vacancy.pk},
        get=public(),
        patch=api_only((EMPLOYER,), other_employer=404),
    ),
    "api:vacancies#mine": Entry(query="?mine=true", get=api_only(EMPLOYERS)),
    "api:vacancy#draft": Entry(
        # A draft is its organisation's business: a 404 for everyone else.
        kwargs=lambda w: {"pk": w.draft_vacancy.pk},
        get=public(404, employer=200),
        patch=api_only((EMPLOYER,), other_employer=404),
    ),
    "api:employer#unverified": Entry(
        kwargs=lambda w: {"slug": w.unverified_employer.slug}, get=public(404)
    ),
    "employers:vacancy_edit#draft": Entry(
        kwargs=lambda w: {"pk": w.draft_vacancy.pk}, get=organisation_object()
    ),
    "employers:vacancy_pool#draft": Entry(
        kwargs=lambda w: {"pk": w.draft_vacancy.pk}, get=organisation_object()
    ),
    "employers:shortlist#draft": Entry(
        kwargs=lambda w: {"pk": w.draft_vacancy.pk}, get=organisation_object(others=404)
    ),
    "api:application_stage": Entry(
        # An empty body is a 400 for the owning organisation; a candidate never moves one.
        kwargs=lambda w: {"pk": w.application.pk},
        get=only(SIGNED_IN, 405, anonymous=401),
        post=api_only((EMPLOYER,), 400, other_employer=404),
    ),
    "api:vacancy_shortlist": Entry(
        kwargs=lambda w: {"pk": w.vacancy.pk},
        get=api_only((EMPLOYER,), others=404),
    ),
    "api:vacancy_pool": Entry(
        # Pool counts are the organisation's alone: anyone else signed in gets a 404.
        kwargs=lambda w: {"pk": w.vacancy.pk},
        get=api_only((EMPLOYER,), others=404),
    ),
    "api:vacancy_pool#draft": Entry(
        kwargs=lambda w: {"pk": w.draft_vacancy.pk},
        get=api_only((EMPLOYER,), others=404),
    ),
    "api:me_profile": Entry(
        get=api_only(CANDIDATES), put=api_only(CANDIDATES), patch=api_only(CANDIDATES)
    ),
    "api:me_export": Entry(get=api_only(CANDIDATES)),
    "api:me_digital_self_assessment": Entry(
        get=api_only(CANDIDATES), put=api_only(CANDIDATES, 400)
    ),
    "api:me_certifications": Entry(get=api_only(CANDIDATES), post=api_only(CANDIDATES, 400)),
    "api:me_certification": Entry(
        kwargs=lambda w: {"pk": w.external_certification.pk},
        get=owner(CANDIDATE, OTHER_CANDIDATE, anonymous=401),
    ),
    "api:certification_types": Entry(get=public()),
    "api:certification_check": Entry(
        kwargs=lambda w: {"pk": w.external_certification.pk},
        get=public(405, anonymous=401),
        # Counsellors guiding the holder and staff; an empty body is a 400.
        post=owner(COUNSELLOR, OTHER_COUNSELLOR, 400, anonymous=401, staff=400),
    ),
    "api:me_matches": Entry(get=api_only(CANDIDATES)),
    "api:me_path": Entry(get=api_only(CANDIDATES)),
    "api:me_enrolments": Entry(get=api_only(CANDIDATES)),
    "api:tests": Entry(get=api_only(CANDIDATES)),
    "api:batteries": Entry(get=api_only(CANDIDATES)),
    "api:attempts": Entry(get=api_only(CANDIDATES, 405), post=api_only(CANDIDATES, 400)),
    "api:attempt": Entry(
        kwargs=lambda w: {"pk": w.attempt.pk},
        get=api_only(CANDIDATES, other_candidate=404),
    ),
    "api:attempt_next": Entry(
        kwargs=lambda w: {"pk": w.attempt.pk},
        get=api_only(CANDIDATES, other_candidate=404),
    ),
    "api:attempt_responses": Entry(
        kwargs=lambda w: {"pk": w.attempt.pk},
        get=api_only(CANDIDATES, 405),
        post=api_only(CANDIDATES, 400, other_candidate=404),
    ),
    "api:attempt_finish": Entry(
        kwargs=lambda w: {"pk": w.attempt.pk},
        get=api_only(CANDIDATES, 405),
        post=api_only(CANDIDATES, other_candidate=404),
    ),
    "api:modules": Entry(get=public()),
    "api:module": Entry(kwargs=lambda w: {"pk": w.module.pk}, get=public()),
    "api:cohort_enrol": Entry(
        kwargs=lambda w: {"code": w.cohort.code},
        get=api_only(CANDIDATES, 405),
        # Both candidates are enrolled already: 200 with their own enrolment, nothing new.
        post=api_only(CANDIDATES),
    ),
    "api:enrolment_cancel": Entry(
        kwargs=lambda w: {"pk": w.enrolment.pk},
        get=api_only(CANDIDATES, 405),
        post=api_only(CANDIDATES, other_candidate=404),
    ),
    "api:caseload": Entry(get=api_only(COUNSELLORS)),
    # --- Selective intakes -------------------------------------------------------------------
    "api:intakes": Entry(get=public()),
    "api:intake_applications": Entry(
        kwargs=lambda w: {"pk": w.intake.pk},
        get=api_only(CANDIDATES, 405),
        # Both candidates applied already: 200 with their own application, nothing new.
        post=api_only(CANDIDATES),
    ),
    "api:me_intake_applications": Entry(get=api_only(CANDIDATES)),
    "api:intake_ranking": Entry(kwargs=lambda w: {"pk": w.intake.pk}, get=api_only((STAFF,))),
    "api:intake_decisions": Entry(
        kwargs=lambda w: {"pk": w.intake.pk},
        get=api_only((STAFF,), 405),
        post=api_only((STAFF,), 400),
    ),
    "api:intake_fairness": Entry(kwargs=lambda w: {"pk": w.intake.pk}, get=api_only((STAFF,))),
    "intake:list": Entry(get=public()),
    "intake:detail": Entry(kwargs=lambda w: {"pk": w.intake.pk}, get=public()),
    "intake:apply": Entry(
        # Both candidates applied already: sent to their own file.
        kwargs=lambda w: {"pk": w.intake.pk},
        get=only(CANDIDATES, REDIRECT),
        post=only(CANDIDATES, REDIRECT),
    ),
    "intake:my_applications": Entry(get=only(CANDIDATES)),
    "intake:my_application": Entry(
        kwargs=lambda w: {"pk": w.intake_application.pk}, get=candidate_object()
    ),
    "intake:withdraw": Entry(
        kwargs=lambda w: {"pk": w.intake_application.pk},
        get=only(CANDIDATES, 405),
        post=candidate_object(REDIRECT),
    ),
    "intake:staff_list": Entry(get=staff_only()),
    "intake:ranking": Entry(kwargs=lambda w: {"pk": w.intake.pk}, get=staff_only()),
    "intake:rate": Entry(
        kwargs=lambda w: {"pk": w.intake.pk}, get=staff_only(), post=staff_only(400)
    ),
    "intake:decide": Entry(
        kwargs=lambda w: {"pk": w.intake.pk}, get=staff_only(405), post=staff_only(400)
    ),
    "intake:fairness": Entry(kwargs=lambda w: {"pk": w.intake.pk}, get=staff_only()),
}


# URLs the matrix does not request, each with the reason: a key ending in ":" is a namespace,
# a key ending in "/" the start of a route, any other key a URL name.
SKIPPED = {
    "static/": "Static files: served by WhiteNoise (or runserver), the same for everyone.",
    "media/": "Uploaded files are never served from a public route; none is configured.",
    "admin:": (
        "Django's admin: every view is wrapped by AdminSite.admin_view (active staff only), "
        "so the index and the sample of model pages in MATRIX stand for the rest; its login, "
        "logout, password and JavaScript-catalogue views are Django's own."
    ),
}
