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
    "college.Guidance": Holding("counsellors", DELETED, "candidate"),
    "college.CounsellorNote": Holding("team_notes", DELETED, "candidate"),
    "college.ActionItem": Holding("action_plan", DELETED, "candidate"),
    "college.TrainingPath": Holding("training_paths", DELETED, "candidate"),
    "college.PathStep": Holding("training_paths", DELETED, "path__candidate"),
    "college.Enrolment": Holding("enrolments", DELETED, "candidate"),
    "college.Attendance": Holding("enrolments", DELETED, "enrolment__candidate"),
    # Stays verifiable as "issued on <date> for <module>": holder name and enrolment cleared.
    "college.Certificate": Holding("enrolments", ANONYMISED, "enrolment__candidate"),
    "assessments.TimeAccommodation": Holding("time_accommodation", DELETED, "user"),
    "assessments.Attempt": Holding("practice_tests", DELETED, "user"),
    "assessments.AttemptItem": Holding("practice_tests", DELETED, "attempt__user"),
    "assessments.Response": Holding("practice_tests", DELETED, "attempt_item__attempt__user"),
    # Stays as an "erased" application (stage and dates, no person, no text), so that the
    # vacancy's counts hold; its stage history names only the employer's members.
    "employers.Application": Holding("applications", ANONYMISED, "profile__user"),
    "employers.ApplicationEvent": Holding("applications", ANONYMISED, "application__profile__user"),
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
}


def export_keys():
    """The export's sections that hold rows of a registered model, in a stable order."""
    return sorted({holding.export_key for holding in HOLDINGS.values()})
