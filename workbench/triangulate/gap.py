"""Repair-gap analysis: does repair talk follow the system's performance gap?

Elish and Watkins [1]_ describe the **repair work** that made an ML sepsis alert work: nurses
and rapid-response staff filling the gaps the system left. Here the system's gap is a log metric
per cell (unit x period: a stale-input share, a time to acknowledge, ``1 - ppv``) and repair
is the density of repair-work codings in the material of the same cell. The association is
Spearman's rho over the cells that have both material and a gap value; its p-value comes from a
permutation test and its interval from a bootstrap over cells.

**What is permuted, and why.** Under the null hypothesis that repair talk is unrelated to the
gap, any assignment of the observed repair densities to the cells is as likely as the one
seen; the test shuffles the densities across cells (keeping the gap values, the number of
cells and both marginal distributions, ties included) and counts how often a shuffled rho is
at least as far from zero as the observed one (two-sided; Phipson and Smyth's +1 correction
[2]_). Cells are not independent draws from a population: the same unit recurs week after
week, and what was observed depends on when researchers were on the ward. The p-value
describes this data set; the statement says so, and says how strong an association the
number of cells could detect at all.

References
----------
.. [1] Elish MC, Watkins EA (2020). Repairing Innovation: A Study of Integrating AI in
   Clinical Care. Data & Society.
.. [2] Phipson B, Smyth GK (2010). Permutation p-values should never be zero. Statistical
   Applications in Genetics and Molecular Biology 9(1), article 39.
.. [3] Garwood F (1936). Fiducial limits for the Poisson distribution. Biometrika 28:437-442.
.. [4] Fieller EC, Hartley HO, Pearson ES (1957). Tests for rank correlation coefficients I.
   Biometrika 44:470-481 (standard error of Fisher's z for Spearman's rho, 1.03/sqrt(n-3)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.errors import TriangulationError

__all__ = ["Association", "association", "detectable_rho", "poisson_lower", "spearman"]

_CHUNK = 500


@dataclass(frozen=True)
class Association:
    """Spearman's rho with its bootstrap interval and permutation p-value."""

    rho: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int
    permutations: int


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's rho with average ranks for ties; NaN when either side does not vary.

    >>> round(spearman(np.array([1, 2, 3, 4]), np.array([10, 20, 30, 25])), 6)
    0.8
    """
    from scipy import stats

    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    return float(np.corrcoef(stats.rankdata(x), stats.rankdata(y))[0, 1])


def _centred_ranks(values: np.ndarray) -> np.ndarray:
    from scipy import stats

    ranks = stats.rankdata(values, axis=-1)
    return ranks - ranks.mean(axis=-1, keepdims=True)


def _permutation_p(gap: np.ndarray, density: np.ndarray, rho: float, permutations: int,
                   rng: np.random.Generator) -> float:
    """Two-sided permutation p-value of rho, shuffling the densities across cells."""
    a, b = _centred_ranks(gap), _centred_ranks(density)
    scale = np.sqrt((a @ a) * (b @ b))
    extreme, done = 0, 0
    while done < permutations:
        k = min(_CHUNK, permutations - done)
        shuffled = rng.permuted(np.tile(b, (k, 1)), axis=1)
        rhos = shuffled @ a / scale
        extreme += int(np.count_nonzero(np.abs(rhos) >= abs(rho) - 1e-12))
        done += k
    return (1 + extreme) / (1 + permutations)


def _bootstrap_ci(gap: np.ndarray, density: np.ndarray, resamples: int, level: float,
                  rng: np.random.Generator) -> tuple[float, float]:
    """Percentile interval of rho over resamples of cells (resamples that do not vary on
    either side have no rho and are left out)."""
    n, rhos = len(gap), []
    done = 0
    while done < resamples:
        k = min(_CHUNK, resamples - done)
        pick = rng.integers(0, n, size=(k, n))
        a, b = _centred_ranks(gap[pick]), _centred_ranks(density[pick])
        with np.errstate(invalid="ignore", divide="ignore"):
            rhos.append((a * b).sum(axis=1) / np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1)))
        done += k
    values = np.concatenate(rhos)
    values = values[np.isfinite(values)]
    if not len(values):
        return float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def association(gap, density, *, permutations: int = 9999, resamples: int = 2000,
                level: float = 0.95, seed: int = 0) -> Association:
    """Spearman's rho between a gap and a repair density across cells, with a permutation
    p-value (shuffling densities across cells) and a bootstrap percentile interval.

    Parameters
    ----------
    gap, density : one value per cell, no missing values.
    permutations : shuffles for the p-value (9999 gives p down to 0.0001).
    resamples : bootstrap resamples of cells for the interval.
    seed : the same seed gives the same p-value and interval.

    Validated against: ``scipy.stats.spearmanr`` for rho and ``scipy.stats.permutation_test``
    for p, and its false-positive rate on planted null cases (tests/triangulate/test_planted.py).
    """
    gap, density = np.asarray(gap, dtype=float), np.asarray(density, dtype=float)
    if len(gap) != len(density) or not np.isfinite(gap).all() or not np.isfinite(
            density).all():
        raise TriangulationError(40, "association() needs one finite gap and density per "
                                 "cell.")
    if len(gap) < 3:
        raise TriangulationError(41, f"only {len(gap)} cell(s) have both material and a gap "
                                 "value; at least 3 are needed for a rank correlation (more "
                                 "for it to mean much). Use a shorter period or more units.")
    rng = np.random.default_rng(seed)
    rho = spearman(gap, density)
    if np.isnan(rho):
        return Association(rho, float("nan"), float("nan"), float("nan"), len(gap),
                           permutations)
    p_value = _permutation_p(gap, density, rho, permutations, rng)
    low, high = _bootstrap_ci(gap, density, resamples, level, rng)
    return Association(rho, low, high, p_value, len(gap), permutations)


def detectable_rho(n: int, *, alpha: float = 0.05, power: float = 0.8) -> float:
    """The smallest |rho| detected with ``power`` at two-sided ``alpha`` among ``n`` cells,
    from Fisher's z with Spearman's standard error 1.03 / sqrt(n - 3) [4]_.

    >>> round(detectable_rho(36), 2)
    0.46
    """
    from scipy import stats

    if n <= 3:
        return float("nan")
    z = stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)
    return float(np.tanh(z * 1.03 / np.sqrt(n - 3)))


def poisson_lower(counts, level: float = 0.95) -> np.ndarray:
    """Garwood's exact lower confidence bound of a Poisson count [3]_ (0 for a count of 0).

    >>> [round(float(v), 2) for v in poisson_lower([0, 3, 17])]
    [0.0, 0.62, 9.9]
    """
    from scipy import stats

    counts = np.asarray(counts, dtype=float)
    with np.errstate(invalid="ignore"):
        lower = stats.chi2.ppf((1 - level) / 2, 2 * counts) / 2
    return np.where(counts > 0, lower, 0.0)
