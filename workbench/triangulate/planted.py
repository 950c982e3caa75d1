"""Planted truth: cells and a real project whose repair-gap association is known in advance.

A test of :func:`workbench.triangulate.repair_gap` needs data where the answer is known. Here
each cell (a unit x a week) gets a **gap**, the share of its alerts computed on stale inputs,
and an amount of field-note **material** (words, or none at all); its number of repair
codings is then drawn as

    repair ~ Poisson(words / 1000 * (base + effect * gap)),

so that the density of repair codings per 1,000 words rises with the gap by ``effect`` per
unit of gap, and does not depend on it at all when ``effect`` is 0 (the null case). Counts are
capped at the cell's number of paragraphs (one coding per paragraph); with the defaults the
expected count stays well below that cap.

:func:`planted_cells` returns the cells; :func:`build_planted_project` turns the same cells
into a real project through the public API only: Markdown field notes with ``date``, ``ward``
and ``shift`` front matter, the sociotechnical codebook, ``workarounds`` codings by one coder,
and a deployment log (a CSV file and a mapping in the shape of Riverside's) whose share of
stale alerts in each unit-week is exactly the planted gap. The same seed gives the same cells,
files and codings.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.errors import TriangulationError
from workbench.project import Project

__all__ = ["PLANTED_COLUMNS", "Planted", "build_planted_project", "planted_cells"]

#: The first planted week (a Monday, as the logs' weeks start).
START = pd.Timestamp("2025-03-03")
#: The units and the names the site's log export gives them (as Riverside's DEPT column).
UNITS = {"4N": "RRMC 4 NORTH", "5E": "RRMC 5 EAST", "6W": "RRMC 6 WEST", "7S": "RRMC 7 SOUTH"}
#: Every paragraph of a planted field note has this many words.
WORDS_PER_PARAGRAPH = 25
#: Repair codings per 1,000 words where the gap is zero.
BASE = 4.0
#: The code the planted codings use, from the sociotechnical codebook.
REPAIR_CODE = "workarounds"
SOCIOTECHNICAL = Path(__file__).resolve().parents[2] / "codebooks" / "sociotechnical.yaml"
PLANTED_COLUMNS = ["unit", "bucket_start", "gap", "words", "repair", "alerts", "stale_alerts",
                   "paragraphs", "note_date", "shift"]
_FILLER = ("nurse", "alert", "phone", "chart", "labs", "round", "desk", "score", "bed",
           "handover", "whiteboard", "charge", "vitals", "page", "list", "paper", "check")
_MAPPING = """\
# A planted site's event export -> workbench's canonical events table (generated for tests).
# Left: workbench's canonical column (see workbench/logs/events.py). Right: the site's column.
site: Planted test site (generated)
timezone: America/Chicago            # EVENT_TS is the site's wall-clock time, no offset
timestamp_format: "%Y-%m-%d %H:%M:%S"
shifts: {day: "07:00", night: "19:00"}
columns:
  event_id: EVT_ID
  ts: EVENT_TS
  event_type: EVT_CODE
  entity_id: ENC_CSN
  alert_id: ALERT_REF
  unit: DEPT
  actor_role: USER_ROLE
  actor_id: USER_HASH
  inputs_stale: STALE_FLAG
values:
  event_type:
    "ALERT_FIRE": alert_fired
  unit:
UNIT_LINES
  actor_role:
    "RN": nurse
  inputs_stale:
    "Y": true
    "N": false
