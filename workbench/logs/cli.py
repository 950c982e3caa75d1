"""The ``workbench logs`` command group: load log files, print or save metrics."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.logs._alerts import BUCKETS
from workbench.logs.metrics import METRICS

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``logs load`` and ``logs metrics`` under a ``logs`` command."""
    logs = subparsers.add_parser(
        "logs", help="load deployment logs and compute their metrics",
        description="Deployment logs of a decision-support system: load them with a mapping "
        "of the site's columns, then compute metrics by time bucket and unit.")
    commands = logs.add_subparsers(dest="logs_command", required=True, metavar="COMMAND")

    loader = commands.add_parser(
        "load", help="validate log files and load them into the project",
        description="Load CSV, JSON Lines or Parquet log files (or a folder of Parquet files) "
        "into the project's logs.duckdb. Rows that fail validation go to the rejects table "
        "with their reason; the load is stored whole or not at all.")
    loader.add_argument("dir", type=Path, help="the project folder")
    loader.add_argument("files", nargs="+", type=Path, help="log files or folders")
    loader.add_argument("--mapping", type=Path, required=True,
                        help="YAML mapping of the site's columns and codes")
    loader.add_argument("--replace", action="store_true",
                        help="replace the logs loaded before instead of adding to them")
    loader.set_defaults(run=_load)

    metrics = commands.add_parser(
        "metrics", help="compute a metric by time bucket and unit",
        description="Compute a metric over the loaded events and print it (or save it as CSV).")
    metrics.add_argument("dir", type=Path, help="the project folder")
    metrics.add_argument("--metric", choices=list(METRICS), default="overview",
                         help="which metric (default: overview)")
    metrics.add_argument("--bucket", choices=BUCKETS, default="day",
                         help="time bucket (default: day)")
    metrics.add_argument("--by", default="unit",
                         help="comma-separated grouping keys: unit, role, actor, shift, "
                         "hour_of_day (default: unit; '' for none)")
    metrics.add_argument("--out", type=Path, help="write the table to this CSV file")
    metrics.add_argument("--raw-csv", action="store_true",
                         help="write text cells as they are, even those a spreadsheet would "
                         "run as a formula (default: prefix them with ')")
    metrics.set_defaults(run=_metrics)


def _load(args: argparse.Namespace) -> None:
    from workbench import Project
    from workbench.logs.load import load

    with Project.open(args.dir) as project:
        print(load(project, args.files, args.mapping, replace=args.replace))


def _metrics(args: argparse.Namespace) -> None:
    import pandas as pd

    from workbench import Project
    from workbench.exports import write_table
    from workbench.logs.backends import compute

    by = tuple(key.strip() for key in args.by.split(",") if key.strip())
    with Project.open(args.dir) as project:
        frame = compute(project, args.metric, bucket=args.bucket, by=by)
    if args.out:
        write_table(frame, args.out, index=False, safe=not args.raw_csv)
        print(f"wrote {len(frame)} rows to {args.out}")
        return
    with pd.option_context("display.width", 160, "display.max_columns", 30,
                           "display.float_format", "{:.3f}".format):
        print(frame.to_string(index=False, max_rows=200))
