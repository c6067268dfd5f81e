"""The employer's blind shortlist of a vacancy, the invitation that reveals a candidate, and
the vacancy's pool insight beside its editor.

Only members of the vacancy's organisation open it; for anyone else signed in it does not
exist (404), and anonymous visitors are sent to log in.
"""

import re
import secrets
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from candidates.models import Evidence
from college.core.access import role_required
from college.models import Importance, User
from employers.access import get_membership_for, get_vacancy_for_member
from employers.models import Application, ShortlistInvitation
from employers.services import STAGE_ORDER
from employers.shortlists.applicants import DEFAULT_SORT, SORTS, applicant_rows, stage_filters
from employers.shortlists.pool import insight_data, pool_insight, target_from_editor
from employers.shortlists.selectors import (
    AlreadyInvited,
    ShortlistRanks,
    shortlist_invite,
    shortlist_kept,
    shortlist_profile_for_ref,
    shortlist_rows,
    shortlist_vacancy_for,
    shortlist_window,
)
from employers.views import editor as editor_views

PAGE_SIZE = 20
PAGE_TEMPLATE = "employers/shortlists/shortlist.html"
CARDS_TEMPLATE = "employers/shortlists/includes/shortlist_cards.html"
CONTENT_TEMPLATE = "employers/shortlists/includes/shortlist_content.html"
# What each reader of a kept page gets of their own (see _kept_page): the CSRF token of the forms,
# the CSP nonce (none on the page today) and the page's own address (the language switcher's).
SLOTS = ("csrf", "nonce", "path")
KEPT_FORMAT = 2  # moves on when what is kept changes shape
MESSAGE_MAX = ShortlistInvitation._meta.get_field("message").max_length


class ShortlistInviteForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the candidate (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Sent with the invitation, with your name, your organisation and the vacancy."
        ),
        error_messages={
            "max_length": gettext_lazy(
                "Keep it to %(limit_value)d characters at most (you wrote %(show_value)d)."
            )
        },
    )


def _form_prefix(ref):
    return f"invite-{ref}"


def _page_number(value):
    value = (value or "").strip()
    return value if value.isdigit() and len(value) < 10 else "1"


def _text(texts, key, make):
    """`make()`, once per page: the few texts a page's many lines share, translated once."""
    value = texts.get(key)
    if value is None:
        value = texts[key] = make()
    return value


def _skill_line(line, texts):
    # The texts are made here rather than in the template: a page shows some 300 lines.
    def levels():
        asked = _("level asked: %(asked)s") % {"asked": line.required_level}
        if line.held_level:
            held = _("held: %(held)s") % {"held": line.held_level}
        else:
            held = _("not held")
        return f"{asked} · {held}"

    return {
        "levels": _text(texts, ("levels", line.required_level, line.held_level), levels),
        "label": line.label,
        "importance": _text(
            texts, ("importance", line.importance), lambda: str(Importance(line.importance).label)
        ),
        "evidence": line.evidence,
        "evidence_label": _text(
            texts, ("evidence", line.evidence), lambda: str(Evidence(line.evidence).label)
        )
        if line.evidence
        else "",
    }


def _language_line(line):
    levels = [
        _("asked: %(asked)s") % {"asked": line.min_cefr},
        _("held: %(held)s") % {"held": line.held_cefr} if line.held_cefr else _("not declared"),
    ]
    if line.via_certificate:
        levels.append(_("Brussels certificate held"))
    return {
        "levels": " · ".join(str(level) for level in levels),
        "name": line.name,
        "is_alternative": line.is_alternative,
        "met": line.met,
    }


def _cards(request, window, *, page, can_invite, failed, csrf_token):
    """The page's cards, rendered; the forms' CSRF token `csrf_token`, a marker (see _markers)."""
    failed_ref, failed_form = failed or (None, None)
    cards = []
    texts = {}
    for row in shortlist_rows(window.vacancy, window=window):
        form = None
        if row.invitation is None and can_invite:
            if row.candidate_ref == failed_ref:
                form = failed_form
            else:
                form = ShortlistInviteForm(prefix=_form_prefix(row.candidate_ref))
        cards.append(
            {
                "row": row,
                "form": form,
                "skill_groups": [
                    {"title": title, "lines": [_skill_line(line, texts) for line in lines]}
                    for title, lines in (
                        (_("Matched"), row.matched),
                        (_("Partly: level or evidence short"), row.partial),
                        (_("Missing"), row.missing),
                    )
                ],
                "languages": [_language_line(line) for line in row.match.languages],
                "application_url": (
                    reverse("employers:application_detail", args=[row.application.pk])
                    if row.application is not None
                    else ""
                ),
            }
        )
    if failed_form is not None and not any(
        card["row"].candidate_ref == failed_ref for card in cards
    ):
        # The ranking moved meanwhile: the row is no longer on this page.
        for errors in failed_form.errors.values():
            messages.error(request, " ".join(errors))
    if not cards:
        return ""
    return render_to_string(
        CARDS_TEMPLATE,
        {"cards": cards, "page": page, "vacancy": window.vacancy, "csrf_token": csrf_token},
    )


