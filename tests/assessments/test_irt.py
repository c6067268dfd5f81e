"""The IRT maths of adaptive batteries (`assessments.irt`): pure numpy, no database."""

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.stats import norm

from assessments import irt


def simulate_responses(rng, theta, a, b, share_given=1.0):
    """Persons × items 0/1 responses, NaN where an item was not given (each with `share_given`)."""
    matrix = (rng.random((theta.size, a.size)) < irt.p2pl(theta[:, None], a, b)).astype(float)
    matrix[rng.random(matrix.shape) >= share_given] = np.nan
    return matrix


def rmse(estimate, truth):
    return float(np.sqrt(np.mean((estimate - truth) ** 2)))


# The 2PL model ------------------------------------------------------------------------------


def test_probability_matches_hand_computed_values():
    assert irt.p2pl(0.0, 1.0, 0.0) == pytest.approx(0.5)
    # a (θ − b) = 2 × 0.5 = 1: 1 / (1 + e⁻¹)
    assert irt.p2pl(1.0, 2.0, 0.5) == pytest.approx(0.7310585786300049)
    # a (θ − b) = 1.5 × (−2) = −3
    assert irt.p2pl(-1.0, 1.5, 1.0) == pytest.approx(1 / (1 + math.exp(3)))


def test_information_is_a_squared_p_q():
    # p = 0.7310585786: 2² × p × (1 − p)
    assert irt.information(1.0, 2.0, 0.5) == pytest.approx(4 * 0.7310585786 * 0.2689414214)
    # At θ = b the information is a² / 4, its maximum.
    assert irt.information(0.3, 1.6, 0.3) == pytest.approx(1.6**2 / 4)
    assert irt.information(0.3, 1.6, 0.3) > irt.information(1.3, 1.6, 0.3)


def test_probability_and_information_are_vectorised():
    theta = np.array([-1.0, 0.0, 1.0])
    a = np.array([1.0, 2.0])
    b = np.array([0.0, 1.0])
    p = irt.p2pl(theta[:, None], a, b)
    assert p.shape == (3, 2)
    assert p[2, 1] == pytest.approx(0.5)
    assert irt.information(theta[:, None], a, b)[1, 0] == pytest.approx(0.25)


# EAP ----------------------------------------------------------------------------------------


def test_eap_matches_a_brute_force_integration():
    responses = [1, 0, 1]
    a = np.array([1.2, 0.8, 2.0])
    b = np.array([-0.5, 0.3, 1.0])

    def posterior(theta):
        p = irt.p2pl(theta, a, b)
        return np.prod(np.where(responses, p, 1 - p)) * norm.pdf(theta)

    mass = quad(posterior, -np.inf, np.inf)[0]
    mean = quad(lambda t: t * posterior(t), -np.inf, np.inf)[0] / mass
    variance = quad(lambda t: (t - mean) ** 2 * posterior(t), -np.inf, np.inf)[0] / mass

    theta, se = irt.eap(responses, a, b)

    # 61 nodes on [−4, 4]: the grid's error is the prior's tail beyond ±4.
    assert theta == pytest.approx(mean, abs=2e-4)
    assert se == pytest.approx(math.sqrt(variance), abs=5e-4)


def test_eap_without_responses_is_the_prior():
    assert irt.eap([], [], []) == (0.0, 1.0)
    assert irt.eap([np.nan, np.nan], [1.0, 1.0], [0.0, 0.0], prior_sd=1.5) == (0.0, 1.5)


def test_eap_is_high_when_all_correct_and_low_when_all_wrong():
    a, b = np.ones(8), np.linspace(-1, 1, 8)
    high, _ = irt.eap(np.ones(8), a, b)
    low, _ = irt.eap(np.zeros(8), a, b)
    assert high > 1.0
    assert low == pytest.approx(-high)


