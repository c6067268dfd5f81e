"""The organisation's vacancy editor and workflow, and member invitations."""

import copy
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from candidates.forms.skills import MIN_QUERY_LENGTH, SkillSearchForm
from college.core.access import role_required
from college.models import Level, RequirementStage, Sector, Skill, User, active_language
from employers import services
from employers.access import get_membership_for, get_vacancy_for_member, vacancies_managed_by
from employers.forms.editor import (
    EditorChoices,
    InvitationAcceptForm,
    InvitationForm,
    LanguageFormSet,
    SkillFormSet,
    VacancyForm,
    VacancySkillAddForm,
)
from employers.models import Contract, Invitation, Vacancy, roles_for_employer
from employers.services import VACANCY_FIELDS

VACANCIES_PER_PAGE = 25
# The vacancy's own fields the editor shows; role and commune are handled apart.
FORM_FIELDS = tuple(name for name in VACANCY_FIELDS if name not in ("role", "commune"))


def _counted(status, count):
    """ "4 published vacancies": a status label alone after a number reads wrong ("4 Publiée")."""
    phrases = {
        Vacancy.Status.DRAFT: ngettext("%(count)s draft", "%(count)s drafts", count),
        Vacancy.Status.PUBLISHED: ngettext(
            "%(count)s published vacancy", "%(count)s published vacancies", count
        ),
        Vacancy.Status.CLOSED: ngettext(
            "%(count)s closed vacancy", "%(count)s closed vacancies", count
        ),
        Vacancy.Status.FILLED: ngettext(
            "%(count)s filled vacancy", "%(count)s filled vacancies", count
        ),
    }
    return phrases[status] % {"count": count}


def vacancy_status_counts(employer):
    """How many of the organisation's vacancies are in each status, in one query."""
    rows = Vacancy.objects.of(employer).order_by().values_list("status").annotate(Count("pk"))
    counts = dict(rows)
    return [
        {
            "status": value,
            "label": label,
            "count": counts.get(value, 0),
            "counted": _counted(value, counts.get(value, 0)),
        }
        for value, label in Vacancy.Status.choices
    ]


