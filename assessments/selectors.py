"""What the test pages and the API show: batteries, the item to answer (never its key), the
feedback once answered, progress and results with norms, readiness and the history chart."""

import datetime
import functools
import math
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from html.parser import HTMLParser

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments import scoring
from assessments.bank_cache import bank_sections
from assessments.drawing import OPTION_TYPES
from assessments.models import (
    CLOSED_STATUSES,
    Attempt,
    AttemptItem,
    Battery,
    Competency,
    EvidenceOutcome,
    Item,
    TimeAccommodation,
    Trait,
)
from assessments.scoring import attempt_has_verified_skills
from college.core.compiled import Compiled, sentinel_uuid

LIKERT_SCALE = (
    (1, gettext_lazy("Strongly disagree")),
    (2, gettext_lazy("Disagree")),
    (3, gettext_lazy("Neither agree nor disagree")),
    (4, gettext_lazy("Agree")),
    (5, gettext_lazy("Strongly agree")),
)
LETTERS = "ABCDEFGHIJ"
MODE_LABELS = {
    Attempt.Mode.PRACTICE: gettext_lazy("Practice"),
    Attempt.Mode.EXAM: gettext_lazy("Exam"),
}
HISTORY_POINTS = 20


# Figures -------------------------------------------------------------------------------------

SVG_ELEMENTS = {"svg", "g", "circle", "ellipse", "rect", "polygon", "polyline", "line", "path"}
SVG_ATTRIBUTES = {
    "viewbox": "viewBox",
    **{
        name: name
        for name in (
            "width height fill stroke stroke-width stroke-linecap stroke-linejoin "
            "stroke-dasharray transform points d cx cy r rx ry x y x1 y1 x2 y2"
        ).split()
    },
}


