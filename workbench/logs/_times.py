"""Event times: how a log's timestamp becomes an instant (``ts``, UTC) and a wall-clock time
(``local_ts``, the mapping's time zone), decided row by row.

The forms a timestamp takes, and what each becomes:

- text ending in an offset (``Z``, ``+02:00``, ``-0400``, ``-04``) after the time of day: the
  instant is known; ``local_ts`` is that instant on the mapping's clock.
- text without an offset: the site's wall-clock time in the mapping's ``timezone``. A time the
  clocks skipped (the hour lost when they spring forward) is a ``nonexistent_time`` reject; a
  time they showed twice (the hour repeated when they fall back) is an ``ambiguous_time``
  reject: either instant would be a guess.
- text read with the mapping's ``timestamp_format``: with ``%z`` or ``%Z`` in the format every
  row must carry an offset or zone (an instant); without them every row is wall-clock time.
  A row that does not match the format is a ``bad_timestamp`` reject.
- a typed column: ``TIMESTAMP WITH TIME ZONE`` (Parquet's UTC-adjusted timestamps) is an
  instant; ``TIMESTAMP`` or ``DATE`` without a zone is wall-clock time, checked as above.

A column may mix offset and wall-clock text: each row is read in its own form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import duckdb


#: An offset at the end of a timestamp's text, right after the time of day.
OFFSET = r"\d:\d\d(:\d\d(\.\d+)?)?\s*([zZ]|[+-]\d\d(:?\d\d)?)$"
#: The temporary table of local dates near a change of the clocks (see :func:`clock_changes`).
CLOCK_CHANGES = "_clock_changes"
#: The years whose clock changes are listed; wall-clock times outside are always checked.
YEARS = (1900, 2100)


@dataclass(frozen=True)
class EventTime:
    """SQL for one source's event time: ``instant`` (UTC, or NULL for wall-clock rows),
    ``wall`` (the wall-clock time as read, or NULL for rows with an offset), and the canonical
    ``ts`` and ``local_ts`` derived from them."""

    instant: str | None
    wall: str | None
    zone: str

    @property
    def ts(self) -> str:
        """The event's instant: as read, or the wall-clock time placed in the zone."""
        placed = None if self.wall is None else f"timezone({self.zone}, {self.wall})"
        return _first(self.instant, placed)

    @property
    def local_ts(self) -> str:
        """The event's wall-clock time: as read, or the instant on the zone's clock."""
        shown = None if self.instant is None else f"timezone({self.zone}, {self.instant})"
        return _first(self.wall, shown)


def _first(*expressions: str | None) -> str:
    present = [e for e in expressions if e is not None]
    return present[0] if len(present) == 1 else f"coalesce({', '.join(present)})"


def event_time(column: str, kind: str, timezone: str, timestamp_format: str | None,
               quote) -> EventTime:
    """How the source column ``column`` (DuckDB type ``kind``) reads as an event time."""
    zone = quote(timezone)
    if kind == "TIMESTAMP WITH TIME ZONE":
        return EventTime(column, None, zone)
    if kind.startswith("TIMESTAMP") or kind == "DATE":
        return EventTime(None, f"CAST({column} AS TIMESTAMP)", zone)
    text = f"NULLIF(TRIM(CAST({column} AS VARCHAR)), '')"
    if timestamp_format:
        parsed = f"try_strptime({text}, {quote(timestamp_format)})"
        if "%z" in timestamp_format or "%Z" in timestamp_format:
            return EventTime(parsed, None, zone)
        return EventTime(None, parsed, zone)
    offset = f"regexp_matches({text}, {quote(OFFSET)})"
    # upper(): RFC 3339 allows a lower-case z, which DuckDB does not read.
    return EventTime(f"CASE WHEN {offset} THEN TRY_CAST(upper({text}) AS TIMESTAMPTZ) END",
                     f"CASE WHEN NOT {offset} THEN TRY_CAST({text} AS TIMESTAMP) END", zone)


def clock_checks(wall: str, timezone: str, quote) -> list[tuple[str, str, str]]:
    """(condition, problem, reason tail) for wall-clock times the zone's clocks skipped or
    showed twice; none for a zone that never changes its clocks (UTC).

    The exact test (does the time survive the round trip to UTC and back; does an instant one
    shift later or earlier show the same time) runs only on dates near a change of the clocks,
    found by a hash lookup in :data:`CLOCK_CHANGES`, so a load pays almost nothing for it.
    """
    shifts = _shifts(timezone)
    if not shifts:
        return []
    zone = quote(timezone)
    near = (f"(CAST({wall} AS DATE) IN (SELECT day FROM {CLOCK_CHANGES}) OR {wall} < "
            f"DATE '{YEARS[0]}-01-01' OR {wall} >= DATE '{YEARS[1]}-01-01')")
    placed = f"timezone({zone}, {wall})"
    again = " OR ".join(f"timezone({zone}, {placed} {sign} INTERVAL {int(s)} SECOND) = {wall}"
                        for s in shifts for sign in "+-")
    return [
        (f"CASE WHEN {near} THEN timezone({zone}, {placed}) <> {wall} ELSE false END",
         "nonexistent_time",
         f" never showed on the clocks of {timezone} (they skipped it when moving forward). "
         "Check the export's time zone, or export times with an offset (e.g. -05:00)."),
        (f"CASE WHEN {near} THEN ({again}) ELSE false END", "ambiguous_time",
         f" showed twice on the clocks of {timezone} (the hour repeated when they moved back), "
         "so which of the two it was cannot be known. Export times with an offset (e.g. "
         "-05:00) or in UTC."),
    ]


def create_clock_changes(conn: duckdb.DuckDBPyConnection, timezone: str) -> None:
    """Create the temporary table :data:`CLOCK_CHANGES` (column ``day``) for a time zone."""
    conn.execute(f"CREATE OR REPLACE TEMP TABLE {CLOCK_CHANGES} AS "
                 "SELECT unnest(CAST(? AS DATE[])) AS day", [list(clock_changes(timezone))])


@lru_cache(maxsize=8)
def clock_changes(timezone: str) -> tuple[date, ...]:
    """Local dates (with a day either side) on which the zone's UTC offset changed, for the
    years :data:`YEARS`, from the IANA time zone database (Python's ``zoneinfo``)."""
    return tuple(sorted({day for _, days in _changes(timezone) for day in days}))


@lru_cache(maxsize=8)
def _shifts(timezone: str) -> tuple[float, ...]:
    """The sizes, in seconds, of the zone's changes of the clocks (3600 for most zones)."""
    return tuple(sorted({size for size, _ in _changes(timezone)}))


@lru_cache(maxsize=8)
def _changes(timezone: str) -> tuple[tuple[float, tuple[date, ...]], ...]:
    """Each change of the zone's UTC offset, found day by day: its size and the local dates
    around it."""
    zone, found = ZoneInfo(timezone), []
    before = datetime(YEARS[0], 1, 1, tzinfo=UTC)
    offset = before.astimezone(zone).utcoffset()
    while before.year < YEARS[1]:
        after = before + timedelta(days=1)
        now = after.astimezone(zone).utcoffset()
        if now != offset:
            first = before.astimezone(zone).date() - timedelta(days=1)
            found.append((abs((now - offset).total_seconds()),
                          tuple(first + timedelta(days=d) for d in range(4))))
        before, offset = after, now
    return tuple(found)
