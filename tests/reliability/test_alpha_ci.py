"""Bootstrapped interval for alpha (Hayes & Krippendorff 2007; Krippendorff's algorithm)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.reliability.published import EXAMPLE_C
from workbench.errors import ReliabilityError
from workbench.reliability import AlphaInterval, ReliabilityWarning, alpha_ci
from workbench.reliability._interval import percentile_limits
from workbench.reliability.alpha import _bootstrap_alphas


def test_point_estimate_is_alpha():
    # Krippendorff (2011), example C, ordinal: 108577/133160.
    result = alpha_ci(EXAMPLE_C, "ordinal", n_boot=500, seed=3)
    assert result.alpha == pytest.approx(108577 / 133160, abs=1e-9)
    assert result.ci_low <= result.alpha <= result.ci_high
    assert 0.0 <= result.p_below_min <= 1.0


def test_seed_reproduces_and_frame_is_tidy():
    first = alpha_ci(EXAMPLE_C, "nominal", n_boot=1000, seed=7)
    assert first == alpha_ci(EXAMPLE_C, "nominal", n_boot=1000, seed=7)
    frame = first.to_frame()
    assert list(frame.columns) == [
        "alpha", "ci_low", "ci_high", "p_below_min", "min_alpha", "n_boot", "confidence"
    ]  # fmt: skip
    assert len(frame) == 1


def test_perfect_agreement_gives_a_point_interval():
    # Every drawn pair agrees, so D_o = 0 in every sample: alpha* = 1 and q(alpha < .8) = 0.
    # (30 units: M = min(25 * 3, 60 / 2) = 30 draws, so a sample of one value only, which
    # the algorithm would count as 0, has probability 3 / 3**30.)
    data = [[1, 2, 3] * 10, [1, 2, 3] * 10]
    result = alpha_ci(data, "interval", n_boot=300, min_alpha=0.8, seed=0)
    assert (result.alpha, result.ci_low, result.ci_high, result.p_below_min) == (1, 1, 1, 0)


def test_draws_follow_the_coincidences():
    # Binary coincidences o = [[4, 1], [1, 2]] (n = 8): pairs 0-0 with p = 4/8, 0-1 with
    # 2/8, 1-1 with 2/8. Nominal D_e = 2 * 5 * 3 / (8 * 7) = 15/28, and
    # M = min(25 * 4 cells, (2 - 1) * 8 / 2) = 4 draws. E[alpha*] = 1 - (2/8) / (15/28)
    # = 8/15 (the observed alpha), except that samples whose 4 pairs all fall on 0-0
    # (p = (1/2)^4) or all on 1-1 (p = (1/4)^4) lack variation and count as 0 instead of 1:
    # mean = 8/15 - 1/16 - 1/256.
    coincidences = np.array([[4.0, 1.0], [1.0, 2.0]])
    distances = 1 - np.eye(2)
    rng = np.random.default_rng(1)
    samples = _bootstrap_alphas(coincidences, distances, 15 / 28, 2, 200_000, rng)
    assert samples.mean() == pytest.approx(8 / 15 - 1 / 16 - 1 / 256, abs=0.005)


def test_percentile_limits_read_kalpha_order_statistics():
    # 1,000 sorted samples 0..999: the 2.5% limit is the 25th value (24), the 97.5% limit the
    # 976th (975), as KALPHA reads them.
    assert percentile_limits(np.arange(1000.0)[::-1], 0.95) == (24.0, 975.0)


def test_undefined_alpha_gives_nan_interval():
    with pytest.warns(ReliabilityWarning, match="single category"):
        result = alpha_ci([[1, 1], [1, 1]], n_boot=10)
    assert isinstance(result, AlphaInterval)
    assert np.isnan([result.alpha, result.ci_low, result.ci_high, result.p_below_min]).all()


@pytest.mark.parametrize(("n_boot", "confidence"), [(0, 0.95), (100, 1.5)])
def test_bad_bootstrap_options(n_boot, confidence):
    with pytest.raises(ReliabilityError, match="n_boot must be 1 or more"):
        alpha_ci(EXAMPLE_C, n_boot=n_boot, confidence=confidence)


# --- The interval against its exact distribution ----------------------------------------------
#
# Krippendorff's algorithm draws M pairs of values with replacement, pair c-k with probability
# p_ck = o_ck / n (both orders of c != k together), and sets alpha* = 1 - D_o* / D_e with D_o*
# the mean delta^2 of the drawn pairs. When every delta^2 is a whole number, the sum S of the M
# drawn deltas has an exact distribution: the M-fold convolution of the one-draw distribution.
# So the limits and q(alpha < min_alpha) have exact values, computed here without the code under
# test from Krippendorff's (2011) published coincidences and alpha for example C.

# Krippendorff (2011), example C, section C: the coincidence matrix, times 3 (the cells are
# thirds); values 1..5, n = 40 pairable values.
EXAMPLE_C_COINCIDENCES_X3 = np.array(
    [
        [21, 4, 1, 1, 0],
        [4, 30, 4, 1, 0],
        [1, 4, 24, 1, 0],
        [1, 1, 1, 12, 0],
        [0, 0, 0, 0, 9],
    ]
)
# Krippendorff (2011), example C: alpha nominal = 113/152, interval = 951/1120.
PUBLISHED_ALPHA = {"nominal": 113 / 152, "interval": 951 / 1120}
# M = min(25 Q, (m - 1) n / 2) (Krippendorff 2006/2011, step 2): Q = 17 non-empty cells in the
# matrix above, m = 4 observers, n = 40, so M = min(425, 60) = 60.
DRAWS = 60
N_BOOT = 20_000


def exact_sum_distribution(level: str) -> tuple[np.ndarray, float]:
    """P(S = s) for s = 0, 1, ... and D_e, from the published coincidences and alpha."""
    values = np.arange(1, 6)
    deltas = (values[:, None] - values[None, :]) ** 2  # interval delta^2 (Krippendorff 2011, E)
    if level == "nominal":
        deltas = (deltas > 0).astype(int)
    p = EXAMPLE_C_COINCIDENCES_X3 / EXAMPLE_C_COINCIDENCES_X3.sum()
    one_draw = np.bincount(deltas.ravel(), weights=p.ravel())
    observed = float((p * deltas).sum())  # D_o: nominal 8/40, interval 13/30
    expected = observed / (1 - PUBLISHED_ALPHA[level])  # D_e, from alpha = 1 - D_o / D_e
    total = np.array([1.0])
    for _ in range(DRAWS):
        total = np.convolve(total, one_draw)
    return total, expected


def exact_alpha_quantile(pmf: np.ndarray, expected: float, share: float) -> float:
    """Alpha at S = the smallest s with P(S <= s) >= share (alpha falls as S grows)."""
    s = int(np.searchsorted(np.cumsum(pmf), share))
    return max(1.0 - s / (DRAWS * expected), -1.0)


@pytest.mark.parametrize("level", ["nominal", "interval"])
def test_interval_matches_the_exact_bootstrap_distribution(level):
    # Tolerance: the limits are order statistics of N_BOOT = 20,000 samples (KALPHA's: the
    # 500th and 19,501st of the sorted alphas), so each must lie between the exact quantiles
    # at its share +- 4 Monte Carlo standard errors, 4 * sqrt(u (1 - u) / N_BOOT) = 0.0044
    # for u = 0.025 (a miss has probability about 6e-5). q must be within 4 standard errors
    # of its exact value. Samples of a single diagonal cell, which the algorithm counts as 0,
    # have probability below 60 * (30/120)**60, about 1e-34, and are neglected.
    pmf, expected = exact_sum_distribution(level)
    result = alpha_ci(EXAMPLE_C, level, n_boot=N_BOOT, min_alpha=0.8, seed=11)
    band = 4 * np.sqrt(0.025 * 0.975 / N_BOOT)
    # Few disagreements (small S) give high alpha: the lower limit sits at S's 97.5% quantile.
    assert (
        exact_alpha_quantile(pmf, expected, 0.975 + band) - 1e-12
        <= result.ci_low
        <= exact_alpha_quantile(pmf, expected, 0.975 - band) + 1e-12
    )
    assert (
        exact_alpha_quantile(pmf, expected, 0.025 + band) - 1e-12
        <= result.ci_high
        <= exact_alpha_quantile(pmf, expected, 0.025 - band) + 1e-12
    )
    s = np.arange(pmf.size)
    q = float(pmf[1.0 - s / (DRAWS * expected) < 0.8].sum())
    assert result.p_below_min == pytest.approx(q, abs=4 * np.sqrt(q * (1 - q) / N_BOOT))