class _SvgCleaner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs, closing=False):
        if tag not in SVG_ELEMENTS or self.skipping:
            if not closing:
                self.skipping += 1
            return
        kept = [
            f'{SVG_ATTRIBUTES[name]}="{escape(value or "", quote=True)}"'
            for name, value in attrs
            if name in SVG_ATTRIBUTES and "url(" not in (value or "").lower()
        ]
        if tag == "svg":
            kept += ['aria-hidden="true"', 'focusable="false"']
        self.parts.append(f"<{tag}{' ' if kept else ''}{' '.join(kept)}{' /' if closing else ''}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, closing=True)

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping -= 1
            return
        if tag in SVG_ELEMENTS:
            self.parts.append(f"</{tag}>")


@functools.lru_cache(maxsize=4096)
def svg_clean(markup):
    """Only the shapes and presentation attributes the bank's figures use: no script, no style,
    no links, whatever an author typed. Figures are decoration for screen readers: the alt
    text beside them says what they show. A figure is cleaned once per process (the bank's
    figures are read at every step of every attempt)."""
    if not markup:
        return ""
    cleaner = _SvgCleaner()
    cleaner.feed(markup)
    cleaner.close()
    return "".join(cleaner.parts)


# Batteries -----------------------------------------------------------------------------------


def language_names():
    return {code: str(name) for code, name in settings.LANGUAGES}


def pass_rule_text(battery):
    overall, part = battery.pass_percent, battery.section_pass_percent
    if overall is not None and part is not None:
        return _("To pass: at least %(part)s %% in each part and %(overall)s %% overall.") % {
            "part": part,
            "overall": overall,
        }
    if overall is not None:
        return _("To pass: at least %(overall)s %% overall.") % {"overall": overall}
    if part is not None:
        return _("To pass: at least %(part)s %% in each part.") % {"part": part}
    if battery_is_work_style(battery):
        return _("No pass or fail: a profile of your work style, with advice.")
    return _("This practice test has no pass mark.")


def battery_is_work_style(battery):
    return all(section.competency == Competency.WORK_STYLE for section in battery.sections.all())


def battery_item_count(battery):
    if battery.kind == Battery.Kind.ADAPTIVE:
        return battery.max_items
    return sum(section.item_count for section in battery.sections.all())


def minutes(seconds):
    return math.ceil(seconds / 60)


@dataclass
class BatteryRow:
    battery: Battery
    minutes: int
    minutes_with_extra_time: int
    item_count: int
    is_adaptive: bool
    languages: list
    rule: str
    open_attempt: Attempt | None = None
    last_attempt: Attempt | None = None
    finished_count: int = 0
    readiness: scoring.Readiness | None = None
    sections: list = field(default_factory=list)


def battery_rows_for(user, batteries, multiplier=Decimal(1)):
    """One row per battery with the user's open attempt, last result and readiness.

    Two queries whatever the number of batteries and attempts (with `sections` prefetched).
    """
    batteries = list(batteries.prefetch_related("sections"))
    closed, open_attempts = {}, {}
    attempts = Attempt.objects.filter(user=user, battery__in=batteries).order_by(
        "-finished_at", "-started_at"
    )
    now = timezone.now()
    for attempt in attempts:
        if attempt.status == Attempt.Status.IN_PROGRESS:
            if attempt.deadline > now:
                open_attempts.setdefault(attempt.battery_id, attempt)
        else:
            closed.setdefault(attempt.battery_id, []).append(attempt)
    names = language_names()
    rows = []
    for battery in batteries:
        history = closed.get(battery.pk, [])
        scored = [attempt for attempt in history if attempt.score_percent is not None]
        rows.append(
            BatteryRow(
                battery=battery,
                minutes=minutes(battery.total_seconds),
                minutes_with_extra_time=minutes(float(battery.total_seconds * multiplier)),
                item_count=battery_item_count(battery),
                is_adaptive=battery.kind == Battery.Kind.ADAPTIVE,
                languages=[names.get(code, code) for code in battery.languages],
                rule=pass_rule_text(battery),
                open_attempt=open_attempts.get(battery.pk),
                last_attempt=history[0] if history else None,
                finished_count=len(history),
                readiness=readiness_for(battery, scored),
                sections=[
                    {
                        "title": section.title,
                        "items": section.item_count,
                        "minutes": minutes(section.time_limit_seconds),
                    }
                    for section in battery.sections.all()
                ],
            )
        )
    return rows


READINESS_LABELS = {
    "not_yet": gettext_lazy("Not ready yet"),
    "nearly": gettext_lazy("Nearly ready"),
    "ready": gettext_lazy("Ready"),
}


def readiness_for(battery, scored_newest_first):
    """See `scoring.readiness`; with a label and an explanation for the page."""
    scored = scored_newest_first[: scoring.READINESS_ATTEMPTS]
    estimate = scoring.readiness(
        [attempt.score_percent for attempt in scored],
        pass_percent=battery.pass_percent,
        last_passed=scored[0].passed if scored else None,
    )
    if estimate is None:
        return None
    estimate.label = READINESS_LABELS[estimate.status]
    values = {"count": estimate.attempts, "mean": round(estimate.mean), "target": estimate.target}
    if estimate.attempts == 1:
        estimate.explanation = _("Your score is %(mean)s %%; the target is %(target)s %%.") % values
    else:
        estimate.explanation = (
            _("The mean of your last %(count)s scores is %(mean)s %%; the target is %(target)s %%.")
            % values
        )
    return estimate


# An attempt's clock and rows ------------------------------------------------------------------


class ItemNotInAttempt(Http404):
    pass


_MULTIPLIER = Compiled(
    "time multiplier",
    lambda user_id: (
        TimeAccommodation.objects.filter(user_id=user_id).values_list("multiplier").order_by()[:1]
    ),
    user_id=-7_310_067,
)


def time_multiplier_for(user):
    rows = _MULTIPLIER.rows(user_id=user.pk)
    return Decimal(1) if not rows else rows[0][0]


def section_deadline_from(attempt, section, start):
    """When `section`, opened at `start`, closes: its time × the attempt's extra-time
    multiplier, and never after the attempt's deadline."""
    seconds = round(float(section.time_limit_seconds * attempt.time_multiplier))
    return min(start + datetime.timedelta(seconds=seconds), attempt.deadline)


_RESULTS_ROWS = Compiled(
    "attempt results",
    lambda attempt_id: (
        AttemptItem.objects.filter(attempt_id=attempt_id)
        .order_by("position")
        .values_list(
            "section__position",
            "item__competency",
            "item__type",
            "response__score",
            "item__trait__code",
        )
    ),
    attempt_id=sentinel_uuid(7_310_061),
)


def attempt_results_rows(attempt):
    """The attempt's drawn items as the results see them, in order (one narrow query, compiled
    once per process: `college.core.compiled`)."""
    rows = _RESULTS_ROWS.rows(attempt_id=attempt.pk)
    return [
        scoring.ScoredItem(
            section=position,
            competency=competency,
            is_scored=item_type != Item.Type.LIKERT,  # `Item.is_scored`
            credit=score,  # a response's score is never null: None is no response
            trait=trait or "",
        )
        for position, competency, item_type, score, trait in rows
    ]


# The item to answer ------------------------------------------------------------------------


def attempt_progress(attempt):
    """Answered and total items (for an adaptive battery, the total is its maximum length)."""
    counts = AttemptItem.objects.filter(attempt=attempt).aggregate(
        shown=Count("pk"), answered=Count("pk", filter=Q(response__isnull=False))
    )
    return progress_of(attempt.battery, shown=counts["shown"], answered=counts["answered"])


def progress_of(battery, *, shown, answered):
    """The progress of an attempt of `battery` with `shown` items drawn or served, `answered`
    of them answered (for an adaptive battery, the total is its maximum length)."""
    total = battery.max_items if battery.kind == Battery.Kind.ADAPTIVE else shown
    return {
        "answered": answered,
        "total": total,
        "percent": round(answered / total * 100) if total else 0,
    }


def seconds_left(attempt):
    if attempt.status != Attempt.Status.IN_PROGRESS:
        return 0
    return max(0, math.floor((attempt.deadline - timezone.now()).total_seconds()))


def section_seconds_left(attempt):
    """The time left in the part open now (fixed batteries time each part), or in the whole
    attempt when it has no timed part."""
    left = seconds_left(attempt)
    if attempt.section_deadline is None or attempt.battery.kind != Battery.Kind.FIXED:
        return left
    return min(
        left, max(0, math.floor((attempt.section_deadline - timezone.now()).total_seconds()))
    )


def attempt_evidence(attempt, skills):
    """Which skills this attempt verified, or why it verified none: (is_verified, message)."""
    outcome = attempt.evidence_outcome
    if not outcome:  # attempts finished before the outcome was stored
        outcome = (
            EvidenceOutcome.VERIFIED
            if attempt_has_verified_skills(attempt) and skills
            else EvidenceOutcome.BELOW_THRESHOLD
        )
    threshold = attempt.battery.evidence_threshold
    messages = {
        EvidenceOutcome.VERIFIED: "",
        EvidenceOutcome.BELOW_THRESHOLD: _(
            "No skill became verified by this attempt: the score is below %(threshold)s %%."
        )
        % {"threshold": threshold},
        EvidenceOutcome.BATTERY_FLAGGED: _(
            "No skill became verified by this attempt: the college is reviewing this test "
            "because its checks found a flaw (an answer that can be guessed from its form, or "
            "scores that are not reliable enough). Your score stands; the skills can be "
            "verified once the test is cleared."
        ),
        EvidenceOutcome.NO_EVIDENCE: _("This test does not verify skills for your profile."),
    }
    return outcome == EvidenceOutcome.VERIFIED, messages.get(outcome, "")


def clock(seconds):
    """mm:ss (minutes may pass 59)."""
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _options_in_order(attempt_item):
    options = {option.pk: option for option in attempt_item.item.options.all()}
    ordered = [options[pk] for pk in attempt_item.option_order if pk in options]
    ordered += [option for pk, option in options.items() if pk not in attempt_item.option_order]
    return ordered


def _option_label(option, index):
    # Figures are named by their place on the screen, whatever letter the bank gave them.
    return LETTERS[index] if option.svg else option.label


def item_content(attempt_item, attempt):
    """The item as the candidate sees it, in the attempt's language: nothing that scores it.

    Only these keys: id, type, stem, lang, options (id, label, svg, alt), media (passage,
    figures, alt, unit, exhibit), scale (work-style statements), position, section,
    respond_with. The parts of a `mark` item come as options in their order; a `typed` item's
    accepted answers never leave the server before it is answered.
    """
    item = attempt_item.item
    with translation.override(attempt.language):
        options = []
        if item.type in OPTION_TYPES:
            for index, option in enumerate(_options_in_order(attempt_item)):
                entry = {"id": option.pk, "label": _option_label(option, index)}
                if option.svg:
                    entry["svg"] = svg_clean(option.svg)
                    entry["alt"] = option.alt
                options.append(entry)
        passage = None
        if item.passage_id:
            passage = {"title": item.passage.title, "text": item.passage.text}
        respond_with = {
            Item.Type.MULTIPLE_RESPONSE: "choices",
            Item.Type.MARK: "choices",
            Item.Type.NUMERIC: "value",
            Item.Type.TYPED: "value",
            Item.Type.LIKERT: "value",
        }.get(item.type, "choice")
        return {
            "id": item.pk,
            "type": item.type,
            "stem": item.stem,
            "lang": item.passage.language if item.passage_id else attempt.language,
            "options": options,
            "media": {
                "passage": passage,
                "figures": [svg_clean(figure) for figure in item.sequence or []],
                "alt": item.alt,
                "unit": item.unit,
                "exhibit": item.exhibit,
            },
            "scale": (
                [{"value": value, "label": str(label)} for value, label in LIKERT_SCALE]
                if item.type == Item.Type.LIKERT
                else []
            ),
            "position": attempt_item.position,
            "section": {
                "position": attempt_item.section.position,
                "title": attempt_item.section.title,
            },
            "respond_with": respond_with,
        }


def number_text(value):
    """A Decimal as the active language writes it, without trailing zeros."""
    if value is None or value == "":
        return ""
    number = Decimal(format(Decimal(str(value)).normalize(), "f"))
    return formats.number_format(number, use_l10n=True)


def item_feedback(attempt_item, response, language):
    """What an answered item was worth: the verdict, the key and the explanation."""
    item = attempt_item.item
    with translation.override(language):
        chosen = set(response.choices or []) if response else set()
        if response and response.choice_id:
            chosen.add(response.choice_id)
        options = [
            {
                "label": _option_label(option, index),
                "svg": svg_clean(option.svg),
                "alt": option.alt,
                "is_chosen": option.pk in chosen,
                "is_correct": option.is_correct,
                "effectiveness": option.effectiveness,
                "is_best": item.type == Item.Type.SJT and option.effectiveness == 4,
            }
            for index, option in enumerate(_options_in_order(attempt_item))
        ]
        verdict = None
        if item.is_scored:
            score = response.score if response else None
            if score is None:
                verdict = "unanswered"
            elif scoring.is_right(score):
                verdict = "right"
            elif score > 0:
                verdict = "partial"
            else:
                verdict = "wrong"
        answer = ""
        if item.type == Item.Type.NUMERIC:
            answer = number_text(item.answer_value)
        elif item.type == Item.Type.TYPED:
            answer = next(iter(scoring.accepted_answers_for(item, language)), "")
        elif item.type == Item.Type.LIKERT and response:
            answer = str(dict(LIKERT_SCALE).get(int(response.value or 0), ""))
        return {
            "position": attempt_item.position,
            "section": attempt_item.section.title,
            "type": item.type,
            "stem": item.stem,
            "lang": item.passage.language if item.passage_id else language,
            "options": options,
            "verdict": verdict,
            "credit_percent": round((response.score or 0) * 100)
            if response and item.is_scored
            else None,
            "given": _given(item, response),
            "exhibit": item.exhibit,
            "answer": answer,
            "tolerance": number_text(item.answer_tolerance) if item.answer_tolerance else "",
            "unit": item.unit,
            "explanation": item.explanation,
            "is_answered": response is not None,
        }


def _given(item, response):
    if not response:
        return ""
    if item.type == Item.Type.NUMERIC:
        return number_text(response.value)
    if item.type == Item.Type.TYPED:
        return response.value
    return ""


# Results -------------------------------------------------------------------------------------


def bar_width(percent):
    """A bar's width on a 0–100 SVG axis, written with a point whatever the language."""
    return f"{max(0.0, min(100.0, float(percent or 0))):.1f}"


def history_chart(attempts, target=None):
    """Geometry of the line chart of scores over time (`attempts` oldest first), for inline SVG.

    Coordinates are strings with a point, so that no language's decimal comma reaches the SVG.
    """
    attempts = attempts[-HISTORY_POINTS:]
    width, height = 320, 200
    left, right, top, bottom = 44, 12, 12, 40
    plot_width, plot_height = width - left - right, height - top - bottom

    def y_of(value):
        return top + (100 - max(0.0, min(100.0, value))) / 100 * plot_height

    count = len(attempts)
    points = []
    for index, attempt in enumerate(attempts):
        x = left + (plot_width / 2 if count == 1 else index * plot_width / (count - 1))
        points.append(
            {
                "x": f"{x:.1f}",
                "y": f"{y_of(attempt.score_percent):.1f}",
                "number": index + 1,
                "score": attempt.score_percent,
                "date": attempt.finished_at,
                "passed": attempt.passed,
                "mode": MODE_LABELS.get(attempt.mode, attempt.mode),
            }
        )
    grid = [{"value": value, "y": f"{y_of(value):.1f}"} for value in (0, 25, 50, 75, 100)]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        "x_title_y": height - 6,
        "x_label_y": height - bottom + 16,
        "centre_x": f"{left + plot_width / 2:.1f}",
        "line": " ".join(f"{point['x']},{point['y']}" for point in points),
        "points": points,
        "grid": grid,
        "target": target,
        "target_y": f"{y_of(target):.1f}" if target is not None else None,
    }


