"""A joint display of a project: its table, its chart, and the page a reader can open offline.

:func:`joint_display` gathers what a display needs from the project (a mixed matrix, the
codings, their documents' text, speakers and dates, the project's own timeline), builds the
table with :mod:`.displays` and draws it with :mod:`workbench.charts.displays`.
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from workbench.codebook.operations import require_code
from workbench.coding.codings import codings_frame
from workbench.corpus.views import document, documents, segments
from workbench.errors import TriangulationError
from workbench.triangulate import displays as tables
from workbench.triangulate.cells import check_period
from workbench.triangulate.evidence import TimeRules
from workbench.triangulate.matrix import MixedMatrix, mixed_matrix
from workbench.triangulate.timeline import timeline

if TYPE_CHECKING:
    import altair as alt
    import ibis.expr.types as ir

__all__ = ["KINDS", "Display", "joint_display"]

KINDS = ("side-by-side", "by-theme", "case-ordered", "timeline")
_LENGTH = {"shift": pd.Timedelta(hours=12), "day": pd.Timedelta(days=1),
           "week": pd.Timedelta(days=7)}
#: Columns of the table written under the chart in an exported page, per display.
_PAGE_COLUMNS = {"timeline": ["unit", "t_start", "t_end", "precision", "mark", "code",
                              *tables.QUOTE_COLUMNS]}


@dataclass(frozen=True)
class Display:
    """A joint display: ``data`` (tidy, see :mod:`workbench.triangulate.displays`), ``chart``
    (Altair) and ``notes`` (what the display could not show, and why)."""

    kind: str
    data: pd.DataFrame
    chart: alt.TopLevelMixin
    notes: tuple[str, ...] = ()

    def page_table(self) -> str:
        """The display's rows as an HTML table (the quotes in full), for an exported page."""
        columns = _PAGE_COLUMNS.get(self.kind, list(self.data.columns))
        rows = self.data[self.data["layer"] == "coding"] if self.kind == "timeline" else self.data
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (f"<h2>{self.kind}</h2>" + (f"<ul>{notes}</ul>" if notes else "")
                + rows[columns].to_html(index=False, na_rep="", escape=True))

    def save(self, path: str | Path) -> Path:
        """Write the display as ``.html`` (interactive, offline, with a PNG for readers
        without JavaScript and the full table), ``.png`` or ``.svg``."""
        from workbench.charts.offline import save_chart

        return save_chart(self.chart, path, title=f"workbench: {self.kind} display",
                          body=self.page_table() if Path(path).suffix.lower() == ".html"
                          else "")

    def _repr_mimebundle_(self, include=None, exclude=None):
        from workbench.charts.offline import enable_offline

        enable_offline()
        return self.chart._repr_mimebundle_(include=include, exclude=exclude)


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise TriangulationError(80, f"there is no '{kind}' display; choose one of "
                                 f"{', '.join(KINDS)}.")
    return kind


def _check_metric(metric: str | None, kind: str) -> str:
    if not isinstance(metric, str) or not metric.strip():
        raise TriangulationError(81, f"the {kind} display needs metric=... (a log metric "
                                 "column such as stale_share or median_minutes).")
    return metric


def _source(conn: sqlite3.Connection, codings: pd.DataFrame) -> pd.DataFrame:
    """Codings with their exact quote, speaker and date."""
    docs = documents(conn).set_index("doc_id")
    texts = {d: document(conn, d).text for d in codings["doc_id"].unique()}
    return tables.sourced_quotes(codings, texts, segments(conn, "turn"), docs["date"]
                                 .replace("", None).to_dict())


def _matrix(conn, events, rules, *, by, period, codes, metrics, coder) -> MixedMatrix:
    return mixed_matrix(conn, events, by=by, period=period, codes=codes, metrics=metrics,
                        coder=coder, rules=rules)


