"""Timeline events: go-live, an outage, a threshold change, stored in the project.

An event has a start, an optional end and the units it touched. A moment (``at:``) starts and
ends at the same minute; an event with a start and no end is **open-ended** and stays open (it
is never closed by guessing). Times are on the site's wall clock, like the logs' buckets; a
time with a UTC offset is refused, since the project cannot know which site clock it meant.
Events anchor references (:mod:`workbench.triangulate.references`), before/after windows
(:func:`workbench.triangulate.around.around`) and the bands of timeline charts.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from workbench.errors import TriangulationError
from workbench.store import append_audit
from workbench.triangulate._files import read_yaml

__all__ = ["TimelineEvent", "event", "read_timeline_file", "set_timeline", "timeline",
           "wall_clock"]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
TIMELINE_COLUMNS = ["event_id", "label", "start", "end", "units", "open_ended", "moment"]


@dataclass(frozen=True)
class TimelineEvent:
    """One event on the site's wall clock; ``end`` None means open-ended."""

    event_id: str
    label: str
    start: pd.Timestamp
    end: pd.Timestamp | None
    units: tuple[str, ...] = ()


def wall_clock(value, where: str) -> pd.Timestamp:
    """A naive timestamp from a date or date-time; refuse offsets and nonsense."""
    if isinstance(value, pd.Timestamp | str) or hasattr(value, "isoformat"):
        try:
            stamp = pd.Timestamp(value)
        except (ValueError, TypeError) as err:
            raise TriangulationError(10, f"{where}: '{value}' is not a date or date-time "
                                     "(write 2025-03-31 or 2025-03-31T06:40).") from err
        if stamp is pd.NaT:
            raise TriangulationError(10, f"{where}: the time is empty.")
        if stamp.tzinfo is not None:
            raise TriangulationError(11, f"{where}: '{value}' has a UTC offset; write the time "
                                     "on the site's wall clock without one, as the logs' "
                                     "buckets are.")
        return stamp
    raise TriangulationError(10, f"{where}: '{value}' is not a date or date-time.")


def _event(raw: Mapping, ordinal: int, where: str) -> TimelineEvent:
    """Check one event given as ``{id, at | start [, end], wards | units, what}``."""
    if not isinstance(raw, Mapping):
        raise TriangulationError(12, f"{where}: event {ordinal + 1} must be a mapping with "
                                 "id, at or start, and what.")
    event_id = str(raw.get("id", raw.get("event_id", ""))).strip()
    if not _ID.match(event_id):
        raise TriangulationError(12, f"{where}: event {ordinal + 1} needs an id of letters, "
                                 f"digits, '-', '_' or '.' (got '{event_id}').")
    here = f"{where}: event '{event_id}'"
    if ("at" in raw) == ("start" in raw):
        raise TriangulationError(13, f"{here} needs either 'at' (a moment) or 'start' (and "
                                 "optionally 'end').")
    start = wall_clock(raw.get("at", raw.get("start")), here)
    end = start if "at" in raw else (None if raw.get("end") is None else
                                     wall_clock(raw["end"], here))
    if end is not None and end < start:
        raise TriangulationError(14, f"{here} ends ({end}) before it starts ({start}).")
    units = raw.get("units", raw.get("wards")) or ()
    if isinstance(units, str) or not isinstance(units, Sequence):
        units = [units]
    label = " ".join(str(raw.get("what", raw.get("label", event_id))).split())
    return TimelineEvent(event_id, label, start, end, tuple(str(u).strip() for u in units))


def read_timeline_file(path: str | Path) -> list[dict]:
    """The ``events`` list of a timeline YAML (``corpora/riverside/timeline.yaml``'s form)."""
    path = Path(path)
    data = read_yaml(path, "timeline", 15)
    events = data.get("events") if isinstance(data, Mapping) else data
    if not isinstance(events, list):
        raise TriangulationError(15, f"{path.name}: put the events in a list under 'events:'.")
    return events


