"""Krippendorff's alpha against Krippendorff's (2011) examples and the krippendorff package."""

from __future__ import annotations

import warnings

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tests.reliability.published import EXAMPLE_A, EXAMPLE_B, EXAMPLE_C
from workbench.errors import ReliabilityError
from workbench.reliability import (
    LEVELS,
    ReliabilityWarning,
    coincidence_matrix,
    krippendorff_alpha,
    reliability_data,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C, as exact
# fractions (values in shared/reliability/README.md).
EXAMPLE_C_ALPHA = {
    "nominal": 113 / 152,  # 0.743
    "ordinal": 108577 / 133160,  # 0.815
    "interval": 951 / 1120,  # 0.849
    "ratio": 18222619 / 22852465,  # 0.797
}


@pytest.mark.parametrize("level", LEVELS)
def test_example_c_all_levels(level):
    assert krippendorff_alpha(EXAMPLE_C, level) == pytest.approx(EXAMPLE_C_ALPHA[level], abs=1e-9)


def test_example_b_nominal_letters():
    # Krippendorff (2011), example B: alpha = 155/224.
    assert krippendorff_alpha(EXAMPLE_B, "nominal") == pytest.approx(155 / 224, abs=1e-9)


@pytest.mark.parametrize("level", LEVELS)
def test_example_a_binary(level):
    # Krippendorff (2011), example A: alpha = 2/21 for binary data. With two values 0 and 1
    # every level's delta^2 is a constant times the nominal one except ratio, where
    # delta^2(0, 1) = 1 too, so all four levels give 2/21.
    assert krippendorff_alpha(EXAMPLE_A, level) == pytest.approx(2 / 21, abs=1e-9)


def test_example_c_coincidences():
    # Krippendorff (2011), example C: unit 12 (one value) is not pairable, leaving n.. = 40
    # pairable values with n_c = 9, 13, 10, 5, 3 for values 1-5. Counted by hand: value 1
    # pairs with itself in unit 1 (three 1s: 3*2/(3-1) = 3), unit 8 (three 1s of four values:
    # 3*2/(4-1) = 2) and unit 11 (two 1s: 2/1 = 2), so o_11 = 7; unit 6 (1, 2, 3, 4) adds
    # 1/3 to o_12, and unit 8 (1, 1, 2, 1) adds 3/3, so o_12 = 4/3.
    matrix = coincidence_matrix(EXAMPLE_C)
    assert matrix.to_numpy().sum(axis=1) == pytest.approx([9, 13, 10, 5, 3])
    assert matrix.loc[1.0, 1.0] == pytest.approx(7)
    assert matrix.loc[1.0, 2.0] == pytest.approx(4 / 3)
    assert np.allclose(matrix, matrix.T)


def test_dataframe_input_rows_are_coders():
    table = pd.DataFrame(EXAMPLE_C, index=["A", "B", "C", "D"], columns=range(1, 13))
    assert krippendorff_alpha(table, "interval") == pytest.approx(951 / 1120, abs=1e-9)


def test_long_codings_to_reliability_data():
    long = pd.DataFrame(
        [
            (coder, unit + 1, value)
            for coder, row in zip("ABCD", EXAMPLE_C, strict=True)
            for unit, value in enumerate(row)
            if not np.isnan(value)
        ],
        columns=["coder", "unit", "value"],
    )
    table = reliability_data(long)
    assert krippendorff_alpha(table, "ordinal") == pytest.approx(108577 / 133160, abs=1e-9)


def test_long_codings_with_duplicates_are_refused():
    long = pd.DataFrame({"coder": ["A", "A"], "unit": [1, 1], "value": [1, 2]})
    with pytest.raises(ReliabilityError, match="more than one value"):
        reliability_data(long)


def test_missing_as_none_in_object_data():
    data = [["a", "b", None, "a"], ["a", "b", "b", None]]
    # Units 3 and 4 have one value each and are not pairable: two agreeing units remain,
    # with values a and b. o_aa = o_bb = 2, n = 4, D_o = 0 -> alpha = 1.
    assert krippendorff_alpha(data) == 1.0


# --- Bad input ------------------------------------------------------------------------------


def test_one_coder_is_an_error():
    with pytest.raises(ReliabilityError, match=r"WB-RELIABILITY-001.*at least two coders"):
        krippendorff_alpha([[1, 2, 3]])


def test_unknown_level_lists_the_allowed_ones():
    with pytest.raises(ReliabilityError, match="'nominal', 'ordinal', 'interval', 'ratio'"):
        krippendorff_alpha(EXAMPLE_C, "metric")


def test_labels_need_nominal_level():
    with pytest.raises(ReliabilityError, match="needs numbers"):
        krippendorff_alpha(EXAMPLE_B, "ordinal")


def test_ratio_refuses_negative_values():
    with pytest.raises(ReliabilityError, match="ratio level"):
        krippendorff_alpha([[-1, 2], [1, 2]], "ratio")


def test_not_a_matrix_is_an_error():
    with pytest.raises(ReliabilityError, match="coders x units"):
        krippendorff_alpha([1, 2, 3])


def test_units_nobody_coded_are_left_out_with_a_warning():
    data = np.column_stack([EXAMPLE_C, np.full((4, 2), np.nan)])
    with pytest.warns(ReliabilityWarning, match="2 unit\\(s\\) were coded by nobody"):
        alpha = krippendorff_alpha(data, "nominal")
    assert alpha == pytest.approx(113 / 152, abs=1e-9)


def test_single_category_is_nan_with_a_reason():
    with pytest.warns(ReliabilityWarning, match="single category"):
        assert np.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))


