"""The ``workbench report`` command: run the analysis notebooks as an executed report."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``report`` to the ``workbench`` command."""
    command = subparsers.add_parser(
        "report", help="run the analysis notebooks and keep them as evidence",
        description="Execute the analysis notebooks against a copy of the project in DIR "
        "and write, to a new folder OUT/<run id>/, each executed notebook (.ipynb), a "
        "standalone HTML page of it and provenance.json: the SHA-256 of every input "
        "(documents, codebook, codings per coder, log loads) and of every output cell, the "
        "parameters, package versions, Python, platform and git commit. The project itself "
        "is not changed.")
    command.add_argument("dir", type=Path, help="the project folder")
    command.add_argument("--notebooks", default=None,
                         help="comma-separated notebook names, e.g. 01_corpus,04_logs "
                         "(default: every notebook)")
    command.add_argument("--out", type=Path, default=None,
                         help="the folder for run folders (default: DIR/reports)")
    command.set_defaults(run=_report)


def _report(args: argparse.Namespace) -> None:
    from workbench.report import run_report

    names = [n.strip() for n in args.notebooks.split(",") if n.strip()] if args.notebooks \
        else None
    print(f"wrote {run_report(args.dir, names, args.out)}")
