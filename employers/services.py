"""Writes on employers' data: vacancies and their workflow, applications, invitations."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates.services import candidate_application_consent_record
from college.models import Diploma, RequirementStage, Role, User, normalise_for_search
from employers import vacancy_cache
from employers.models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    Invitation,
    Membership,
    Vacancy,
    VacancyLanguage,
    VacancySkill,
    roles_for_employer,
)
from employers.signals import vacancy_published
from employers.tasks import (
    render_vacancy_shared_parts,
    send_application_stage_email,
    send_invitation_email,
)

INVITATION_DAYS = 14
MAX_CLOSING_DAYS = 2 * 366
VACANCY_FIELDS = (
    "role",
    "title_fr",
    "title_nl",
    "title_en",
    "description_fr",
    "description_nl",
    "description_en",
    "commune",
    "address",
    "contract",
    "hours_per_week",
    "shifts",
    "nights",
    "weekends",
    "salary_scale",
    "salary_min",
    "salary_max",
    "posts",
    "closes_on",
    "min_age",
    "nationality",
    "clean_record_required",
    "driving_licence",
    "diploma_required",
    "required_diploma",
)


def vacancy_initial_from_role(*, role, employer):
    """What a new vacancy starts from: the role's requirement profile and legal conditions.

    Returns `(fields, skills, languages)`: `fields` for the vacancy, `skills` as
    `{"skill", "importance", "min_level"}` and `languages` as `{"language", "min_cefr",
    "certificate", "is_alternative"}`, ready for `vacancy_save`.
    """
    role = Role.objects.with_profile().get(pk=role.pk)
    communes = list(employer.communes.all()[:1])
    fields = {
        "role": role,
        "title_fr": role.title_fr,
        "title_nl": role.title_nl,
        "title_en": role.title_en,
        "description_fr": role.summary_fr,
        "description_nl": role.summary_nl,
        "description_en": role.summary_en,
        "commune": communes[0] if communes else None,
        "min_age": role.min_age,
        "nationality": role.nationality,
        "clean_record_required": role.clean_record_required,
        "driving_licence": role.driving_licence,
        "diploma_required": role.diploma_required_by_law,
        "required_diploma": role.required_diploma,
        "posts": 1,
        "closes_on": timezone.localdate() + datetime.timedelta(days=30),
    }
    skills = [
        {
            "skill": requirement.skill,
            "importance": requirement.importance,
            "min_level": requirement.target_level,
            "stage": requirement.stage,
        }
        for requirement in role.requirements.all()
    ]
    languages = [
        {
            "language": requirement.language,
            "min_cefr": requirement.min_cefr,
            "certificate": "",
            "is_alternative": requirement.is_alternative,
        }
        for requirement in role.language_requirements.all()
    ]
    return fields, skills, languages


def vacancy_check_diploma(*, role, diploma_required):
    """A diploma may be required only where the law requires one for the role."""
    if diploma_required and not role.diploma_required_by_law:
        raise ValidationError(
            {
                "diploma_required": _(
                    "The law requires no diploma for this role: Passerelle judges on skills, "
                    "so a diploma cannot be required here."
                )
            },
            code="diploma_not_legal",
        )


def vacancy_check_salary_range(*, salary_min, salary_max, message=None):
    """The maximum salary, when both amounts are given, is not below the minimum.

    `message` words the error for a page whose fields have other names than min and max.
    """
    if salary_min is not None and salary_max is not None and salary_max < salary_min:
        raise ValidationError(
            {"salary_max": message or _("The maximum salary cannot be lower than the minimum.")},
            code="salary_range",
        )


def vacancy_check_closes_on(*, closes_on, stored_closes_on=None, too_far_message=None):
    """A closing date set or changed is neither in the past nor more than two years ahead.

    A vacancy keeps its stored date, even a past one, while other fields change.
    `too_far_message` words the error for a page that says it its own way.
    """
    if closes_on == stored_closes_on:
        return
    today = timezone.localdate()
    if closes_on < today:
        raise ValidationError(_("The closing date cannot be in the past."), code="closes_on_past")
    if closes_on > today + datetime.timedelta(days=MAX_CLOSING_DAYS):
        raise ValidationError(
            too_far_message or _("Choose a closing date within two years."), code="closes_on_far"
        )


@transaction.atomic
def vacancy_check_role(*, employer, role):
    """Raises ValidationError on `role` unless `employer`'s kind recruits for it."""
    if not roles_for_employer(employer=employer).filter(pk=role.pk).exists():
        raise ValidationError(
            {"role": _("Your organisation does not recruit for this role.")}, code="invalid"
        )