def test_no_pairable_unit_is_nan_with_a_reason():
    with pytest.warns(ReliabilityWarning, match="no unit was coded by two or more coders"):
        assert np.isnan(krippendorff_alpha([[1, np.nan], [np.nan, 2]]))


# --- Properties -----------------------------------------------------------------------------


def reliability_matrices(max_coders: int = 5, max_units: int = 30):
    shapes = st.tuples(st.integers(2, max_coders), st.integers(1, max_units))
    cells = st.one_of(st.integers(1, 6).map(float), st.just(np.nan))
    return shapes.flatmap(lambda shape: arrays(float, shape, elements=cells))


def defined(data: np.ndarray) -> bool:
    """Alpha is defined: some unit has two values and the pairable values vary."""
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    values = data[:, pairable]
    return bool(pairable.any()) and np.unique(values[~np.isnan(values)]).size >= 2


@settings(max_examples=200, deadline=None)
@given(reliability_matrices(), st.sampled_from(LEVELS))
def test_agrees_with_the_krippendorff_package(data, level):
    assume(defined(data))
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        assert krippendorff_alpha(data, level) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(reliability_matrices(), st.sampled_from(LEVELS), st.randoms(use_true_random=False))
def test_permuting_units_or_coders_leaves_alpha_unchanged(data, level, rng):
    assume(defined(data))
    units = list(range(data.shape[1]))
    coders = list(range(data.shape[0]))
    rng.shuffle(units), rng.shuffle(coders)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        original = krippendorff_alpha(data, level)
        shuffled = krippendorff_alpha(data[coders][:, units], level)
    assert shuffled == pytest.approx(original, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    arrays(float, st.integers(2, 30), elements=st.integers(1, 6).map(float)),
    st.integers(2, 5),
    st.sampled_from(LEVELS),
)
def test_identical_coders_agree_perfectly(row, n_coders, level):
    assume(np.unique(row).size >= 2)
    assert krippendorff_alpha(np.tile(row, (n_coders, 1)), level) == pytest.approx(1.0)


def test_many_coders_use_the_value_count_path():
    # 12 coders = 66 coder pairs > 20 + 3 * 2 values, so the per-unit value counts are used;
    # both paths must give the package's answer.
    rng = np.random.default_rng(5)
    data = rng.integers(0, 2, size=(12, 200)).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    assert krippendorff_alpha(data) == pytest.approx(expected, abs=1e-9)
