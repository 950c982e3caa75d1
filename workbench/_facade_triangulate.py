"""The triangulation part of the ``Project`` facade: each method delegates to
:mod:`workbench.triangulate`, with the project's connection and its logs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from workbench.store import atomic


class TriangulationFacade:
    """Methods ``Project`` offers for linking coded evidence to the deployment logs."""

    def set_keys(self, source: str | Path | None = None, **keys) -> pd.DataFrame:
        """Say which document or case attribute carries each log key, and how its values
        translate: ``set_keys(unit={"attribute": "ward", "values": {"hospital-wide": "*"}},
        role={"attribute": "role", "values": {"staff nurse": "nurse"}})`` or a YAML file of
        the same shape. ``"*"`` stands for every unit; an empty value for none."""
        from workbench import triangulate

        given = dict(triangulate.read_keys(source)) if source is not None else {}
        given.update(keys)
        with atomic(self._conn):
            triangulate.set_keys(self._conn, given, self.user)
        return self.keys()

    def keys(self) -> pd.DataFrame:
        """The crosswalk in use: log_key, attribute, values (attribute value -> log value)."""
        from workbench import triangulate

        return pd.DataFrame([(k.log_key, k.attribute, dict(k.values))
                             for k in triangulate.crosswalk(self._conn).values()],
                            columns=["log_key", "attribute", "values"])

    def set_timeline(self, source) -> pd.DataFrame:
        """Store timeline events (go-live, outages, threshold changes) from a YAML file such as
        ``corpora/riverside/timeline.yaml``, a list of mappings or a DataFrame."""
        from workbench import triangulate

        with atomic(self._conn):
            triangulate.set_timeline(self._conn, source, self.user)
        return self.timeline()

    def timeline(self) -> pd.DataFrame:
        """The timeline events: event_id, label, start, end, units, open_ended, moment."""
        from workbench import triangulate

        return triangulate.timeline(self._conn)

    def refer(self, coding_id: str | None = None, *, doc: str | None = None,
              start: int | None = None, end: int | None = None, event: str | None = None,
              period: tuple | None = None) -> str:
        """Place a coding's passage (or a document's passage, or a whole document) in time:
        at a timeline event (``event="lab-interface-outage"``) or a period
        (``period=("2025-04-01", "2025-04-08")``). Returns the reference id."""
        from workbench import triangulate

        with atomic(self._conn):
            return triangulate.refer(self._conn, actor=self.user, coding_id=coding_id, doc=doc,
                                     start=start, end=end, event_id=event, period=period)

    def unrefer(self, reference_id: str) -> None:
        """Remove a reference (kept in the audit trail)."""
        from workbench import triangulate

        with atomic(self._conn):
            triangulate.unrefer(self._conn, reference_id, self.user)

    def references(self) -> pd.DataFrame:
        """Every active reference from a passage to a timeline event or a period."""
        from workbench import triangulate

        return triangulate.references(self._conn)

    def mixed_matrix(self, by: str | Sequence[str] = "unit", period: str = "week", *,
                     codes: Sequence[str] = (), metrics: Sequence[str] = (),
                     coder: str | None = None, survey_window: str = "28D",
                     window: str | None = None):
        """Coded evidence and log metrics in the same cells (key value x period): material,
        code counts and densities per 1,000 words, log metrics; see ``MixedMatrix``.
        ``period`` is ``shift``, ``day``, ``week``, or a timeline event's id for its before,
        during and after windows (``window="21D"``; by default the event's length)."""
        from workbench import triangulate
        from workbench.triangulate._engine import project_events

        with project_events(self.path) as (events, shifts):
            rules = triangulate.TimeRules(shifts, pd.Timedelta(survey_window))
            return triangulate.mixed_matrix(self._conn, events, by=by, period=period,
                                            codes=codes, metrics=metrics, coder=coder,
                                            rules=rules, window=window)

    def repair_gap(self, gap: str = "stale_share", repair: Sequence[str] | str = (), *,
                   by: str | Sequence[str] = "unit", period: str = "week",
                   coder: str | None = None, permutations: int = 9999, seed: int = 0,
                   gap_column: str | None = None, alpha: float = 0.05,
                   survey_window: str = "28D"):
        """Where human labour fills the system's gaps: the association between a log metric
        (``gap``: a column such as ``stale_share``, ``median_minutes``, ``1 - ppv``; or a
        DataFrame shaped like a metrics result with ``gap_column``) and the density of
        ``repair`` codes (with their descendants) across cells, with hotspots and silences;
        see ``workbench.triangulate.RepairGap``."""
        from workbench import triangulate
        from workbench.triangulate._engine import project_events
        from workbench.triangulate.repair import check_repair

        codes = check_repair(repair)
        given = gap if isinstance(gap, pd.DataFrame) else None
        column = gap_column if given is not None else gap
        with project_events(self.path) as (events, shifts):
            rules = triangulate.TimeRules(shifts, pd.Timedelta(survey_window))
            extra = [] if given is not None else [gap]
            matrix = triangulate.mixed_matrix(
                self._conn, events, by=by, period=period, codes=codes,
                metrics=[*extra, *(["alerts"] if events is not None and gap != "alerts"
                                   else [])],
                coder=coder, rules=rules)
        return triangulate.repair_gap(matrix, gap_column=column, gap=given,
                                      permutations=permutations, seed=seed, alpha=alpha)

    def around(self, event: str, window: str = "21D", *, metrics: Sequence[str] = (),
               codes: Sequence[str] = (), by: str | Sequence[str] = (),
               coder: str | None = None, seed: int = 0, survey_window: str = "28D"
               ) -> pd.DataFrame:
        """Each log metric and code density in the ``window`` before and after a timeline
        event, with the difference, its bootstrap interval and a verdict ("cannot tell"
        when the interval spans zero)."""
        from workbench import triangulate
        from workbench.triangulate._engine import project_events

        with project_events(self.path) as (events, shifts):
            rules = triangulate.TimeRules(shifts, pd.Timedelta(survey_window))
            return triangulate.around(self._conn, events, event_id=event, window=window,
                                      metrics=metrics, codes=codes, by=by, coder=coder,
                                      rules=rules, seed=seed)

    def infer(self, claim: str, *, fit: str, qualitative: Sequence[str] | str = (),
              quantitative: dict | None = None, theme: str | None = None,
              rationale: str = "", author: str | None = None) -> str:
        """Record a meta-inference: a ``claim`` with its ``fit`` between the strands
        (Fetters et al. 2013: confirmation, expansion, discordance; or Farmer et al. 2006:
        agreement, partial agreement, silence, dissonance), its qualitative evidence (coding
        ids and/or codes) and its quantitative evidence as a metric query
        (``{"metric": "stale_share", "period": "week", "by": "unit", "filters": {"unit":
        "4N", "bucket_start": "2025-03-31"}, "value": 0.57}``; the value is computed when
        omitted). Returns the inference id; see ``workbench.triangulate.infer``."""
        from workbench import triangulate
        from workbench.triangulate._engine import project_events

        with project_events(self.path) as (events, shifts), atomic(self._conn):
            return triangulate.infer(self._conn, events, shifts, claim=claim, fit=fit,
                              author=author or self.user, theme=theme,
                              qualitative=qualitative, quantitative=quantitative,
                              rationale=rationale)

    def revise_inference(self, inference_id: str, *, author: str | None = None,
                         **changes) -> None:
        """Change a meta-inference's ``claim``, ``fit``, ``theme``, ``qualitative``,
        ``quantitative`` or ``rationale``; the earlier version stays in the audit log."""
        from workbench import triangulate
        from workbench.triangulate._engine import project_events

        with project_events(self.path) as (events, shifts), atomic(self._conn):
            triangulate.revise_inference(self._conn, events, shifts, inference_id,
                                  actor=author or self.user, **changes)

    def retract_inference(self, inference_id: str, reason: str, *,
                          author: str | None = None) -> None:
        """Retract a meta-inference, saying why: it stays listed with status "retracted"."""
        from workbench import triangulate

        with atomic(self._conn):
            triangulate.retract_inference(self._conn, inference_id, actor=author or self.user,
                                   reason=reason)

    def inferences(self, *, check: bool = True, status: str | None = None) -> pd.DataFrame:
        """Every meta-inference with flags on what happened to its evidence since (codings
        removed, codes merged, a metric value that no longer matches a re-run of its query,
        a query that no longer runs); the columns are listed in
        ``workbench.triangulate.inferences``."""
        from workbench import triangulate
        from workbench.triangulate._engine import project_events

        if not check:
            return triangulate.inferences(self._conn, None, None, check=False, status=status)
        with project_events(self.path) as (events, shifts):
            return triangulate.inferences(self._conn, events, shifts, status=status)

    def convergence_matrix(self):
        """Themes x data sources (interview, fieldnote, survey, logs), each cell the fit of
        the active meta-inferences touching it, on Farmer et al.'s (2006) scale; see
        ``workbench.triangulate.ConvergenceMatrix`` (``.cells`` tidy, ``.wide`` pivot)."""
        from workbench import triangulate

        return triangulate.convergence_matrix(self._conn, self.inferences(check=False))

    def display(self, kind: str, *, metric: str | None = None, codes: Sequence[str] = (),
                themes: dict[str, str] | None = None, coder: str | None = None,
                by: str | Sequence[str] = "unit", period: str | None = None,
                split: str | float = "median", per_theme: int = 3, seed: int = 0,
                survey_window: str = "28D"):
        """A joint display: ``side-by-side`` (``themes={"manual-verification":
        "stale_share"}``: each theme's metric with its interval, exemplar quotes, the fit and
        the meta-inference), ``by-theme`` (``codes`` per 1,000 words in cells where
        ``metric`` is high or low, or ``split="shift"`` for day and night), ``case-ordered``
        (cells sorted by ``metric`` with their ``codes`` and a quote) or ``timeline``
        (``metric`` per unit and day, timeline events as bands, ``codes`` at their time).
        Returns a ``Display``: ``.data`` (tidy), ``.chart`` (Altair), ``.save(path)``
        (.html offline, .png, .svg); see ``workbench.triangulate.displays``."""
        from workbench import triangulate
        from workbench.triangulate._engine import project_events
        from workbench.triangulate.joint import joint_display

        recorded = self.inferences()
        with project_events(self.path) as (events, shifts):
            rules = triangulate.TimeRules(shifts, pd.Timedelta(survey_window))
            return joint_display(self._conn, events, kind, rules=rules, metric=metric,
                                 codes=codes, themes=themes, coder=coder, by=by, period=period,
                                 split=split, inferences=recorded, per_theme=per_theme,
                                 seed=seed)
