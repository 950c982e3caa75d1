"""Bootstrapped interval for alpha (Hayes & Krippendorff 2007; Krippendorff's algorithm)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.reliability.published import EXAMPLE_C
from workbench.errors import ReliabilityError
from workbench.reliability import AlphaInterval, ReliabilityWarning, alpha_ci
from workbench.reliability.stats import _bootstrap_alphas, _percentile_limits


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
    assert _percentile_limits(np.arange(1000.0)[::-1], 0.95) == (24.0, 975.0)


def test_undefined_alpha_gives_nan_interval():
    with pytest.warns(ReliabilityWarning, match="single category"):
        result = alpha_ci([[1, 1], [1, 1]], n_boot=10)
    assert isinstance(result, AlphaInterval)
    assert np.isnan([result.alpha, result.ci_low, result.ci_high, result.p_below_min]).all()


@pytest.mark.parametrize(("n_boot", "confidence"), [(0, 0.95), (100, 1.5)])
def test_bad_bootstrap_options(n_boot, confidence):
    with pytest.raises(ReliabilityError, match="n_boot must be 1 or more"):
        alpha_ci(EXAMPLE_C, n_boot=n_boot, confidence=confidence)
