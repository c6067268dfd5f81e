"""Item response theory for adaptive batteries: the 2PL model, EAP ability estimates, Bock–Aitkin
calibration, item selection and the simulations that compare an adaptive test with a fixed form.

Pure numpy/scipy, no Django: `assessments.adaptive` connects it to the item bank and attempts.

Conventions: ability `theta` and item difficulty `b` are on the same logit scale, the population
of test takers is N(0, 1) on it, and the logistic has no scaling constant (D = 1), so
P(correct) = 1 / (1 + exp(-a (theta - b))). Responses are 1 (correct), 0 (wrong) or NaN (the
item was not administered).
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, logsumexp

# Bounds that keep a calibration sensible whatever the data (an item everyone got right has
# no finite maximum-likelihood difficulty).
A_BOUNDS = (0.2, 4.0)
B_BOUNDS = (-5.0, 5.0)


def p2pl(theta, a, b):
    """P(correct) under the 2PL model; broadcasts (e.g. `theta[:, None]` against item arrays)."""
    return expit(np.asarray(a, dtype=float) * (np.asarray(theta, dtype=float) - b))


def information(theta, a, b):
    """Fisher information of 2PL items at `theta`: a² p (1 − p)."""
    p = p2pl(theta, a, b)
    return np.asarray(a, dtype=float) ** 2 * p * (1.0 - p)


def quadrature(points=61, bound=4.0, prior_sd=1.0):
    """Equally spaced nodes on [−bound, bound] and the log of the normalised N(0, sd²) weights."""
    nodes = np.linspace(-bound, bound, points)
    log_weights = -0.5 * (nodes / prior_sd) ** 2
    return nodes, log_weights - logsumexp(log_weights)


def _product(x, y):
    """x @ y for the small matrices of a calibration. einsum's own loop, not BLAS: on a busy
    machine a multithreaded BLAS spends far longer waking its threads than multiplying these."""
    return np.einsum("ij,jk->ik", x, y)


def _log_p(z):
    """log expit(z) and log(1 − expit(z)), without overflow for large |z|."""
    return -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)


def _item_log_likelihoods(responses, a, b, nodes):
    """Per answered item (rows) and node (columns): the log-likelihood of its response."""
    responses = np.asarray(responses, dtype=float)
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    answered = ~np.isnan(responses)
    u = responses[answered][:, None]
    log_p, log_q = _log_p(a[answered][:, None] * (nodes[None, :] - b[answered][:, None]))
    return u * log_p + (1.0 - u) * log_q


def _posterior_moments(log_posterior, nodes):
    """Mean and SD of posteriors given as log densities on the nodes (last axis)."""
    weights = np.exp(log_posterior - logsumexp(log_posterior, axis=-1, keepdims=True))
    mean = weights @ nodes
    variance = weights @ nodes**2 - mean**2
    return mean, np.sqrt(np.maximum(variance, 0.0))


def eap(responses, a, b, prior_sd=1.0, points=61, bound=4.0):
    """Expected a posteriori ability and its posterior SD (the standard error).

    `responses` are 0/1 (NaN = not administered, ignored) to items with parameters `a`, `b`; the
    prior is N(0, prior_sd²), integrated on `points` equally spaced nodes over [−bound, bound].
    With no response the estimate is the prior's: (0, prior_sd).
    """
    responses = np.asarray(responses, dtype=float)
    if not (~np.isnan(responses)).any():
        return 0.0, float(prior_sd)
    nodes, log_prior = quadrature(points, bound, prior_sd)
    log_likelihood = _item_log_likelihoods(responses, a, b, nodes).sum(axis=0)
    theta, se = _posterior_moments(log_likelihood + log_prior, nodes)
    return float(theta), float(se)


def eap_path(responses, a, b, prior_sd=1.0, points=61, bound=4.0):
    """EAP estimates and SEs after each of the first 1, 2, …, n responses (in the given order)."""
    nodes, log_prior = quadrature(points, bound, prior_sd)
    cumulative = np.cumsum(_item_log_likelihoods(responses, a, b, nodes), axis=0)
    return _posterior_moments(cumulative + log_prior, nodes)


# Calibration --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Calibration:
    """A 2PL calibration. Arrays have one entry per item (column of the matrix); items with fewer
    than `min_n` responses are NaN in `a`, `b`, `se_a` and `se_b`."""

    a: np.ndarray
    b: np.ndarray
    se_a: np.ndarray
    se_b: np.ndarray
    n: np.ndarray  # responses per item
    persons: int  # persons with at least one response to a calibrated item
    iterations: int
    log_likelihood: float  # marginal log-likelihood of the calibrated items' responses
    converged: bool

    @property
    def is_calibrated(self):
        return ~np.isnan(self.a)


def calibrate_2pl(
    matrix,
    *,
    min_n=50,
    points=41,
    bound=4.0,
    max_iter=500,
    tol=1e-4,
    log_a_prior=(0.0, 1.0),
    b_prior_sd=3.0,
):
    """Fits 2PL item parameters by marginal maximum likelihood, EM over quadrature (Bock–Aitkin).

    `matrix` is persons × items of 0/1 with NaN where an item was not administered (random
    subsets, or an adaptive test's choices: both leave the likelihood ignorable). Ability is
    N(0, 1), which fixes the scale. E-step: each person's posterior over the nodes gives, per item
    and node, the expected number of responses and of correct ones. M-step: the expected
    complete-data log-likelihood, plus weak priors log a ~ N(log_a_prior) and b ~ N(0, b_prior_sd²)
    and bounds a ∈ A_BOUNDS, b ∈ B_BOUNDS, is maximised over (log a, b) with
    scipy.optimize.minimize. It is a sum of one term per item, so one bounded minimisation over
    all items is the same as one per item, only faster (TNC, which does no BLAS calls, see
    `_product`). Stops when no parameter moves by `tol` or more, or after `max_iter` iterations.
    Deterministic.

    Standard errors come from the cross-product of the persons' score vectors (the empirical
    information of the marginal likelihood) at the estimates.
    """
    data = _response_matrix(matrix)
    observed = ~np.isnan(data)
    n = observed.sum(axis=0)
    fitted = n >= min_n
    item_count = data.shape[1]
    a = np.full(item_count, np.nan)
    b = np.full(item_count, np.nan)
    se_a = np.full(item_count, np.nan)
    se_b = np.full(item_count, np.nan)
    if not fitted.any():
        return Calibration(a, b, se_a, se_b, n, 0, 0, 0.0, True)

    # Only the items fitted, and the persons who answered at least one of them.
    observed = observed[:, fitted]
    keep = observed.any(axis=1)
    observed = observed[keep].astype(float)
    correct = np.where(observed > 0, data[keep][:, fitted], 0.0)
    wrong = observed - correct
    nodes, log_weights = quadrature(points, bound)

    def posterior(fit_a, fit_b):
        return _posterior(correct, wrong, nodes, log_weights, fit_a, fit_b)

    fit_a, fit_b = _classical_start(correct, observed)
    converged = False
    iterations = 0
    while not converged and iterations < max_iter:
        iterations += 1
        weights, _ = posterior(fit_a, fit_b)
        expected_correct = _product(correct.T, weights)
        expected_count = _product(observed.T, weights)
        new_a, new_b = _maximise_items(
            expected_correct, expected_count, nodes, fit_a, fit_b, log_a_prior, b_prior_sd
        )
        change = max(np.abs(new_a - fit_a).max(), np.abs(new_b - fit_b).max())
        fit_a, fit_b = new_a, new_b
        converged = change < tol

    weights, log_likelihood = posterior(fit_a, fit_b)
    fit_se_a, fit_se_b = _standard_errors(correct, observed, weights, nodes, fit_a, fit_b)
    a[fitted], b[fitted] = fit_a, fit_b
    se_a[fitted], se_b[fitted] = fit_se_a, fit_se_b
    return Calibration(a, b, se_a, se_b, n, int(keep.sum()), iterations, log_likelihood, converged)


def _response_matrix(matrix):
    """`matrix` as floats, checked: persons × items of 0, 1 or NaN."""
    data = np.asarray(matrix, dtype=float)
    if data.ndim != 2:
        raise ValueError("matrix must be persons × items")
    if not np.isin(data[~np.isnan(data)], (0.0, 1.0)).all():
        raise ValueError("responses must be 0, 1 or NaN")
    return data


def _classical_start(correct, observed):
    """Starting parameters from the classical difficulty: b ≈ −logit(p) with a = 1."""
    facility = (correct.sum(axis=0) + 0.5) / (observed.sum(axis=0) + 1.0)
    fit_a = np.ones(correct.shape[1])
    fit_b = np.clip(-np.log(facility / (1.0 - facility)), -3.0, 3.0)
    return fit_a, fit_b


def _posterior(correct, wrong, nodes, log_weights, a, b):
    """The E-step: each person's posterior weights over the nodes, and the marginal
    log-likelihood of all the responses."""
    log_p, log_q = _log_p(a[:, None] * (nodes[None, :] - b[:, None]))
    joint = _product(correct, log_p) + _product(wrong, log_q) + log_weights
    marginal = logsumexp(joint, axis=1)
    return np.exp(joint - marginal[:, None]), float(marginal.sum())


def _maximise_items(expected_correct, expected_count, nodes, a, b, log_a_prior, b_prior_sd):
    """M-step: maximises each item's expected complete-data log-posterior over (log a, b)."""
    items = len(a)
    prior_mean, prior_sd = log_a_prior
    expected_wrong = expected_count - expected_correct

    def objective(x):
        log_a, b = x[:items], x[items:]
        a = np.exp(log_a)
        distance = nodes[None, :] - b[:, None]
        z = a[:, None] * distance
        log_p, log_q = _log_p(z)
        value = (expected_correct * log_p + expected_wrong * log_q).sum()
        value -= 0.5 * (((log_a - prior_mean) / prior_sd) ** 2).sum()
        value -= 0.5 * ((b / b_prior_sd) ** 2).sum()
        residual = expected_correct - expected_count * expit(z)  # d value / d z
        grad_log_a = a * (residual * distance).sum(axis=1) - (log_a - prior_mean) / prior_sd**2
        grad_b = -a * residual.sum(axis=1) - b / b_prior_sd**2
        return -value, -np.concatenate([grad_log_a, grad_b])

    bounds = [tuple(np.log(A_BOUNDS))] * items + [B_BOUNDS] * items
    start = np.concatenate([np.log(a), b])
    result = minimize(
        objective,
        start,
        jac=True,
        method="TNC",
        bounds=bounds,
        options={"ftol": 1e-12, "xtol": 1e-8, "gtol": 1e-8, "maxfun": 1000},
    )
    return np.exp(result.x[:items]), result.x[items:]


