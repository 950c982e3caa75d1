"""The ``workbench triangulate`` command: the repair-gap analysis from the command line."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from workbench.errors import TriangulationError
from workbench.triangulate.cells import PERIODS

__all__ = ["register", "register_inferences"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``triangulate`` and ``inferences`` to the ``workbench`` command."""
    register_inferences(subparsers)
    command = subparsers.add_parser(
        "triangulate", help="link repair-work codes to a log metric by unit and period",
        description="Where human labour fills the system's gaps: the association between a "
        "log metric (the gap) and the density of repair-work codes across units and periods, "
        "with hotspots and silences. The project needs deployment logs, codings and (unless "
        "its attributes are named like the log keys) a crosswalk set with project.set_keys.")
    command.add_argument("dir", type=Path, help="the project folder")
    command.add_argument("--gap", required=True,
                         help="log metric column, e.g. stale_share, median_minutes, '1 - ppv'")
    command.add_argument("--repair", required=True,
                         help="repair-work codes, comma-separated (their descendants count)")
    command.add_argument("--by", default="unit", help="unit or role (default unit)")
    command.add_argument("--period", default="week", choices=PERIODS,
                         help="cells' period (default week)")
    command.add_argument("--coder", default=None,
                         help="whose codings count (a coder, or consensus); needed when "
                         "several coders coded and nothing is reconciled")
    command.add_argument("--permutations", type=int, default=9999,
                         help="shuffles for the p-value (default 9999)")
    command.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    command.add_argument("--out", type=Path, default=None,
                         help="write every cell (CSV or Parquet) instead of printing them")
    command.add_argument("--raw-csv", action="store_true",
                         help="write text cells as they are, even those a spreadsheet would "
                         "run as a formula (default: prefix them with ')")
    command.set_defaults(run=_triangulate)
    _register_display(subparsers)


def _register_display(subparsers: argparse._SubParsersAction) -> None:
    """Add ``display`` to the ``workbench`` command."""
    from workbench.triangulate.joint import KINDS

    command = subparsers.add_parser(
        "display", help="draw a joint display (qualitative and log evidence side by side)",
        description="Draw a joint display and write it as a page that opens offline (.html, "
        "with the chart as an image for readers without JavaScript and every quote in full), "
        "or as .png or .svg. Without --out, print its table.")
    command.add_argument("dir", type=Path, help="the project folder")
    command.add_argument("--kind", required=True, choices=KINDS, help="which display")
    command.add_argument("--metric", default=None,
                         help="log metric column, e.g. stale_share, median_minutes")
    command.add_argument("--codes", default="",
                         help="codes, comma-separated (their descendants count)")
    command.add_argument("--themes", default="",
                         help="side-by-side: code=metric pairs, comma-separated (default: "
                         "each of --codes with --metric)")
    command.add_argument("--coder", default=None,
                         help="whose codings count (a coder, or consensus)")
    command.add_argument("--period", default=None, choices=PERIODS,
                         help="cells' period (default week; day for the timeline)")
    command.add_argument("--split", default="median",
                         help="by-theme: median (default), a threshold number, or shift")
    command.add_argument("--out", type=Path, default=None,
                         help="write the display (.html, .png or .svg)")
    command.set_defaults(run=_display)


def _themes(text: str) -> dict[str, str]:
    pairs = [p.strip() for p in text.split(",") if p.strip()]
    bad = [p for p in pairs if p.count("=") != 1]
    if bad:
        raise TriangulationError(85, f"--themes {bad[0]!r} is not code=metric; write e.g. "
                                 "--themes manual-verification=stale_share.")
    return dict(tuple(s.strip() for s in p.split("=")) for p in pairs)