def vacancy_save(*, employer, data, skills=None, languages=None, user=None, vacancy=None):
    """Creates or changes a vacancy of `employer`, with its requirements, all or nothing.

    `data` holds validated field values (model instances for role and commune); `skills` and
    `languages`, when given, replace the stored requirements.
    """
    if vacancy is None:
        vacancy = Vacancy(employer=employer, created_by=user)
    elif vacancy.employer_id != employer.pk:
        raise ValidationError("This vacancy belongs to another organisation.")
    role_before = vacancy.role_id
    for field in VACANCY_FIELDS:
        if field in data:
            setattr(vacancy, field, data[field])
    if vacancy.role_id != role_before:
        vacancy_check_role(employer=employer, role=vacancy.role)
    vacancy_check_diploma(role=vacancy.role, diploma_required=vacancy.diploma_required)
    vacancy_check_salary_range(salary_min=vacancy.salary_min, salary_max=vacancy.salary_max)
    if not vacancy.diploma_required:
        vacancy.required_diploma = "none"
    vacancy.save()
    if skills is not None:
        vacancy.skill_requirements.all().delete()
        VacancySkill.objects.bulk_create(
            VacancySkill(
                vacancy=vacancy,
                skill=item["skill"],
                importance=item["importance"],
                min_level=item["min_level"],
                stage=item.get("stage") or RequirementStage.ENTRY,
            )
            for item in skills
        )
    if languages is not None:
        vacancy.language_requirements.all().delete()
        VacancyLanguage.objects.bulk_create(
            VacancyLanguage(
                vacancy=vacancy,
                language=item["language"],
                min_cefr=item["min_cefr"],
                certificate=item.get("certificate", ""),
                is_alternative=item.get("is_alternative", False),
            )
            for item in languages
        )
    vacancy_refresh_search_text(vacancy=vacancy)
    return vacancy


@transaction.atomic
def vacancy_create(
    *, employer, author, data, skills=None, languages=None, status=Vacancy.Status.DRAFT
):
    """A new vacancy of `employer` by `author`, started from its role's template; all or nothing.

    `data` holds validated field values and names the role. The fields left out, and `skills`
    and `languages` when None, are the role's; titles and descriptions in English excepted,
    since the role's would not match the author's own. A diploma required without naming one
    is the one the law sets for the role. `status` is draft, or published at once.
    """
    vacancy_check_status(
        employer=employer, current=None, wanted=status, closes_on=data.get("closes_on")
    )
    fields, role_skills, role_languages = vacancy_initial_from_role(
        role=data["role"], employer=employer
    )
    fields = {name: value for name, value in fields.items() if not name.endswith("_en")}
    data = {**fields, **data}
    if data.get("diploma_required") and data.get("required_diploma") in (None, Diploma.NONE):
        data["required_diploma"] = data["role"].required_diploma
    vacancy = vacancy_save(
        employer=employer,
        data=data,
        skills=role_skills if skills is None else skills,
        languages=role_languages if languages is None else languages,
        user=author,
    )
    if status != vacancy.status:
        vacancy = vacancy_set_status(vacancy=vacancy, status=status)
    return vacancy