def _standard_errors(correct, observed, weights, nodes, a, b):
    """SEs of (a, b) from the empirical cross-product information of the persons' scores."""
    p = expit(a[:, None] * (nodes[None, :] - b[:, None]))  # items × nodes
    mean_theta = weights @ nodes  # persons
    mean_p = _product(weights, p.T)  # persons × items: E[P(θ)]
    mean_p_theta = _product(weights, (p * nodes).T)  # E[P(θ) θ]
    # d log L_i / d a_j = Σ_k w_ik (u_ij − P_jk)(θ_k − b_j); d / d b_j = −a_j Σ_k w_ik (u_ij − P_jk)
    score_a = observed * (correct * (mean_theta[:, None] - b) - (mean_p_theta - b * mean_p))
    score_b = observed * (-a * (correct - mean_p))
    scores = np.hstack([score_a, score_b])
    try:
        covariance = np.linalg.inv(scores.T @ scores)
    except np.linalg.LinAlgError:
        return np.full(len(a), np.nan), np.full(len(a), np.nan)
    variances = np.diag(covariance)
    se = np.sqrt(np.where(variances > 0, variances, np.nan))
    return se[: len(a)], se[len(a) :]


# Selection ----------------------------------------------------------------------------------


def select_next(theta, a, b, available_mask, rng, randomesque=5):
    """The index of the next item: maximum information at `theta`, with randomesque exposure
    control (one of the `randomesque` most informative available items, uniformly at random).
    None when no item is available.

    Items with equal information (uncalibrated items share default parameters) are ranked in
    random order, so that the first items of the bank are not the only ones ever given.
    `rng` is a numpy Generator.
    """
    available = rng.permutation(np.flatnonzero(np.asarray(available_mask, dtype=bool)))
    if available.size == 0:
        return None
    info = information(theta, np.asarray(a, dtype=float)[available], np.asarray(b)[available])
    ranked = available[np.argsort(-info, kind="stable")]
    top = ranked[: max(1, min(randomesque, ranked.size))]
    return int(top[rng.integers(top.size)])


