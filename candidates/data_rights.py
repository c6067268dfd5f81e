"""What Passerelle holds about a job-seeker, where the export shows it and what erasure does.

Every model with a path to the account (a foreign key, one-to-one or many-to-many, followed
through other models) is declared here, once:

* in :data:`HOLDINGS` when it can hold something about a job-seeker: the key of the export
  (``candidates.selectors.candidate_export``, ``/api/v1/me/export/``) that shows it, what
  erasure (``candidates.services.candidate_erase``) does with it, and the lookup from the
  model to the job-seeker's account;
* in :data:`NOT_ABOUT_JOB_SEEKERS` when it cannot, with the reason.

tests/candidates/test_data_rights_registry.py walks Django's model graph and fails when a
model with a path to the account is in neither, or in both: a model added later cannot hold
personal data that the export forgets or that erasure leaves behind.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from college.core.check_codes import certificate_code_display
from college.core.typography import colon, list_separator
from college.reference.digital import certification_type


class Erasure(StrEnum):
    # Removed with the account: the database cascades from the account or the profile.
    DELETED = "deleted"
    # Kept for anonymous figures: the link to the person is cut and their text blanked by
    # candidate_erase (an application, a certificate's proof, an audit event).
    ANONYMISED = "anonymised"


@dataclass(frozen=True)
class Holding:
    export_key: str  # where the export shows these rows: a top-level key, or "key.subkey"
    erasure: Erasure
    owner: str  # lookup from the model to the job-seeker's account (a `User`)


DELETED, ANONYMISED = Erasure.DELETED, Erasure.ANONYMISED

HOLDINGS = {
    "college.User": Holding("account", DELETED, "pk"),
    "authtoken.Token": Holding("api_tokens", DELETED, "user"),
    "college.MfaDevice": Holding("two_step_verification", DELETED, "user"),
    # Lines of the admin's history about the person's rows are deleted by candidate_erase:
    # their object_repr may name them. A job-seeker never writes one (no admin access).
    "admin.LogEntry": Holding("admin_history", DELETED, "user"),
    # Events about the person get an anonymous reference instead of their id; events they
    # caused keep only the role they had (the actor link is set to NULL).
    "college.AuditEvent": Holding("audit_events", ANONYMISED, "actor"),
    "candidates.CandidateProfile": Holding("profile", DELETED, "user"),
    "candidates.CandidateProfile_target_roles": Holding(
        "target_roles", DELETED, "candidateprofile__user"
    ),
    "candidates.CandidateSkill": Holding("skills", DELETED, "profile__user"),
    "candidates.CandidateLanguage": Holding("languages", DELETED, "profile__user"),
    "candidates.LanguageCertificate": Holding("profile.certificates", DELETED, "profile__user"),
    "candidates.Experience": Holding("profile.experiences", DELETED, "profile__user"),
    "candidates.Experience_skills": Holding(
        "profile.experiences", DELETED, "experience__profile__user"
    ),
    "candidates.Education": Holding("profile.education", DELETED, "profile__user"),
    "candidates.Consent": Holding("consents", DELETED, "profile__user"),
    "candidates.ProfileView": Holding("profile_views", DELETED, "profile__user"),
    "candidates.DigitalSelfAssessment": Holding(
        "digital_self_assessments", DELETED, "profile__user"
    ),
    # Who checked it is staff or a counsellor (SET_NULL); the record is the person's.
    "candidates.ExternalCertification": Holding(
        "external_certifications", DELETED, "profile__user"
    ),
    "college.Guidance": Holding("counsellors", DELETED, "candidate"),
    "college.CounsellorNote": Holding("team_notes", DELETED, "candidate"),
    "college.ActionItem": Holding("action_plan", DELETED, "candidate"),
    "college.TrainingPath": Holding("training_paths", DELETED, "candidate"),
    "college.PathStep": Holding("training_paths", DELETED, "path__candidate"),
    "college.Enrolment": Holding("enrolments", DELETED, "candidate"),
    "college.Attendance": Holding("enrolments", DELETED, "enrolment__candidate"),
    # Stays verifiable as "issued on <date> for <module>": holder name and enrolment cleared.
    "college.Certificate": Holding("enrolments", ANONYMISED, "enrolment__candidate"),
    # Applications to selective intakes, with the staff's blind ratings of the motivation and
    # the decisions (their authors are staff, named by nobody in the export).
    "college.IntakeApplication": Holding("intake_applications", DELETED, "candidate"),
    "college.MotivationRating": Holding("intake_applications", DELETED, "application__candidate"),
    "college.IntakeDecision": Holding("intake_applications", DELETED, "application__candidate"),
    "assessments.TimeAccommodation": Holding("time_accommodation", DELETED, "user"),
    "assessments.Attempt": Holding("practice_tests", DELETED, "user"),
    "assessments.AttemptItem": Holding("practice_tests", DELETED, "attempt__user"),
    "assessments.Response": Holding("practice_tests", DELETED, "attempt_item__attempt__user"),
    # Stays as an "erased" application (stage and dates, no person, no text), so that the
    # vacancy's counts hold; its stage history names only the employer's members.
    "employers.Application": Holding("applications", ANONYMISED, "profile__user"),
    "employers.ApplicationEvent": Holding("applications", ANONYMISED, "application__profile__user"),
    # The employer's internal notes on the person's application: in the export (art. 15), and
    # emptied by candidate_erase (the row stays with the erased application, without a word).
    "employers.ApplicationNote": Holding("applications", ANONYMISED, "application__profile__user"),
    "employers.ShortlistInvitation": Holding("shortlist_invitations", DELETED, "profile__user"),
    "employers.MatchAlert": Holding("match_alerts", DELETED, "profile__user"),
    "employers.RankedCandidate": Holding("rankings", DELETED, "profile__user"),
}

# The allow-list: models with a path to an account that never hold anything about a
# job-seeker, each with the reason. Nothing personal may be added here.
NOT_ABOUT_JOB_SEEKERS = {
    "candidates.ProfileChange": (
        "A work queue of the ranking engine: a profile id and a time, nothing said about the "
        "person, pruned once read; deleted with the profile."
    ),
    "employers.Vacancy": (
        "Reaches an account only through created_by, an employer member or staff (SET_NULL); "
        "a job-seeker never creates one."
    ),
    "employers.VacancySkill": "Part of a vacancy (see employers.Vacancy).",
    "employers.StaffAwarenessBooking": (
        "A public service's seats in an awareness module for its own staff: a number of seats, "
        "an invitation code and a completion count, no staff member named. It reaches an "
        "account only through booked_by (an employer member) and completed_recorded_by "
        "(college staff), both SET_NULL; a job-seeker never makes or appears in one."
    ),
    "employers.VacancyLanguage": "Part of a vacancy (see employers.Vacancy).",
    "employers.VacancyRanking": (
        "A vacancy's ranking header (threshold, dates); each person's score is a RankedCandidate."
    ),
    "employers.Membership": "An employer member's seat in an organisation; never a job-seeker.",
    "employers.Invitation": (
        "An invitation to join an employer, by a member (invited_by); never a job-seeker's."
    ),
    "college.User_groups": (
        "Django permission groups: staff accounts only; a job-seeker has none (and they go "
        "with the account)."
    ),
    "college.User_user_permissions": (
        "Django permissions: staff accounts only; a job-seeker has none (and they go with the "
        "account)."
    ),
    "authtoken.TokenProxy": "The admin's view of authtoken.Token: the same table, held above.",
    "assessments.BatteryClearance": (
        "A staff member's clearance of a battery's findings (cleared_by): staff only, never a "
        "job-seeker, and it says nothing about anyone who took the test."
    ),
}


def certification_title(slug):
    """An external certification's name, or its slug when the reference data lost it."""
    kind = certification_type(slug)
    return kind.title if kind else slug


