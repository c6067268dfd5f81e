"""The college app's tables, by topic; every name is importable from `college.models`.

- reference: people (User) and the shared vocabulary every app stands on (places, languages,
  skills, roles and their requirements, the enumerations);
- training: the college's programmes, modules, cohorts, enrolments and certificates;
- guidance: who guides whom, training paths, counsellors' notes and action items;
- security: second-step devices and the audit log;
- intake: selective intakes of oversubscribed programmes, their applications and decisions.
"""

from college.models.guidance import (
    ActionItem,
    CounsellorNote,
    Guidance,
    GuidanceQuerySet,
    PathStep,
    TrainingPath,
)
from college.models.intake import (
    Intake,
    IntakeApplication,
    IntakeBattery,
    IntakeDecision,
    IntakeQuerySet,
    MotivationRating,
)
from college.models.language import (
    LANGUAGE_CODES,
    Translated,
    active_language,
    normalise_for_search,
)
from college.models.reference import (
    CEFR,
    CEFR_RANKS,
    CertificateLevel,
    Commune,
    Diploma,
    Evidence,
    Importance,
    Language,
    Level,
    PoliceZone,
    RequirementStage,
    Role,
    RoleLanguageRequirement,
    RoleQuerySet,
    RoleRequirement,
    Sector,
    Skill,
    SkillQuerySet,
    User,
    UserManager,
    importance_order,
)
from college.models.security import AuditEvent, MfaDevice
from college.models.training import (
    Attendance,
    Certificate,
    Cohort,
    CohortSession,
    Enrolment,
    Module,
    ModuleQuerySet,
    ModuleSkill,
    Programme,
)

__all__ = [
    "ActionItem",
    "Attendance",
    "AuditEvent",
    "CEFR",
    "CEFR_RANKS",
    "Certificate",
    "CertificateLevel",
    "Cohort",
    "CohortSession",
    "Commune",
    "CounsellorNote",
    "Diploma",
    "Enrolment",
    "Evidence",
    "Guidance",
    "GuidanceQuerySet",
    "Importance",
    "Intake",
    "IntakeApplication",
    "IntakeBattery",
    "IntakeDecision",
    "IntakeQuerySet",
    "LANGUAGE_CODES",
    "Language",
    "Level",
    "MfaDevice",
    "Module",
    "MotivationRating",
    "ModuleQuerySet",
    "ModuleSkill",
    "PathStep",
    "PoliceZone",
    "Programme",
    "RequirementStage",
    "Role",
    "RoleLanguageRequirement",
    "RoleQuerySet",
    "RoleRequirement",
    "Sector",
    "Skill",
    "SkillQuerySet",
    "TrainingPath",
    "Translated",
    "User",
    "UserManager",
    "active_language",
    "importance_order",
    "normalise_for_search",
]
