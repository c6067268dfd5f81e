"""The practice test pages: list, start, one item per screen, feedback, review, result; and the
counsellor's extra-time page. Each view: access helper → service or selector → template."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.access import batteries_visible_to, get_attempt_for, get_battery_for
from assessments.forms import AnswerForm, ExtraTimeForm, StartForm
from assessments.models import Attempt, AttemptItem, TimeAccommodation
from assessments.selectors import (
    attempt_progress,
    attempt_result,
    battery_rows_for,
    clock,
    item_content,
    item_feedback,
    section_seconds_left,
    time_multiplier_for,
)
from assessments.services import (
    AnswerRefused,
    AttemptClosed,
    InvalidAnswer,
    StartRefused,
    attempt_close_if_overdue,
    attempt_current_item,
    attempt_finish,
    attempt_start,
    response_save,
    time_accommodation_set,
)
from candidates.access import get_profile_for
from college.core.access import role_required
from college.core.converters import MAX_ID
from college.core.typography import elide
from college.models import User

MAX_POSITION = 32767


def _never_cached(response):
    # A test page shows a live state; a back button must ask the server again.
    add_never_cache_headers(response)
    return response


@role_required(User.Role.CANDIDATE)
@require_GET
def battery_list(request):
    multiplier = time_multiplier_for(request.user)
    rows = battery_rows_for(request.user, batteries_visible_to(request.user), multiplier)
    return render(
        request,
        "assessments/battery_list.html",
        {"rows": rows, "has_extra_time": multiplier != 1, "multiplier": multiplier},
    )


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def battery_detail(request, slug):
    battery = get_battery_for(request.user, slug)
    form = StartForm(request.POST or None, battery=battery, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = attempt_start(
                user=request.user,
                battery=battery,
                mode=form.cleaned_data["mode"],
                language=form.cleaned_data["language"],
            )
        except StartRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            if not attempt.is_new:
                messages.info(request, _("You already had this test in progress: carry on."))
            return redirect("assessments:attempt", attempt.pk)
    multiplier = time_multiplier_for(request.user)
    batteries = batteries_visible_to(request.user).filter(pk=battery.pk)
    row = battery_rows_for(request.user, batteries, multiplier)[0]
    return render(
        request,
        "assessments/battery_detail.html",
        {"row": row, "battery": battery, "form": form, "multiplier": multiplier},
        status=400 if form.errors else 200,
    )


def _open_attempt_or_result(request, pk):
    """The user's attempt, closed first when its time ran out; None when it is closed."""
    attempt = attempt_close_if_overdue(attempt=get_attempt_for(request.user, pk))
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return attempt, redirect("assessments:attempt_result", attempt.pk)
    return attempt, None


def _timer_context(attempt):
    # The clock shows the part open now: each part is timed on its own.
    left = section_seconds_left(attempt)
    return {"seconds_left": left, "clock": clock(left)}


