"""How many items an adaptive battery saves over a fixed form, on simulated candidates.

    .venv/bin/python bench/adaptive_vs_fixed.py [--simulees 300] [--items 150] [--seed 2026]

No database or Django needed: it runs `assessments.irt` on a simulated bank (a ~ U(1.2, 2.4),
b ~ N(0, 1.2²), items spread over 3 content areas) and simulees θ ~ N(0, 1). The adaptive test
is the one adaptive batteries use (content balancing, maximum information with randomesque
exposure control, EAP, stop at the target SE after at least 5 items or at the maximum length).
The fixed form is one random order of the whole bank, the same for everyone; its length is
taken per simulee as the fewest items that reach the same SE, with no cap (in its favour).
"""

import argparse
import os
import sys
import time
from pathlib import Path

# The matrices here are small: a multithreaded BLAS only loses time waking its threads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from assessments import irt  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--simulees", type=int, default=300)
    parser.add_argument("--items", type=int, default=150, help="bank size")
    parser.add_argument("--areas", type=int, default=3, help="content areas, equal targets")
    parser.add_argument("--se-target", type=float, default=0.3)
    parser.add_argument("--max-items", type=int, default=30)
    parser.add_argument("--randomesque", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()

    rng = np.random.default_rng(options.seed)
    a, b, areas = irt.simulated_bank(rng, options.items, options.areas)
    theta = rng.normal(0.0, 1.0, options.simulees)
    started = time.perf_counter()
    result = irt.compare_with_fixed_form(
        a,
        b,
        areas,
        np.ones(options.areas),
        theta,
        rng,
        se_target=options.se_target,
        max_items=options.max_items,
        randomesque=options.randomesque,
    )
    elapsed = time.perf_counter() - started

    target = options.se_target
    fixed = result.fixed_length_censored
    never = int(np.isnan(result.fixed_length).sum())
    at = result.comparison_length
    print(
        f"Bank: {options.items} items in {options.areas} areas; {options.simulees} simulees; "
        f"seed {options.seed}."
    )
    print(f"Adaptive (stop at SE ≤ {target} after ≥ 5 items, or at {options.max_items}):")
    print(
        f"  items used: mean {result.cat_length.mean():.1f}, median "
        f"{np.median(result.cat_length):.0f}, range {result.cat_length.min()}–"
        f"{result.cat_length.max()}"
    )
    print(f"  reached SE ≤ {target}: {result.cat_reached.mean():.1%} of simulees")
    print(f"  mean SE at the end: {result.cat_se.mean():.3f}")
    print(f"  correlation with true theta: {result.cat_correlation:.3f}")
    print(
        f"  exposure: most used item given to {result.exposure.max():.1%} of simulees; "
        f"{int((result.exposure == 0).sum())} of {options.items} items never used"
    )
    print(f"Fixed form (one random order of the whole bank, stopped as soon as SE ≤ {target}):")
    print(
        f"  items needed: mean {fixed.mean():.1f}, median {np.median(fixed):.0f}"
        + (f" (not reached with the whole bank: {never}, counted as {options.items})") * bool(never)
    )
    # A real fixed form has one length for everyone: the one that measures 90 % of them.
    print(f"  one length for everyone, SE ≤ {target} for 90 %: {np.quantile(fixed, 0.9):.0f} items")
    print(
        f"  after {at} items (the adaptive mean): "
        f"mean SE {result.fixed_se_at_cat_length.mean():.3f}, "
        f"SE ≤ {target} for {(result.fixed_se_at_cat_length <= target).mean():.1%}, "
        f"correlation with true theta {result.fixed_correlation_at_cat_length:.3f}"
    )
    print(
        f"Adaptive uses {result.cat_length.mean() / fixed.mean():.0%} of the fixed form's length "
        f"({elapsed:.1f} s)."
    )


if __name__ == "__main__":
    main()
