"""Cohen's, Fleiss' and Brennan-Prediger's kappa, Gwet's AC1 and percent agreement."""

from __future__ import annotations

import numpy as np
import pytest

from tests.reliability.published import (
    ABSTRACTORS_3X3,
    EXAMPLE_B,
    EXAMPLE_C,
    distribution_to_codings,
    fleiss_1971_diagnoses,
    table_to_codings,
)
from workbench.errors import ReliabilityError
from workbench.reliability import (
    ReliabilityWarning,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)

# Gwet's irrCAC README (github.com/kgwet/irrCAC), distrib.6raters: 15 psychiatric patients,
# number of the 6 raters choosing Depression, Personality disorder, Schizophrenia, Neurosis,
# Other. These are the first 15 subjects of Fleiss (1971); see the test below.
DISTRIB_6RATERS = np.array(
    [
        [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
        [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
        [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
    ]
)  # fmt: skip


# --- Cohen's kappa ---------------------------------------------------------------------------


def test_cohen_two_by_two_by_hand():
    # 50 units: yes/yes 20, yes/no 5, no/yes 10, no/no 15. p_o = 35/50 = 0.7; coder 1 says
    # yes 25/50, coder 2 30/50, so p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = 0.2 / 0.5 = 0.4.
    first, second = table_to_codings(np.array([[20, 5], [10, 15]]))
    assert cohen_kappa(first, second) == pytest.approx(0.4, abs=1e-12)


def test_cohen_abstractors_table():
    # Gwet's irrCAC README, kappa2.table(cont3x3abstractors): 0.7964094.
    first, second = table_to_codings(ABSTRACTORS_3X3)
    assert cohen_kappa(first, second) == pytest.approx(0.7964094, abs=1e-7)


def test_cohen_weighted_sas_example():
    # statsmodels' test_inter_rater.py, table10 with SAS's printout: simple kappa 0.4842,
    # weighted kappa (Cicchetti-Allison = linear weights) 0.4701.
    from statsmodels.stats.tests.test_inter_rater import table10

    first, second = table_to_codings(np.asarray(table10))
    assert cohen_kappa(first, second) == pytest.approx(0.4842, abs=5e-5)
    assert cohen_kappa(first, second, "linear") == pytest.approx(0.4701, abs=5e-5)


@pytest.mark.parametrize(
    ("weights", "expected"),
    # R irr::kappa2(anxiety[, 2:3], weight) as recorded in statsmodels' test_inter_rater.py.
    [(None, -0.006289308), ("linear", 0.1459075), ("quadratic", 0.2520325)],
)
def test_cohen_r_irr_anxiety(weights, expected):
    from statsmodels.stats.tests.test_inter_rater import anxiety

    assert cohen_kappa(anxiety[:, 1], anxiety[:, 2], weights) == pytest.approx(expected, abs=1e-7)


def test_cohen_leaves_out_units_either_coder_missed():
    first, second = table_to_codings(np.array([[20, 5], [10, 15]]))
    assert cohen_kappa([*first, np.nan, 1], [*second, 0, None]) == pytest.approx(0.4)


def test_cohen_mismatched_lengths():
    with pytest.raises(ReliabilityError, match="WB-RELIABILITY-006.*3 and 2 values"):
        cohen_kappa([1, 2, 3], [1, 2])


def test_cohen_unknown_weights():
    with pytest.raises(ReliabilityError, match="None, 'linear', 'quadratic'"):
        cohen_kappa([1, 2], [1, 2], "squared")


def test_cohen_single_category_is_nan():
    with pytest.warns(ReliabilityWarning, match="single category"):
        assert np.isnan(cohen_kappa(["a", "a"], ["a", "a"]))


# --- Fleiss' kappa ---------------------------------------------------------------------------


def test_fleiss_1971_via_statsmodels_table():
    # Fleiss (1971) table of 30 subjects x 6 raters, taken from statsmodels' own test module
    # installed in site-packages; statsmodels (and R irr::kappam.fleiss) give 0.4302445.
    assert fleiss_kappa(fleiss_1971_diagnoses()) == pytest.approx(0.4302445, abs=1e-7)


def test_irrcac_distribution_is_fleiss_first_fifteen_subjects():
    counts = np.stack([(fleiss_1971_diagnoses()[:, :15] == k).sum(axis=0) for k in range(1, 6)])
    assert (counts.T == DISTRIB_6RATERS).all()


@pytest.mark.parametrize(
    ("statistic", "expected"),
    # Gwet's irrCAC README on distrib.6raters: fleiss.kappa.dist 0.4139265, gwet.ac1.dist
    # 0.4448007, bp.coeff.dist 0.4388889 (p_a = 0.5511111, p_e = 0.2 for q = 5).
    [(fleiss_kappa, 0.4139265), (gwet_ac1, 0.4448007), (brennan_prediger, 0.4388889),
     (percent_agreement, 0.5511111)],
)  # fmt: skip
def test_irrcac_six_raters(statistic, expected):
    assert statistic(distribution_to_codings(DISTRIB_6RATERS)) == pytest.approx(expected, abs=1e-7)


@pytest.mark.parametrize(
    ("statistic", "expected"),
    # Gwet's irrCAC README on cac.raw4raters (Krippendorff's example C, 4 raters with missing
    # ratings): pa.coeff.raw 0.8181818, gwet.ac1.raw 0.77544, fleiss.kappa.raw 0.76117,
    # bp.coeff.raw 0.77273, krippen.alpha.raw 0.74342.
    [(percent_agreement, 0.8181818), (gwet_ac1, 0.77544), (fleiss_kappa, 0.76117),
     (brennan_prediger, 0.77273), (krippendorff_alpha, 0.74342)],
)  # fmt: skip
def test_irrcac_four_raters_with_missing(statistic, expected):
    # irrCAC prints these with 5 decimals (0.8181818 with 7).
    assert statistic(EXAMPLE_C) == pytest.approx(expected, abs=5e-6)


@pytest.mark.parametrize(
    ("statistic", "expected"),
    # Gwet's irrCAC README on cont3x3abstractors: gwet.ac1.table 0.8493305, bp2.table 0.835,
    # pa2.table 0.89, krippen2.table 0.7972585.
    [(gwet_ac1, 0.8493305), (brennan_prediger, 0.835), (percent_agreement, 0.89),
     (krippendorff_alpha, 0.7972585)],
)  # fmt: skip
def test_irrcac_two_abstractors(statistic, expected):
    assert statistic(list(table_to_codings(ABSTRACTORS_3X3))) == pytest.approx(expected, abs=1e-7)


def test_fleiss_complete_and_gwet_extension_agree_on_complete_data():
    # On complete data Gwet's p_a and p_e reduce to Fleiss' (Gwet 2014, ch. 2), so the
    # statsmodels path and the missing-value path must give the same number.
    from workbench.reliability import kappas as stats

    data = fleiss_1971_diagnoses()
    counts, _ = stats._category_counts(data, None)
    shares = stats._category_shares(counts)
    chance = float((shares**2).sum())
    extended = (stats._percent_agreement(counts) - chance) / (1 - chance)
    assert extended == pytest.approx(fleiss_kappa(data), abs=1e-12)


# --- Percent agreement, AC1, Brennan-Prediger ------------------------------------------------


def test_percent_agreement_example_b():
    # Krippendorff (2011), example B: the two observers agree on 9 of 12 units.
    assert percent_agreement(EXAMPLE_B) == pytest.approx(9 / 12)


def test_categories_change_chance_agreement():
    # Two coders, 4 units, agree on 3 (p_a = 3/4). With the 2 observed categories
    # BP = (3/4 - 1/2) / (1/2) = 1/2; declaring 4 possible categories gives
    # (3/4 - 1/4) / (3/4) = 2/3.
    data = [["a", "a", "b", "b"], ["a", "b", "b", "b"]]
    assert brennan_prediger(data) == pytest.approx(1 / 2)
    assert brennan_prediger(data, categories=["a", "b", "c", "d"]) == pytest.approx(2 / 3)
    # AC1 with 4 categories: pi = (3/8, 5/8, 0, 0); p_e = (3/8*5/8 + 5/8*3/8) / 3 = 5/32;
    # AC1 = (3/4 - 5/32) / (27/32) = 19/27.
    assert gwet_ac1(data, categories=["a", "b", "c", "d"]) == pytest.approx(19 / 27)


def test_unknown_category_is_an_error():
    with pytest.raises(ReliabilityError, match="not among categories"):
        gwet_ac1([["a", "b"], ["a", "c"]], categories=["a", "b"])


@pytest.mark.parametrize("statistic", [fleiss_kappa, gwet_ac1, brennan_prediger])
def test_single_category_is_nan(statistic):
    with pytest.warns(ReliabilityWarning, match="undefined"):
        assert np.isnan(statistic([[1, 1, 1], [1, 1, np.nan]]))


@pytest.mark.parametrize("statistic", [fleiss_kappa, gwet_ac1, brennan_prediger, percent_agreement])
def test_one_coder_is_an_error(statistic):
    with pytest.raises(ReliabilityError, match="at least two coders"):
        statistic([[1, 2, 1]])


def test_no_pairable_unit_is_nan():
    with pytest.warns(ReliabilityWarning, match="no unit was coded by two or more"):
        assert np.isnan(percent_agreement([[1, np.nan], [np.nan, 2]]))