def _display(args: argparse.Namespace) -> None:
    import pandas as pd

    from workbench import Project

    split = args.split
    if split not in ("median", "shift"):
        try:
            split = float(split)
        except ValueError:
            raise TriangulationError(86, f"--split {split!r} is not median, shift or a "
                                     "number; give e.g. --split 0.1.") from None
    with Project.open(args.dir) as project:
        shown = project.display(
            args.kind, metric=args.metric, codes=[c.strip() for c in args.codes.split(",")
                                                  if c.strip()],
            themes=_themes(args.themes) or None, coder=args.coder, period=args.period,
            split=split)
    for note in shown.notes:
        print(f"note: {note}")
    if args.out is None:
        with pd.option_context("display.width", 160, "display.max_colwidth", 50):
            print(shown.data.to_string(index=False))
        return
    shown.save(args.out)
    print(f"wrote the {args.kind} display ({len(shown.data)} rows) to {args.out}")


def _triangulate(args: argparse.Namespace) -> None:
    import pandas as pd

    from workbench import Project
    from workbench.exports import write_table

    with Project.open(args.dir) as project:
        result = project.repair_gap(
            args.gap, [c for c in args.repair.split(",") if c.strip()], by=args.by,
            period=args.period, coder=args.coder, permutations=args.permutations,
            seed=args.seed)
    print(result.statement)
    keys = [args.by, "bucket_start"]
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        print("\nhotspots (gap in the upper quarter, with repair talk):")
        hot = result.hotspots[[*keys, "gap", "repair", "words", "repair_per_1000"]]
        print(hot.head(10).to_string(index=False) if len(hot) else "none")
        print("\nsilences:")
        quiet = result.silences
        print(quiet.to_string(index=False) if len(quiet) else "none")
        unplaced = result.unplaced
        if len(unplaced):
            print(f"\n{(unplaced['what'] == 'coding').sum()} coding(s) and "
                  f"{(unplaced['what'] == 'material').sum()} piece(s) of material could not be "
                  "placed in a cell (see RepairGap.unplaced): "
                  + "; ".join(sorted(set(unplaced["reason"]))))
    if args.out is not None:
        write_table(result.cells, args.out, index=False, safe=not args.raw_csv)
        print(f"\nwrote {len(result.cells)} cells to {args.out}")


def register_inferences(subparsers: argparse._SubParsersAction) -> None:
    """Add ``inferences``."""
    command = subparsers.add_parser(
        "inferences", help="list the meta-inferences, with what happened to their evidence",
        description="Every meta-inference recorded with project.infer (retracted ones too): "
        "theme, fit, claim, status and flags (codings removed, codes merged, a metric value "
        "that no longer matches a re-run of its query, a query that no longer runs).")
    command.add_argument("dir", type=Path, help="the project folder")
    command.add_argument("--status", choices=("active", "retracted"), default=None,
                         help="list only active or only retracted ones (default both)")
    command.add_argument("--no-check", action="store_true",
                         help="do not re-run the metric queries (faster; no value flags)")
    command.add_argument("--out", type=Path, default=None,
                         help="write every column (CSV or Parquet; lists and queries as "
                         "JSON) instead of printing a summary")
    command.add_argument("--raw-csv", action="store_true",
                         help="write text cells as they are, even those a spreadsheet would "
                         "run as a formula (default: prefix them with ')")
    command.set_defaults(run=_inferences)


def _inferences(args: argparse.Namespace) -> None:
    from workbench import Project
    from workbench.exports import write_table

    with Project.open(args.dir) as project:
        listed = project.inferences(check=not args.no_check, status=args.status)
    if args.out is not None:
        as_text = {c: listed[c].map(lambda v: json.dumps(v, ensure_ascii=False))
                   for c in ("qualitative", "quantitative", "flags")}
        write_table(listed.assign(**as_text), args.out, index=False, safe=not args.raw_csv)
        print(f"wrote {len(listed)} meta-inference(s) to {args.out}")
        return
    if listed.empty:
        print("no meta-inferences recorded (project.infer(...) records one)")
        return
    for row in listed.itertuples():
        print(f"{row.inference_id} [{row.status}] {row.theme}: {row.fit} ({row.framework})")
        print(f"  {row.claim}")
        for flag in row.flags:
            print(f"  ! {flag}")
