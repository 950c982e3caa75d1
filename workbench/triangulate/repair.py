"""``repair_gap``: where does human labour fill the system's gaps, and where is it silent?

Builds on the mixed matrix: the system's gap (a log metric, or a table shaped like one) and
the density of repair-work codings per cell, their association (:mod:`.gap`), the cells where
both are high (**hotspots**, with their quotes and event counts), and both kinds of
**silence**: a high gap with material but no repair talk, and repair talk where the logs show
no gap (Farmer et al.'s "silence" in a triangulation protocol [1]_).

Hotspots are ranked by the smaller of two percentile ranks: the gap's, and that of the repair
density's exact lower 95% bound (Garwood), so that three codings in one short note do not
outrank seventeen across a week of notes; ties go to the cell with more codings.

References
----------
.. [1] Farmer T, Robinson K, Elliott SJ, Eyles J (2006). Developing and implementing a
   triangulation protocol for qualitative health research. Qualitative Health Research
   16(3):377-394.
.. [2] Leys C, Ley C, Klein O, Bernard P, Licata L (2013). Detecting outliers: do not use
   standard deviation around the mean, use absolute deviation around the median. Journal of
   Experimental Social Psychology 49(4):764-766.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.errors import TriangulationError
from workbench.triangulate.gap import association, detectable_rho, poisson_lower
from workbench.triangulate.matrix import MixedMatrix

__all__ = ["RepairGap", "repair_cells", "repair_gap"]

QUOTES_PER_HOTSPOT = 3
#: A gap this many scaled MADs above the median is unusually high (Leys et al.'s default).
UNUSUAL = 2.5


@dataclass(frozen=True)
class RepairGap:
    """The result of :func:`repair_gap`; ``print()`` it for the plain-language statement.

    Attributes
    ----------
    effect, ci, p_value : Spearman's rho between gap and repair density, its bootstrap
        interval, and its permutation p-value (see :mod:`.gap` for what is permuted).
    n_cells : cells with both material and a gap value (the ones analysed).
    detectable : the smallest |rho| those cells detect with 80% power at ``alpha``.
    cells : every cell: keys, bucket_start, documents, words, repair (codings),
        repair_per_1000, repair_low_per_1000, gap, analysed.
    hotspots : cells where both are high, best first, with ``quotes`` (up to three, each
        "document: quote") and the cell's event count.
    silences : ``kind`` "gap without repair talk" or "repair talk without a gap", with cells.
    unplaced : codings and material no rule placed in a cell (from the matrix).
    """

    gap: str
    repair: tuple[str, ...]
    effect: float
    ci: tuple[float, float]
    p_value: float
    n_cells: int
    permutations: int
    alpha: float
    detectable: float
    cells: pd.DataFrame
    hotspots: pd.DataFrame
    silences: pd.DataFrame
    unplaced: pd.DataFrame
    notes: tuple[str, ...]

    @property
    def statement(self) -> str:
        """What the analysis found, and what the number of cells allows, in plain words."""
        return _statement(self)

    def __str__(self) -> str:
        return self.statement

    def _repr_html_(self) -> str:
        return f"<p>{self.statement}</p>" + self.hotspots.head(10)._repr_html_()


def repair_cells(matrix: MixedMatrix, gap: pd.DataFrame | None, gap_column: str
                 ) -> pd.DataFrame:
    """The matrix's cells with total repair codings (each coding once), densities and gap.

    ``gap`` is a metrics-shaped table (the ``by`` keys, bucket_start, ``gap_column``) to use
    instead of the matrix's own metric column of that name.
    """
    keys = [*matrix.by, "bucket_start"]
    cells = matrix.cells[[*keys, "documents", "words", "has_material",
                          *[m for m in matrix.metrics if m != gap_column or gap is None]]]
    if gap is not None:
        missing = [c for c in [*keys, gap_column] if c not in gap]
        if missing:
            raise TriangulationError(42, f"the gap table lacks column(s) {', '.join(missing)}; "
                                     f"it needs {', '.join(keys)} and {gap_column}, like a "
                                     "metrics result.")
        given = gap[[*keys, gap_column]].assign(
            bucket_start=lambda f: pd.to_datetime(f["bucket_start"]))
        cells = cells.merge(given, on=keys, how="outer")
        cells["words"] = cells["words"].fillna(0).astype("int64")
        cells["documents"] = cells["documents"].fillna(0).astype("int64")
        cells["has_material"] = cells["words"] > 0
    repair = matrix.evidence.groupby(keys)["coding_id"].nunique().rename("repair")
    cells = cells.merge(repair.reset_index(), on=keys, how="left")
    cells["repair"] = cells["repair"].fillna(0).astype("int64")
    per = 1000 / cells["words"].where(cells["has_material"])
    cells["repair_per_1000"] = cells["repair"] * per
    cells["repair_low_per_1000"] = poisson_lower(cells["repair"]) * per
    cells = cells.rename(columns={gap_column: "gap"})
    cells["analysed"] = cells["has_material"] & cells["gap"].notna()
    return cells.sort_values(keys, kind="stable", ignore_index=True)


def repair_gap(matrix: MixedMatrix, *, gap_column: str, gap: pd.DataFrame | None = None,
               permutations: int = 9999, seed: int = 0, alpha: float = 0.05) -> RepairGap:
    """Association, hotspots and silences between a gap and repair talk; see the module doc.

    ``matrix`` is a mixed matrix built with the repair codes as ``codes`` and, unless
    ``gap`` is given, ``gap_column`` among its metrics.
    """
    if gap is None and gap_column not in matrix.metrics:
        raise TriangulationError(43, f"the matrix has no metric '{gap_column}'.")
    cells = repair_cells(matrix, gap, gap_column)
    analysed = cells[cells["analysed"]]
    found = association(analysed["gap"], analysed["repair_per_1000"],
                        permutations=permutations, seed=seed, level=1 - alpha)
    keys = [*matrix.by, "bucket_start"]
    return RepairGap(
        gap=gap_column, repair=matrix.codes, effect=found.rho,
        ci=(found.ci_low, found.ci_high), p_value=found.p_value, n_cells=found.n,
        permutations=permutations, alpha=alpha, detectable=detectable_rho(found.n, alpha=alpha),
        cells=cells, hotspots=_hotspots(cells, matrix.evidence, keys),
        silences=_silences(cells, keys), unplaced=matrix.unplaced, notes=matrix.notes)


def robust_z(values: pd.Series) -> pd.Series:
    """How far each value lies above the median, in scaled median absolute deviations
    (Leys et al. 2013 [2]_); where most values are equal (MAD 0), any value above the
    median counts as far (inf)."""
    median = values.median()
    mad = (values - median).abs().median() * 1.4826
    if mad == 0:
        return (values > median).astype(float).replace(1.0, np.inf)
    return (values - median) / mad


def _hotspots(cells: pd.DataFrame, evidence: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Analysed cells in the gap's upper quartile with repair talk, best first, with quotes;
    ``unusual`` marks a gap far above the usual (robust z >= 2.5)."""
    analysed = cells[cells["analysed"]].copy()
    analysed["score"] = pd.concat([analysed["gap"].rank(pct=True),
                                   analysed["repair_low_per_1000"].rank(pct=True)],
                                  axis=1).min(axis=1)
    analysed["unusual"] = robust_z(analysed["gap"]) >= UNUSUAL
    high = analysed[(analysed["gap"] >= analysed["gap"].quantile(0.75)) &
                    (analysed["repair"] > 0)]
    high = high.sort_values(["score", "repair", *keys], ascending=[False, False] + [True] *
                            len(keys), kind="stable")
    first = evidence.drop_duplicates("coding_id").groupby(keys).head(QUOTES_PER_HOTSPOT)
    quotes = (first["document"] + ": " + first["text"]).groupby(
        [first[k] for k in keys]).agg(list).rename("quotes")
    high = high.merge(quotes.reset_index(), on=keys, how="left")
    return high.drop(columns=["analysed"]).reset_index(drop=True)


