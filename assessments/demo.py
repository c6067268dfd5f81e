"""Demo attempts: simulated job-seekers who took the practice tests over the last weeks.

Answers follow a 2PL model (a person's ability against each item's difficulty label, see
`assessments.simulation`), so the staff's item statistics, norms and percentiles show realistic
figures in the demo. DEMO_ATTEMPTS_PER_BATTERY attempts per fixed battery give most drawn items
the MIN_RESPONSES answers the statistics need to judge them. One item, AMBIGUOUS_ITEM, is
answered as if candidates read it two ways: the able choose its key no more often than the
others, so the statistics legitimately flag it (poor discrimination) for staff to look at.

Only for `seed_demo`; deterministic for a given random generator. The bulk of the attempts is
written with a few bulk inserts, so that seeding stays fast.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from assessments import scoring
from assessments.checks import batteries_checks_refresh
from assessments.drawing import attempt_draw
from assessments.models import Attempt, AttemptItem, Battery, EvidenceOutcome, Response
from assessments.services import attempt_evidence_apply, attempt_results_compute
from assessments.simulation import simulated_answer

DEMO_ATTEMPTS_PER_BATTERY = 160
AMBIGUOUS_ITEM = "sjt-052"
AMBIGUOUS_KEY_RATE = 0.45


def _answer(rng, ability, item, option_order):
    if item.key == AMBIGUOUS_ITEM:
        # Whatever their ability, candidates split between the key and the other options.
        ability = 3.0 if rng.random() < AMBIGUOUS_KEY_RATE else -9.0
    return simulated_answer(rng, ability, item, option_order)


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
            attempt=attempt,
            item=item,
            section=section,
            position=position,
            option_order=order,
            served_at=started,
        )
        for position, (item, section, order) in enumerate(drawn, start=1)
    )
    responses = []
    for index, (row, (item, _section, order)) in enumerate(zip(rows, drawn, strict=True)):
        if index >= round(len(rows) * answered):
            break
        responses.append(
            Response(
                attempt_item=row,
                answered_at=started + datetime.timedelta(seconds=30 * (index + 1)),
                **_answer(rng, ability, item, order),
            )
        )
    Response.objects.bulk_create(responses)
    attempt.status = Attempt.Status.FINISHED
    attempt.finished_at = finished_at
    attempt_results_compute(attempt=attempt)
    attempt.save()
    attempt_evidence_apply(attempt=attempt)
    return attempt


def _planned(battery, profile, rng, now, pools):
    """An unsaved attempt of one generated person, its drawn rows and their answers."""
    language = profile.user.preferred_language
    if language not in battery.languages:
        language = battery.languages[0]
    ability = rng.gauss(0, 1)
    answered = rng.choice([1.0, 1.0, 1.0, 0.9])
    finished_at = now - datetime.timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 600))
    started = finished_at - datetime.timedelta(seconds=battery.total_seconds * 0.7)
    seed = rng.getrandbits(62)
    attempt = Attempt(
        battery=battery,
        user=profile.user,
        mode=rng.choice([Attempt.Mode.PRACTICE, Attempt.Mode.EXAM]),
        language=language,
        seed=seed,
        started_at=started,
        deadline=started + datetime.timedelta(seconds=battery.total_seconds),
        status=Attempt.Status.FINISHED,
        finished_at=finished_at,
    )
    drawn = attempt_draw(battery, language, seed, pools)
    rows, answers = [], []
    for position, (item, section, order) in enumerate(drawn, start=1):
        rows.append(
            AttemptItem(
                attempt=attempt,
                item=item,
                section=section,
                position=position,
                option_order=order,
                served_at=started,
            )
        )
        if position <= round(len(drawn) * answered):
            answer = _answer(rng, ability, item, order)
            answer["answered_at"] = started + datetime.timedelta(seconds=30 * position)
            answers.append(answer)
        else:
            answers.append(None)
    return attempt, rows, answers


def _results(attempt, rows, answers):
    scored = [
        scoring.ScoredItem(
            section=row.section.position,
            competency=row.item.competency,
            is_scored=row.item.is_scored,
            credit=answer["score"] if answer else None,
            trait=row.item.trait.code if row.item.trait_id else "",
        )
        for row, answer in zip(rows, answers, strict=True)
    ]
    overall, sections, competencies = scoring.attempt_percentages(scored)
    attempt.score_percent = overall
    attempt.section_scores = {str(position): value for position, value in sections.items()}
    attempt.competency_scores = competencies
    attempt.trait_scores = scoring.trait_profile(scored)
    attempt.passed = scoring.pass_decision(
        overall,
        sections,
        pass_percent=attempt.battery.pass_percent,
        section_pass_percent=attempt.battery.section_pass_percent,
    )
    threshold = attempt.battery.evidence_threshold
    if threshold is None:
        attempt.evidence_outcome = EvidenceOutcome.NO_EVIDENCE
    elif overall is None or overall < threshold:
        attempt.evidence_outcome = EvidenceOutcome.BELOW_THRESHOLD


def simulate_demo_attempts(*, profiles, demo_user, rng, per_battery=DEMO_ATTEMPTS_PER_BATTERY):
    """Attempts of generated job-seekers at each fixed battery (some take a test more than
    once), and two of the demo candidate; the batteries' checks are run on the result."""
    if Attempt.objects.exists() or not profiles:
        return 0
    now = timezone.now()
    batteries = list(
        Battery.objects.filter(kind=Battery.Kind.FIXED, is_active=True).prefetch_related("sections")
    )
    pools, planned = {}, []
    for battery in batteries:
        for _ in range(per_battery):
            planned.append(_planned(battery, rng.choice(profiles), rng, now, pools))
    with transaction.atomic():
        for attempt, rows, answers in planned:
            _results(attempt, rows, answers)
        by_battery = {}
        for attempt, _rows, _answers in planned:
            if attempt.score_percent is not None:
                by_battery.setdefault(attempt.battery_id, []).append(attempt.score_percent)
        for attempt, _rows, _answers in planned:
            if attempt.score_percent is not None:
                scores = by_battery[attempt.battery_id]
                attempt.percentile = scoring.percentile_from_counts(
                    below=sum(score < attempt.score_percent for score in scores),
                    equal=sum(score == attempt.score_percent for score in scores) - 1,
                    total=len(scores) - 1,
                )
        Attempt.objects.bulk_create([attempt for attempt, _rows, _answers in planned])
        rows = AttemptItem.objects.bulk_create([row for _a, rows, _n in planned for row in rows])
        answers = [answer for _a, _r, answers in planned for answer in answers]
        Response.objects.bulk_create(
            Response(attempt_item=row, **answer)
            for row, answer in zip(rows, answers, strict=True)
            if answer is not None
        )
    # The statistics now have something to say: store the checks before granting evidence.
    batteries_checks_refresh(batteries)
    for attempt, _rows, _answers in planned:
        if not attempt.evidence_outcome:  # at or above the threshold
            attempt_evidence_apply(attempt=attempt)
    created = len(planned)
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
