"""The convergence coding matrix: themes x data sources, each cell the fit of the
meta-inferences that touch it (Farmer et al. 2006 [1]_, Table 2; O'Cathain, Murphy & Nicholl
2010 [2]_).

A meta-inference touches a source when its evidence comes from it: the document kind of each
coding (``interview``, ``fieldnote``, ``survey``), for a code the kinds of the documents that
hold active codings of it (or of the code it was merged into), and ``logs`` for a metric
query. Fits recorded with Fetters et al.'s labels [3]_ are read as Farmer's: confirmation as
agreement, discordance as dissonance, and expansion (the strands cover different aspects of
the theme) as partial agreement; that last reading is ours, not a published crosswalk, so the
tidy table keeps the label as recorded too. A cell no inference touches stays empty: no
inference is not "silence", which the researcher records as a fit.

References
----------
.. [1] Farmer, T., Robinson, K., Elliott, S. J., & Eyles, J. (2006). Developing and
   implementing a triangulation protocol for qualitative health research. Qualitative Health
   Research 16(3), 377-394.
.. [2] O'Cathain, A., Murphy, E., & Nicholl, J. (2010). Three techniques for integrating data
   in mixed methods studies. BMJ 341, c4587.
.. [3] Fetters, M. D., Curry, L. A., & Creswell, J. W. (2013). Achieving integration in
   mixed methods designs. Health Services Research 48(6 Pt 2), 2134-2156.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import pandas as pd

from workbench.codebook.store import merges
from workbench.coding.codings import coding_states
from workbench.triangulate.inferences import FARMER

__all__ = ["AS_FARMER", "ConvergenceMatrix", "convergence_matrix"]

#: Each fit label read on Farmer et al.'s scale (see the module's note on expansion).
AS_FARMER = {"confirmation": "agreement", "expansion": "partial agreement",
             "discordance": "dissonance", **{label: label for label in FARMER}}
CONVERGENCE_COLUMNS = ["theme", "source", "inference_id", "fit", "framework", "farmer_fit"]


@dataclass(frozen=True)
class ConvergenceMatrix:
    """``cells``: one row per (theme, source, inference) with columns theme, source,
    inference_id, fit (as recorded), framework, farmer_fit. ``wide``: themes x sources, each
    cell the distinct Farmer labels of its inferences joined by " / " (empty: none)."""

    cells: pd.DataFrame
    wide: pd.DataFrame


def _code_sources(conn: sqlite3.Connection, code_ids: list[str]) -> dict[str, list[str]]:
    """The document kinds holding active codings of each code (or of where it was merged)."""
    merged = merges(conn)
    kinds = conn.execute(
        "SELECT DISTINCT c.code_id, d.kind FROM codings c JOIN documents d USING (doc_id) "
        "WHERE c.status = 'active' AND d.status = 'active' ORDER BY d.kind").fetchall()
    by_code: dict[str, list[str]] = {}
    for code_id, kind in kinds:
        by_code.setdefault(code_id, []).append(kind)
    return {c: by_code.get(merged.get(c, c), []) for c in code_ids}


def _sources(conn: sqlite3.Connection, row) -> list[str]:
    """The data sources one inference's evidence comes from."""
    codings = [t for t in row.qualitative if t.startswith("coding-")]
    states = coding_states(conn, codings)
    found = list(states["kind"])
    codes = [t for t in row.qualitative if not t.startswith("coding-")]
    for kinds in _code_sources(conn, codes).values():
        found += kinds
    return [*dict.fromkeys(found), *(["logs"] if row.quantitative else [])]


def convergence_matrix(conn: sqlite3.Connection, listed: pd.DataFrame) -> ConvergenceMatrix:
    """The convergence coding matrix of the active meta-inferences in ``listed`` (the
    DataFrame :func:`~workbench.triangulate.inferences.inferences` returns)."""
    active = listed[listed["status"] == "active"]
    rows = [(row.theme, source, row.inference_id, row.fit, row.framework, AS_FARMER[row.fit])
            for row in active.itertuples() for source in _sources(conn, row)]
    cells = pd.DataFrame(rows, columns=CONVERGENCE_COLUMNS)
    order = {label: i for i, label in enumerate(FARMER)}
    wide = (cells.groupby(["theme", "source"])["farmer_fit"]
            .agg(lambda fits: " / ".join(sorted(set(fits), key=order.get)))
            .unstack("source", fill_value="")
            if len(cells) else pd.DataFrame(index=pd.Index([], name="theme")))
    wide.columns.name = "source"
    return ConvergenceMatrix(cells=cells, wide=wide)