def _side_by_side(conn, events, rules, *, themes, coder, by, period, inferences, per_theme,
                  seed):
    if not themes:
        raise TriangulationError(82, "the side-by-side display needs themes: a code and the "
                                 "log metric that speaks to it, e.g. themes={'manual-"
                                 "verification': 'stale_share'}.")
    names = {t: (require_code(conn, t, active=False).id, require_code(conn, t, active=False)
                 .name, t) for t in themes}
    matrix = _matrix(conn, events, rules, by=by, period=period, codes=tuple(themes),
                     metrics=list(dict.fromkeys(themes.values())), coder=coder)
    quotes = pd.concat([codings_frame(conn, coder=coder, code=t, counting=True)
                        .assign(theme=t) for t in themes], ignore_index=True)
    frame = tables.side_by_side(themes, matrix.cells, _source(conn, quotes), names=names,
                                inferences=inferences, per_theme=per_theme, seed=seed)
    from workbench.charts import displays as charts

    return frame, charts.side_by_side_chart(frame), matrix.notes


def _by_theme(conn, events, rules, *, codes, metric, coder, by, period, split):
    if not (split in ("median", "shift") or isinstance(split, int | float)):
        raise TriangulationError(86, f"split={split!r} is not 'median', 'shift' or a number "
                                 "(a threshold of the metric).")
    if split == "shift" and period != "shift":
        raise TriangulationError(83, "split='shift' compares day and night shifts, so it "
                                 "needs period='shift'.")
    matrix = _matrix(conn, events, rules, by=by, period=period, codes=codes,
                     metrics=[metric], coder=coder)
    evidence = _source(conn, matrix.evidence)
    frame = tables.by_theme(matrix.cells, evidence, codes, metric, by=matrix.by, split=split,
                            shifts=rules.shifts)
    from workbench.charts import displays as charts

    return frame, charts.by_theme_chart(frame), matrix.notes


def _case_ordered(conn, events, rules, *, codes, metric, coder, by, period):
    matrix = _matrix(conn, events, rules, by=by, period=period, codes=codes,
                     metrics=[metric], coder=coder)
    frame = tables.case_ordered(matrix.cells, _source(conn, matrix.evidence), metric,
                                by=matrix.by)
    from workbench.charts import displays as charts

    return frame, charts.case_ordered_chart(frame, by=matrix.by), matrix.notes


def _timeline(conn, events, rules, *, codes, metric, coder, period):
    matrix = _matrix(conn, events, rules, by="unit", period=period, codes=codes,
                     metrics=[metric], coder=coder)
    frame = tables.timeline_display(matrix.cells, _source(conn, matrix.evidence),
                                    timeline(conn), metric, period_length=_LENGTH[period])
    from workbench.charts import displays as charts

    return frame, charts.timeline_chart(frame, metric), matrix.notes


def joint_display(conn: sqlite3.Connection, events: ir.Table | None, kind: str, *,
                  rules: TimeRules, metric: str | None = None, codes: Sequence[str] = (),
                  themes: Mapping[str, str] | None = None, coder: str | None = None,
                  by: str | Sequence[str] = "unit", period: str | None = None,
                  split="median", inferences: pd.DataFrame | None = None,
                  per_theme: int = 3, seed: int = 0) -> Display:
    """Build the ``kind`` display (side-by-side, by-theme, case-ordered, timeline); see
    ``Project.display`` for the options each uses."""
    kind = _check_kind(kind)
    period = check_period(period or ("day" if kind == "timeline" else "week"))
    codes = tuple(codes)
    if kind == "side-by-side":
        themes = dict(themes) if themes else {c: _check_metric(metric, kind) for c in codes}
        built = _side_by_side(conn, events, rules, themes=themes, coder=coder, by=by,
                              period=period, inferences=inferences, per_theme=per_theme,
                              seed=seed)
    elif kind == "by-theme":
        if not codes:
            raise TriangulationError(84, "the by-theme display needs codes=[...]: the themes "
                                     "whose prevalence it compares across groups.")
        built = _by_theme(conn, events, rules, codes=codes, metric=_check_metric(metric, kind),
                          coder=coder, by=by, period=period, split=split)
    elif kind == "case-ordered":
        built = _case_ordered(conn, events, rules, codes=codes,
                              metric=_check_metric(metric, kind), coder=coder, by=by,
                              period=period)
    else:
        built = _timeline(conn, events, rules, codes=codes, metric=_check_metric(metric, kind),
                          coder=coder, period=period)
    frame, chart, notes = built
    return Display(kind, frame, chart, tuple(notes))
