"""Simulated candidates: test-wise ones who answer by the options' form alone, and able ones whose
answers follow a 2PL model of their ability. They take the batteries through the real code.

- `simulate_scores` draws a fixed battery's items with `drawing.attempt_draw` (the real draw,
  sections, roles and option orders), validates and scores each answer with
  `scoring.answer_validate` (the real scoring of `assessments.scoring`) and decides the result
  with `scoring.attempt_percentages` and `scoring.pass_decision`, without writing to the
  database, so that thousands of attempts take seconds.
- `take_battery` runs one attempt end to end through the services a candidate's requests go
  through: start, the item served, the answer saved, finish (results and evidence).

A test-wise candidate has no ability: on an item with options written as text, they follow one
strategy of `assessments.cues` on the options *in the order shown*; on figures they pick at
random; on a number to type they reuse a number of the question; on a work-style statement they
agree (4). An able candidate of ability θ knows an item with probability
1 / (1 + exp(−1.3 (θ − b))), b from the author's difficulty label (−1 easy, 0 medium, +1 hard):
knowing, they give the key (the best option in situational judgement); not knowing, they pick a
wrong option at random (a plausible wrong number for a numeric item).
"""

import math
import re
from dataclasses import dataclass

from assessments import cues, drawing, scoring, services
from assessments.models import Attempt, AttemptItem, Battery, Item

DIFFICULTY_B = {"easy": -1.0, "medium": 0.0, "hard": 1.0}
DISCRIMINATION = 1.3
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def chance_of_knowing(ability, item):
    b = DIFFICULTY_B.get(item.difficulty, 0.0)
    return 1 / (1 + math.exp(-DISCRIMINATION * (ability - b)))


def shown_options(item, option_order):
    options = {option.pk: option for option in item.options.all()}
    ordered = [options[pk] for pk in option_order if pk in options]
    return ordered + [option for pk, option in options.items() if pk not in option_order]


def simulated_answer(rng, ability, item, option_order):
    """What a person of `ability` answers: the Response fields, with its credit."""
    options = {option.pk: option for option in item.options.all()}
    knows = rng.random() < chance_of_knowing(ability, item)
    if item.type == Item.Type.LIKERT:
        value = min(5, max(1, round(3 + ability * 0.6 + rng.gauss(0, 1))))
        return {"value": str(value), "score": scoring.likert_score(item, value)}
    if item.type == Item.Type.NUMERIC:
        value = item.answer_value if knows else item.answer_value + rng.choice([-2, -1, 1, 10])
        return {"value": format(value.normalize(), "f"), "score": 1.0 if knows else 0.0}
    if item.type == Item.Type.MULTIPLE_RESPONSE:
        right = [pk for pk in option_order if options[pk].is_correct]
        chosen = right if knows else rng.sample(option_order, k=max(1, len(right) - 1))
        return {
            "choices": chosen,
            "score": scoring.credit_multiple_response(options.values(), chosen),
        }
    if item.type == Item.Type.MARK:
        right = [pk for pk in option_order if options[pk].is_correct]
        chosen = right if knows else rng.sample(option_order, k=rng.randint(1, len(option_order)))
        return {"choices": chosen, "score": scoring.credit_mark(options.values(), chosen)}
    if item.type == Item.Type.TYPED:
        # Every language's accepted answers include the language-neutral ones ("any").
        accepted = [answer for answers in item.accepted_answers.values() for answer in answers]
        right = accepted[0] if accepted else "x"
        # A wrong answer: the right one with a digit added ("TRAM" → "TRAM7").
        value = right if knows else f"{right}{rng.randint(1, 9)}"
        return {"value": value, "score": 1.0 if knows and accepted else 0.0}
    if item.type == Item.Type.SJT:
        ranked = sorted(option_order, key=lambda pk: -(options[pk].effectiveness or 0))
        option = options[ranked[0] if knows else rng.choice(ranked[1:])]
        return {"choice": option, "score": scoring.credit_sjt(option)}
    right = [pk for pk in option_order if options[pk].is_correct]
    wrong = [pk for pk in option_order if not options[pk].is_correct]
    option = options[right[0] if knows or not wrong else rng.choice(wrong)]
    return {"choice": option, "score": scoring.credit_single_choice(option)}


def able_answerer(ability, rng):
    """An answerer of ability θ: (attempt_item, language) → the response_save arguments."""

    def answer(attempt_item, language):
        fields = simulated_answer(rng, ability, attempt_item.item, attempt_item.option_order)
        if "choice" in fields:
            return {"choice": fields["choice"].pk}
        if "choices" in fields:
            return {"choices": fields["choices"]}
        return {"value": fields["value"]}

    return answer


