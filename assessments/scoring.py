"""How answers and attempts are scored. Pure functions: they read the objects given, write nothing.

Credit for one item is a number from 0 to 1:

- single choice: 1 for the correct option, 0 otherwise;
- multiple response: the share of the item's options classified correctly, an option being
  classified correctly when it is selected and correct, or left out and wrong. Selecting two of
  three correct options and no wrong one on a four-option item gives 3/4 = 0.75;
- numeric entry: 1 when the typed number is within the item's tolerance of the answer, else 0.
  A text that is not a number is refused with a message, never scored 0;
- situational judgement: the chosen option's effectiveness, 4 → 1, 3 → 2/3, 2 → 1/3, 1 → 0;
- mark the suspicious parts: the item's options are the parts (segments) of an exhibit, an
  e-mail or a log excerpt, in order, and `is_correct` marks the suspicious ones. The credit is
  the share of suspicious parts marked minus the share of harmless parts marked, never below 0
  (hits − false alarms, each normalised by its own count): marking every part, or none, earns 0,
  and full credit means exactly the suspicious parts were marked. An empty answer is refused;
- short typed answer: 1 when the typed text, normalised (`normalise_typed`), equals one of
  the accepted answers of the attempt's language or of every language, normalised the same
  way; else 0. A text that normalises to nothing is refused with a message, never scored 0.

Work-style statements have no right answer: their "score" is the 1–5 agreement, reversed
(6 − value) for reverse-keyed statements, and only ever feeds the work-style profile.

Percentages (per section, competency and overall) are the mean credit of the scored items
drawn for the attempt, unanswered ones counting 0, times 100.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from assessments.models import Item
from college.core.text import REFUSED

CHOICE_TYPES = {Item.Type.SINGLE_CHOICE, Item.Type.SJT}
LIKERT_VALUES = (1, 2, 3, 4, 5)
# Work-style bands: a trait mean below 2.5 is low, above 3.5 high, in between middle.
TRAIT_LOW_BELOW = 2.5
TRAIT_HIGH_ABOVE = 3.5
# Readiness: without a pass rule, a mean of 70 % counts as ready; within 10 points, nearly.
DEFAULT_READY_PERCENT = 70
NEARLY_READY_MARGIN = 10
READINESS_ATTEMPTS = 3
MAX_ANSWER_LENGTH = 50

SPACES = "\u0020\u00a0\u2009\u202f\u2007"
NUMBER = re.compile(r"^[+\-−]?(\d[\d" + SPACES + r"]*)([.,]\d+)?$")


class InvalidAnswer(ValueError):
    """An answer that cannot be scored as given; `message` says what to change."""

    def __init__(self, message, field="value"):
        super().__init__(str(message))
        self.message = message
        self.field = field


def parse_number(text, units=()):
    """The number typed in `text`, as a Decimal.

    Accepts a comma or a point as the decimal separator, spaces (also non-breaking and thin
    ones) between groups of digits, a leading minus sign and one of `units` before or after
    the number ("12,5 km", "€ 68", "85%"). Raises InvalidAnswer for anything else.
    """
    cleaned = " ".join(str(text).split()) if text is not None else ""
    if not cleaned:
        raise InvalidAnswer(_("Type a number."))
    if len(cleaned) > MAX_ANSWER_LENGTH:
        raise InvalidAnswer(_("Type a number of at most 50 characters."))
    cleaned = _strip_unit(cleaned, units)
    match = NUMBER.match(cleaned)
    if not match:
        if "," in cleaned and "." in cleaned:
            raise InvalidAnswer(
                _("Use either a comma or a point for decimals, and spaces between thousands.")
            )
        raise InvalidAnswer(_("Type only a number, such as 12,5."))
    integer, fraction = match.group(1), match.group(2) or ""
    if integer[-1] in SPACES or not _groups_of_three(integer):
        raise InvalidAnswer(_("Group thousands by three digits, such as 1 250."))
    digits = "".join(char for char in integer if char.isdigit())
    sign = "-" if cleaned[0] in "-−" else ""
    try:
        return Decimal(f"{sign}{digits}.{fraction[1:] or '0'}")
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        raise InvalidAnswer(_("Type only a number, such as 12,5.")) from None


def _groups_of_three(integer):
    groups = re.split("[" + SPACES + "]+", integer)
    return len(groups) == 1 or (
        1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])
    )


def _strip_unit(text, units):
    symbols = {unit.strip().casefold() for unit in units if unit and unit.strip()}
    symbols |= {"%", "€", "eur"}
    lowered = text.casefold()
    for symbol in sorted(symbols, key=len, reverse=True):
        if lowered.endswith(symbol) and len(lowered) > len(symbol):
            candidate = text[: -len(symbol)].rstrip()
            if candidate and (candidate[-1].isdigit()):
                return candidate
        if lowered.startswith(symbol) and len(lowered) > len(symbol):
            candidate = text[len(symbol) :].lstrip()
            if candidate and (candidate[0].isdigit() or candidate[0] in "+-−"):
                return candidate
    return text


def credit_single_choice(option):
    return 1.0 if option.is_correct else 0.0


def credit_multiple_response(options, selected_ids):
    """The share of `options` classified correctly by selecting `selected_ids`."""
    options = list(options)
    if not options:
        return 0.0
    selected = set(selected_ids)
    right = sum(1 for option in options if (option.pk in selected) == option.is_correct)
    return right / len(options)


def credit_numeric(item, text, units=()):
    """1.0 within the tolerance, 0.0 outside; InvalidAnswer when `text` is not a number."""
    number = parse_number(text, units)
    if item.answer_value is None:
        return 0.0
    tolerance = abs(item.answer_tolerance or Decimal(0))
    return 1.0 if abs(number - item.answer_value) <= tolerance else 0.0


# Quotes, brackets and punctuation a typed answer may be wrapped in or end with: « bonjour ».
# Signs that carry meaning in an answer (a minus, %, #, /) are kept.
SURROUNDING = " .,;:!?¿¡…\"'«»‹›‘’‚“”„()[]{}" + SPACES
# Any language: the key of the accepted answers that hold in every language ("0x1F", "101").
ANY_LANGUAGE = "any"
MAX_NORMALISING_ROUNDS = 10


def normalise_typed(text, *, ignore_accents=False):
    """A typed answer as it is compared: Unicode NFKC, case-folded, invisible format marks
    (U+200E, U+200F, zero-width spaces…) dropped, trimmed of spaces and of the punctuation and
    quotes around it, inner whitespace collapsed to one space; without accents when the item
    says accents do not matter. Idempotent: normalising twice changes nothing more."""
    value = str(text or "")
    # Each step can open the way for another (case folding "ǅ" gives letters NFKC composes
    # again): repeat until the text is stable, which takes one or two rounds in practice.
    for _round in range(MAX_NORMALISING_ROUNDS):
        again = _normalise_once(value, ignore_accents)
        if again == value:
            break
        value = again
    return value


def _normalise_once(value, ignore_accents):
    value = unicodedata.normalize("NFKC", value)
    value = "".join(char for char in value if unicodedata.category(char) != "Cf")
    value = value.casefold()
    if ignore_accents:
        # Decomposed, without the combining marks, composed again (a Hangul syllable, which
        # decomposes into letters, comes back whole).
        value = unicodedata.normalize(
            "NFC",
            "".join(
                char
                for char in unicodedata.normalize("NFKD", value)
                if not unicodedata.combining(char)
            ),
        )
    return " ".join(value.split()).strip(SURROUNDING)


def accepted_answers_for(item, language):
    """The item's accepted answers in `language`, and those that hold in every language."""
    accepted = item.accepted_answers or {}
    return [*accepted.get(language, []), *accepted.get(ANY_LANGUAGE, [])]


