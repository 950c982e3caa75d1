"""Benchmark: load big synthetic deployment logs and compute daily per-unit metrics.

For each size (default 1M and 10M events; ``--sizes 1e6,1e7,1e8`` for the full run) this
generates a synthetic log (``workbench.logs.generate.synthetic``: the Riverside simulation
repeated over many wards and periods, in Parquet files of two million rows), then measures, each
in a fresh process so that its peak memory is its own:

- ``load``: ``workbench.logs.load_files`` into a new ``logs.duckdb`` (mapping, validation,
  rejects, one transaction);
- ``metrics``: ``workbench.logs.overview`` by day and unit on DuckDB (alerts, median and p90
  time to acknowledge, within-target, escalation and dismissal rates, stale share, alerts per
  nurse shift, downtime);
- ``pandas``: the same core figures (alerts, median and p90 minutes, within-target, escalation
  and dismissal rates, stale share by day and unit) with plain pandas from the Parquet files,
  after the same mapping and time-zone conversion, as a baseline. Skipped above 10M events,
  where pandas would need most of the machine's memory.

It prints wall time and peak resident memory (``ru_maxrss``) for each, checks that pandas and
workbench agree on the shared figures, and reports how time grows with size.

Usage: python benchmarks/bench_logs.py [--sizes 1e6,1e7] [--workdir DIR] [--keep]

With ``--keep`` and a ``--workdir``, the generated files stay and a later run reuses them
(generating a hundred million events takes about seventeen minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAPPING = REPO / "corpora" / "riverside" / "logs" / "mapping.yaml"
#: pandas is the baseline up to this size; beyond it, it would need most of 24 GB.
PANDAS_UP_TO = 10_000_000
SHARED = ["alerts", "median_minutes", "p90_minutes", "within_target_rate", "escalation_rate",
          "dismissal_rate", "stale_share"]


def clear_workdir(work: Path, *, keep: bool) -> bool:
    """Empty ``work`` for a run; with ``keep``, generated logs (``raw/``) stay. Returns whether
    they were kept for reuse."""
    reuse = keep and any((work / "raw").glob("*.parquet"))
    for old in work.glob("*"):
        if reuse and old.name == "raw":
            continue
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink()
    work.mkdir(parents=True, exist_ok=True)
    return reuse


def _mapping() -> dict:
    """The Riverside mapping without its unit table: synthetic wards are named WARD nnnn."""
    import yaml

    mapping = yaml.safe_load(MAPPING.read_text())
    del mapping["values"]["unit"]
    return mapping


def phase_generate(n: int, work: Path) -> dict:
    from workbench.logs.generate import synthetic

    synthetic(work / "raw", n, seed=7)
    return {}


def phase_load(n: int, work: Path) -> dict:
    from workbench.logs import load_files

    (work / "project").mkdir(exist_ok=True)
    report = load_files(work / "project", work / "raw", _mapping(), actor="bench")
    return {"rows_loaded": report.rows_loaded, "rows_rejected": report.rows_rejected}


def phase_metrics(n: int, work: Path) -> dict:
    from workbench.logs import connect, overview

    events = connect(work / "project")
    frame = overview(events, bucket="day", by=("unit",))
    events.get_backend().disconnect()
    frame.to_parquet(work / "workbench.parquet")
    return {"rows": len(frame)}


def phase_pandas(n: int, work: Path) -> dict:
    import pandas as pd

    columns = ["EVENT_TS", "EVT_CODE", "DEPT", "ALERT_REF", "ACK_OPTION", "STALE_FLAG"]
    raw = pd.read_parquet(work / "raw", columns=columns)
    fired = raw[raw["EVT_CODE"] == "ALERT_FIRE"]
    acks = raw[raw["EVT_CODE"] == "ACK"].sort_values("EVENT_TS", kind="stable")
    acks = acks.drop_duplicates("ALERT_REF")[["ALERT_REF", "EVENT_TS", "ACK_OPTION"]]
    del raw
    alerts = fired.drop(columns="ACK_OPTION").merge(acks, on="ALERT_REF", how="left",
                                                    suffixes=("", "_ACK"))
    zone = _mapping()["timezone"]

    def utc(series):
        return series.dt.tz_localize(zone, ambiguous="NaT", nonexistent="shift_forward")

    wait = (utc(alerts["EVENT_TS_ACK"]) - utc(alerts["EVENT_TS"])).dt.total_seconds() / 60
    alerts = alerts.assign(
        bucket_start=alerts["EVENT_TS"].dt.floor("D"), unit=alerts["DEPT"], wait=wait,
        within=wait <= 30, escalated=alerts["ACK_OPTION"].isin(["ESC_PROV", "CALL_RRT"]),
        dismissed=alerts["ACK_OPTION"] == "DISMISS", stale=alerts["STALE_FLAG"] == "Y")
    groups = alerts.groupby(["bucket_start", "unit"])
    frame = groups.agg(alerts=("wait", "size"), acknowledged=("wait", "count"),
                       median_minutes=("wait", "median"),
                       p90_minutes=("wait", lambda w: w.quantile(0.9)),
                       within=("within", "sum"), escalated=("escalated", "sum"),
                       dismissed=("dismissed", "sum"), stale=("stale", "sum")).reset_index()
    frame["within_target_rate"] = frame["within"] / frame["alerts"]
    frame["escalation_rate"] = frame["escalated"] / frame["alerts"]
    frame["dismissal_rate"] = frame["dismissed"] / frame["acknowledged"]
    frame["stale_share"] = frame["stale"] / frame["alerts"]
    frame[["bucket_start", "unit", *SHARED]].to_parquet(work / "pandas.parquet")
    return {"rows": len(frame)}


PHASES = {"generate": phase_generate, "load": phase_load, "metrics": phase_metrics,
          "pandas": phase_pandas}


def _child(name: str, n: int, work: Path) -> None:
    """Run one phase in this process; print its time and peak memory as JSON.

    The libraries are imported first, so the time is the work's, not Python's start-up.
    """
    import pandas  # noqa: F401

    import workbench.logs  # noqa: F401
    import workbench.logs.generate  # noqa: F401

    started = time.perf_counter()
    extra = PHASES[name](n, work)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2  # KiB -> GiB
    print(json.dumps({"seconds": round(seconds, 2), "peak_gb": round(peak, 2), **extra}))


def _measure(name: str, n: int, work: Path) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--n", str(n), "--workdir", str(work)],
        capture_output=True, text=True, check=False, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    if result.returncode:
        sys.exit(f"{name} at {n:,} events failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _agree(work: Path) -> str:
    """Largest difference between workbench's and pandas' figures (they should agree)."""
    import pandas as pd

    ours = pd.read_parquet(work / "workbench.parquet").set_index(["bucket_start", "unit"])
    theirs = pd.read_parquet(work / "pandas.parquet")
    theirs["unit"] = theirs["unit"].astype(str)
    theirs = theirs.set_index(["bucket_start", "unit"]).reindex(ours.index)
    differ = pd.concat([(ours[c] - theirs[c]).abs() > 1e-9 for c in SHARED], axis=1).any(axis=1)
    days = sorted({str(day.date()) for day, _ in ours.index[differ]})
    return (f"workbench and pandas agree on {(~differ).sum():,} of {len(ours):,} day-unit rows; "
            f"they differ on days {', '.join(days) or 'none'} (the hour when clocks go back, "
            "where local times without an offset are ambiguous and workbench rejects answers "
            "that precede their alert)")


def _machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    return (f"{os.cpu_count()} CPUs ({model}), {memory:.0f} GiB RAM, "
            f"Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e6,1e7", help="comma-separated event counts")
    parser.add_argument("--workdir", type=Path, help="where to write (default: a temp dir)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the generated files, and reuse those a run before kept")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        _child(args.phase, args.n, args.workdir)
        return
    import duckdb
    import ibis
    import pandas as pd

    root = args.workdir or Path(tempfile.mkdtemp(prefix="bench_logs_"))
    print(f"machine: {_machine()}")
    print(f"duckdb {duckdb.__version__}, ibis {ibis.__version__}, pandas {pd.__version__}")
    totals = {}
    for n in (int(float(size)) for size in args.sizes.split(",")):
        work = root / f"{n}"
        reuse = clear_workdir(work, keep=args.keep)
        made = "reused from an earlier run" if reuse else \
            f"generated in {_measure('generate', n, work)['seconds']} s"
        size = sum(f.stat().st_size for f in (work / "raw").glob("*.parquet")) / 1024 ** 2
        print(f"\n{n:,} events: {made} ({size:,.0f} MiB Parquet)")
        load = _measure("load", n, work)
        metrics = _measure("metrics", n, work)
        print(f"  workbench load     {load['seconds']:8.2f} s  peak {load['peak_gb']:5.2f} GiB"
              f"  ({load['rows_loaded']:,} loaded, {load['rows_rejected']:,} rejected)")
        print(f"  workbench metrics  {metrics['seconds']:8.2f} s  peak {metrics['peak_gb']:5.2f} "
              f"GiB  (overview by day and unit: {metrics['rows']:,} rows)")
        totals[n] = (load["seconds"], metrics["seconds"])
        if n <= PANDAS_UP_TO:
            baseline = _measure("pandas", n, work)
            print(f"  pandas baseline    {baseline['seconds']:8.2f} s  peak "
                  f"{baseline['peak_gb']:5.2f} GiB  (read Parquet + same core figures)")
            both = (load["seconds"] + metrics["seconds"]) / baseline["seconds"]
            print(f"  workbench metrics vs pandas: {metrics['seconds'] / baseline['seconds']:.2f}"
                  f"x the time, {metrics['peak_gb'] / baseline['peak_gb']:.2f}x the memory; "
                  f"load + metrics: {both:.2f}x the time")
            print(f"  {_agree(work)}")
        else:
            print("  pandas baseline    skipped (would need most of the machine's memory)")
        if not args.keep:
            shutil.rmtree(work / "raw")
    sizes = sorted(totals)
    for small, big in zip(sizes, sizes[1:], strict=False):
        factor = big / small
        print(f"\n{small:,} -> {big:,} events (x{factor:.0f}): load x"
              f"{totals[big][0] / totals[small][0]:.1f}, metrics x"
              f"{totals[big][1] / totals[small][1]:.1f}")
    if not args.keep and not args.workdir:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
