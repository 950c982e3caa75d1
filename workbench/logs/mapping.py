"""A site's log format, described once in YAML and checked before any file is read.

Real logs never use workbench's column names. A mapping says which of the site's columns holds
each canonical column (:mod:`workbench.logs.events`), how the site's codes translate into the
canonical vocabularies, which time zone its timestamps are written in, and when its shifts
start. For example (the Riverside example's own mapping)::

    timezone: America/Chicago          # EVENT_TS is local wall-clock time, no offset
    timestamp_format: "%Y-%m-%d %H:%M:%S"
    shifts: {day: "07:00", night: "19:00"}
    columns:
      event_id: EVT_ID
      ts: EVENT_TS
      event_type: EVT_CODE
      unit: DEPT
    values:
      event_type: {ALERT_FIRE: alert_fired, ACK: alert_acknowledged}
      unit: {RRMC 4 NORTH: 4N}

A column with a ``values`` table is strict: a code the table does not list makes the row a
reject, never a silent pass-through.

``timezone`` is the zone of wall-clock times (timestamps written without an offset); a
timestamp with an offset is read as that instant whatever the zone, and a wall-clock time the
zone's clocks skipped or showed twice is a reject. ``timestamp_format`` (strptime) reads text
timestamps: with ``%z`` each must carry an offset. :mod:`workbench.logs._times` says what each
form of timestamp becomes.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

import yaml

from workbench.errors import LogsError
from workbench.logs.events import COLUMNS, EVENT_TYPES, REQUIRED
from workbench.safe_input import UnsafeYaml, load_yaml

__all__ = ["Mapping", "Shifts", "read_mapping"]

#: Canonical columns a mapping may fill (``local_ts`` is derived from ``ts``).
MAPPABLE = tuple(name for name in COLUMNS if name != "local_ts")
#: Columns whose codes may be translated by a ``values`` table.
VOCABULARY_COLUMNS = ("event_type", "unit", "actor_role", "action", "outcome", "inputs_stale")
_KEYS = ("site", "timezone", "timestamp_format", "shifts", "columns", "values")


@dataclass(frozen=True)
class Shifts:
    """When the day and the night shift start, on the site's wall clock."""

    day: time = time(7, 0)
    night: time = time(19, 0)

    @property
    def day_minute(self) -> int:
        """Minutes after midnight at which the day shift starts."""
        return self.day.hour * 60 + self.day.minute

    @property
    def night_minute(self) -> int:
        """Minutes after midnight at which the night shift starts."""
        return self.night.hour * 60 + self.night.minute


@dataclass(frozen=True)
class Mapping:
    """How one site's log files map onto the canonical events table.

    Attributes
    ----------
    columns : canonical column -> the site's column name.
    timezone : IANA time zone of timestamps written without an offset.
    values : canonical column -> {site code: canonical value}.
    timestamp_format : strptime format of text timestamps; None accepts ISO 8601.
    shifts : shift start times, used to cut metrics by shift.
    site : a label for the site, for reports.
    source : where the mapping came from, for error messages.
    """

    columns: dict[str, str]
    timezone: str
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    timestamp_format: str | None = None
    shifts: Shifts = field(default_factory=Shifts)
    site: str = ""
    source: str = "mapping"

    def as_dict(self) -> dict[str, Any]:
        """The mapping as plain data, as it would be written in YAML."""
        return {
            "site": self.site, "timezone": self.timezone,
            "timestamp_format": self.timestamp_format,
            "shifts": {"day": self.shifts.day.strftime("%H:%M"),
                       "night": self.shifts.night.strftime("%H:%M")},
            "columns": dict(self.columns), "values": {k: dict(v) for k, v in self.values.items()},
        }


def read_mapping(source: str | Path | dict | Mapping) -> Mapping:
    """Read and check a mapping from a YAML file, a dict, or return a Mapping unchanged.

    Raises
    ------
    LogsError
        WB-LOGS-001 to 007, naming the field at fault and what to write instead.
    """
    if isinstance(source, Mapping):
        return source
    if isinstance(source, dict):
        return _build(source, "mapping")
    path = Path(source)
    if not path.is_file():
        raise LogsError(1, f"mapping file {path} does not exist. Give the path of the YAML "
                        "file that maps your log's columns (see corpora/riverside/logs).")
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except UnsafeYaml as err:
        raise LogsError(14, f"{path.name}: the mapping is refused: {err}.") from err
    except yaml.YAMLError as err:
        raise LogsError(1, f"{path.name} is not valid YAML: {err}. Fix the file.") from err
    return _build(data, path.name)