@role_required(User.Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def attempt_item(request, pk):
    """The first unanswered item, whichever tab or device asks: answers are final once saved."""
    attempt, closed = _open_attempt_or_result(request, pk)
    if closed:
        return closed
    form = content = None
    current = attempt_current_item(attempt=attempt)
    if request.method == "POST":
        # The item the form was shown for, which an old tab may have answered already.
        target = _posted_item(attempt, request.POST.get("item")) or current
        if target is None:
            return redirect("assessments:attempt_review", attempt.pk)
        if _is_answered(target):
            messages.info(request, _("This question was already answered: your answer is kept."))
            return redirect("assessments:attempt", attempt.pk)
        content = item_content(target, attempt)
        form = AnswerForm(request.POST, attempt_item=target, content=content)
        if form.is_valid():
            try:
                response, created = response_save(attempt=attempt, item=target, **form.answer())
            except AttemptClosed as closed_error:
                messages.warning(request, _("Time ran out: your answer came too late."))
                return redirect("assessments:attempt_result", closed_error.attempt.pk)
            except AnswerRefused as refusal:
                messages.warning(request, refusal.message)
                return redirect("assessments:attempt", attempt.pk)
            except InvalidAnswer as error:
                form.add_error(form.answer_field, error.message)
            else:
                if not created:
                    messages.info(
                        request, _("This question was already answered: your answer is kept.")
                    )
                elif attempt.mode == Attempt.Mode.PRACTICE and target.item.is_scored:
                    return redirect("assessments:attempt_feedback", attempt.pk, target.position)
                return redirect("assessments:attempt", attempt.pk)
        current = target
    if current is None:
        return redirect("assessments:attempt_review", attempt.pk)
    if form is None:
        content = item_content(current, attempt)
        form = AnswerForm(attempt_item=current, content=content)
    response = render(
        request,
        "assessments/attempt_item.html",
        {
            "attempt": attempt,
            "content": content,
            "form": form,
            "progress": attempt_progress(attempt),
            **_timer_context(attempt),
        },
        status=400 if form.errors else 200,
    )
    return _never_cached(response)


def _posted_item(attempt, value):
    """The attempt's item named in the form; None when the form names none, a 404 when it
    names an item that is not in this attempt."""
    if value in (None, ""):
        return None
    try:
        item_id = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1 <= item_id <= MAX_ID:
        raise Http404
    return get_object_or_404(
        AttemptItem.objects.select_related(
            "item", "item__passage", "section", "response"
        ).prefetch_related("item__options"),
        attempt=attempt,
        item_id=item_id,
    )


def _is_answered(attempt_item):
    try:
        return attempt_item.response is not None
    except AttemptItem.response.RelatedObjectDoesNotExist:
        return False


@role_required(User.Role.CANDIDATE)
@require_GET
def attempt_feedback(request, pk, position):
    """Practice mode: after an item is answered, whether it was right and why."""
    attempt, closed = _open_attempt_or_result(request, pk)
    if closed:
        return closed
    if attempt.mode != Attempt.Mode.PRACTICE or not 1 <= position <= MAX_POSITION:
        raise Http404
    answered = get_object_or_404(
        AttemptItem.objects.select_related("item", "item__passage", "section", "response")
        .prefetch_related("item__options")
        .filter(response__isnull=False),
        attempt=attempt,
        position=position,
    )
    progress = attempt_progress(attempt)
    has_next = progress["answered"] < progress["total"]
    response = render(
        request,
        "assessments/attempt_feedback.html",
        {
            "attempt": attempt,
            "feedback": item_feedback(answered, answered.response, attempt.language),
            "progress": progress,
            "has_next": has_next,
            **_timer_context(attempt),
        },
    )
    return _never_cached(response)


@role_required(User.Role.CANDIDATE)
@require_GET
def attempt_review(request, pk):
    """Before finishing: which items are answered. Answers cannot be changed any more."""
    attempt, closed = _open_attempt_or_result(request, pk)
    if closed:
        return closed
    rows = list(
        AttemptItem.objects.filter(attempt=attempt)
        .select_related("item", "section", "response")
        .order_by("position")
    )
    current = attempt_current_item(attempt=attempt)
    unanswered = sum(1 for row in rows if not _is_answered(row))
    response = render(
        request,
        "assessments/attempt_review.html",
        {
            "attempt": attempt,
            "rows": [{"row": row, "is_answered": _is_answered(row)} for row in rows],
            "unanswered": unanswered,
            "current": current,
            "progress": attempt_progress(attempt),
            **_timer_context(attempt),
        },
    )
    return _never_cached(response)


@role_required(User.Role.CANDIDATE)
@require_POST
def attempt_finish_view(request, pk):
    attempt = attempt_finish(attempt=get_attempt_for(request.user, pk))
    if attempt.status == Attempt.Status.EXPIRED:
        messages.warning(request, _("Time ran out before you finished."))
    return redirect("assessments:attempt_result", attempt.pk)


@role_required(User.Role.CANDIDATE)
@require_GET
def attempt_result_view(request, pk):
    attempt = attempt_close_if_overdue(attempt=get_attempt_for(request.user, pk))
    if attempt.status == Attempt.Status.IN_PROGRESS:
        return redirect("assessments:attempt", attempt.pk)
    return _never_cached(
        render(
            request,
            "assessments/attempt_result.html",
            {"attempt": attempt, "battery": attempt.battery, **attempt_result(attempt)},
        )
    )


@role_required(User.Role.COUNSELLOR)
@require_http_methods(["GET", "POST"])
def extra_time(request, profile_id):
    """A counsellor sets the extra time of a job-seeker they guide; others get a 404."""
    profile = get_profile_for(request.user, profile_id)
    candidate = profile.user
    current = TimeAccommodation.objects.filter(user=candidate).first()
    initial = {
        "multiplier": format(current.multiplier.normalize(), "f") if current else "1",
        "note": current.note if current else "",
    }
    form = ExtraTimeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        time_accommodation_set(
            candidate=candidate,
            multiplier=form.cleaned_data["multiplier"],
            note=form.cleaned_data["note"],
            set_by=request.user,
        )
        messages.success(
            request,
            elide(_("Saved: %(name)s's next tests get this time.") % {"name": candidate.full_name}),
        )
        return redirect(reverse("assessments:extra_time", args=[profile.pk]))
    return render(
        request,
        "assessments/extra_time.html",
        {"profile": profile, "candidate": candidate, "form": form, "current": current},
        status=400 if form.errors else 200,
    )