def typed_text(text):
    """The typed answer as stored: trimmed, inner whitespace collapsed; InvalidAnswer when it
    is empty, too long, or holds a character nobody can type or see."""
    if text is None or REFUSED.search(str(text)):
        raise InvalidAnswer(_("Type your answer with letters, digits and signs only."))
    cleaned = " ".join(str(text).split())
    if len(cleaned) > MAX_ANSWER_LENGTH:
        raise InvalidAnswer(_("Type an answer of at most 50 characters."))
    if not normalise_typed(cleaned):
        raise InvalidAnswer(_("Type an answer."))
    return cleaned


def credit_typed(item, text, language):
    """1.0 when `text` normalises to one of the accepted answers, else 0.0."""
    given = normalise_typed(text, ignore_accents=item.ignore_accents)
    accepted = {
        normalise_typed(answer, ignore_accents=item.ignore_accents)
        for answer in accepted_answers_for(item, language)
    }
    return 1.0 if given and given in accepted else 0.0


def credit_mark(options, selected_ids):
    """Share of suspicious parts marked minus share of harmless parts marked, at least 0."""
    options = list(options)
    selected = set(selected_ids)
    suspicious = [option for option in options if option.is_correct]
    harmless = [option for option in options if not option.is_correct]
    if not suspicious:
        return 0.0
    hits = sum(1 for option in suspicious if option.pk in selected) / len(suspicious)
    false_alarms = (
        sum(1 for option in harmless if option.pk in selected) / len(harmless) if harmless else 0
    )
    return max(0.0, hits - false_alarms)


