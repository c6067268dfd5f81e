"""How far answering by the options' form alone gets on each practice battery, against chance.

    .venv/bin/python bench/form_strategies.py [--sittings 40] [--database var/bench.sqlite3]

Loads the item bank into a scratch SQLite database (created when missing), then, for every fixed
battery, language and form strategy of `assessments.cues`, simulates sittings of a test-wise
candidate with no ability through the real draw and scoring (`assessments.simulation`), and
prints the mean and best score, the score of random answering, and how many sittings passed or
reached the evidence threshold. A second table gives, for candidates of ability θ ~ N(0, 1),
Spearman's correlation between θ and the score. tests/assessments/test_test_wiseness.py checks
the same claims with fixed seeds.
"""

import argparse
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sittings", type=int, default=40)
    parser.add_argument("--database", default=str(ROOT / "var" / "bench-form-strategies.sqlite3"))
    parser.add_argument("--seed", default="2026")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"sqlite:///{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "college.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from assessments import cues, simulation
    from assessments.bank import load_batteries, load_item_bank
    from assessments.models import Battery
    from college.reference.loader import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()
    load_item_bank()
    load_batteries()
    print(
        f"{'battery':24} {'lang':4} {'strategy':13} {'mean':>6} {'best':>6} {'random':>6} pass evid"
    )
    for battery in Battery.objects.filter(kind=Battery.Kind.FIXED).order_by("position"):
        pools = {}
        for language in battery.languages:
            for strategy in cues.STRATEGY_LABELS:
                rng = random.Random(f"{args.seed}:{battery.slug}:{language}:{strategy}")
                answerer = simulation.test_wise_answerer(strategy, rng)
                results = [
                    simulation.simulate_scores(battery, language, answerer, seed, pools)
                    for seed in range(args.sittings)
                ]
                scores = [result.score for result in results if result.score is not None]
                if not scores:
                    continue
                chance = sum(result.chance for result in results) / len(results)
                print(
                    f"{battery.slug:24} {language:4} {strategy:13} "
                    f"{sum(scores) / len(scores):6.1f} {max(scores):6.1f} {chance:6.1f} "
                    f"{sum(bool(r.passed) for r in results):4} "
                    f"{sum(r.reaches_evidence for r in results):4}"
                )
            rng = random.Random(f"{args.seed}:{battery.slug}:{language}:able")
            abilities = [rng.gauss(0, 1) for _ in range(args.sittings * 3)]
            results = [
                simulation.simulate_scores(
                    battery, language, simulation.able_answerer(ability, rng), seed, pools
                )
                for seed, ability in enumerate(abilities)
            ]
            if results and results[0].score is not None:
                rho = simulation.spearman(abilities, [result.score for result in results])
                print(f"{battery.slug:24} {language:4} {'ability':13} Spearman {rho:.2f}")


if __name__ == "__main__":
    main()