def choose_area(targets, administered, available):
    """Content balancing: the content area with the largest deficit, target share − share
    administered so far, among areas with an item left. Ties go to the first area; None when
    every area's pool is exhausted.

    `targets` are relative weights (any positive scale); `administered` and `available` are
    counts per area.
    """
    targets = np.asarray(targets, dtype=float)
    administered = np.asarray(administered, dtype=float)
    share = targets / targets.sum()
    total = administered.sum()
    given = administered / total if total else np.zeros_like(share)
    deficit = np.where(np.asarray(available) > 0, share - given, -np.inf)
    if np.isneginf(deficit).all():
        return None
    return int(np.argmax(deficit))


def select_balanced(theta, a, b, areas, targets, administered_mask, available_mask, rng, **kw):
    """The next item with content balancing: `choose_area` by the areas (indices into `targets`)
    of the administered items, then `select_next` within that area."""
    areas = np.asarray(areas)
    available_mask = np.asarray(available_mask, dtype=bool)
    administered = np.bincount(
        areas[np.asarray(administered_mask, dtype=bool)], minlength=len(targets)
    )
    available = np.bincount(areas[available_mask], minlength=len(targets))
    area = choose_area(targets, administered, available)
    if area is None:
        return None
    return select_next(theta, a, b, available_mask & (areas == area), rng, **kw)


