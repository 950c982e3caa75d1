"""Published reliability data, each with its source. Expected values sit next to the tests."""

from __future__ import annotations

import numpy as np

nan = np.nan

# Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability, example C (also in
# shared/reliability/README.md): 4 observers x 12 units, values 1-5, NaN = missing.
EXAMPLE_C = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
)

# Krippendorff (2011), example B: two observers, nominal values a-e.
EXAMPLE_B = [list("aabbdcccedda"), list("babbbccceddd")]

# Krippendorff (2011), example A: two observers, binary.
EXAMPLE_A = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]

# Gwet's irrCAC R package README (K. L. Gwet, github.com/kgwet/irrCAC): cont3x3abstractors,
# a 3x3 contingency table of two abstractors (rows = first, columns = second).
ABSTRACTORS_3X3 = np.array([[13, 0, 0], [0, 20, 7], [0, 4, 56]])


def table_to_codings(table: np.ndarray) -> tuple[list[int], list[int]]:
    """Expand a two-coder contingency table into the two coders' label vectors."""
    first, second = [], []
    for row in range(table.shape[0]):
        for column in range(table.shape[1]):
            first += [row] * int(table[row, column])
            second += [column] * int(table[row, column])
    return first, second


def fleiss_1971_diagnoses() -> np.ndarray:
    """Fleiss (1971) psychiatric diagnoses: 30 subjects x 6 raters, categories 1-5.

    Taken from statsmodels' own test module as installed in site-packages
    (statsmodels/stats/tests/test_inter_rater.py, ``diagnoses``), not retyped.
    Returned in the coders x units layout (6 x 30).
    """
    from statsmodels.stats.tests import test_inter_rater

    return np.asarray(test_inter_rater.diagnoses).T


def distribution_to_codings(counts: np.ndarray) -> np.ndarray:
    """Units x categories counts (every unit rated by the same raters) to coders x units."""
    rows = [np.repeat(np.arange(1, counts.shape[1] + 1), unit) for unit in counts]
    return np.array(rows).T
