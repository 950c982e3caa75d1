"""Fictional deployment logs for the Riverside example, and big synthetic logs for benchmarks.

The Riverside logs are generated, not observed: a seeded simulation of the "Lookout" alert on
three wards over twelve weeks that follows ``corpora/riverside/timeline.yaml`` (go-live, the lab
interface outage, the 5E night vacancies, the threshold change, the explanation panel) and the
figures people give in the interviews and field notes. :mod:`workbench.logs._simulate` documents
each assumption. The output is written the way the site's system would export it: its own
column names (``EVT_ID``, ``EVENT_TS`` in local time without an offset, ``EVT_CODE`` codes such as
``ALERT_FIRE`` and ``ACK``), so that loading it needs ``corpora/riverside/logs/mapping.yaml``.

Run ``python -m workbench.logs.generate OUT_DIR --seed 7`` to write the example again (it is
committed under ``corpora/riverside/logs/events``, so the demo needs no generation step), or
``python -m workbench.logs.generate OUT_DIR --events 10000000`` for a big synthetic log: the same
simulation repeated over many wards and periods, written in files of about two million rows so
that a hundred million events never sit in memory.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from workbench.logs._simulate import simulate_ward
from workbench.logs._timeline import RIVERSIDE, Timeline, read_timeline

__all__ = ["EXPORT_COLUMNS", "riverside", "synthetic"]

#: The site's export columns, in order, and their Parquet types.
EXPORT_COLUMNS = {
    "EVT_ID": pa.string(), "EVENT_TS": pa.timestamp("s"), "EVT_CODE": pa.string(),
    "DEPT": pa.string(), "ENC_CSN": pa.string(), "ALERT_REF": pa.string(),
    "USER_ROLE": pa.string(), "USER_HASH": pa.string(), "LKT_SCORE": pa.int16(),
    "LKT_THRESH": pa.int16(), "STALE_FLAG": pa.string(), "ACK_OPTION": pa.string(),
    "ACK_REASON": pa.string(), "OUTCOME_CD": pa.string(), "FREE_TEXT": pa.string(),
}
_SCHEMA = pa.schema(list(EXPORT_COLUMNS.items()))
#: A twelve-week run of the story; the benchmark repeats it this many days later.
RUN_DAYS = 84


def riverside(out_dir: str | Path, *, seed: int = 7,
              timeline: Path = RIVERSIDE / "timeline.yaml") -> Path:
    """Write the Riverside example logs as Parquet, one partition per month; return the folder.

    The folder (``OUT_DIR/events``) is replaced if it exists. The same seed gives the same
    files, byte for byte.
    """
    facts = read_timeline(timeline)
    rng = np.random.default_rng(seed)
    events = pd.concat([simulate_ward(ward, facts, rng) for ward in facts.wards],
                       ignore_index=True)
    table = _export(events, facts, prefix="RRMC", first=1)
    folder = Path(out_dir) / "events"
    if folder.exists():
        shutil.rmtree(folder)
    month = pc_month(table)
    for value in sorted(set(month)):
        part = folder / f"EXPORT_MONTH={value}"
        part.mkdir(parents=True)
        rows = table.filter(pa.array(np.asarray(month) == value))
        pq.write_table(rows, part / "part-0.parquet", compression="zstd")
    return folder


def pc_month(table: pa.Table) -> list[str]:
    """The local month (YYYY-MM) of each row, the example's partition key."""
    return pd.Series(table.column("EVENT_TS").to_numpy()).dt.strftime("%Y-%m").tolist()


def synthetic(out_dir: str | Path, n_events: int, *, seed: int = 7,
              rows_per_file: int = 2_000_000) -> Path:
    """Write about ``n_events`` events (exactly that many) in Parquet files; return the folder.

    Each run simulates one Riverside ward over one twelve-week period; runs cycle through the
    three wards and through periods laid end to end (at most eight, about two years), and more
    wards are added as needed: ten million events are about 65 wards over two years.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    facts = read_timeline()
    written, batch, part = 0, [], 0
    for frame in _runs(facts, seed, n_events):
        take = frame.iloc[: n_events - written]
        batch.append(take)
        written += len(take)
        if sum(map(len, batch)) >= rows_per_file or written >= n_events:
            part = _write_part(folder, facts, batch, part, written - sum(map(len, batch)))
            batch = []
        if written >= n_events:
            break
    return folder


def _runs(facts: Timeline, seed: int, n_events: int) -> Iterator[pd.DataFrame]:
    rng = np.random.default_rng(seed)
    per_run = 19_000  # events of one ward over twelve weeks, on average
    runs = -(-n_events // per_run)
    periods = min(8, runs)
    run = 0
    while True:
        copy, period = divmod(run, periods)
        ward = facts.wards[copy % len(facts.wards)]
        shifted = facts.shifted(RUN_DAYS * period)
        frame = simulate_ward(ward, shifted, rng, run=run, unit=f"WARD {copy:04d}")
        yield frame
        run += 1


def _write_part(folder: Path, facts: Timeline, batch: list[pd.DataFrame], part: int,
                first: int) -> int:
    table = _export(pd.concat(batch, ignore_index=True), facts, prefix="SYN", first=first + 1)
    pq.write_table(table, folder / f"part-{part:05d}.parquet", compression="zstd")
    return part + 1


def _export(events: pd.DataFrame, facts: Timeline, *, prefix: str, first: int) -> pa.Table:
    """Events (UTC seconds) as the site exports them: local time, ids, export types."""
    events = events.sort_values("EVENT_TS", kind="stable", ignore_index=True)
    local = pd.to_datetime(events["EVENT_TS"], unit="s", utc=True).dt.tz_convert(
        facts.timezone).dt.tz_localize(None)
    ids = pd.Series(np.arange(first, first + len(events))).astype(str).str.zfill(9)
    frame = events.assign(EVT_ID=(prefix + ids).to_numpy(), EVENT_TS=local.astype(
        "datetime64[s]"))
    for column in ("LKT_SCORE", "LKT_THRESH"):
        frame[column] = frame[column].astype("Int16") if column in frame else pd.NA
    for column in EXPORT_COLUMNS:
        if column not in frame:
            frame[column] = None
    return pa.Table.from_pandas(frame[list(EXPORT_COLUMNS)], schema=_SCHEMA,
                                preserve_index=False)


def main(argv: list[str] | None = None) -> None:
    """``python -m workbench.logs.generate OUT_DIR [--seed 7] [--events N]``."""
    parser = argparse.ArgumentParser(prog="python -m workbench.logs.generate",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to write into")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--events", type=float, default=None,
                        help="write a big synthetic log of this many events instead")
    args = parser.parse_args(argv)
    if args.events:
        folder = synthetic(args.out_dir, int(args.events), seed=args.seed)
    else:
        folder = riverside(args.out_dir, seed=args.seed)
    print(f"wrote {folder}")


if __name__ == "__main__":
    main()