"""


@dataclass(frozen=True)
class Planted:
    """A planted project and the truth it was built from.

    Attributes
    ----------
    project : the open :class:`workbench.Project` (close it when done).
    cells : :func:`planted_cells`' rows the project was built from.
    coder : who made the planted codings.
    """

    project: Project
    cells: pd.DataFrame
    coder: str


def planted_cells(seed: int, *, units: tuple[str, ...] = tuple(UNITS), weeks: int = 8,
                  effect: float, base: float = BASE, without_material: float = 0.2
                  ) -> pd.DataFrame:
    """Cells (unit x week) with a planted gap, material and repair codings.

    Parameters
    ----------
    seed : the same seed gives the same cells.
    units, weeks : the grid, weeks counted from Monday 2025-03-03.
    effect : repair codings per 1,000 words added per unit of gap; 0 plants no association.
    base : repair codings per 1,000 words where the gap is 0.
    without_material : the chance that a cell has no field note at all.

    Returns
    -------
    DataFrame : one row per cell, sorted by unit and bucket_start: unit, bucket_start (the
    week's Monday), gap (stale_alerts / alerts), words (0 without material), repair (planted
    codings), alerts (8 to 14), stale_alerts, paragraphs, note_date (Tuesday to Thursday of
    the week) and shift (day or night) of the cell's field note.

    Examples
    --------
    >>> cells = planted_cells(1, effect=0.0)
    >>> len(cells), bool((cells["gap"] == cells["stale_alerts"] / cells["alerts"]).all())
    (32, True)
    """
    if effect < 0 or base <= 0 or not 0 <= without_material < 1 or weeks < 1 or not units:
        raise TriangulationError(60, "planted_cells() needs effect >= 0, base > 0, "
                                 "0 <= without_material < 1, at least one unit and one week.")
    rng = np.random.default_rng(seed)
    grid = pd.MultiIndex.from_product(
        [sorted(units), pd.date_range(START, periods=weeks, freq="7D")],
        names=["unit", "bucket_start"]).to_frame(index=False)
    n = len(grid)
    alerts = rng.integers(8, 15, n)
    stale = rng.binomial(alerts, rng.uniform(0.0, 0.6, n))
    paragraphs = rng.integers(20, 61, n) * (rng.random(n) >= without_material)
    words = paragraphs * WORDS_PER_PARAGRAPH
    gap = stale / alerts
    repair = np.minimum(rng.poisson(words / 1000 * (base + effect * gap)), paragraphs)
    note_date = grid["bucket_start"] + pd.to_timedelta(rng.integers(1, 4, n), unit="D")
    shift = np.where(rng.random(n) < 0.5, "day", "night")
    return grid.assign(gap=gap, words=words, repair=repair, alerts=alerts, stale_alerts=stale,
                       paragraphs=paragraphs, note_date=note_date, shift=shift
                       )[PLANTED_COLUMNS]


def _note(row, rng: np.random.Generator) -> str:
    """A field note of ``row.paragraphs`` unique paragraphs of exactly 25 words each."""
    head = ["---", f"date: {row.note_date:%Y-%m-%d}", f"ward: {row.unit}",
            f"shift: {row.shift}", "observer: planted", "---", ""]
    paragraphs = []
    for number in range(1, row.paragraphs + 1):
        opening = ["Observation", str(number), "on", row.unit, f"{row.note_date:%Y-%m-%d}:"]
        filler = rng.choice(_FILLER, WORDS_PER_PARAGRAPH - len(opening))
        paragraphs.append(" ".join([*opening, *filler]) + ".")
    return "\n".join(head) + "\n" + "\n\n".join(paragraphs) + "\n"


def _write_notes(folder: Path, cells: pd.DataFrame, rng: np.random.Generator) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for row in cells[cells["paragraphs"] > 0].itertuples(index=False):
        name = f"fn_{row.note_date:%Y-%m-%d}_{row.unit}_{row.shift}.md"
        (folder / name).write_text(_note(row, rng), encoding="utf-8")


def _alert_rows(cells: pd.DataFrame, rng: np.random.Generator) -> list[dict]:
    """Each cell's alerts, spread over its week at 08:00, 10:00 and 12:00 (times every day
    of the week has, also the day clocks change), the first ``stale_alerts`` of a shuffled
    order flagged stale."""
    rows = []
    for cell in cells.itertuples(index=False):
        stale = set(rng.permutation(cell.alerts)[:cell.stale_alerts].tolist())
        for j in range(cell.alerts):
            when = cell.bucket_start + pd.Timedelta(days=j % 7, hours=8 + 2 * (j // 7))
            alert = f"{cell.unit}-{cell.bucket_start:%Y%m%d}-{j:02d}"
            rows.append({"EVT_ID": f"E-{alert}", "EVENT_TS": f"{when:%Y-%m-%d %H:%M:%S}",
                         "EVT_CODE": "ALERT_FIRE", "ENC_CSN": f"ENC-{alert}",
                         "ALERT_REF": f"A-{alert}", "DEPT": UNITS.get(cell.unit, cell.unit),
                         "USER_ROLE": "RN", "USER_HASH": f"rn-{cell.unit}-{j % 3}",
                         "STALE_FLAG": "Y" if j in stale else "N"})
    return sorted(rows, key=lambda r: (r["EVENT_TS"], r["EVT_ID"]))


def _write_logs(folder: Path, cells: pd.DataFrame, rng: np.random.Generator
                ) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rows = _alert_rows(cells, rng)
    events = folder / "events.csv"
    with events.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    units = "\n".join(f'    "{UNITS.get(u, u)}": {u}' for u in sorted(cells["unit"].unique()))
    mapping = folder / "mapping.yaml"
    mapping.write_text(_MAPPING.replace("UNIT_LINES", units), encoding="utf-8")
    return events, mapping


def _planted_codings(project, cells: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """``repair`` paragraphs of each cell's note, chosen at random, as code_many rows."""
    paragraphs = project.segments("paragraph")
    rows = []
    for cell in cells[cells["repair"] > 0].itertuples(index=False):
        name = f"fn_{cell.note_date:%Y-%m-%d}_{cell.unit}_{cell.shift}.md"
        note = paragraphs[paragraphs["document"] == name]
        chosen = np.sort(rng.choice(len(note), cell.repair, replace=False))
        rows.append(note.iloc[chosen][["doc_id", "start", "end"]])
    return pd.concat(rows, ignore_index=True).assign(code=REPAIR_CODE)


def build_planted_project(path: str | Path, seed: int, *, effect: float,
                          units: tuple[str, ...] = tuple(UNITS), weeks: int = 8,
                          coder: str = "planted") -> Planted:
    """Write planted field notes and logs under ``path`` and build a project from them.

    Everything goes through the public API: ``import_files`` (notes in ``path/fieldnotes``),
    ``set_codebook`` (``codebooks/sociotechnical.yaml``), ``set_keys(unit="ward")``,
    ``code_many`` (the planted ``workarounds`` codings, by ``coder``) and ``load_logs``
    (``path/logs/events.csv`` with ``path/logs/mapping.yaml``). The project is
    ``path/study``. 4 units x 8 weeks make about 25 notes, 350 alerts and a few hundred
    codings, built in a few seconds.

    Returns
    -------
    Planted : the open project, the cells of :func:`planted_cells` (same seed, effect, units
    and weeks) and the coder.
    """
    path = Path(path)
    cells = planted_cells(seed, units=units, weeks=weeks, effect=effect)
    rng = np.random.default_rng([seed, 1])
    _write_notes(path / "fieldnotes", cells, rng)
    events, mapping = _write_logs(path / "logs", cells, rng)
    project = Project.create(path / "study", user=coder)
    project.import_files(path / "fieldnotes", progress=False)
    project.set_codebook(SOCIOTECHNICAL)
    project.set_keys(unit="ward")
    if cells["repair"].sum():
        project.code_many(_planted_codings(project, cells, rng), coder=coder)
    project.load_logs(events, mapping)
    return Planted(project, cells, coder)