def set_timeline(conn: sqlite3.Connection, source, actor: str) -> list[TimelineEvent]:
    """Replace the project's timeline with the events of ``source``, audited.

    ``source`` is a YAML path, a list of mappings, or a DataFrame with columns event_id (or
    id), start (or at), end, units, label (or what). An event that active references use
    cannot be left out; removed references to an event left out are deleted with it (their
    rows stay in the audit log). Call inside a transaction.
    """
    where = "timeline"
    if isinstance(source, str | Path):
        where, source = Path(source).name, read_timeline_file(source)
    elif isinstance(source, pd.DataFrame):
        source = [{k: v for k, v in row.items() if not _missing(v)}
                  for row in source.to_dict("records")]
    events = [_event(raw, i, where) for i, raw in enumerate(source)]
    seen: set[str] = set()
    for event in events:
        if event.event_id in seen:
            raise TriangulationError(16, f"{where}: the id '{event.event_id}' is given twice; "
                                     "each event needs its own id.")
        seen.add(event.event_id)
    before = timeline(conn)
    referenced = conn.execute("SELECT DISTINCT event_id FROM time_references WHERE status = "
                              "'active' AND event_id IS NOT NULL").fetchall()
    missing = sorted({r[0] for r in referenced} - seen)
    if missing:
        raise TriangulationError(17, f"{where}: references point to event(s) "
                                 f"{', '.join(missing)}, which this timeline leaves out. Keep "
                                 "them, or remove those references first.")
    for ordinal, event in enumerate(events):
        conn.execute(
            'INSERT INTO timeline_events (event_id, label, start, "end", units, ordinal) '
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO UPDATE SET label = "
            'excluded.label, start = excluded.start, "end" = excluded."end", '
            "units = excluded.units, ordinal = excluded.ordinal",
            (event.event_id, event.label, event.start.isoformat(),
             None if event.end is None else event.end.isoformat(),
             json.dumps(list(event.units)), ordinal))
    dropped = sorted(set(before["event_id"]) - seen)
    _forget_removed_references(conn, dropped, actor)
    conn.executemany("DELETE FROM timeline_events WHERE event_id = ?", [(e,) for e in dropped])
    append_audit(conn, actor=actor, action="set_timeline", entity="timeline_events",
                 entity_id=None, before=before["event_id"].tolist(),
                 after=[e.event_id for e in events])
    return events


def _forget_removed_references(conn: sqlite3.Connection, events: list[str], actor: str
                               ) -> None:
    """Delete the removed references that point to ``events`` (which are being dropped), each
    with its row in the audit log: a removed reference cannot outlive its event's row."""
    marks = ", ".join("?" * len(events))
    rows = conn.execute(f"SELECT * FROM time_references WHERE status = 'removed' AND event_id "
                        f"IN ({marks})", events).fetchall()
    for row in rows:
        conn.execute("DELETE FROM time_references WHERE reference_id = ?",
                     (row["reference_id"],))
        append_audit(conn, actor=actor, action="forget_reference", entity="time_reference",
                     entity_id=row["reference_id"], before=dict(row))


def _missing(value) -> bool:
    return value is None or (not isinstance(value, list | tuple) and pd.isna(value))


def timeline(conn: sqlite3.Connection) -> pd.DataFrame:
    """The stored events, in the order given.

    Returns
    -------
    DataFrame : event_id, label, start, end (NaT when open-ended), units (tuple), open_ended,
    moment (start == end).
    """
    rows = conn.execute('SELECT event_id, label, start, "end", units FROM timeline_events '
                        "ORDER BY ordinal, event_id").fetchall()
    frame = pd.DataFrame([tuple(r) for r in rows], columns=TIMELINE_COLUMNS[:5])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    frame["units"] = [tuple(json.loads(u)) for u in frame["units"]]
    frame["open_ended"] = frame["end"].isna()
    frame["moment"] = frame["end"] == frame["start"]
    return frame[TIMELINE_COLUMNS]


def event(conn: sqlite3.Connection, event_id: str) -> TimelineEvent:
    """One stored event; an unknown id is refused with the ids that exist."""
    frame = timeline(conn)
    match = frame[frame["event_id"] == event_id]
    if match.empty:
        known = ", ".join(frame["event_id"]) or "none (load a timeline with set_timeline)"
        raise TriangulationError(18, f"no timeline event '{event_id}'; the timeline holds: "
                                 f"{known}.")
    row = match.iloc[0]
    return TimelineEvent(row["event_id"], row["label"], row["start"],
                         None if pd.isna(row["end"]) else row["end"], row["units"])