def _section_rows(attempt):
    """The score of each part the attempt has one for, in order, with its own pass decision
    when the battery has a pass mark per part."""
    battery = attempt.battery
    sections = {section.position: section for section in bank_sections(battery.pk)}
    rows = []
    for position, section in sorted(sections.items()):
        value = attempt.section_scores.get(str(position))
        if value is None:
            continue
        part_passed = (
            None if battery.section_pass_percent is None else value >= battery.section_pass_percent
        )
        rows.append(
            {
                "position": position,
                "title": section.title,
                "label": section.title,
                "competency": section.competency,
                "score": value,
                "width": bar_width(value),
                "passed": part_passed,
            }
        )
    return rows


def _competency_rows(attempt):
    """The score of each competency measured, by its code."""
    labels = dict(Competency.choices)
    return [
        {
            "competency": code,
            "label": str(labels.get(code, code)),
            "score": value,
            "width": bar_width(value),
        }
        for code, value in sorted(attempt.competency_scores.items())
        if value is not None
    ]


def _trait_rows(attempt):
    """The work-style profile: each trait's mean on the 1–5 scale, its band and what the band
    says about the person."""
    if not attempt.trait_scores:
        return []
    traits = Trait.objects.in_bulk(list(attempt.trait_scores), field_name="code")
    rows = []
    for code, values in sorted(attempt.trait_scores.items()):
        trait = traits.get(code)
        if trait is None:
            continue
        band = values["band"]
        feedback = {
            "low": trait.feedback_low,
            "high": trait.feedback_high,
            "middle": _(
                "Your answers sit between the two ends of this trait: you show both "
                "tendencies, depending on the situation."
            ),
        }[band]
        rows.append(
            {
                "code": code,
                "label": trait.label,
                "mean": values["mean"],
                "band": band,
                "band_label": {
                    "low": _("lower end"),
                    "middle": _("middle"),
                    "high": _("higher end"),
                }[band],
                # The 1–5 scale drawn on a 0–100 axis.
                "width": bar_width((values["mean"] - 1) / 4 * 100),
                "feedback": feedback,
            }
        )
    return rows