@transaction.atomic
def vacancy_update(*, employer, vacancy, data, skills=None, languages=None, status=None):
    """Changes the fields in `data` of `employer`'s `vacancy`, then moves it to `status` when
    given, so that a closing date changed with the step counts for it; all or nothing.

    `skills` and `languages`, when given, replace the stored requirements. Requiring a
    diploma without naming one asks for the one the law sets for the role.
    """
    if data.get("diploma_required") and vacancy.required_diploma == Diploma.NONE:
        data = {"required_diploma": (data.get("role") or vacancy.role).required_diploma, **data}
    vacancy = vacancy_save(
        employer=employer, data=data, skills=skills, languages=languages, vacancy=vacancy
    )
    if status and status != vacancy.status:
        return vacancy_set_status(vacancy=vacancy, status=status)
    vacancy_render_shared_parts_after_commit(vacancy=vacancy)
    return vacancy


@transaction.atomic
def vacancy_skill_add(*, vacancy, skill, importance, min_level):
    """Requires `skill` for `vacancy` at `importance` and `min_level`; a skill already required
    takes the new importance and level (a skill appears once per vacancy)."""
    requirement, _created = VacancySkill.objects.update_or_create(
        vacancy=vacancy, skill=skill, defaults={"importance": importance, "min_level": min_level}
    )
    vacancy_refresh_search_text(vacancy=vacancy)
    vacancy_render_shared_parts_after_commit(vacancy=vacancy)
    return requirement


def vacancy_render_shared_parts_after_commit(*, vacancy):
    """A published vacancy's page and API representation rendered by a task once the change is
    committed (employers/vacancy_cache.py): the first reader finds them, not a cold render.
    Nothing for a vacancy the public does not see."""
    if vacancy.status == Vacancy.Status.PUBLISHED and vacancy_cache.enabled():
        transaction.on_commit(lambda: render_vacancy_shared_parts.enqueue(vacancy.pk), robust=True)


def vacancy_refresh_search_text(*, vacancy):
    skills = VacancySkill.objects.filter(vacancy=vacancy).select_related("skill")
    parts = [
        vacancy.title_fr,
        vacancy.title_nl,
        vacancy.title_en,
        vacancy.description_fr,
        vacancy.description_nl,
        vacancy.description_en,
        # All the organisation's names: a Dutch reader searching "Schaarbeek" finds it too.
        vacancy.employer.name_fr,
        vacancy.employer.name_nl,
        vacancy.employer.name_en,
        vacancy.role.title_fr,
        vacancy.role.title_nl,
        vacancy.role.title_en,
        vacancy.commune.name_fr,
        vacancy.commune.name_nl,
        vacancy.commune.name_en,
    ]
    for requirement in skills:
        parts += [
            requirement.skill.label_fr,
            requirement.skill.label_nl,
            requirement.skill.label_en,
        ]
    text = normalise_for_search(" ".join(part for part in parts if part))
    Vacancy.objects.filter(pk=vacancy.pk).update(search_text=text)
    vacancy.search_text = text


# The workflow: draft → published → closed or filled. A closed vacancy can be published
# again (with a new closing date); a filled one is done.
TRANSITIONS = {
    Vacancy.Status.DRAFT: {Vacancy.Status.PUBLISHED},
    Vacancy.Status.PUBLISHED: {Vacancy.Status.CLOSED, Vacancy.Status.FILLED},
    Vacancy.Status.CLOSED: {Vacancy.Status.PUBLISHED, Vacancy.Status.FILLED},
    Vacancy.Status.FILLED: set(),
}


# A new vacancy is saved as a draft, or published at once.
CREATE_STATUSES = {Vacancy.Status.DRAFT, Vacancy.Status.PUBLISHED}


def vacancy_check_status(*, employer, current, wanted, closes_on):
    """Raises ValidationError unless a vacancy of `employer` closing on `closes_on` may move
    from status `current` to `wanted`; `current` is None for a vacancy not yet saved.

    Publishing needs a verified organisation and a closing date not in the past.
    """
    if current is None:
        if wanted not in CREATE_STATUSES:
            raise ValidationError(
                _("A new vacancy is a draft or published at once."), code="invalid_status"
            )
    elif wanted not in TRANSITIONS[current]:
        raise ValidationError(
            _("A vacancy cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": Vacancy.Status(current).label,
                "to": Vacancy.Status(wanted).label,
            },
            code="invalid_transition",
        )
    if wanted == Vacancy.Status.PUBLISHED:
        if not employer.is_verified:
            raise ValidationError(
                _("Your organisation must be verified by the college before it can publish."),
                code="employer_not_verified",
            )
        if closes_on is not None and closes_on < timezone.localdate():
            raise ValidationError(
                {"closes_on": _("The closing date is in the past: choose a later date first.")},
                code="closed_in_past",
            )