def test_wise_answerer(strategy, rng):
    """An answerer with no ability who follows `strategy` (see the module's docstring)."""

    def answer(attempt_item, language):
        item = attempt_item.item
        if item.type == Item.Type.LIKERT:
            return {"value": "4"}
        if item.type == Item.Type.NUMERIC:
            numbers = NUMBER.findall(item.stem_en or item.stem_fr or "")
            return {"value": rng.choice(numbers) if numbers else "0"}
        if item.type == Item.Type.TYPED:
            # A word of the question, since nothing on screen points to the answer.
            words = [word for word in (item.stem_fr or "").split() if word.isalnum()] or ["0"]
            return {"value": rng.choice(words)[:50]}
        if item.type == Item.Type.MARK:
            # No option's form points to a suspicious part: mark about half of them at random.
            ids = list(attempt_item.option_order)
            return {"choices": rng.sample(ids, k=max(1, len(ids) // 2))}
        options = shown_options(item, attempt_item.option_order)
        cue_item = cues.cue_item_from_model(item, language, options)
        if cue_item is None:
            index = rng.randrange(len(options))
        else:
            index = cues.strategy_choice(cue_item, strategy, rng)
        if item.type == Item.Type.MULTIPLE_RESPONSE:
            # The strategy's favourite and the next one it would pick among the rest.
            chosen = [options[index].pk]
            return {"choices": chosen + [pk.pk for pk in options if pk.pk != chosen[0]][:1]}
        return {"choice": options[index].pk}

    return answer


# Not a test, whatever its name: keep it out of pytest's collection when a test imports it.
test_wise_answerer.__test__ = False


@dataclass(frozen=True)
class SimulatedResult:
    score: float | None
    sections: dict
    passed: bool | None
    reaches_evidence: bool
    chance: float | None  # the expected score of answering at random, in %


def simulate_scores(battery, language, answerer, seed, pools=None):
    """One simulated attempt at a fixed battery, scored by the real code, written nowhere.
    `pools`: a dict shared between calls, to draw from each pool without querying it again."""
    if battery.kind != Battery.Kind.FIXED:
        raise ValueError(f"{battery.slug}: only fixed batteries are drawn at once")
    rows, chance = [], []
    for item, section, option_order in drawing.attempt_draw(battery, language, seed, pools):
        attempt_item = AttemptItem(item=item, section=section, option_order=option_order)
        fields = scoring.answer_validate(
            attempt_item, **answerer(attempt_item, language), language=language
        )
        rows.append(
            scoring.ScoredItem(
                section=section.position,
                competency=item.competency,
                is_scored=item.is_scored,
                credit=fields["score"],
            )
        )
        if item.is_scored:
            chance.append(_chance_credit(item))
    overall, sections, _competencies = scoring.attempt_percentages(rows)
    passed = scoring.pass_decision(
        overall,
        sections,
        pass_percent=battery.pass_percent,
        section_pass_percent=battery.section_pass_percent,
    )
    threshold = battery.evidence_threshold
    return SimulatedResult(
        score=overall,
        sections=sections,
        passed=passed,
        reaches_evidence=threshold is not None and overall is not None and overall >= threshold,
        chance=round(sum(chance) / len(chance) * 100, 2) if chance else None,
    )


def _chance_credit(item):
    options = list(item.options.all())
    if item.type == Item.Type.SJT:
        return sum(scoring.credit_sjt(option) for option in options) / len(options)
    if item.type == Item.Type.SINGLE_CHOICE:
        return sum(option.is_correct for option in options) / len(options)
    if item.type == Item.Type.MULTIPLE_RESPONSE:
        return 0.5  # each option classified right half the time
    if item.type == Item.Type.MARK:
        return mark_chance_credit(options)
    return 0.0  # a number typed at random


def mark_chance_credit(options):
    """The mean credit of marking a non-empty set of parts at random, every set alike likely."""
    ids = [option.pk for option in options]
    if not ids or len(ids) > 16:
        return 0.0
    credits = [
        scoring.credit_mark(options, [pk for bit, pk in enumerate(ids) if mask >> bit & 1])
        for mask in range(1, 2 ** len(ids))
    ]
    return sum(credits) / len(credits)


def take_battery(*, user, battery, language, answerer, mode=Attempt.Mode.EXAM):
    """One attempt end to end through the services; returns the finished attempt."""
    attempt = services.attempt_start(user=user, battery=battery, mode=mode, language=language)
    while True:
        current = services.attempt_current_item(attempt=attempt)
        if current is None:
            break
        services.response_save(attempt=attempt, item=current, **answerer(current, attempt.language))
    return services.attempt_finish(attempt=attempt)


def spearman(x, y):
    """Spearman's rank correlation (ties get their mean rank)."""
    # Imported here: scipy.stats takes a second to load, and only the bench and its test rank.
    from scipy.stats import spearmanr

    return float(spearmanr(x, y).statistic)