def _scored_history(attempt):
    """The person's closed and scored attempts at this battery, oldest first."""
    return list(
        Attempt.objects.filter(
            user=attempt.user,
            battery=attempt.battery,
            status__in=CLOSED_STATUSES,
            score_percent__isnull=False,
        ).order_by("finished_at")
    )


def _review(attempt):
    """Each item of the attempt with its key and explanation, in the order shown."""
    rows = (
        AttemptItem.objects.filter(attempt=attempt)
        .select_related("item", "item__passage", "section", "response")
        .prefetch_related("item__options")
        .order_by("position")
    )
    return [item_feedback(row, getattr(row, "response", None), attempt.language) for row in rows]


def attempt_result_summary(attempt):
    """The scores per part, competency and trait, and which skills the attempt verified or why
    none: what the API's result shows. A constant number of queries."""
    battery = attempt.battery
    skills = list(battery.skills_verified.all())
    is_verified, evidence_message = attempt_evidence(attempt, skills)
    return {
        "sections": _section_rows(attempt),
        "competencies": _competency_rows(attempt),
        "traits": _trait_rows(attempt),
        "skills": skills,
        "has_verified_skills": is_verified and bool(skills),
        "evidence_message": evidence_message,
    }


def attempt_result(attempt, *, with_review=True):
    """Everything the result page shows; a constant number of queries. The review of each
    item with its key (exam mode) only `with_review`."""
    battery = attempt.battery
    summary = attempt_result_summary(attempt)
    history = _scored_history(attempt)
    target = battery.pass_percent
    skills = summary["skills"]
    review = _review(attempt) if with_review and attempt.mode == Attempt.Mode.EXAM else []
    return {
        **summary,
        "rule": pass_rule_text(battery),
        "has_rule": battery.pass_percent is not None or battery.section_pass_percent is not None,
        "history": history,
        "chart": history_chart(history, target) if history else None,
        "readiness": readiness_for(battery, list(reversed(history))),
        "skill_names": ", ".join(skill.label for skill in skills),
        "evidence_outcome": attempt.evidence_outcome,
        "evidence_threshold": battery.evidence_threshold,
        "review": review,
        "score_width": bar_width(attempt.score_percent),
        "mode_label": MODE_LABELS.get(attempt.mode, attempt.mode),
    }
