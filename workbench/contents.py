"""What a project holds, so that a notebook can choose its defaults and skip what is missing.

The analysis notebooks run on any project, not only the Riverside example: their parameters
(the coder, the codes, the coders to compare, the event to look around) default to ``None`` and
are then read from :func:`contents`, and a section whose material the project lacks (no logs,
no timeline, a single coder) prints :meth:`Contents.lacks`' one plain sentence instead of
failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench.errors import ProjectError
from workbench.project import Project

__all__ = ["SKIPPED", "Contents", "contents"]

#: The coder name of the consensus layer (``project.reconcile``): not a person.
CONSENSUS = "consensus"
#: Logs live beside the project database (see ``workbench.logs``).
LOGS_DATABASE = "logs.duckdb"
#: What each need means to a reader when the project lacks it: one sentence, no jargon.
SKIPPED = {
    "documents": "This project holds no documents yet, so this part is skipped.",
    "codebook": "This project has no codebook yet, so this part is skipped.",
    "codings": "Nothing in this project has been coded yet, so this part is skipped.",
    "two coders": "Only one person has coded in this project, so there is no agreement "
                  "between coders to measure and this part is skipped.",
    "turns": "No document in this project has speaker turns, so this part is skipped.",
    "logs": "This project has no deployment logs, so this part is skipped.",
    "deteriorations": "This project's logs record no deteriorations (the outcome register), "
                      "so this part is skipped.",
    "acknowledgements": "This project's logs record no acknowledgements of alerts, so this "
                        "part is skipped.",
    "shifts": "This project's logs record no nurses signing on for a shift, so this part is "
              "skipped.",
    "timeline": "This project has no timeline of events, so this part is skipped.",
    "inferences": "No meta-inferences have been recorded in this project yet, so there are "
                  "none to show.",
}


@dataclass(frozen=True)
class Contents:
    """What one project holds, read once.

    Attributes
    ----------
    documents : document names, in the project's order.
    kinds : the document kinds present (interview, fieldnote, survey, ...).
    turns : whether any document has speaker turns.
    codes : code ids in the codebook, the most coded first (uncoded codes last); ties in
        alphabetical order, as for ``coded`` and ``coders``.
    coded : the code ids with at least one coding, the most coded first.
    coders : people who coded, the most codings first (the consensus layer is not a person).
    attributes : case attributes (role, ward, ...), in alphabetical order.
    events : timeline event ids, in time order.
    moments : the events that are moments (a start, no span), in time order.
    logs : whether deployment logs are loaded.
    log_events : the canonical event types the logs hold (alert_fired, deterioration, ...;
        see ``workbench.logs.events``), in alphabetical order; empty without logs.
    inferences : how many meta-inferences are recorded (active or not).
    """

    documents: tuple[str, ...]
    kinds: tuple[str, ...]
    turns: bool
    codes: tuple[str, ...]
    coded: tuple[str, ...]
    coders: tuple[str, ...]
    attributes: tuple[str, ...]
    events: tuple[str, ...]
    moments: tuple[str, ...]
    logs: bool
    log_events: tuple[str, ...]
    inferences: int

    @property
    def middle_moment(self) -> str | None:
        """The middle one of the timeline's moments (the later of two), the default event to
        compare before and after; None without moments."""
        return self.moments[len(self.moments) // 2] if self.moments else None

    def lacks(self, *needs: str) -> str:
        """The sentence for the first of ``needs`` the project lacks, or "" when it has them.

        ``needs`` are keys of :data:`SKIPPED`. Examples: ``contents.lacks("logs",
        "timeline")`` is "" for the Riverside example and "This project has no deployment
        logs, so this part is skipped." for a project without logs.
        """
        present = {"documents": bool(self.documents), "codebook": bool(self.codes),
                   "codings": bool(self.coded), "two coders": len(self.coders) >= 2,
                   "turns": self.turns, "logs": self.logs, "timeline": bool(self.events),
                   "deteriorations": "deterioration" in self.log_events,
                   "acknowledgements": "alert_acknowledged" in self.log_events,
                   "shifts": "shift_started" in self.log_events,
                   "inferences": self.inferences > 0}
        unknown = [n for n in needs if n not in present]
        if unknown:
            raise ProjectError(31, f"lacks() knows no need {', '.join(unknown)}; the needs "
                               f"are {', '.join(present)}.")
        return next((SKIPPED[n] for n in needs if not present[n]), "")


def contents(project: Project) -> Contents:
    """Read what ``project`` holds: documents, codes by use, coders, attributes, events, logs.

    Returns
    -------
    Contents : see its attributes; ``coders[0]`` is the most active coder and ``coded[0]`` the
    most used code, the defaults the notebooks take when not told.
    """
    documents = project.documents()
    codings = project.codings(coder="all")
    people = codings[codings["coder"] != CONSENSUS]
    by_use = _by_count(codings["code_id"])
    codebook = project.codes()["code_id"]
    codes = [*by_use.index, *sorted(set(codebook) - set(by_use.index))]
    timeline = project.timeline()
    logged = (Path(project.path) / LOGS_DATABASE).is_file()
    cases = project.cases()
    attributes = sorted(set(cases.columns) - {"case_id", "n_documents"})
    return Contents(
        documents=tuple(documents["name"]), kinds=tuple(documents["kind"].unique()),
        turns=bool((documents["n_turns"].fillna(0) > 0).any()), codes=tuple(codes),
        coded=tuple(by_use.index),
        coders=tuple(_by_count(people["coder"]).index), attributes=tuple(attributes),
        events=tuple(timeline["event_id"]),
        moments=tuple(timeline.loc[timeline["moment"].astype(bool), "event_id"]),
        logs=logged, log_events=_event_types(project) if logged else (),
        inferences=len(project.inferences(check=False)))


def _by_count(values: pd.Series) -> pd.Series:
    """Counts of ``values``, the most frequent first; ties in alphabetical order (stable)."""
    return values.value_counts().sort_index().sort_values(ascending=False, kind="stable")


def _event_types(project: Project) -> tuple[str, ...]:
    """The distinct canonical event types in the project's logs."""
    from workbench.logs import connect

    events = connect(project)
    try:
        return tuple(sorted(events.select("event_type").distinct().to_pandas()["event_type"]))
    finally:
        events.get_backend().disconnect()
