"""Krippendorff's alpha for unitized text: published examples, reductions and hand counts."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tests.reliability.published import EXAMPLE_A, EXAMPLE_B
from workbench.errors import ReliabilityError
from workbench.reliability import (
    ReliabilityWarning,
    krippendorff_alpha,
    unitizing_alpha,
    unitizing_alpha_2004,
    unitizing_alpha_ci,
)
from workbench.reliability._spans import ALL_CODES, code_partitions, read_spans
from workbench.reliability.unitizing import _observed, _resampled_alphas, _self_pairs

pytestmark = pytest.mark.filterwarnings("ignore:cu_alpha is undefined")


def spans_frame(rows, columns=("coder", "start", "end", "code")) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def one_character_spans(matrix) -> pd.DataFrame:
    """Coders x characters values (0 = uncoded) as spans one character long each."""
    return spans_frame(
        [
            (coder, position, position + 1, str(value))
            for coder, row in enumerate(matrix)
            for position, value in enumerate(row)
            if value != 0
        ]
    )


def row(table: pd.DataFrame, code) -> pd.Series:
    return table.set_index("code").loc[code]


# --- Krippendorff (2004) and (1995): published worked examples -------------------------------


def krippendorff_2004_example() -> pd.DataFrame:
    """Krippendorff (2004), Content Analysis 2nd ed., p. 254: two observers, codes c and k on
    the continuum 150-450, as transcribed (begin, length) in DKPro Statistics'
    Krippendorff2004Test.java; shifted here to start at 0 (length 300)."""
    units = [
        (0, 225, 70, "c"), (0, 370, 30, "c"), (1, 220, 80, "c"), (1, 355, 20, "c"),
        (1, 400, 20, "c"), (0, 180, 60, "k"), (0, 300, 50, "k"), (1, 180, 60, "k"),
        (1, 300, 50, "k"),
    ]  # fmt: skip
    return spans_frame([(c, b - 150, b - 150 + n, code) for c, b, n, code in units])


def test_krippendorff_2004_worked_example():
    # Values as asserted in DKPro Statistics' Krippendorff2004Test (from Krippendorff 2004,
    # p. 254): c: D_o = 0.0144, D_e = 0.0532, alpha = 0.7286; k: D_o = 0, D_e = 0.0490,
    # alpha = 1; both codes: alpha = 0.8591 (DKPro's tolerance 0.0005).
    table = unitizing_alpha_2004(krippendorff_2004_example(), 300)
    c, k = row(table, "c"), row(table, "k")
    assert c.observed_disagreement == pytest.approx(0.0144, abs=1e-4)
    assert c.expected_disagreement == pytest.approx(0.0532, abs=1e-4)
    assert c.u_alpha == pytest.approx(0.7286, abs=1e-4)
    assert k.observed_disagreement == 0
    assert k.expected_disagreement == pytest.approx(0.0490, abs=1e-4)
    assert k.u_alpha == 1.0
    assert row(table, ALL_CODES).u_alpha == pytest.approx(0.8591, abs=5e-4)


def krippendorff_1995_examples(stretch: int) -> tuple[pd.DataFrame, int]:
    """Krippendorff (1995, p. 57) examples A-D, two observers each on 24 positions, as
    transcribed (begin, length, observer) in DKPro Statistics' Krippendorff1995Test.java; each
    example is one code here. ``stretch`` multiplies all positions (a finer continuum)."""
    units = {
        "A": [(2, 8, 0), (14, 6, 0), (4, 4, 1), (15, 2, 1)],
        "B": [(0, 18, 0), (0, 2, 1), (2, 1, 1), (3, 1, 1), (4, 1, 1), (5, 1, 1), (6, 3, 1),
              (9, 1, 1)],
        "C": [(2, 6, 0), (10, 2, 0), (14, 4, 0), (20, 2, 0), (0, 2, 1), (4, 4, 1), (10, 4, 1),
              (16, 2, 1), (20, 2, 1)],
        "D": [(0, 2, 0), (2, 8, 0), (10, 4, 0), (14, 6, 0), (20, 4, 0), (0, 4, 1), (4, 4, 1),
              (8, 7, 1), (15, 2, 1), (17, 7, 1)],
    }  # fmt: skip
    rows = [
        (coder, begin * stretch, (begin + length) * stretch, code)
        for code, listed in units.items()
        for begin, length, coder in listed
    ]
    return spans_frame(rows), 24 * stretch


def test_krippendorff_1995_observed_disagreements():
    # DKPro Statistics' Krippendorff1995Test, testAgreement: D_o = 0.03125 (A), 2.26736 (B),
    # 0.02777 (C), 0.38715 (D). By hand for A: Bertha's unit [2, 10) against Bill's [4, 8):
    # (2 - 4)^2 + (10 - 8)^2 = 8; [14, 20) against [15, 17): 1 + 9 = 10; both ways 36;
    # 36 / (2 * 1 * 24^2) = 0.03125.
    spans, length = krippendorff_1995_examples(1)
    table = unitizing_alpha_2004(spans, length).set_index("code")
    observed = table.loc[["A", "B", "C", "D"], "observed_disagreement"]
    assert observed.to_numpy() == pytest.approx([0.03125, 2.26736, 0.02777, 0.38715], abs=1e-5)


def test_krippendorff_1995_alphas_on_a_fine_continuum():
    # Krippendorff (1995, p. 57) reports alpha for a continuous scale: 0.553 (A), -0.926 (B),
    # 0.679 (C), 0.066 (D), as asserted in DKPro's Krippendorff1995Test with tolerance 0.02
    # on a stretched, nearly continuous version of the example; we stretch by 1000.
    spans, length = krippendorff_1995_examples(1000)
    table = unitizing_alpha_2004(spans, length).set_index("code")
    alphas = table.loc[["A", "B", "C", "D"], "u_alpha"]
    assert alphas.to_numpy() == pytest.approx([0.553, -0.926, 0.679, 0.066], abs=0.02)


# --- The coincidence family: reductions to published coding examples -------------------------


def test_one_character_units_reduce_to_example_a():
    # When every span is one character, units are indivisible single values, the expected
    # coincidences become Krippendorff's (n_c n_k - [c=k] n_c) / (n - 1), and u-alpha is the
    # coding alpha of the characters. Krippendorff (2011) example A: 2/21.
    table = unitizing_alpha(one_character_spans(EXAMPLE_A), 10)
    assert row(table, "1").u_alpha == pytest.approx(2 / 21, abs=1e-12)
    assert row(table, ALL_CODES).u_alpha == pytest.approx(2 / 21, abs=1e-12)


def test_one_character_units_reduce_to_example_b():
    # Krippendorff (2011) example B, every character coded: u-alpha and cu-alpha both equal
    # the nominal alpha 155/224 (no gaps, so the intersections are the whole text).
    table = unitizing_alpha(one_character_spans(EXAMPLE_B), 12)
    assert row(table, ALL_CODES).u_alpha == pytest.approx(155 / 224, abs=1e-12)
    assert row(table, ALL_CODES).cu_alpha == pytest.approx(155 / 224, abs=1e-12)


def value_matrices(max_coders: int = 4, max_length: int = 25):
    shapes = st.tuples(st.integers(2, max_coders), st.integers(2, max_length))
    return shapes.flatmap(lambda shape: arrays(np.int64, shape, elements=st.integers(0, 3)))


@settings(max_examples=150, deadline=None)
@given(value_matrices())
def test_one_character_units_equal_coding_alpha(matrix):
    assume(np.unique(matrix).size >= 2)
    spans = one_character_spans(matrix)
    coders = list(range(matrix.shape[0]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        table = unitizing_alpha(spans, matrix.shape[1], coders=coders)
        # All codes and the gap (0) as nominal values, any number of coders.
        assert row(table, ALL_CODES).u_alpha == pytest.approx(krippendorff_alpha(matrix), abs=1e-9)
        # Per code: the binary presence matrix a project-level agreement() would build.
        for code in np.unique(matrix[matrix > 0]):
            presence = (matrix == code).astype(float)
            if np.unique(presence).size == 2:
                assert row(table, str(code)).u_alpha == pytest.approx(
                    krippendorff_alpha(presence), abs=1e-9
                )


@settings(max_examples=100, deadline=None)
@given(arrays(np.int64, st.tuples(st.just(2), st.integers(2, 25)), elements=st.integers(0, 3)))
def test_cu_alpha_of_two_coders_is_alpha_where_both_coded(matrix):
    # For two coders, cu-alpha pairs the codes of characters both coded: the coding alpha of
    # the matrix with uncoded characters missing.
    coded = matrix.astype(float)
    coded[coded == 0] = np.nan
    both = ~np.isnan(coded).any(axis=0)
    assume(both.any() and np.unique(coded[:, both]).size >= 2)
    table = unitizing_alpha(one_character_spans(matrix), matrix.shape[1], coders=[0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        expected = krippendorff_alpha(coded)
    assert row(table, ALL_CODES).cu_alpha == pytest.approx(expected, abs=1e-9)


# --- Hand-built cases ------------------------------------------------------------------------


def test_perfect_agreement_is_one():
    rows = [(coder, s, e, code) for coder in ("a", "b", "c")
            for s, e, code in [(0, 5, "x"), (10, 20, "y"), (20, 26, "x")]]  # fmt: skip
    spans = spans_frame(rows)
    table = unitizing_alpha(spans, 40)
    assert table[["u_alpha", "cu_alpha"]].to_numpy() == pytest.approx(1.0)
    assert unitizing_alpha_2004(spans, 40).u_alpha.to_numpy() == pytest.approx(1.0)


SHIFTED = spans_frame([("ana", 10, 30, "x"), ("ben", 12, 32, "x")])


def test_shifted_boundaries_coincidences_by_hand():
    # Krippendorff et al. (2016), eq. 1-4, on L = 100, m = 2: ana codes [10, 30), ben [12, 32).
    # Observed (both orders of the coder pair, divided by m - 1 = 1): l_xx = 2 * 18 = 36,
    # l_x0 = l_0x = 2 + 2 = 4, l_00 = 200 - 36 - 8 = 156; l.. = 200, l_x. = 40, l_0. = 160.
    # Self-pairs: units 20^2 + 20^2 = 800, gaps (linear) 80 + 80 = 160, S = 960.
    # e_x0 = 200 * 40 * 160 / (200^2 - 960) = 1,280,000 / 39,040.
    # alpha = 1 - (l_x0 + l_0x) / (e_x0 + e_0x) = 1 - 8 * 39,040 / 2,560,000 = 0.878.
    assert row(unitizing_alpha(SHIFTED, 100), "x").u_alpha == pytest.approx(0.878, abs=1e-12)


def test_shifted_boundaries_distances_by_hand():
    # Krippendorff (2004): the overlapping units differ by (10 - 12)^2 + (30 - 32)^2 = 8, both
    # ways 16, D_o = 16 / (2 * 1 * 100^2) = 0.0008. D_e: two units of length 20, each
    # (2 - 1)(2 * 20^3 - 3 * 20^2 + 20) / 3 = 4940 plus 20^2 * sum over gaps >= 20 (70 and 68)
    # of (gap - 20 + 1) = 400 * 100 = 40,000; (2 / 100) * 2 * 44,940 = 1797.6, over
    # 200 * 199 - 2 * 20 * 19 = 39,040: D_e = 0.0460451. alpha = 1 - 0.0008 / D_e.
    expected = 1 - 0.0008 / (1797.6 / 39040)
    table = unitizing_alpha_2004(SHIFTED, 100)
    assert row(table, "x").u_alpha == pytest.approx(expected, abs=1e-12)
    assert row(table, "x").observed_disagreement == pytest.approx(0.0008, abs=1e-15)


def test_shifting_further_lowers_alpha_until_the_units_part():
    # By the same count, a shift by d < 20 leaves l_x0 = l_0x = 2d, so alpha = 1 - 0.061 d:
    # it falls steadily until the units part (d = 20) and then stays put.
    values = [
        row(unitizing_alpha(spans_frame([("a", 10, 30, "x"), ("b", 10 + d, 30 + d, "x")]), 100),
            "x").u_alpha
        for d in (0, 4, 8, 12, 16, 20, 24)
    ]  # fmt: skip
    assert values[:6] == pytest.approx([1 - 0.061 * d for d in (0, 4, 8, 12, 16, 20)])
    assert values[6] == pytest.approx(values[5])


def test_non_ascii_text_offsets_are_characters():
    # Offsets count characters (str indices), not UTF-8 bytes: the same passage found by
    # str.find in a text with accents and a dash gives the same alpha as plain positions.
    text = "Grüße aus Köln — wir haben die Übergabe geprüft, ça va."
    passage = "die Übergabe geprüft"
    start = text.find(passage)
    spans = spans_frame([("ana", start, start + len(passage), "check"),
                         ("ben", start + 4, start + len(passage), "check")])  # fmt: skip
    assert spans.loc[0, "end"] <= len(text) < len(text.encode("utf-8"))
    plain = spans_frame([("ana", 0, 20, "check"), ("ben", 4, 20, "check")])
    shifted = plain.assign(start=plain.start + start, end=plain.end + start)
    assert unitizing_alpha(spans, len(text)).equals(unitizing_alpha(shifted, len(text)))


def test_a_coder_who_marked_nothing_counts_when_named():
    # Without coders=..., a coder with no spans is invisible; named, they count as all gap.
    spans = spans_frame([("ana", 10, 30, "x"), ("ben", 10, 30, "x")])
    assert row(unitizing_alpha(spans, 100), "x").u_alpha == 1.0
    with_cy = unitizing_alpha(spans, 100, coders=["ana", "ben", "cy"])
    assert row(with_cy, "x").u_alpha < 0.7
    assert (with_cy.n_coders == 3).all()


def test_documents_are_summed():
    # Two documents of 50 and 60 characters give the same coincidences as one text of 110
    # with the second document's spans moved by 50.
    spans = pd.DataFrame({
        "doc_id": ["d1", "d1", "d2", "d2", "d2"],
        "coder": ["a", "b", "a", "b", "b"],
        "start": [5, 7, 0, 2, 40], "end": [20, 20, 10, 10, 55],
        "code": ["x", "x", "x", "x", "y"],
    })  # fmt: skip
    separate = unitizing_alpha(spans, {"d1": 50, "d2": 60})
    joined = spans.assign(start=spans.start + np.where(spans.doc_id == "d2", 50, 0))
    joined = joined.assign(end=joined.end + np.where(spans.doc_id == "d2", 50, 0))
    together = unitizing_alpha(joined.drop(columns="doc_id"), 110)
    pd.testing.assert_frame_equal(separate, together)


def test_a_document_nobody_coded_still_counts_as_agreed_gap():
    spans = pd.DataFrame({"doc_id": ["d1", "d1"], "coder": ["a", "b"], "start": [0, 2],
                          "end": [10, 10], "code": "x"})  # fmt: skip
    short = row(unitizing_alpha(spans, {"d1": 20}), "x").u_alpha
    longer = row(unitizing_alpha(spans, {"d1": 20, "d2": 100}), "x").u_alpha
    assert longer > short


# --- Undefined values and bad input ----------------------------------------------------------


def test_overlapping_codes_leave_cu_alpha_undefined():
    spans = spans_frame([("a", 0, 10, "x"), ("a", 5, 15, "y"), ("b", 0, 10, "x"),
                         ("b", 5, 15, "y")])  # fmt: skip
    with pytest.warns(ReliabilityWarning, match="coder 'a' gave different codes to overlapping"):
        table = unitizing_alpha(spans, 30)
    assert table.u_alpha.iloc[:2].tolist() == [1.0, 1.0]
    assert table.cu_alpha.isna().all()
    assert np.isnan(row(table, ALL_CODES).u_alpha)


def test_a_code_nobody_applied_is_nan():
    spans = spans_frame([("a", 0, 10, "x"), ("b", 0, 10, "x")])
    with pytest.warns(ReliabilityWarning, match="nobody applied it"):
        table = unitizing_alpha(spans, 30, codes=["x", "never"])
    assert np.isnan(row(table, "never").u_alpha)
    assert row(table, "x").u_alpha == 1.0


def test_overlapping_spans_of_one_code_are_merged():
    # A coder who marks [0, 10) and [5, 15) with the same code has marked [0, 15).
    merged = spans_frame([("a", 0, 15, "x"), ("b", 0, 15, "x")])
    split = spans_frame([("a", 0, 10, "x"), ("a", 5, 15, "x"), ("b", 0, 15, "x")])
    pd.testing.assert_frame_equal(unitizing_alpha(split, 30), unitizing_alpha(merged, 30))


@pytest.mark.parametrize(("start", "end"), [(5, 5), (8, 3), (-1, 4), (0, 31), (0.5, 4)])
def test_bad_offsets_name_the_row(start, end):
    spans = spans_frame([("a", 0, 10, "x"), ("b", start, end, "x")])
    with pytest.raises(ReliabilityError, match=r"WB-RELIABILITY-021: span in row 1 \(coder 'b'"):
        unitizing_alpha(spans, 30)


def test_missing_columns():
    with pytest.raises(ReliabilityError, match=r"missing \['code'\]"):
        unitizing_alpha(pd.DataFrame({"coder": [1], "start": [0], "end": [1]}), 10)


def test_unknown_document_and_missing_doc_id():
    spans = pd.DataFrame({"doc_id": ["d9"], "coder": ["a"], "start": [0], "end": [1], "code": "x"})
    with pytest.raises(ReliabilityError, match=r"documents \['d9'\]"):
        unitizing_alpha(spans, {"d1": 10}, coders=["a", "b"])
    with pytest.raises(ReliabilityError, match="need a doc_id column"):
        unitizing_alpha(spans.drop(columns="doc_id"), {"d1": 10})


def test_bad_length_and_too_few_coders():
    spans = spans_frame([("a", 0, 1, "x")])
    with pytest.raises(ReliabilityError, match="length 0"):
        unitizing_alpha(spans, 0)
    with pytest.raises(ReliabilityError, match="at least two"):
        unitizing_alpha(spans, 10)
    with pytest.raises(ReliabilityError, match=r"coders \['a'\] missing"):
        unitizing_alpha(spans, 10, coders=["b", "c"])


# --- Properties ------------------------------------------------------------------------------


@st.composite
def random_spans(draw):
    n_coders = draw(st.integers(2, 4))
    rows = []
    for coder in range(n_coders):
        cursor = 0
        for _ in range(draw(st.integers(0, 4))):
            start = cursor + draw(st.integers(0, 10))
            end = start + draw(st.integers(1, 10))
            if end > 60:
                break
            rows.append((coder, start, end, draw(st.sampled_from("xyz"))))
            cursor = end
    return spans_frame(rows), n_coders


@settings(max_examples=100, deadline=None)
@given(random_spans(), st.randoms(use_true_random=False))
def test_relabelling_coders_leaves_alpha_unchanged(drawn, rng):
    spans, n_coders = drawn
    order = list(range(n_coders))
    rng.shuffle(order)
    relabelled = spans.assign(coder=spans.coder.map(dict(enumerate(order))))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        first = unitizing_alpha(spans, 60, coders=list(range(n_coders)), codes=list("xyz"))
        second = unitizing_alpha(relabelled, 60, coders=list(range(n_coders)), codes=list("xyz"))
    pd.testing.assert_frame_equal(first, second)


# --- Bootstrap -------------------------------------------------------------------------------


def two_documents() -> tuple[pd.DataFrame, dict[str, int]]:
    spans = pd.DataFrame({
        "doc_id": ["d1", "d1", "d2", "d2", "d3", "d3"],
        "coder": ["a", "b"] * 3,
        "start": [5, 7, 0, 3, 10, 10], "end": [20, 20, 10, 12, 30, 26], "code": "x",
    })  # fmt: skip
    return spans, {"d1": 40, "d2": 30, "d3": 50}


def test_bootstrap_point_estimate_and_reproducibility():
    spans, lengths = two_documents()
    result = unitizing_alpha_ci(spans, lengths, code="x", n_boot=500, seed=4)
    assert result.alpha == row(unitizing_alpha(spans, lengths), "x").u_alpha
    assert result == unitizing_alpha_ci(spans, lengths, code="x", n_boot=500, seed=4)
    assert result.ci_low <= result.alpha <= result.ci_high


def test_bootstrap_weights_reproduce_resampled_documents():
    # Drawing d1 twice and d3 once must give the alpha of that resampled corpus.
    spans, lengths = two_documents()
    data = read_spans(spans, lengths, None, ["x"])
    partitions = code_partitions(data, 0)
    observed = _observed(partitions, 2, data.doc_bounds)
    self_pairs = _self_pairs(partitions, 2, data.doc_bounds)
    sample = _resampled_alphas(np.array([[2.0, 0.0, 1.0]]), observed, self_pairs)[0]
    copy = spans[spans.doc_id == "d1"].assign(doc_id="d1 again")
    resampled = pd.concat([spans[spans.doc_id != "d2"], copy])
    expected = unitizing_alpha(resampled, {"d1": 40, "d1 again": 40, "d3": 50})
    assert sample == pytest.approx(row(expected, "x").u_alpha, abs=1e-12)


def test_bootstrap_of_identical_coders_is_one():
    spans = pd.DataFrame({"doc_id": ["a", "a", "b", "b"], "coder": [1, 2, 1, 2],
                          "start": [0, 0, 5, 5], "end": [4, 4, 9, 9], "code": "x"})  # fmt: skip
    result = unitizing_alpha_ci(spans, {"a": 10, "b": 10}, code="x", n_boot=200, seed=0)
    assert (result.ci_low, result.ci_high, result.p_below_min) == (1.0, 1.0, 0.0)


def test_bootstrap_needs_two_documents():
    spans = pd.DataFrame({"doc_id": ["a", "a"], "coder": [1, 2], "start": [0, 1],
                          "end": [4, 4], "code": "x"})  # fmt: skip
    with pytest.warns(ReliabilityWarning, match="two or more documents"):
        result = unitizing_alpha_ci(spans, {"a": 10}, code="x", n_boot=10)
    assert not np.isnan(result.alpha) and np.isnan(result.ci_low)