def _content(request, window, *, page, can_invite, failed, csrf_token):
    """The page's content, its cards included, rendered (see _cards)."""
    cards_html = _cards(
        request, window, page=page, can_invite=can_invite, failed=failed, csrf_token=csrf_token
    )
    return render_to_string(
        CONTENT_TEMPLATE,
        {
            "vacancy": window.vacancy,
            "page": page,
            "total": page.paginator.count,
            "can_invite": can_invite,
            "cards_html": mark_safe(cards_html),
        },
    )


# A page is kept rendered, the same for every member of the organisation, as lists of parts: text,
# then a slot's name, text, and so on. Each reader's own values go in the slots (_joined).


def _markers():
    """Markers for the content and each slot while a page is rendered: drawn at random each
    time, so that no text on the page (a vacancy's title, say) can stand for one."""
    tag = secrets.token_hex(16)
    return {name: f"passerelle-{name}-{tag}" for name in ("content", *SLOTS)}


def _parts(html, markers):
    """`html` cut at the slots' markers: [text, slot, text, …, slot, text]."""
    names = {markers[name]: name for name in SLOTS}
    pattern = re.compile("|".join(re.escape(marker) for marker in names))
    parts, start = [], 0
    for found in pattern.finditer(html):
        parts += [html[start : found.start()], names[found.group()]]
        start = found.end()
    parts.append(html[start:])
    return parts


def _joined(parts, values):
    return "".join(values[part] if index % 2 else part for index, part in enumerate(parts))


class _FrameRequest:
    """The request as the kept frame reads it: its address a marker (the language switcher's
    `next`, each reader's own), everything else the request's."""

    def __init__(self, request, path):
        self._request = request
        self._path = path

    def __getattr__(self, name):
        return getattr(self._request, name)

    def get_full_path(self):
        return self._path


def _kept_page(request, window, *, page, can_invite):
    """The page rendered for every member of the organisation: its content, and base.html
    around it (the frame) with no message and a marker for each slot. The frame shows nothing
    of the reader but what their role and language say (the menu)."""
    markers = _markers()
    content = _content(
        request, window, page=page, can_invite=can_invite, failed=None, csrf_token=markers["csrf"]
    )
    context = {
        "vacancy": window.vacancy,
        "content_html": mark_safe(markers["content"]),
        "csrf_token": markers["csrf"],
        "csp_nonce": markers["nonce"],
        "messages": (),
        "request": _FrameRequest(request, markers["path"]),
    }
    head, tail = render_to_string(PAGE_TEMPLATE, context, request=request).split(markers["content"])
    return {
        "head": _parts(head, markers),
        "content": _parts(content, markers),
        "tail": _parts(tail, markers),
    }


def _framed(request, vacancy, content, *, status):
    """The page around `content` (parts) rendered for this reader (their messages shown)."""
    content_html = _joined(content, {"csrf": get_token(request)})
    context = {"vacancy": vacancy, "content_html": mark_safe(content_html)}
    return render(request, PAGE_TEMPLATE, context, status=status)


def _shortlist_page(request, vacancy, *, can_invite, page_number=None, failed=None, status=200):
    # The paginator pages the ranks; only the rows of the page shown are read and explained,
    # and the page is rendered once for every member of the organisation, then kept
    # (selectors.shortlist_kept) until anything it shows changes.
    paginator = Paginator(ShortlistRanks(vacancy), PAGE_SIZE)
    page = paginator.get_page(_page_number(page_number or request.GET.get("page")))
    window = shortlist_window(
        vacancy, limit=PAGE_SIZE, offset=page.object_list[0] if page.object_list else 0
    )
    if failed is not None:
        markers = _markers()
        content = _content(
            request,
            window,
            page=page,
            can_invite=can_invite,
            failed=failed,
            csrf_token=markers["csrf"],
        )
        return _framed(request, vacancy, _parts(content, markers), status=status)
    kept = shortlist_kept(
        window,
        "page",
        lambda window: _kept_page(request, window, page=page, can_invite=can_invite),
        extra=(
            KEPT_FORMAT,
            page.number,
            paginator.count,
            can_invite,
            request.user.role,
            request.resolver_match.view_name,
        ),
    )
    if len(get_messages(request)):
        return _framed(request, vacancy, kept["content"], status=status)
    values = {"csrf": get_token(request), "path": escape(request.get_full_path())}
    if "nonce" in kept["head"][1::2] + kept["content"][1::2] + kept["tail"][1::2]:
        # Drawn only when shown: a nonce drawn goes into the response's CSP header.
        values["nonce"] = str(get_nonce(request))
    html = "".join(_joined(kept[part], values) for part in ("head", "content", "tail"))
    return HttpResponse(html, status=status)


