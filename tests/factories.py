import datetime

import factory
from django.utils import timezone

from candidates.models import (
    CandidateLanguage,
    CandidateProfile,
    CandidateSkill,
    Consent,
    Evidence,
)
from college.models import (
    ActionItem,
    Attendance,
    Certificate,
    Cohort,
    CohortSession,
    Commune,
    CounsellorNote,
    Enrolment,
    Guidance,
    Intake,
    IntakeApplication,
    Language,
    Module,
    ModuleSkill,
    PathStep,
    PoliceZone,
    Programme,
    Role,
    RoleLanguageRequirement,
    RoleRequirement,
    Sector,
    Skill,
    TrainingPath,
    User,
    normalise_for_search,
)
from employers.models import (
    Application,
    Contract,
    Employer,
    Membership,
    Vacancy,
    VacancyLanguage,
    VacancySkill,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="fr_BE")
    role = User.Role.CANDIDATE
    password = factory.django.Password("a-long-enough-password")


class CandidateProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=User.Role.CANDIDATE)


class CandidateFactory(UserFactory):
    """A job-seeker's account together with their profile."""

    role = User.Role.CANDIDATE
    profile = factory.RelatedFactory(CandidateProfileFactory, factory_related_name="user")


class CounsellorFactory(UserFactory):
    role = User.Role.COUNSELLOR


class StaffFactory(UserFactory):
    role = User.Role.STAFF
    is_staff = True
    is_superuser = True


class PoliceZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceZone
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: 6000 + n)
    name_fr = factory.LazyAttribute(lambda zone: f"Zone de police {zone.number}")
    name_nl = factory.LazyAttribute(lambda zone: f"Politiezone {zone.number}")
    name_en = factory.LazyAttribute(lambda zone: f"Police zone {zone.number}")
    short_name = factory.LazyAttribute(lambda zone: f"Z{zone.number}")


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["nis_code"]

    nis_code = factory.Sequence(lambda n: f"9{n:04d}")
    name_fr = factory.Sequence(lambda n: f"Commune {n}")
    name_nl = factory.Sequence(lambda n: f"Gemeente {n}")
    postcodes = factory.Sequence(lambda n: f"{1500 + n}")
    police_zone = factory.SubFactory(PoliceZoneFactory)


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"x{n % 100:02d}")
    name_fr = factory.LazyAttribute(lambda language: f"langue {language.code}")
    name_nl = factory.LazyAttribute(lambda language: f"taal {language.code}")
    name_en = factory.LazyAttribute(lambda language: f"language {language.code}")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    esco_uri = factory.Sequence(lambda n: f"http://data.europa.eu/esco/skill/test-{n}")
    skill_type = Skill.Type.SKILL
    label_en = factory.Sequence(lambda n: f"test skill {n}")
    label_fr = factory.Sequence(lambda n: f"compétence de test {n}")
    label_nl = factory.Sequence(lambda n: f"testvaardigheid {n}")
    search_text = factory.LazyAttribute(
        lambda skill: normalise_for_search(f"{skill.label_fr} {skill.label_nl} {skill.label_en}")
    )


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    slug = factory.Sequence(lambda n: f"test-role-{n}")
    esco_uri = factory.Sequence(lambda n: f"http://data.europa.eu/esco/occupation/test-{n}")
    sector = Sector.MUNICIPAL_PREVENTION
    title_fr = factory.Sequence(lambda n: f"Rôle de test {n}")
    title_nl = factory.Sequence(lambda n: f"Testrol {n}")
    title_en = factory.Sequence(lambda n: f"Test role {n}")
    summary_fr = "Un rôle pour les tests."
    summary_nl = "Een rol voor de tests."
    summary_en = "A role for the tests."


class RoleRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleRequirement

    role = factory.SubFactory(RoleFactory)
    skill = factory.SubFactory(SkillFactory)
    importance = "essential"
    target_level = 2


class RoleLanguageRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleLanguageRequirement

    role = factory.SubFactory(RoleFactory)
    language = factory.SubFactory(LanguageFactory)
    min_cefr = "B1"


class GuidanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guidance

    counsellor = factory.SubFactory(CounsellorFactory)
    candidate = factory.SubFactory(CandidateFactory)
    started_at = factory.LazyFunction(timezone.now)


class CandidateSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateSkill

    profile = factory.SubFactory(CandidateProfileFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 2
    evidence = Evidence.SELF_DECLARED


class CandidateLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CandidateLanguage

    profile = factory.SubFactory(CandidateProfileFactory)
    language = factory.SubFactory(LanguageFactory)
    cefr = "B1"


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name_fr = factory.Sequence(lambda n: f"Service de prévention {n}")
    slug = factory.Sequence(lambda n: f"employer-{n}")
    kind = Employer.Kind.MUNICIPAL_PREVENTION
    is_verified = True
    verified_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    employer = factory.SubFactory(EmployerFactory)
    user = factory.SubFactory(UserFactory, role=User.Role.EMPLOYER)


class EmployerMemberFactory(UserFactory):
    role = User.Role.EMPLOYER
    membership = factory.RelatedFactory(MembershipFactory, factory_related_name="user")


class VacancyFactory(factory.django.DjangoModelFactory):
    """A published, open vacancy of a verified employer, in Schaerbeek, from a real role."""

    class Meta:
        model = Vacancy

    employer = factory.SubFactory(EmployerFactory)
    role = factory.LazyFunction(lambda: Role.objects.get(slug="peace-guard"))
    title_fr = factory.Sequence(lambda n: f"Gardien de la paix {n}")
    title_nl = factory.Sequence(lambda n: f"Gemeenschapswacht {n}")
    title_en = factory.Sequence(lambda n: f"Community warden {n}")
    description_fr = "Patrouilles à pied dans les quartiers, contact avec les habitants."
    description_nl = "Voetpatrouilles in de wijken, contact met de bewoners."
    description_en = "Foot patrols in the neighbourhoods, contact with residents."
    commune = factory.LazyFunction(lambda: Commune.objects.get(nis_code="21015"))
    contract = Contract.PERMANENT
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    status = Vacancy.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class VacancySkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VacancySkill

    vacancy = factory.SubFactory(VacancyFactory)
    skill = factory.SubFactory(SkillFactory)
    importance = "essential"
    min_level = 2


class VacancyLanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VacancyLanguage

    vacancy = factory.SubFactory(VacancyFactory)
    language = factory.LazyFunction(lambda: Language.objects.get(code="nl"))
    min_cefr = "B1"


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    vacancy = factory.SubFactory(VacancyFactory)
    profile = factory.SubFactory(CandidateProfileFactory)
    motivation = "J'aime le contact avec les habitants de mon quartier."
    consent = factory.LazyAttribute(
        lambda application: Consent.objects.create(
            profile=application.profile,
            purpose=Consent.Purpose.APPLICATION,
            employer=application.vacancy.employer,
            given=True,
            text_version="application-2026-11",
            text="I agree to share my profile.",
            language="fr",
        )
    )


# The training catalogue, cohorts, paths and guidance -----------------------------------------


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"test-programme-{n}")
    title_fr = factory.Sequence(lambda n: f"Programme de test {n}")
    title_nl = factory.Sequence(lambda n: f"Testprogramma {n}")
    title_en = factory.Sequence(lambda n: f"Test programme {n}")


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"test-module-{n}")
    title_fr = factory.Sequence(lambda n: f"Module de test {n}")
    title_nl = factory.Sequence(lambda n: f"Testmodule {n}")
    title_en = factory.Sequence(lambda n: f"Test module {n}")
    summary_fr = "Un module pour les tests."
    summary_nl = "Een module voor de tests."
    summary_en = "A module for the tests."
    hours = 8
    certificate_fr = "Attestation de réussite"
    certificate_nl = "Slaagattest"
    certificate_en = "Certificate of completion"

    @factory.post_generation
    def languages(self, create, extracted, **kwargs):
        if create:
            self.languages.set(extracted or [Language.objects.get(code="fr")])


class ModuleSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModuleSkill

    module = factory.SubFactory(ModuleFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 2


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    module = factory.SubFactory(ModuleFactory)
    code = factory.Sequence(lambda n: f"test-cohort-{n}")
    language = factory.LazyFunction(lambda: Language.objects.get(code="fr"))
    place = "Brusafe, Haren"
    capacity = 12
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=21))
    ends_on = factory.LazyAttribute(lambda cohort: cohort.starts_on + datetime.timedelta(days=4))
    enrolment_closes_on = factory.LazyAttribute(
        lambda cohort: cohort.starts_on - datetime.timedelta(days=7)
    )


class CohortSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortSession

    cohort = factory.SubFactory(CohortFactory)
    starts_at = factory.LazyAttribute(
        lambda session: timezone.make_aware(
            datetime.datetime.combine(session.cohort.starts_on, datetime.time(9, 0))
        )
    )
    ends_at = factory.LazyAttribute(lambda session: session.starts_at + datetime.timedelta(hours=4))
    topic = "Séance de test"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    candidate = factory.SubFactory(CandidateFactory)
    status = Enrolment.Status.ENROLLED
    enrolled_at = factory.LazyFunction(timezone.now)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    enrolment = factory.SubFactory(EnrolmentFactory)
    session = factory.SubFactory(
        CohortSessionFactory, cohort=factory.SelfAttribute("..enrolment.cohort")
    )
    status = Attendance.Status.PRESENT


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    enrolment = factory.SubFactory(EnrolmentFactory, result=Enrolment.Result.PASSED, score=75)
    module = factory.LazyAttribute(lambda certificate: certificate.enrolment.cohort.module)
    code = factory.Sequence(lambda n: f"TEST-{n:08d}")
    holder_name = factory.LazyAttribute(
        lambda certificate: certificate.enrolment.candidate.full_name
    )


class TrainingPathFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPath

    candidate = factory.SubFactory(CandidateFactory)
    role = factory.SubFactory(RoleFactory)


class PathStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PathStep

    path = factory.SubFactory(TrainingPathFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = PathStep.Kind.MODULE
    module = factory.SubFactory(ModuleFactory)


class CounsellorNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CounsellorNote

    candidate = factory.SubFactory(CandidateFactory)
    author = factory.SubFactory(CounsellorFactory)
    body = "À noter\u00a0: préfère les horaires de jour."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    candidate = factory.SubFactory(CandidateFactory)
    author = factory.SubFactory(CounsellorFactory)
    text = "Passer le test de néerlandais article 8."
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


# Selective intakes ----------------------------------------------------------------------------

MOTIVATION = {
    "why": "Je veux protéger les gens de mon quartier et apprendre un vrai métier.",
    "experience": "Trois ans de bénévolat dans un club de foot, responsable des jeunes.",
    "commitment": "Ma sœur garde les enfants et je viens en métro, en quarante minutes.",
}


class IntakeFactory(factory.django.DjangoModelFactory):
    """An intake open today: opened a week ago, closing in a week, starting a month later."""

    class Meta:
        model = Intake

    programme = factory.SubFactory(ProgrammeFactory)
    places = 2
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    starts_on = factory.LazyAttribute(lambda intake: intake.closes_on + datetime.timedelta(days=30))


class IntakeApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntakeApplication

    intake = factory.SubFactory(IntakeFactory)
    candidate = factory.SubFactory(CandidateFactory)
    ref = factory.Sequence(lambda n: f"A-T{n:07d}")
    motivation = factory.LazyFunction(lambda: dict(MOTIVATION))
    consent_given_at = factory.LazyFunction(timezone.now)