def test_eap_standard_error_shrinks_with_more_items():
    errors = [irt.eap([1, 0] * (n // 2), np.full(n, 1.5), np.zeros(n))[1] for n in (2, 6, 12, 24)]
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] < 0.35


def test_eap_ignores_items_not_administered():
    a, b = np.array([1.0, 2.0, 0.5]), np.array([0.0, 1.0, -1.0])
    assert irt.eap([1, np.nan, 0], a, b) == pytest.approx(irt.eap([1, 0], a[[0, 2]], b[[0, 2]]))


def test_eap_path_gives_the_estimate_after_each_item():
    rng = np.random.default_rng(3)
    a, b = rng.uniform(0.8, 2, 10), rng.normal(0, 1, 10)
    responses = (rng.random(10) < 0.5).astype(float)
    theta, se = irt.eap_path(responses, a, b)
    for n in (1, 4, 10):
        assert (theta[n - 1], se[n - 1]) == pytest.approx(irt.eap(responses[:n], a[:n], b[:n]))


# Calibration --------------------------------------------------------------------------------


def test_calibration_recovers_known_parameters():
    """Recovery within a stated tolerance: 40 items, a ~ U(0.8, 2.0), b ~ U(−2, 2); 2000 simulees
    θ ~ N(0, 1), each given a random 60 % of the items (about 1200 responses per item).
    Tolerance: RMSE(b) < 0.2, RMSE(a) < 0.25, correlation(b, b̂) > 0.97. Measured with this seed:
    RMSE(b) ≈ 0.09, RMSE(a) ≈ 0.10; over ten seeds the worst were 0.11 and 0.14."""
    rng = np.random.default_rng(2024)
    a = rng.uniform(0.8, 2.0, 40)
    b = rng.uniform(-2.0, 2.0, 40)
    matrix = simulate_responses(rng, rng.normal(0, 1, 2000), a, b, share_given=0.6)

    calibration = irt.calibrate_2pl(matrix)

    assert calibration.converged
    assert calibration.is_calibrated.all()
    assert rmse(calibration.b, b) < 0.2
    assert rmse(calibration.a, a) < 0.25
    assert np.corrcoef(b, calibration.b)[0, 1] > 0.97
    # The standard errors describe the errors: most estimates lie within 2 SE of the truth.
    assert np.mean(np.abs(calibration.b - b) < 2 * calibration.se_b) > 0.8
    assert np.mean(np.abs(calibration.a - a) < 2 * calibration.se_a) > 0.8


def test_calibration_leaves_items_with_too_few_responses_out():
    rng = np.random.default_rng(5)
    a, b = np.full(6, 1.2), np.linspace(-1, 1, 6)
    matrix = simulate_responses(rng, rng.normal(0, 1, 400), a, b)
    matrix[40:, 5] = np.nan  # 40 responses to the last item

    calibration = irt.calibrate_2pl(matrix, min_n=50)

    assert list(calibration.n) == [400] * 5 + [40]
    assert calibration.is_calibrated.tolist() == [True] * 5 + [False]
    assert np.isnan([calibration.a[5], calibration.b[5], calibration.se_b[5]]).all()
    assert not np.isnan(calibration.a[:5]).any()


def test_calibration_keeps_extreme_items_within_bounds():
    rng = np.random.default_rng(6)
    matrix = simulate_responses(rng, rng.normal(0, 1, 300), np.ones(5), np.zeros(5))
    matrix[:, 0] = 1.0  # everyone right: no finite maximum-likelihood difficulty

    calibration = irt.calibrate_2pl(matrix)

    assert irt.B_BOUNDS[0] <= calibration.b[0] < -2
    assert irt.A_BOUNDS[0] <= calibration.a.min() and calibration.a.max() <= irt.A_BOUNDS[1]


def test_calibration_is_deterministic():
    rng = np.random.default_rng(7)
    matrix = simulate_responses(rng, rng.normal(0, 1, 300), np.full(8, 1.5), np.zeros(8), 0.7)
    first, second = irt.calibrate_2pl(matrix), irt.calibrate_2pl(matrix)
    assert np.array_equal(first.a, second.a) and np.array_equal(first.b, second.b)
    assert first.iterations == second.iterations


def test_calibration_refuses_values_other_than_zero_one_or_missing():
    with pytest.raises(ValueError):
        irt.calibrate_2pl(np.array([[1.0, 0.5], [0.0, 1.0]]))


def test_calibration_with_no_item_over_the_minimum_calibrates_nothing():
    calibration = irt.calibrate_2pl(np.ones((10, 3)), min_n=50)
    assert not calibration.is_calibrated.any()
    assert calibration.iterations == 0


# Selection ----------------------------------------------------------------------------------

A = np.array([1.0, 2.0, 1.5, 0.6, 1.8, 1.2, 2.2])
B = np.array([0.0, 0.1, -0.2, 0.0, 2.5, 0.4, -3.0])


def test_select_next_without_randomness_takes_the_most_informative_item():
    rng = np.random.default_rng(0)
    everything = np.ones(A.size, dtype=bool)
    assert irt.select_next(0.0, A, B, everything, rng, randomesque=1) == 1
    # At θ = 2.5 item 4 (b = 2.5, a = 1.8) gives 0.81; item 1 gives less.
    assert irt.select_next(2.5, A, B, everything, rng, randomesque=1) == 4
    without_item_1 = everything.copy()
    without_item_1[1] = False
    assert irt.select_next(0.0, A, B, without_item_1, rng, randomesque=1) == 2


def test_select_next_draws_only_among_the_k_most_informative_available_items():
    rng = np.random.default_rng(1)
    available = np.ones(A.size, dtype=bool)
    available[2] = False
    info = irt.information(0.0, A, B)
    info[2] = -1
    top_three = set(np.argsort(-info)[:3].tolist())

    drawn = {irt.select_next(0.0, A, B, available, rng, randomesque=3) for _ in range(200)}

    assert drawn == top_three
    assert 2 not in drawn


def test_select_next_breaks_ties_in_information_at_random():
    rng = np.random.default_rng(3)
    a, b = np.ones(20), np.zeros(20)  # twenty uncalibrated items, all alike
    drawn = {
        irt.select_next(0.0, a, b, np.ones(20, dtype=bool), rng, randomesque=1) for _ in range(200)
    }
    assert len(drawn) == 20


def test_select_next_returns_none_when_nothing_is_available():
    rng = np.random.default_rng(2)
    assert irt.select_next(0.0, A, B, np.zeros(A.size, dtype=bool), rng) is None


def test_content_balancing_picks_the_area_furthest_below_its_target():
    # Targets 50 / 30 / 20 %; given so far 4 / 1 / 0 of 5: deficits −0.3, +0.1, +0.2.
    assert irt.choose_area([5, 3, 2], [4, 1, 0], [10, 10, 10]) == 2
    # Nothing given yet: the largest target comes first.
    assert irt.choose_area([1, 3, 2], [0, 0, 0], [10, 10, 10]) == 1
    # Equal deficits: the first area.
    assert irt.choose_area([1, 1, 1], [1, 1, 1], [5, 5, 5]) == 0


def test_content_balancing_skips_exhausted_areas():
    assert irt.choose_area([5, 3, 2], [4, 1, 0], [10, 10, 0]) == 1
    assert irt.choose_area([5, 3, 2], [4, 1, 0], [10, 0, 0]) == 0
    assert irt.choose_area([5, 3, 2], [4, 1, 0], [0, 0, 0]) is None


def test_balanced_selection_stays_within_the_chosen_area():
    rng = np.random.default_rng(4)
    areas = np.array([0, 0, 0, 1, 1, 2, 2])
    administered = np.array([True, False, False, False, False, True, False])
    # Given: one of area 0, one of area 2; area 1 has the largest deficit.
    chosen = {
        irt.select_balanced(
            0.0, A, B, areas, [1, 1, 1], administered, ~administered, rng, randomesque=2
        )
        for _ in range(50)
    }
    assert chosen == {3, 4}


# Adaptive against fixed ---------------------------------------------------------------------


def test_simulated_cat_stops_at_the_target_error_but_not_before_the_minimum():
    rng = np.random.default_rng(8)
    a, b, areas = irt.simulated_bank(rng, items=60)
    precise = irt.simulate_cat(0.0, a, b, areas, [1, 1, 1], se_target=0.3, rng=rng)
    assert precise.se <= 0.3
    assert 5 <= len(precise.items) < 30
    assert len(set(precise.items)) == len(precise.items)

    easy_target = irt.simulate_cat(0.0, a, b, areas, [1, 1, 1], se_target=0.9, rng=rng)
    assert len(easy_target.items) == 5

    capped = irt.simulate_cat(0.0, a, b, areas, [1, 1, 1], se_target=0.05, max_items=12, rng=rng)
    assert len(capped.items) == 12
    assert np.bincount(areas[capped.items]).tolist() == [4, 4, 4]


def test_adaptive_test_reaches_se_0_3_in_fewer_items_than_the_fixed_form():
    """A bank of 150 items over 3 areas (a ~ U(1.2, 2.4), b ~ N(0, 1.2²)) and 300 simulees
    θ ~ N(0, 1). The CAT (content-balanced, randomesque k = 5, EAP, stop at SE ≤ 0.3 after at
    least 5 items or at 30) against a fixed form: one random order of the same 150 items, the
    same for every simulee. The comparison favours the fixed form: its length is the fewest
    items after which that simulee's SE ≤ 0.3, i.e. it stops as soon as it could, with no cap
    (a simulee the whole bank does not measure counts as 150). Measured with this seed: the CAT
    needs about 13 items, the fixed form about 33."""
    rng = np.random.default_rng(2026)
    a, b, areas = irt.simulated_bank(rng)

    comparison = irt.compare_with_fixed_form(a, b, areas, [1, 1, 1], rng.normal(0, 1, 300), rng)

    assert comparison.cat_reached.mean() >= 0.95  # the cap at 30 is not what keeps it short
    assert comparison.cat_length.mean() < 0.6 * comparison.fixed_length_censored.mean()
    assert comparison.cat_correlation > 0.9
    # The same view from the other side: at the CAT's mean length, the fixed form's SE is worse.
    assert comparison.fixed_se_at_cat_length.mean() > comparison.cat_se.mean()
    assert comparison.fixed_se_at_cat_length.mean() > 0.3
