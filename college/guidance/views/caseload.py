"""The counsellor's caseload pages: the list, its CSV export, the progress report, notes and
the action plan; and the job-seeker's side of the action plan."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from candidates.access import get_profile_for
from candidates.models import ProfileView
from candidates.services import profile_view_log
from college.core.access import role_required
from college.core.audit import audit_record
from college.core.text import csv_cell
from college.guidance import caseload
from college.guidance.forms.caseload import ActionItemForm, CaseloadFilterForm, CounsellorNoteForm
from college.guidance.views.profile import counsellor_profile_page
from college.models import AuditEvent, User
from college.reference.fit import fit_words

PAGE_SIZE = 20


@role_required(User.Role.COUNSELLOR)
@require_GET
def caseload_list(request):
    form = CaseloadFilterForm(request.GET)
    filters = form.filters()
    rows = caseload.caseload_rows(request.user, with_readiness=False, **filters)
    # Out-of-range or non-numeric pages show the last or first page (the site's convention).
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    caseload.fill_readiness(page.object_list)  # only for the people shown
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": page.object_list,
        "row_count": len(rows),
        "is_filtered": any(filters.values()),
        "attention_count": sum(1 for row in rows if row.needs_attention),
        "filter_query": query.urlencode(),
        "export_query": query.urlencode(),
    }
    return render(request, "college/guidance/caseload.html", context)


# The CSV export ----------------------------------------------------------------------------------

# Excel in Belgium opens a CSV with its regional list separator, a semicolon; the BOM tells it
# the file is UTF-8 (accents in names and titles).
CSV_DELIMITER = ";"
CSV_BOM = "\ufeff"


def caseload_csv_header():
    return [
        _("Job-seeker"),
        _("E-mail address"),
        _("Stage"),
        _("Target role"),
        _("All target roles"),
        _("Fit with the target role (0–100)"),
        _("Fit in words"),
        _("Eligibility"),
        _("Last activity"),
        _("Flags"),
    ]


def caseload_csv_row(row):
    last = timezone.localtime(row.last_activity) if row.last_activity else None
    return [
        row.name,
        row.email,
        str(row.stage_label),
        row.target_role.title if row.target_role else "",
        ", ".join(role.title for role in row.target_roles),
        row.readiness,
        fit_words(row.readiness) if row.readiness is not None else "",
        str(row.eligibility_label),
        last.strftime("%Y-%m-%d %H:%M") if last else "",
        " | ".join(f"{flag.label}: {flag.detail}" for flag in row.flags),
    ]


@role_required(User.Role.COUNSELLOR)
@require_GET
def caseload_csv(request):
    filters = CaseloadFilterForm(request.GET).filters()
    rows = caseload.caseload_rows(request.user, **filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="passerelle-caseload.csv"'
    add_never_cache_headers(response)
    response.write(CSV_BOM)
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    writer.writerow(caseload_csv_header())
    for row in rows:
        writer.writerow([csv_cell(value) for value in caseload_csv_row(row)])
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.DATA_EXPORTED,
        object_type="caseload",
        object_id=request.user.pk,
        detail=f"caseload CSV, {len(rows)} job-seekers",
        request=request,
    )
    return response


# One person's progress report, notes and action plan ---------------------------------------------


@role_required(User.Role.COUNSELLOR)
@require_GET
def caseload_report(request, profile_id):
    profile = get_profile_for(request.user, profile_id)
    # The report is a printed copy of the profile, like the passport: the closest channel.
    profile_view_log(profile=profile, viewer=request.user, channel=ProfileView.Channel.REPORT)
    response = HttpResponse(
        caseload.progress_report_pdf(profile, counsellor=request.user),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = 'attachment; filename="passerelle-progress-report.pdf"'
    add_never_cache_headers(response)
    return response


def _profile_page(request, profile, **forms):
    return counsellor_profile_page(request, profile, status=400, **forms)


def _profile_url(profile, anchor):
    return f"{reverse('candidates:counsellor_profile', args=[profile.pk])}#{anchor}"


@role_required(User.Role.COUNSELLOR)
@require_POST
def caseload_note_add(request, profile_id):
    profile = get_profile_for(request.user, profile_id)
    form = CounsellorNoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            caseload.counsellor_note_add(
                profile=profile, author=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Note saved. Only the counselling team sees it."))
            return redirect(_profile_url(profile, "notes"))
    return _profile_page(request, profile, note_form=form)


@role_required(User.Role.COUNSELLOR)
@require_POST
def caseload_action_add(request, profile_id):
    profile = get_profile_for(request.user, profile_id)
    form = ActionItemForm(request.POST, prefix="action")
    if form.is_valid():
        try:
            caseload.action_item_add(
                profile=profile,
                author=request.user,
                text=form.cleaned_data["text"],
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Action added to the plan. The job-seeker sees it."))
            return redirect(_profile_url(profile, "action-plan"))
    return _profile_page(request, profile, action_form=form)


@role_required(User.Role.COUNSELLOR)
@require_POST
def caseload_action_done(request, profile_id, pk):
    profile = get_profile_for(request.user, profile_id)
    item = caseload.get_action_item_for(request.user, pk)
    if item.candidate_id != profile.user_id:
        raise Http404
    done = request.POST.get("done", "1") != "0"
    caseload.action_item_mark_done(item=item, done=done)
    if done:
        messages.success(request, _("Marked as done."))
    else:
        messages.success(request, _("Open again."))
    return redirect(_profile_url(profile, "action-plan"))


# The job-seeker's side of the action plan -------------------------------------------------------


@role_required(User.Role.CANDIDATE)
@require_GET
def my_action_plan(request):
    return render(
        request,
        "college/guidance/my_action_plan.html",
        caseload.action_plan_context(request.user),
    )


@role_required(User.Role.CANDIDATE)
@require_POST
def my_action_done(request, pk):
    item = caseload.get_action_item_for(request.user, pk)
    caseload.action_item_mark_done(item=item, done=True)
    messages.success(request, _("Well done! Your counsellor sees it too."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("my_action_plan")
    return redirect(target)