# Simulation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatResult:
    items: list  # indices, in the order given
    responses: list
    theta: float
    se: float

    def reached(self, se_target):
        return self.se <= se_target


def simulate_cat(
    theta_true,
    a,
    b,
    areas,
    targets,
    se_target=0.3,
    max_items=30,
    rng=None,
    *,
    min_items=5,
    randomesque=5,
):
    """One simulee through an adaptive test: content-balanced maximum-information selection with
    randomesque exposure control, EAP after each response, stop once SE ≤ `se_target` (after at
    least `min_items`), at `max_items` or when the bank is exhausted."""
    rng = np.random.default_rng() if rng is None else rng
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    given = np.zeros(a.size, dtype=bool)
    items, responses = [], []
    theta, se = eap([], a[:0], b[:0])
    while len(items) < max_items and not (len(items) >= min_items and se <= se_target):
        item = select_balanced(
            theta, a, b, areas, targets, given, ~given, rng, randomesque=randomesque
        )
        if item is None:
            break
        given[item] = True
        items.append(item)
        responses.append(float(rng.random() < p2pl(theta_true, a[item], b[item])))
        theta, se = eap(responses, a[items], b[items])
    return CatResult(items, responses, theta, se)


@dataclass(frozen=True)
class FixedResult:
    order: np.ndarray
    responses: np.ndarray
    theta: np.ndarray  # EAP after 1, 2, … items
    se: np.ndarray

    def length_to_reach(self, se_target):
        """The fewest items after which SE ≤ se_target; None if the whole form does not reach it."""
        reached = np.flatnonzero(self.se <= se_target)
        return int(reached[0]) + 1 if reached.size else None


