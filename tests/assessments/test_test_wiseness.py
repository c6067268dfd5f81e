"""The test-wiseness benchmark: simulated candidates who answer by the options' form alone, with
no ability, take every fixed battery through the real draw and scoring; able candidates show
that scores still rise with ability. See assessments/simulation.py for the two models.

Thresholds: over SITTINGS simulated sittings per battery, language and strategy, the test-wise
candidate's mean score stays below the battery's pass mark and evidence threshold and within
10 points of what answering at random gives; the share of sittings that pass or reach the
evidence threshold by luck must be consistent with a rate of at most LUCK (5 %): a one-sided
binomial test of the lucky sittings against 5 % must not reject at 1 %. (Guessing at random on
the peace-guard exam passes about 2 % of the time: situational judgement gives partial credit,
and short parts leave room for luck.) With ability θ ~ N(0, 1), Spearman's correlation between
θ and the score exceeds 0.5, and candidates of θ = 2 pass (or reach the evidence threshold) in
most sittings.
"""

import random

import pytest
from scipy.stats import binomtest

from assessments import cues, simulation
from assessments.models import Attempt, Battery
from candidates.models import CandidateSkill

pytestmark = pytest.mark.django_db

SITTINGS = 20
LUCK = 0.05
LUCK_SIGNIFICANCE = 0.01
NEAR_CHANCE = 10
ABLE_SITTINGS = 60


def within_luck(successes, trials):
    return binomtest(successes, trials, LUCK, alternative="greater").pvalue >= LUCK_SIGNIFICANCE


def fixed_batteries():
    return [
        battery
        for battery in Battery.objects.filter(kind=Battery.Kind.FIXED, is_active=True)
        .prefetch_related("sections")
        .order_by("position")
        if any(section.competency != "work_style" for section in battery.sections.all())
    ]


def test_no_test_wise_strategy_passes_a_battery_or_earns_its_evidence(item_bank):
    pools = {}
    checked = 0
    for battery in fixed_batteries():
        for language in battery.languages:
            for strategy in cues.STRATEGY_LABELS:
                rng = random.Random(f"{battery.slug}:{language}:{strategy}")
                answerer = simulation.test_wise_answerer(strategy, rng)
                results = [
                    simulation.simulate_scores(battery, language, answerer, seed, pools)
                    for seed in range(SITTINGS)
                ]
                mean = sum(r.score for r in results) / SITTINGS
                chance = sum(r.chance for r in results) / SITTINGS
                where = (battery.slug, language, strategy, round(mean, 1), round(chance, 1))
                assert mean <= chance + NEAR_CHANCE, where
                for mark in (battery.pass_percent, battery.evidence_threshold):
                    if mark is not None:
                        assert mean < mark, where
                assert within_luck(sum(bool(r.passed) for r in results), SITTINGS), where
                assert within_luck(sum(r.reaches_evidence for r in results), SITTINGS), where
                checked += 1
    assert checked >= 5 * len(cues.STRATEGY_LABELS)


@pytest.mark.parametrize(
    "slug", ["peace-guard-exam", "situational-judgement", "police-cognitive", "french-article-8"]
)
def test_scores_rise_with_ability_and_able_candidates_pass(item_bank, slug):
    battery = Battery.objects.get(slug=slug)
    language = battery.languages[0]
    rng = random.Random(slug)
    pools = {}
    abilities = [rng.gauss(0, 1) for _ in range(ABLE_SITTINGS)]
    scores = [
        simulation.simulate_scores(
            battery, language, simulation.able_answerer(ability, rng), seed, pools
        ).score
        for seed, ability in enumerate(abilities)
    ]
    assert simulation.spearman(abilities, scores) > 0.5
    able = [
        simulation.simulate_scores(
            battery, language, simulation.able_answerer(2.0, rng), seed, pools
        )
        for seed in range(100, 120)
    ]
    goal = [r.passed if battery.pass_percent is not None else r.reaches_evidence for r in able]
    assert sum(bool(value) for value in goal) >= 0.8 * len(able)


def test_the_longest_option_strategy_through_the_services_earns_no_evidence(cast, item_bank):
    battery = Battery.objects.get(slug="peace-guard-exam")
    rng = random.Random(16)
    attempt = simulation.take_battery(
        user=cast.candidate,
        battery=battery,
        language="fr",
        answerer=simulation.test_wise_answerer(cues.Strategy.LONGEST, rng),
    )
    assert attempt.status == Attempt.Status.FINISHED
    assert attempt.attempt_items.filter(response__isnull=True).count() == 0
    assert attempt.passed is False and attempt.score_percent < battery.evidence_threshold
    assert attempt.evidence_outcome == "below_threshold" and attempt.evidence_skills == []
    assert not CandidateSkill.objects.filter(profile__user=cast.candidate).exists()