@transaction.atomic
def vacancy_set_status(*, vacancy, status):
    """Moves a vacancy through its workflow, stamping the date of each step."""
    vacancy = Vacancy.objects.select_for_update().select_related("employer").get(pk=vacancy.pk)
    vacancy_check_status(
        employer=vacancy.employer,
        current=vacancy.status,
        wanted=status,
        closes_on=vacancy.closes_on,
    )
    now = timezone.now()
    if status == Vacancy.Status.PUBLISHED:
        vacancy.published_at = now
        vacancy.closed_at = None
    elif status == Vacancy.Status.CLOSED:
        vacancy.closed_at = now
    elif status == Vacancy.Status.FILLED:
        vacancy.filled_at = now
        vacancy.closed_at = vacancy.closed_at or now
    vacancy.status = status
    vacancy.save(update_fields=["status", "published_at", "closed_at", "filled_at", "updated_at"])
    if status == Vacancy.Status.PUBLISHED:
        vacancy_published.send(sender=Vacancy, vacancy=vacancy)
    vacancy_render_shared_parts_after_commit(vacancy=vacancy)
    return vacancy


class AlreadyApplied(Exception):
    """The job-seeker has already applied to this vacancy."""


@transaction.atomic
def application_submit(*, profile, vacancy, motivation, shares_test_results=False):
    """Applies to an open vacancy, recording consent to share the profile with its employer.

    `shares_test_results` is the job-seeker's own choice to let the employer see their
    practice-test results with this application (off unless they tick it).

    Applying twice raises `AlreadyApplied`, also when two requests race: the unique
    constraint decides, and the loser's consent record is rolled back with it.
    """
    vacancy = Vacancy.objects.select_related("employer").get(pk=vacancy.pk)
    if not Vacancy.objects.published().filter(pk=vacancy.pk).exists():
        raise ValidationError(_("This vacancy is closed: applications are no longer taken."))
    if Application.objects.filter(vacancy=vacancy, profile=profile).exists():
        raise AlreadyApplied
    try:
        with transaction.atomic():
            consent = candidate_application_consent_record(
                profile=profile, employer=vacancy.employer
            )
            application = Application.objects.create(
                vacancy=vacancy,
                profile=profile,
                motivation=motivation,
                consent=consent,
                shares_test_results=shares_test_results,
            )
    except IntegrityError:
        raise AlreadyApplied from None
    ApplicationEvent.objects.create(application=application, stage=application.stage)
    return application


# Stages move forward; "not retained" may come at any point before "hired".
STAGE_ORDER = [
    Application.Stage.RECEIVED,
    Application.Stage.INVITED_TO_TESTS,
    Application.Stage.INTERVIEW,
    Application.Stage.OFFER,
    Application.Stage.HIRED,
]
FINAL_STAGES = {Application.Stage.HIRED, Application.Stage.NOT_RETAINED}


# The stages whose e-mail is an invitation: a date, a time, a place and instructions.
APPOINTMENT_STAGES = {Application.Stage.INVITED_TO_TESTS, Application.Stage.INTERVIEW}


def appointment_errors(*, stage, appointment_at, place, now=None):
    """{field: message} of what an invitation to `stage` lacks; empty when it is complete.

    Only the stages of APPOINTMENT_STAGES need one, and its moment must be in the future.
    """
    if stage not in APPOINTMENT_STAGES:
        return {}
    errors = {}
    if appointment_at is None:
        errors["appointment_at"] = _("Give the date and time of the appointment.")
    elif appointment_at <= (now or timezone.now()):
        errors["appointment_at"] = _("The appointment must be in the future.")
    if not (place or "").strip():
        errors["appointment_place"] = _("Give the place of the appointment.")
    return errors