def export_keys():
    """The export's sections that hold rows of a registered model, in a stable order."""
    return sorted({holding.export_key for holding in HOLDINGS.values()})


# The /me/data/ page: the export, readable ---------------------------------------------------


def data_page_sections(export):
    """The export (``candidate_export``) as the sections of the /me/data/ page.

    Each section has a `key` (the export's), a `title`, a `count` of its rows and `items`,
    each a `title` and `facts` (label, value) pairs, all as text in the active language.
    Reads only what the export loaded: no query of its own beyond evaluating it.
    """

    def when(moment):
        if moment is None:
            return ""
        if hasattr(moment, "hour"):
            return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
        return formats.date_format(moment, "SHORT_DATE_FORMAT")

    def item(title, *facts):
        return {"title": str(title), "facts": [(str(k), str(v)) for k, v in facts if v != ""]}

    def section(key, title, items):
        items = list(items)
        return {"key": key, "title": title, "count": len(items), "items": items}

    profile, account = export["profile"], export["account"]
    alerts = export["match_alerts"]
    sections = [
        section(
            "account",
            _("Account"),
            [
                item(
                    account.full_name,
                    (_("E-mail address"), account.email),
                    (_("Language"), account.get_preferred_language_display()),
                    (_("Signed up on"), when(account.date_joined)),
                    (_("Last signed in"), when(account.last_login)),
                )
            ],
        ),
        section(
            "profile",
            _("Profile"),
            [
                item(
                    profile.headline or _("Profile"),
                    (_("Phone"), profile.phone),
                    (_("Birth year"), profile.birth_year or ""),
                    (_("Gender"), profile.get_gender_display() if profile.gender else ""),
                    (
                        _("Nationality"),
                        profile.get_nationality_display() if profile.nationality else "",
                    ),
                    (_("Commune"), profile.commune.name if profile.commune else ""),
                    (_("Driving licences"), ", ".join(profile.driving_licences)),
                    (_("I can start on"), when(profile.available_from)),
                    (
                        _("Skills passport check code"),
                        certificate_code_display(profile.passport_code or ""),
                    ),
                    (_("Last changed"), when(profile.updated_at)),
                )
            ],
        ),
        section(
            "target_roles",
            _("Target roles"),
            [item(role.title) for role in export["target_roles"]],
        ),
        section(
            "skills",
            _("Skills and their evidence"),
            [
                item(
                    row.skill.label,
                    (_("Level"), row.level),
                    (_("Level you gave"), row.declared_level or ""),
                    (_("Evidence"), row.get_evidence_display()),
                    (_("Confirmed by"), row.validated_by.full_name if row.validated_by else ""),
                    (_("Note"), row.evidence_note),
                    (_("Last changed"), when(row.updated_at)),
                )
                for row in export["skills"]
            ],
        ),
        section(
            "languages",
            _("Languages"),
            [item(row.language.name, (_("Level"), row.cefr)) for row in export["languages"]],
        ),
        section(
            "language_certificates",
            _("Language certificates"),
            [
                item(
                    f"{row.language.name}{colon()} {row.get_level_display()}",
                    (_("Obtained on"), when(row.obtained_on)),
                )
                for row in profile.certificates.all()
            ],
        ),
        section(
            "experiences",
            _("Experience"),
            [
                item(
                    row.title,
                    (_("Kind"), row.get_kind_display()),
                    (_("Where"), row.organisation),
                    (_("From"), when(row.started_on)),
                    (_("Until"), when(row.ended_on)),
                    (_("In a few words"), row.description),
                    (_("Skills it shows"), ", ".join(skill.label for skill in row.skills.all())),
                )
                for row in profile.experiences.all()
            ],
        ),
        section(
            "diplomas",
            _("Diplomas"),
            [
                item(
                    row.get_level_display(),
                    (_("Diploma or field of study"), row.title),
                    (_("School or institution"), row.institution),
                    (_("Country"), row.country),
                    (_("Recognition in Belgium"), row.get_recognition_display()),
                    (_("Year obtained"), row.year or ""),
                )
                for row in profile.education.all()
            ],
        ),
        section(
            "counsellors",
            _("Counsellors"),
            [
                item(
                    row.counsellor.full_name,
                    (_("From"), when(row.started_at)),
                    (_("Until"), when(row.ended_at)),
                )
                for row in export["counsellors"]
            ],
        ),
        section(
            "team_notes",
            _("Notes of the counselling team"),
            [
                item(
                    when(row.created_at),
                    (_("By"), row.author.full_name if row.author else ""),
                    (_("Note"), row.body),
                )
                for row in export["team_notes"]
            ],
        ),
        section(
            "applications",
            _("Applications"),
            [
                item(
                    f"{row.vacancy.title} ({row.vacancy.employer.name})",
                    (_("Applied on"), when(row.created_at)),
                    (_("Stage"), row.get_stage_display()),
                    (
                        _("Stages"),
                        " → ".join(
                            f"{event.get_stage_display()} ({when(event.changed_at)})"
                            for event in row.events.all()
                        ),
                    ),
                    (_("Reason"), row.get_reason_display() if row.reason else ""),
                    (_("Note from the employer"), row.reason_note),
                    (_("Appointment"), when(row.appointment_at)),
                    (_("Place"), row.appointment_place),
                    (_("Instructions"), row.appointment_instructions),
                    (
                        _("Practice-test results shared"),
                        _("yes") if row.shares_test_results else _("no"),
                    ),
                    (_("Motivation"), row.motivation),
                    *(
                        (
                            _("Internal note of the employer (%(date)s)")
                            % {"date": when(note.created_at)},
                            note.text,
                        )
                        for note in row.notes.all()
                    ),
                )
                for row in export["applications"]
            ],
        ),
        section(
            "shortlist_invitations",
            _("Invitations from a shortlist"),
            [
                item(
                    f"{row.vacancy.title} ({row.vacancy.employer.name})",
                    (_("Invited on"), when(row.invited_at)),
                    (_("Message"), row.message),
                )
                for row in export["shortlist_invitations"]
            ],
        ),
        section(
            "match_alerts",
            _("Vacancy alerts"),
            [
                item(
                    _("Alerts for vacancies scoring at least %(score)s")
                    % {"score": alerts["threshold"]}
                    if alerts["threshold"]
                    else _("No e-mail alerts")
                ),
                *(
                    item(
                        f"{row.vacancy.title} ({row.vacancy.employer.name})",
                        (_("Score"), row.score),
                        (_("Sent on"), when(row.sent_at)),
                    )
                    for row in alerts["sent"]
                ),
            ],
        ),
        section(
            "rankings",
            _("Scores in employers' blind shortlists"),
            [
                item(
                    f"{row.ranking.vacancy.title} ({row.ranking.vacancy.employer.name})",
                    (_("Score"), row.score),
                )
                for row in export["rankings"]
            ],
        ),
        section(
            "practice_tests",
            _("Practice tests"),
            [
                item(
                    row.battery.title,
                    (_("Started on"), when(row.started_at)),
                    (_("Status"), row.get_status_display()),
                    (_("Score (%)"), "" if row.score_percent is None else round(row.score_percent)),
                    (
                        _("Answers"),
                        list_separator().join(
                            f"{attempt_item.position}. {attempt_item.item.key}{colon()} "
                            f"{_score(attempt_item)}"
                            for attempt_item in row.attempt_items.all()
                        ),
                    ),
                )
                for row in export["practice_tests"]
            ],
        ),
        section(
            "time_accommodation",
            _("Extra time"),
            [
                item(f"× {row.multiplier}", (_("Reason"), row.note))
                for row in filter(None, [export["time_accommodation"]])
            ],
        ),
        section(
            "enrolments",
            _("Training"),
            [
                item(
                    f"{row.cohort.module.title} ({row.cohort.code})",
                    (_("Status"), row.get_status_display()),
                    (_("Result"), row.get_result_display() if row.result else ""),
                    (_("Score (%)"), "" if row.score is None else row.score),
                    (
                        _("Attendance"),
                        ", ".join(
                            f"{when(mark.session.starts_at)}{colon()} {mark.get_status_display()}"
                            for mark in row.attendances.all()
                        ),
                    ),
                )
                for row in export["enrolments"]
            ],
        ),
        section(
            "intake_applications",
            _("Selective intakes"),
            [
                item(
                    row.intake.programme.title,
                    (_("Status"), row.get_status_display()),
                    (_("Applied on"), when(row.created_at)),
                    (
                        _("Motivation"),
                        " / ".join(str(text) for text in row.motivation.values()),
                    ),
                    (
                        _("Motivation ratings"),
                        ", ".join(f"{rating.score}/5" for rating in row.ratings.all()),
                    ),
                    (
                        _("Decisions"),
                        list_separator().join(
                            f"{when(decision.created_at)}{colon()} "
                            f"{decision.get_decision_display()} {decision.message}".strip()
                            for decision in row.decisions.all()
                        ),
                    ),
                )
                for row in export["intake_applications"]
            ],
        ),
        section(
            "certificates",
            _("Certificates"),
            [
                item(
                    row.module.title if row.module else row.code,
                    (_("Verification code"), row.code),
                    (_("Issued on"), when(row.issued_at)),
                )
                for row in export["certificates"]
            ],
        ),
        section(
            "digital_self_assessments",
            _("Digital skills self-assessments"),
            [
                item(
                    _("Self-assessment started on %(date)s") % {"date": when(row.started_at)},
                    (_("Completed on"), when(row.completed_at) or _("not yet")),
                    (
                        _("Answers (DigComp competence: level 0 to 6)"),
                        list_separator().join(
                            f"{code}{colon()} {level}"
                            for code, level in sorted(row.answers.items())
                        ),
                    ),
                )
                for row in export["digital_self_assessments"]
            ],
        ),
        section(
            "external_certifications",
            _("External certifications"),
            [
                item(
                    certification_title(row.certification),
                    (_("Obtained on"), when(row.obtained_on)),
                    (_("Credential identifier"), row.credential_id),
                    (_("Verification address"), row.verification_url),
                    (_("Status"), row.get_status_display()),
                    (_("Checked on"), when(row.checked_at)),
                    (_("Note of the check"), row.check_note),
                )
                for row in export["external_certifications"]
            ],
        ),
        section(
            "training_paths",
            _("Training paths"),
            [
                item(
                    row.role.title,
                    (_("Why"), row.explanation),
                    (
                        _("Steps"),
                        list_separator().join(
                            " ".join(
                                filter(
                                    None,
                                    [
                                        f"{step.position}.",
                                        step.module.title if step.module else "",
                                        step.battery.title if step.battery else "",
                                        step.note,
                                    ],
                                )
                            )
                            for step in row.steps.all()
                        ),
                    ),
                )
                for row in export["training_paths"]
            ],
        ),
        section(
            "action_plan",
            _("Action plan"),
            [
                item(row.text, (_("Due on"), when(row.due_on)), (_("Done on"), when(row.done_at)))
                for row in export["action_plan"]
            ],
        ),
        section(
            "two_step_verification",
            _("Two-step verification"),
            [
                item(_("Authenticator"), (_("Set up on"), when(row.confirmed_at)))
                for row in filter(None, [export["two_step_verification"]])
            ],
        ),
        section(
            "api_tokens",
            _("API keys"),
            [item(_("API key (its value is never shown)")) for _n in range(export["api_tokens"])],
        ),
        section(
            "audit_events",
            _("Audit log"),
            [
                item(
                    f"{when(row.created_at)}{colon()} {row.get_action_display()}",
                    (_("By"), row.actor.full_name if row.actor else row.actor_role_label),
                )
                for row in export["audit_events"]
            ],
        ),
        section(
            "admin_history",
            _("Changes by the college's staff"),
            [
                item(when(row.action_time), (_("What changed"), row.get_change_message()))
                for row in export["admin_history"]
            ],
        ),
    ]
    return sections


def _score(attempt_item):
    response = getattr(attempt_item, "response", None)
    return "–" if response is None else f"{response.score:g}"
