"""Demo attempts: simulated job-seekers who took the practice tests over the last weeks.

Answers follow a 2PL model (a person's ability against each item's difficulty label), so the
staff's item statistics, norms and percentiles show realistic figures in the demo. Only for
`seed_demo`; deterministic for a given random generator.
"""

import datetime
import math

from django.db import transaction
from django.utils import timezone

from . import scoring
from .models import Attempt, AttemptItem, Battery, Item, Response
from .services import attempt_draw, attempt_evidence_apply, attempt_results_compute

DIFFICULTY_B = {"easy": -1.0, "medium": 0.0, "hard": 1.0}


def _chance(ability, item):
    b = DIFFICULTY_B.get(item.difficulty, 0.0)
    return 1 / (1 + math.exp(-1.3 * (ability - b)))


def _simulated_answer(rng, ability, item, option_order):
    """A Response (unsaved) a person of `ability` would plausibly give to `item`."""
    options = {option.pk: option for option in item.options.all()}
    knows = rng.random() < _chance(ability, item)
    if item.type == Item.Type.LIKERT:
        value = min(5, max(1, round(3 + ability * 0.6 + rng.gauss(0, 1))))
        return {"value": str(value), "score": scoring.likert_score(item, value)}
    if item.type == Item.Type.NUMERIC:
        value = item.answer_value if knows else item.answer_value + rng.choice([-2, -1, 1, 10])
        return {"value": str(value.normalize()), "score": 1.0 if knows else 0.0}
    if item.type == Item.Type.MULTIPLE_RESPONSE:
        right = [pk for pk in option_order if options[pk].is_correct]
        chosen = right if knows else rng.sample(option_order, k=max(1, len(right) - 1))
        return {
            "choices": chosen,
            "score": scoring.credit_multiple_response(options.values(), chosen),
        }
    if item.type == Item.Type.SJT:
        ranked = sorted(option_order, key=lambda pk: -(options[pk].effectiveness or 0))
        option = options[ranked[0] if knows else rng.choice(ranked[1:])]
        return {"choice": option, "score": scoring.credit_sjt(option)}
    right = [pk for pk in option_order if options[pk].is_correct]
    wrong = [pk for pk in option_order if not options[pk].is_correct]
    option = options[right[0] if knows or not wrong else rng.choice(wrong)]
    return {"choice": option, "score": scoring.credit_single_choice(option)}


@transaction.atomic
def simulate_attempt(*, user, battery, language, ability, finished_at, rng, answered=1.0):
    """One finished attempt at a fixed battery, answered by a simulated person."""
    seed = rng.getrandbits(62)
    started = finished_at - datetime.timedelta(seconds=battery.total_seconds * 0.7)
    attempt = Attempt.objects.create(
        battery=battery,
        user=user,
        mode=rng.choice([Attempt.Mode.PRACTICE, Attempt.Mode.EXAM]),
        language=language,
        seed=seed,
        started_at=started,
        deadline=started + datetime.timedelta(seconds=battery.total_seconds),
    )
    drawn = attempt_draw(battery, language, seed)
    rows = AttemptItem.objects.bulk_create(
        AttemptItem(
            attempt=attempt, item=item, section=section, position=position, option_order=order
        )
        for position, (item, section, order) in enumerate(drawn, start=1)
    )
    responses = []
    for index, (row, (item, _section, order)) in enumerate(zip(rows, drawn, strict=True)):
        if index >= round(len(rows) * answered):
            break
        answer = _simulated_answer(rng, ability, item, order)
        responses.append(
            Response(
                attempt_item=row,
                answered_at=started + datetime.timedelta(seconds=30 * (index + 1)),
                **answer,
            )
        )
    Response.objects.bulk_create(responses)
    attempt.status = Attempt.Status.FINISHED
    attempt.finished_at = finished_at
    attempt_results_compute(attempt)
    attempt.save()
    attempt_evidence_apply(attempt)
    return attempt


def simulate_demo_attempts(*, profiles, demo_user, rng, per_battery=40):
    """Attempts of generated job-seekers at each fixed battery, and two of the demo candidate."""
    if Attempt.objects.exists():
        return 0
    now = timezone.now()
    created = 0
    batteries = list(
        Battery.objects.filter(kind=Battery.Kind.FIXED, is_active=True).prefetch_related("sections")
    )
    for battery in batteries:
        for profile in rng.sample(profiles, k=min(per_battery, len(profiles))):
            language = profile.user.preferred_language
            if language not in battery.languages:
                language = battery.languages[0]
            simulate_attempt(
                user=profile.user,
                battery=battery,
                language=language,
                ability=rng.gauss(0, 1),
                finished_at=now
                - datetime.timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 600)),
                rng=rng,
                answered=rng.choice([1.0, 1.0, 1.0, 0.9]),
            )
            created += 1
    exam = next(battery for battery in batteries if battery.slug == "peace-guard-exam")
    for days_ago, ability in ((21, -0.6), (7, 0.4)):
        simulate_attempt(
            user=demo_user,
            battery=exam,
            language="fr",
            ability=ability,
            finished_at=now - datetime.timedelta(days=days_ago),
            rng=rng,
        )
        created += 1
    return created