@transaction.atomic
def application_move(
    *,
    application,
    stage,
    user,
    reason="",
    note="",
    appointment_at=None,
    appointment_place="",
    appointment_instructions="",
    notify=True,
):
    """Moves an application to `stage`; the job-seeker is e-mailed in the background.

    `note` is the message to the candidate, for any stage. A move to "invited to tests" or
    "interview" needs `appointment_at` (in the future) and `appointment_place`, with
    optional instructions; the e-mail then carries an .ics invitation. Other stages clear
    the appointment. `notify=False` is for data loaded in bulk (the demo), where nobody is
    waiting for news.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.stage in FINAL_STAGES:
        raise ValidationError(_("This application is already decided."), code="decided")
    if stage == Application.Stage.NOT_RETAINED:
        if not reason:
            raise ValidationError(
                {"reason": _("Choose the reason the candidate will see.")}, code="reason"
            )
    elif STAGE_ORDER.index(stage) <= STAGE_ORDER.index(application.stage):
        raise ValidationError(_("An application only moves forward."), code="backwards")
    else:
        reason = ""
    if notify:
        errors = appointment_errors(
            stage=stage, appointment_at=appointment_at, place=appointment_place
        )
        if errors:
            raise ValidationError(errors, code="appointment")
    if stage not in APPOINTMENT_STAGES:
        appointment_at, appointment_place, appointment_instructions = None, "", ""
    application.stage = stage
    application.reason = reason
    application.reason_note = note
    application.appointment_at = appointment_at
    application.appointment_place = appointment_place
    application.appointment_instructions = appointment_instructions
    application.stage_changed_at = timezone.now()
    application.save(
        update_fields=[
            "stage",
            "reason",
            "reason_note",
            "appointment_at",
            "appointment_place",
            "appointment_instructions",
            "stage_changed_at",
        ]
    )
    ApplicationEvent.objects.create(
        application=application, stage=stage, reason=reason, changed_by=user
    )
    if notify:
        transaction.on_commit(lambda: send_application_stage_email.enqueue(application.pk))
    return application


def application_note_add(*, application, author, text):
    """An internal note on `application` by a member of the organisation that owns it."""
    if application.is_erased:
        raise ValidationError(_("This application was erased at the candidate's request."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")}, code="empty")
    return ApplicationNote.objects.create(application=application, author=author, text=text)


@transaction.atomic
def application_withdraw(*, application):
    """The job-seeker withdraws: the employer stops seeing their profile for this vacancy."""
    application = (
        Application.objects.select_for_update().select_related("vacancy").get(pk=application.pk)
    )
    if application.stage in FINAL_STAGES:
        raise ValidationError(_("This application is already decided."), code="decided")
    application.stage = Application.Stage.NOT_RETAINED
    application.reason = Application.Reason.WITHDRAWN
    application.stage_changed_at = timezone.now()
    application.save(update_fields=["stage", "reason", "stage_changed_at"])
    ApplicationEvent.objects.create(
        application=application,
        stage=application.stage,
        reason=application.reason,
        changed_by=application.profile.user,
    )
    candidate_application_consent_record(
        profile=application.profile, employer=application.vacancy.employer, given=False
    )
    return application


def invitation_create(*, employer, email, invited_by):
    """Invites a colleague by e-mail; the link is valid for two weeks."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This address already has a Passerelle account.")}, code="exists"
        )
    invitation = Invitation.objects.create(
        employer=employer,
        email=email,
        token=secrets.token_urlsafe(32),
        invited_by=invited_by,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
    )
    transaction.on_commit(lambda: send_invitation_email.enqueue(invitation.pk))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation, full_name, password, language):
    """Creates the invited colleague's account as a member of the inviting organisation."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation has expired or was already used."))
    user = User.objects.create_user(
        email=invitation.email,
        password=password,
        full_name=full_name,
        role=User.Role.EMPLOYER,
        preferred_language=language,
    )
    Membership.objects.create(user=user, employer=invitation.employer, is_admin=False)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    return user