def pending_invitations(employer):
    return (
        Invitation.objects.filter(
            employer=employer, accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def workflow_actions(vacancy):
    """The workflow buttons the vacancy's status allows, in the order they are offered."""
    labels = {
        Vacancy.Status.PUBLISHED: (
            _("Publish again") if vacancy.status == Vacancy.Status.CLOSED else _("Publish")
        ),
        Vacancy.Status.CLOSED: _("Close"),
        Vacancy.Status.FILLED: _("Mark as filled"),
    }
    allowed = services.TRANSITIONS[vacancy.status]
    return [
        {"status": status, "label": labels[status]}
        for status in (Vacancy.Status.PUBLISHED, Vacancy.Status.CLOSED, Vacancy.Status.FILLED)
        if status in allowed
    ]


@role_required(User.Role.EMPLOYER)
@require_GET
def vacancy_list(request):
    membership = get_membership_for(request.user)
    employer = membership.employer
    status = request.GET.get("status", "")
    if status not in Vacancy.Status.values:
        status = ""
    vacancies = (
        Vacancy.objects.of(employer)
        .for_list()
        .annotate(application_count=Count("applications"))
        .order_by("-created_at", "-pk")
    )
    if status:
        vacancies = vacancies.filter(status=status)
    page = Paginator(vacancies, VACANCIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "employer": employer,
        "page": page,
        "vacancies": page.object_list,
        "status_counts": vacancy_status_counts(employer),
        "selected_status": status,
        "selected_status_label": Vacancy.Status(status).label if status else "",
        "today": timezone.localdate(),
    }
    return render(request, "employers/vacancy_list.html", context)


@role_required(User.Role.EMPLOYER)
@require_GET
def vacancy_new(request):
    membership = get_membership_for(request.user)
    roles = list(
        roles_for_employer(employer=membership.employer).order_by(
            f"title_{active_language()}", "pk"
        )
    )
    sectors = [
        {"label": label, "roles": [role for role in roles if role.sector == value]}
        for value, label in Sector.choices
    ]
    return render(
        request,
        "employers/vacancy_new.html",
        {"sectors": [sector for sector in sectors if sector["roles"]]},
    )


def _form_initial(fields):
    initial = {name: fields[name] for name in FORM_FIELDS if name in fields}
    for name in ("driving_licence", "salary_scale", "address"):
        initial[name] = initial.get(name) or ""
    commune = fields.get("commune")
    initial["commune"] = str(commune.pk) if commune else ""
    # Most posts in prevention and security are permanent; the employer changes it if not.
    initial.setdefault("contract", Contract.PERMANENT)
    return initial


def _skill_initial(skills):
    return [
        {
            "skill": str(item["skill"].pk),
            "importance": item["importance"],
            "min_level": item["min_level"],
            # Left out, every skill the employer's school teaches came back "required at
            # entry", and saving the editor unchanged made it a gap for every applicant.
            "stage": item.get("stage") or RequirementStage.ENTRY,
        }
        for item in skills
    ]


def _language_initial(languages):
    return [
        {
            "language": str(item["language"].pk),
            "min_cefr": item["min_cefr"],
            "certificate": item["certificate"],
            "is_alternative": item["is_alternative"],
        }
        for item in languages
    ]


def _add_service_error(form, error):
    """Puts a service's ValidationError at the field it names, or at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def editor_forms(request, *, role, vacancy=None):
    """The editor's three forms bound to the request's POST (the vacancy, its skills, its
    languages), each checked so that every error shows at once."""
    choices = EditorChoices()
    stored_closes_on = vacancy.closes_on if vacancy else None
    form = VacancyForm(request.POST, role=role, choices=choices, stored_closes_on=stored_closes_on)
    skills = SkillFormSet(request.POST, prefix="skills", form_kwargs={"choices": choices})
    languages = LanguageFormSet(request.POST, prefix="languages", form_kwargs={"choices": choices})
    for part in (form, skills, languages):
        part.is_valid()
    return form, skills, languages


def render_editor(
    request, *, membership, role, vacancy, form, skills, languages, extra=None, status=200
):
    """The editor's page around its forms; `extra` adds to its context (the pool insight)."""
    has_errors = bool(form.errors or skills.total_error_count() or languages.total_error_count())
    context = {
        "employer": membership.employer,
        "role": role,
        "vacancy": vacancy,
        "form": form,
        "skills": skills,
        "languages": languages,
        "has_errors": has_errors,
    }
    if vacancy is not None:
        context["actions"] = workflow_actions(vacancy)
        context["closes_in_past"] = vacancy.closes_on < timezone.localdate()
        context.update(_skill_search_context(request, vacancy))
    context.update(extra or {})
    return render(request, "employers/vacancy_form.html", context, status=status)


def _editor(request, *, membership, role, vacancy=None, initial=None):
    """The one editor page, for a new vacancy (`initial` from its role) or an existing one."""
    if request.method == "POST":
        form, skills, languages = editor_forms(request, role=role, vacancy=vacancy)
        if not (form.errors or skills.total_error_count() or languages.total_error_count()):
            arguments = {
                "employer": membership.employer,
                "data": form.service_data(),
                "skills": skills.items(),
                "languages": languages.items(),
            }
            try:
                if vacancy is None:
                    arguments["data"]["role"] = role
                    saved = services.vacancy_create(author=request.user, **arguments)
                else:
                    # A copy: a refused save must not change the vacancy the page shows.
                    saved = services.vacancy_update(vacancy=copy.copy(vacancy), **arguments)
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                if vacancy is None:
                    messages.success(
                        request,
                        _("Draft saved. Check it, then publish it when it is ready."),
                    )
                elif saved.is_open and saved.employer.is_verified:
                    messages.success(request, _("Changes saved: the board shows them now."))
                else:
                    messages.success(request, _("Changes saved."))
                return redirect("employers:vacancy_edit", pk=saved.pk)
    else:
        choices = EditorChoices()
        stored_closes_on = vacancy.closes_on if vacancy else None
        form_kwargs = {"role": role, "choices": choices, "stored_closes_on": stored_closes_on}
        fields, skill_items, language_items = initial
        form = VacancyForm(initial=_form_initial(fields), **form_kwargs)
        skills = SkillFormSet(
            initial=_skill_initial(skill_items), prefix="skills", form_kwargs={"choices": choices}
        )
        languages = LanguageFormSet(
            initial=_language_initial(language_items),
            prefix="languages",
            form_kwargs={"choices": choices},
        )
    return render_editor(
        request,
        membership=membership,
        role=role,
        vacancy=vacancy,
        form=form,
        skills=skills,
        languages=languages,
    )


SKILL_SEARCH_LIMIT = 20


def _skill_search_context(request, vacancy):
    """The job-seeker's skill search (candidates.forms.skills), here for a vacancy's skills:
    a GET form on the editor's page, then one small POST form per result."""
    search_form = SkillSearchForm(request.GET if "q" in request.GET else None)
    query = search_form.query() if search_form.is_bound else ""
    searched = search_form.is_bound
    required = {item.skill_id for item in vacancy.skill_requirements.all()}
    results = None
    if len(query) >= MIN_QUERY_LENGTH:
        results = [
            {"skill": skill, "required": skill.pk in required}
            for skill in Skill.objects.search(query, active_language())[:SKILL_SEARCH_LIMIT]
        ]
    return {
        "search_form": search_form,
        "query": query,
        "query_too_short": searched and len(query) < MIN_QUERY_LENGTH,
        "results": results,
        "search_limit": SKILL_SEARCH_LIMIT,
        "min_query_length": MIN_QUERY_LENGTH,
        "add_skill_form": VacancySkillAddForm(),
        "level_choices": Level.choices,
    }


@role_required(User.Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def vacancy_create(request, role_slug):
    membership = get_membership_for(request.user)
    # A role the organisation does not recruit for is not offered: as if it did not exist.
    role = get_object_or_404(roles_for_employer(employer=membership.employer), slug=role_slug)
    initial = None
    if request.method == "GET":
        initial = services.vacancy_initial_from_role(role=role, employer=membership.employer)
    return _editor(request, membership=membership, role=role, initial=initial)


def vacancy_for_editor(request, pk):
    """The member's vacancy with what the editor shows of it; a 404 for anyone else."""
    vacancies = vacancies_managed_by(request.user).select_related("employer", "role", "commune")
    return get_object_or_404(vacancies.with_requirements(), pk=pk)


@role_required(User.Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def vacancy_edit(request, pk):
    membership = get_membership_for(request.user)
    vacancy = vacancy_for_editor(request, pk)
    initial = None
    if request.method == "GET":
        fields = {name: getattr(vacancy, name) for name in FORM_FIELDS}
        fields["commune"] = vacancy.commune
        skills = [
            {
                "skill": item.skill,
                "importance": item.importance,
                "min_level": item.min_level,
                "stage": item.stage,
            }
            for item in vacancy.skill_requirements.all()
        ]
        languages = [
            {
                "language": item.language,
                "min_cefr": item.min_cefr,
                "certificate": item.certificate,
                "is_alternative": item.is_alternative,
            }
            for item in vacancy.language_requirements.all()
        ]
        initial = (fields, skills, languages)
    return _editor(
        request, membership=membership, role=vacancy.role, vacancy=vacancy, initial=initial
    )


@role_required(User.Role.EMPLOYER)
@require_POST
def vacancy_skill_add(request, pk):
    vacancy = get_vacancy_for_member(request.user, pk)
    form = VacancySkillAddForm(request.POST)
    query = str(request.POST.get("q", ""))[:200]
    if form.is_valid():
        skill = form.cleaned_data["skill"]
        services.vacancy_skill_add(
            vacancy=vacancy,
            skill=skill,
            importance=form.cleaned_data["importance"],
            min_level=form.cleaned_data["min_level"],
        )
        messages.success(
            request, _("“%(skill)s” is now required for this vacancy.") % {"skill": skill.label}
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    url = reverse("employers:vacancy_edit", args=[vacancy.pk])
    if query.strip():
        url += "?" + urlencode({"q": query.strip()})
    return redirect(url + "#skill-search")


STATUS_DONE = {
    Vacancy.Status.PUBLISHED: gettext_lazy(
        "The vacancy is published: it is on the public board until its closing date."
    ),
    Vacancy.Status.CLOSED: gettext_lazy("The vacancy is closed: it no longer takes applications."),
    Vacancy.Status.FILLED: gettext_lazy("The vacancy is marked as filled."),
}


@role_required(User.Role.EMPLOYER)
def vacancy_status(request, pk):
    # The vacancy is looked up first: another organisation's is a 404 whatever the method.
    vacancy = get_vacancy_for_member(request.user, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    status = request.POST.get("status", "")
    if status not in Vacancy.Status.values:
        messages.error(request, _("Choose one of the buttons to change the status."))
        return redirect("employers:vacancy_edit", pk=vacancy.pk)
    try:
        services.vacancy_set_status(vacancy=vacancy, status=status)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(STATUS_DONE[status]))
    return redirect("employers:vacancy_edit", pk=vacancy.pk)


@role_required(User.Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
def member_invite(request):
    membership = get_membership_for(request.user)
    employer = membership.employer
    if not membership.is_admin:
        admins = employer.memberships.filter(is_admin=True).select_related("user")
        return render(
            request,
            "employers/member_invite.html",
            {"employer": employer, "is_forbidden": True, "admins": admins},
            status=403,
        )
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                employer=employer, email=form.cleaned_data["email"], invited_by=request.user
            )
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s. The link works for two weeks, once.")
                % {"email": invitation.email},
            )
            return redirect("employers:member_invite")
    context = {
        "employer": employer,
        "form": form,
        "invitations": pending_invitations(employer),
    }
    return render(request, "employers/member_invite.html", context)


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = (
        Invitation.objects.select_related("employer", "invited_by").filter(token=token).first()
    )
    if invitation is None or not invitation.is_usable:
        return _invitation_unusable(request)
    if request.user.is_authenticated:
        context = {"invitation": invitation, "is_signed_in": True}
        return render(request, "employers/invitation_accept.html", context)
    if User.objects.filter(email__iexact=invitation.email).exists():
        context = {"invitation": invitation, "has_account": True}
        return render(request, "employers/invitation_accept.html", context)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                language=active_language(),
            )
        except ValidationError:  # used by another tab a moment ago
            return _invitation_unusable(request)
        except IntegrityError:  # the address signed up a moment ago
            context = {"invitation": invitation, "has_account": True}
            return render(request, "employers/invitation_accept.html", context)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome to %(employer)s on Passerelle.") % {"employer": invitation.employer.name},
        )
        return redirect("employers:dashboard")
    context = {"invitation": invitation, "form": form}
    return render(request, "employers/invitation_accept.html", context)


def _invitation_unusable(request):
    return render(request, "employers/invitation_accept.html", {"is_unusable": True}, status=404)