def simulate_fixed(theta_true, a, b, order, rng=None):
    """One simulee through a fixed form (the items in `order`), with EAP after each item."""
    rng = np.random.default_rng() if rng is None else rng
    order = np.asarray(order)
    a = np.asarray(a, dtype=float)[order]
    b = np.asarray(b, dtype=float)[order]
    responses = (rng.random(order.size) < p2pl(theta_true, a, b)).astype(float)
    theta, se = eap_path(responses, a, b)
    return FixedResult(order, responses, theta, se)


@dataclass(frozen=True)
class Comparison:
    """An adaptive test against a fixed form of the same bank, on the same simulees."""

    theta_true: np.ndarray
    cat_length: np.ndarray
    cat_theta: np.ndarray
    cat_se: np.ndarray
    cat_reached: np.ndarray  # SE ≤ target when the CAT stopped (False: stopped at max_items)
    fixed_length: np.ndarray  # fewest items of the fixed form for SE ≤ target (NaN: never)
    fixed_se_at_cat_length: np.ndarray  # the fixed form's SE after the CAT's mean length
    fixed_theta_at_cat_length: np.ndarray
    exposure: np.ndarray  # per item: share of simulees who were given it by the CAT
    se_target: float
    bank_size: int

    @property
    def fixed_length_censored(self):
        """Fixed-form lengths, a simulee the whole bank did not measure counting as the bank's
        size (fewer items than it would really need: in the fixed form's favour)."""
        return np.where(np.isnan(self.fixed_length), self.bank_size, self.fixed_length)

    @property
    def cat_correlation(self):
        return float(np.corrcoef(self.theta_true, self.cat_theta)[0, 1])

    @property
    def fixed_correlation_at_cat_length(self):
        return float(np.corrcoef(self.theta_true, self.fixed_theta_at_cat_length)[0, 1])

    @property
    def comparison_length(self):
        return int(round(self.cat_length.mean()))


def simulated_bank(rng, items=150, areas=3):
    """A bank like a well-written reasoning bank: a ~ U(1.2, 2.4), b ~ N(0, 1.2²), areas in turn."""
    a = rng.uniform(1.2, 2.4, items)
    b = rng.normal(0.0, 1.2, items)
    return a, b, np.arange(items) % areas


def compare_with_fixed_form(
    a, b, areas, targets, theta_true, rng, se_target=0.3, max_items=30, randomesque=5
):
    """Runs each simulee through the adaptive test and through a fixed form, and compares.

    The fixed form is one random order of the whole bank, the same for every simulee (that is
    what a fixed form is). It is given every advantage: its length is measured per simulee as
    the fewest items after which its EAP SE ≤ `se_target`, the same stopping rule as the CAT's
    but without the CAT's `max_items` cap. As a second view, the fixed form's SE is also taken
    after the CAT's mean length.
    """
    a = np.asarray(a, dtype=float)
    theta_true = np.asarray(theta_true, dtype=float)
    order = rng.permutation(a.size)
    exposure = np.zeros(a.size)
    cat_length, cat_theta, cat_se, fixed_length = [], [], [], []
    fixed_results = []
    for theta in theta_true:
        cat = simulate_cat(
            theta, a, b, areas, targets, se_target, max_items, rng, randomesque=randomesque
        )
        exposure[cat.items] += 1
        cat_length.append(len(cat.items))
        cat_theta.append(cat.theta)
        cat_se.append(cat.se)
        fixed = simulate_fixed(theta, a, b, order, rng)
        fixed_results.append(fixed)
        length = fixed.length_to_reach(se_target)
        fixed_length.append(np.nan if length is None else length)
    cat_length = np.array(cat_length)
    at = int(round(cat_length.mean())) - 1
    return Comparison(
        theta_true=theta_true,
        cat_length=cat_length,
        cat_theta=np.array(cat_theta),
        cat_se=np.array(cat_se),
        cat_reached=np.array(cat_se) <= se_target,
        fixed_length=np.array(fixed_length, dtype=float),
        fixed_se_at_cat_length=np.array([fixed.se[at] for fixed in fixed_results]),
        fixed_theta_at_cat_length=np.array([fixed.theta[at] for fixed in fixed_results]),
        exposure=exposure / theta_true.size,
        se_target=se_target,
        bank_size=a.size,
    )