def credit_sjt(option):
    """Effectiveness 4 → 1, 3 → 2/3, 2 → 1/3, 1 → 0."""
    effectiveness = min(max(option.effectiveness or 1, 1), 4)
    return (effectiveness - 1) / 3


def likert_score(item, value):
    """The agreement 1–5 as the trait sees it: reversed (6 − value) for a reverse-keyed item."""
    try:
        value = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidAnswer(_("Choose how much you agree, from 1 to 5.")) from None
    if value not in LIKERT_VALUES:
        raise InvalidAnswer(_("Choose how much you agree, from 1 to 5."))
    return float(6 - value if item.reverse else value)


def _as_id(value, field):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidAnswer(_("This is not one of the question's options."), field) from None


def answer_validate(attempt_item, *, choice=None, choices=None, value=None, language=None):
    """The Response fields for this answer, with its score; InvalidAnswer when it is unusable.
    `language`: the language the test is taken in (by default the attempt's), which says which
    accepted answers a typed item takes."""
    item = attempt_item.item
    options = {option.pk: option for option in item.options.all()}
    if item.type in CHOICE_TYPES:
        if choice in (None, ""):
            raise InvalidAnswer(_("Choose an answer."), "choice")
        option = options.get(_as_id(choice, "choice"))
        if option is None:
            raise InvalidAnswer(_("This is not one of the question's options."), "choice")
        credit = credit_sjt(option) if item.type == Item.Type.SJT else credit_single_choice(option)
        return {"choice": option, "score": credit}
    if item.type in (Item.Type.MULTIPLE_RESPONSE, Item.Type.MARK):
        if choices is None or isinstance(choices, str | bytes) or not list(choices):
            if item.type == Item.Type.MARK:
                raise InvalidAnswer(_("Mark at least one part."), "choices")
            raise InvalidAnswer(_("Choose at least one answer."), "choices")
        selected = [_as_id(choice_id, "choices") for choice_id in choices]
        if any(choice_id not in options for choice_id in selected):
            raise InvalidAnswer(_("This is not one of the question's options."), "choices")
        shown = {option_id: index for index, option_id in enumerate(attempt_item.option_order)}
        selected = sorted(set(selected), key=lambda choice_id: shown.get(choice_id, choice_id))
        if item.type == Item.Type.MARK:
            credit = credit_mark(options.values(), selected)
        else:
            credit = credit_multiple_response(options.values(), selected)
        return {"choices": selected, "score": credit}
    if item.type == Item.Type.TYPED:
        text = typed_text(value)
        credit = credit_typed(item, text, language or attempt_item.attempt.language)
        return {"value": text, "score": credit}
    if item.type == Item.Type.NUMERIC:
        units = [item.unit_fr, item.unit_nl, item.unit_en]
        number = parse_number(value, units)
        credit = credit_numeric(item, value, units)
        return {"value": format(number.normalize(), "f")[:50], "score": credit}
    score = likert_score(item, value)
    return {"value": str(int(str(value).strip())), "score": score}


def is_right(score):
    """A scored item is right when it earned full credit."""
    return score is not None and math.isclose(score, 1.0)


def percent(credits, count):
    """The mean credit of `count` items as a percentage, rounded to 0.01; None for no items."""
    if not count:
        return None
    return round(sum(credits) / count * 100, 2)


@dataclass(frozen=True)
class ScoredItem:
    """One drawn item as the results see it: `credit` is None while it is unanswered."""

    section: int
    competency: str
    is_scored: bool
    credit: float | None
    trait: str = ""