@require_GET
def shortlist(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    vacancy, is_published = shortlist_vacancy_for(request.user, pk)
    return _shortlist_page(request, vacancy, can_invite=is_published)


@require_POST
def shortlist_invite_view(request, pk, ref):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("employers:shortlist", args=[pk]))
    vacancy, is_published = shortlist_vacancy_for(request.user, pk)
    profile = shortlist_profile_for_ref(vacancy, ref)
    if profile is None:
        raise Http404
    page_number = _page_number(request.POST.get("page"))
    form = ShortlistInviteForm(request.POST, prefix=_form_prefix(ref))
    if not form.is_valid():
        return _shortlist_page(
            request,
            vacancy,
            can_invite=is_published,
            page_number=page_number,
            failed=(ref, form),
            status=400,
        )
    try:
        shortlist_invite(
            vacancy=vacancy,
            profile=profile,
            invited_by=request.user,
            message=form.cleaned_data["message"],
        )
    except AlreadyInvited:
        messages.info(
            request,
            _("This candidate has already been invited for this vacancy: nothing more was sent."),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Invitation sent to %(name)s: they are told who invited them and how to apply. "
                "Their name and contact details are now shown."
            )
            % {"name": profile.user.full_name},
        )
    url = reverse("employers:shortlist", args=[vacancy.pk])
    return redirect(f"{url}?{urlencode({'page': page_number})}#{ref}")


@role_required(User.Role.EMPLOYER)
@require_GET
def pipeline(request, pk):
    vacancy = get_vacancy_for_member(request.user, pk)
    # Unknown values fall back to the defaults: a hand-edited address still shows the list.
    stages = stage_filters()
    stage = request.GET.get("stage", "")
    if stage not in {value for value, _label in stages}:
        stage = ""
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    applications = vacancy.applications.select_related("profile__user").order_by("created_at", "pk")
    sections = {stage.value: [] for stage in STAGE_ORDER}
    sections[Application.Stage.NOT_RETAINED.value] = []
    withdrawn, erased = [], []
    for application in applications:
        if application.is_erased:
            erased.append(application)
        elif application.reason == Application.Reason.WITHDRAWN:
            withdrawn.append(application)
        else:
            sections[application.stage].append(application)
    groups = [
        {
            "key": key,
            "label": Application.Stage(key).label,
            "applications": items,
        }
        for key, items in sections.items()
    ]
    groups.append({"key": "withdrawn", "label": _("Withdrawn"), "applications": withdrawn})
    if erased:
        groups.append({"key": "erased", "label": _("Erased"), "applications": erased})
    context = {
        "vacancy": vacancy,
        "groups": groups,
        "total": sum(len(group["applications"]) for group in groups),
        "rows": applicant_rows(vacancy=vacancy, stage=stage, sort=sort),
        "stage": stage,
        "stages": stages,
        "sort": sort,
        "sorts": list(SORTS.items()),
    }
    return render(request, "employers/shortlists/pipeline.html", context)


# The pool insight beside the editor ---------------------------------------------------------

PANEL_HEADER = "X-Pool-Panel"


@role_required(User.Role.EMPLOYER)
@require_http_methods(["GET", "POST"])
@vary_on_headers(PANEL_HEADER)
def vacancy_pool(request, pk):
    """GET: the saved vacancy's pool insight on its own page, or the panel alone (header
    X-Pool-Panel) for the editor's script, which fetches it once the editor's placeholder comes
    into view: the editor's page never waits for the counts (the first insight of a worker
    builds its copy of the pool, seconds at Brussels scale). POST (the editor's fields): the
    insight of the vacancy as edited, not saved; the panel alone for the editor's script, else
    the editor again with what was typed and the new panel (the plain button, without
    JavaScript)."""
    membership = get_membership_for(request.user)
    vacancy = editor_views.vacancy_for_editor(request, pk)
    panel_only = request.headers.get(PANEL_HEADER) == "1"
    if request.method == "GET":
        context = {"vacancy": vacancy, "pool": insight_data(pool_insight(vacancy=vacancy))}
        if panel_only:
            return render(request, "employers/shortlists/includes/pool_panel.html", context)
        return render(request, "employers/shortlists/pool.html", context)
    form, skills, languages = editor_views.editor_forms(request, role=vacancy.role, vacancy=vacancy)
    target, closes_on = target_from_editor(vacancy, form=form, skills=skills, languages=languages)
    pool = insight_data(pool_insight(vacancy=vacancy, target=target, closes_on=closes_on))
    context = {"vacancy": vacancy, "pool": pool, "is_edited": True}
    if panel_only:
        return render(request, "employers/shortlists/includes/pool_panel.html", context)
    return editor_views.render_editor(
        request,
        membership=membership,
        role=vacancy.role,
        vacancy=vacancy,
        form=form,
        skills=skills,
        languages=languages,
        extra=context,
    )