def _build(data: Any, where: str) -> Mapping:
    if not isinstance(data, dict):
        raise LogsError(2, f"{where}: a mapping is a YAML dictionary with keys "
                        f"{', '.join(_KEYS)}; this file holds {type(data).__name__}.")
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise LogsError(2, f"{where}: unknown key(s) {', '.join(map(str, unknown))}. "
                        f"Allowed keys: {', '.join(_KEYS)}.")
    columns = _columns(data.get("columns"), where)
    return Mapping(
        columns=columns, timezone=_timezone(data.get("timezone"), where),
        values=_values(data.get("values") or {}, columns, where),
        timestamp_format=data.get("timestamp_format"),
        shifts=_shifts(data.get("shifts") or {}, where),
        site=str(data.get("site") or ""), source=where,
    )


def _columns(columns: Any, where: str) -> dict[str, str]:
    if not isinstance(columns, dict):
        raise LogsError(3, f"{where}: 'columns' must map canonical names to your column "
                        "names, e.g. `event_id: EVT_ID`.")
    unknown = sorted(set(columns) - set(MAPPABLE))
    if unknown:
        raise LogsError(4, f"{where}: columns.{unknown[0]} is not a canonical column. "
                        f"Canonical columns: {', '.join(MAPPABLE)}.")
    for name in REQUIRED:
        if not columns.get(name):
            raise LogsError(3, f"{where}: columns.{name} is missing; every mapping must say "
                            f"which of your columns holds {name}. Add `{name}: YOUR_COLUMN`.")
    return {name: str(site_column) for name, site_column in columns.items() if site_column}


def _timezone(name: Any, where: str) -> str:
    if not name:
        raise LogsError(5, f"{where}: 'timezone' is missing. Say in which time zone your "
                        "timestamps are written, e.g. `timezone: America/Chicago` or `UTC`.")
    try:
        zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as err:
        raise LogsError(5, f"{where}: timezone '{name}' is not a known time zone. Use an IANA "
                        "name such as America/Chicago, Europe/Berlin or UTC.") from err
    return str(name)


def _values(values: Any, columns: dict[str, str], where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(values, dict):
        raise LogsError(6, f"{where}: 'values' must map a column to a table of codes, e.g. "
                        "`event_type: {ACK: alert_acknowledged}`.")
    checked = {}
    for column, table in values.items():
        if column not in VOCABULARY_COLUMNS:
            raise LogsError(6, f"{where}: values.{column} cannot be translated; code tables "
                            f"are allowed for {', '.join(VOCABULARY_COLUMNS)}.")
        if column not in columns:
            raise LogsError(6, f"{where}: values.{column} translates a column the mapping does "
                            f"not read. Add `{column}: YOUR_COLUMN` under columns.")
        if not isinstance(table, dict) or not table:
            raise LogsError(6, f"{where}: values.{column} must be a table of codes, e.g. "
                            "`CODE: canonical_value`.")
        if column == "event_type":
            wrong = sorted({str(v) for v in table.values()} - set(EVENT_TYPES))
            if wrong:
                raise LogsError(6, f"{where}: values.event_type maps to '{wrong[0]}', which is "
                                f"not an event type. Event types: {', '.join(EVENT_TYPES)}.")
        if column == "inputs_stale" and not all(isinstance(v, bool) for v in table.values()):
            raise LogsError(6, f"{where}: values.inputs_stale must map each code to true or "
                            "false.")
        checked[column] = {str(code): value for code, value in table.items()}
    return checked


def _shifts(shifts: Any, where: str) -> Shifts:
    if not isinstance(shifts, dict) or set(shifts) - {"day", "night"}:
        raise LogsError(7, f"{where}: 'shifts' must be `{{day: \"07:00\", night: \"19:00\"}}`.")
    starts = {}
    for name, default in (("day", Shifts.day), ("night", Shifts.night)):
        value = shifts.get(name, default.strftime("%H:%M"))
        try:
            starts[name] = time.fromisoformat(str(value))
        except ValueError as err:
            raise LogsError(7, f"{where}: shifts.{name} '{value}' is not a time of day (HH:MM)."
                            ) from err
    if starts["day"] >= starts["night"]:
        raise LogsError(7, f"{where}: shifts.day ({starts['day']:%H:%M}) must start before "
                        f"shifts.night ({starts['night']:%H:%M}) on the clock.")
    return Shifts(**starts)