def attempt_percentages(rows):
    """Overall, per-section and per-competency percentages of a list of ScoredItem.

    Returns (overall, sections, competencies); the dicts map a section's position or a
    competency's code to its percentage. Work-style items are left out.
    """
    overall, sections, competencies = [], {}, {}
    for row in rows:
        if not row.is_scored:
            continue
        credit = row.credit or 0.0
        overall.append(credit)
        sections.setdefault(row.section, []).append(credit)
        competencies.setdefault(row.competency, []).append(credit)
    return (
        percent(overall, len(overall)),
        {key: percent(values, len(values)) for key, values in sections.items()},
        {key: percent(values, len(values)) for key, values in competencies.items()},
    )


def trait_band(mean):
    if mean < TRAIT_LOW_BELOW:
        return "low"
    if mean > TRAIT_HIGH_ABOVE:
        return "high"
    return "middle"


def trait_profile(rows):
    """Per trait: the mean 1–5 score of its answered statements, their count and its band."""
    values = {}
    for row in rows:
        if row.trait and row.credit is not None:
            values.setdefault(row.trait, []).append(row.credit)
    profile = {}
    for trait, scores in values.items():
        mean = round(sum(scores) / len(scores), 2)
        profile[trait] = {"mean": mean, "count": len(scores), "band": trait_band(mean)}
    return profile


def pass_decision(overall, sections, *, pass_percent=None, section_pass_percent=None):
    """The real step's rule: every section at least `section_pass_percent` and the whole at
    least `pass_percent`, each only when set. None when the battery has no rule or no score."""
    if pass_percent is None and section_pass_percent is None:
        return None
    if overall is None:
        return None
    if pass_percent is not None and overall < pass_percent:
        return False
    if section_pass_percent is not None:
        if any(value is not None and value < section_pass_percent for value in sections.values()):
            return False
    return True


def attempt_has_verified_skills(attempt):
    """Whether the attempt's score reaches its battery's threshold for verifying skills."""
    threshold = attempt.battery.evidence_threshold
    return (
        threshold is not None
        and attempt.score_percent is not None
        and attempt.score_percent >= threshold
    )


def percentile_rank(score, others):
    """Mid-rank percentile of `score` among `others` and itself.

    (scores below + half the scores equal, itself included) / number of scores × 100: the
    first attempt at a battery is at 50, the best of four distinct scores at 87.5.
    """
    return percentile_from_counts(
        below=sum(1 for other in others if other < score),
        equal=sum(1 for other in others if other == score),
        total=len(others),
    )


def percentile_from_counts(*, below, equal, total):
    """`percentile_rank` from counts of the other scores: below, equal to it, and in all."""
    return round((below + 0.5 * (equal + 1)) / (total + 1) * 100, 1)


@dataclass
class Readiness:
    """How close the last attempts come to the pass mark (see `readiness`)."""

    status: str  # "not_yet", "nearly" or "ready"
    mean: float
    target: int
    percent: int  # progress toward the target, 0–100
    attempts: int
    label: str = ""
    explanation: str = ""


def readiness(last_scores, *, pass_percent=None, last_passed=None):
    """Readiness from the most recent scores (newest first).

    The mean of the last three finished scores is compared with the battery's pass mark (70 %
    when it has none): at or above it is "ready" (when the battery has a pass rule, the newest
    attempt must also have passed it, since a part below its minimum fails the real step), within
    10 points "nearly", lower "not yet". None before the first finished attempt.
    """
    scores = [score for score in last_scores if score is not None][:READINESS_ATTEMPTS]
    if not scores:
        return None
    target = pass_percent if pass_percent is not None else DEFAULT_READY_PERCENT
    mean = round(sum(scores) / len(scores), 1)
    if mean >= target and last_passed is not False:
        status = "ready"
    elif mean >= target - NEARLY_READY_MARGIN:
        status = "nearly"
    else:
        status = "not_yet"
    progress = 100 if target == 0 else min(100, round(mean / target * 100))
    return Readiness(
        status=status, mean=mean, target=target, percent=progress, attempts=len(scores)
    )


def ability_percent(theta):
    """An adaptive attempt's score: the share of the calibration population (θ ~ N(0, 1))
    whose ability lies below θ, in percent."""
    return round(50 * (1 + math.erf(theta / math.sqrt(2))), 2)