def _silences(cells: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Both kinds of silence: an unusually high gap (robust z >= 2.5) in a cell with material
    but no repair talk; repair talk where the logs show no gap (at or below the median) or
    nothing at all."""
    analysed = cells[cells["analysed"]]
    z = robust_z(analysed["gap"])
    quiet = analysed[(z >= UNUSUAL) & (analysed["repair"] == 0)].assign(
        kind="gap without repair talk")
    talk = cells[cells["has_material"] & (cells["repair"] > 0) &
                 (cells["gap"].isna() | (cells["gap"] <= analysed["gap"].median()))].assign(
        kind="repair talk without a gap")
    both = pd.concat([quiet.sort_values("gap", ascending=False, kind="stable"),
                      talk.sort_values("repair", ascending=False, kind="stable")],
                     ignore_index=True)
    return both[["kind", *keys, "gap", "repair", "words", "repair_per_1000"]]


def _statement(result: RepairGap) -> str:
    """The plain-language summary of a repair-gap result."""
    codes = ", ".join(result.repair)
    if result.effect != result.effect:  # NaN: one side does not vary
        return (f"Across {result.n_cells} cells, '{result.gap}' or the density of repair "
                f"codes ({codes}) does not vary, so no association can be computed.")
    verdict = ("an association this strong would rarely arise by chance"
               if result.p_value < result.alpha else
               "the data cannot tell this association from chance")
    text = (f"Across {result.n_cells} cells with material and a value of '{result.gap}', "
            f"the density of repair codes ({codes}) and '{result.gap}' go together with "
            f"Spearman's rho = {result.effect:.2f} (95% bootstrap interval "
            f"{result.ci[0]:.2f} to {result.ci[1]:.2f}; permutation p = {result.p_value:.4f} "
            f"from {result.permutations:,} shuffles of repair densities across cells): "
            f"{verdict} at alpha {result.alpha}. With {result.n_cells} cells only an "
            f"association of about |rho| >= {result.detectable:.2f} would be found four times "
            "in five. The same units recur across periods, so the p-value describes these "
            "cells, not a population.")
    if result.n_cells < 10:
        text += f" {result.n_cells} cells are very few: read the cells, not the number."
    return text


def check_repair(repair: str | Sequence[str]) -> tuple[str, ...]:
    """Repair codes as a tuple; refuse an empty list."""
    codes = tuple(c.strip() for c in ([repair] if isinstance(repair, str) else repair)
                  if c and c.strip())
    if not codes:
        raise TriangulationError(44, "name at least one repair-work code, e.g. "
                                 "repair=['manual-verification', 'workarounds'].")
    return codes
