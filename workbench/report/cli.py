"""The ``workbench report`` and ``workbench verify`` commands: run the analysis notebooks as an
executed report, and check a report against its project."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``report`` and ``verify`` to the ``workbench`` command."""
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
    checker = subparsers.add_parser(
        "verify", help="check an executed report against its project",
        description="Check the report run in REPORT_DIR: its provenance.json is complete; "
        "every input (documents, codebook, codings per coder, log loads) has the SHA-256 "
        "recorded; every output cell of the stored notebooks and of a fresh run of the "
        "notebooks with the recorded parameters has the SHA-256 recorded. A different "
        "environment (package versions, Python, requirements.lock) is a warning. Prints one "
        "line per problem; exits with status 0 only when everything matches.")
    checker.add_argument("report_dir", type=Path, help="the run folder (reports/<run id>)")
    checker.add_argument("--project", type=Path, default=None,
                         help="the project to check against (default: the one the report "
                         "names)")
    checker.add_argument("--no-rerun", action="store_true",
                         help="do not run the notebooks again (check inputs, stored "
                         "notebooks and environment only)")
    checker.set_defaults(run=_verify)


def _report(args: argparse.Namespace) -> None:
    from workbench.report import run_report

    names = [n.strip() for n in args.notebooks.split(",") if n.strip()] if args.notebooks \
        else None
    print(f"wrote {run_report(args.dir, names, args.out)}")


def _verify(args: argparse.Namespace) -> None:
    from workbench.errors import ReportError
    from workbench.report import verify

    result = verify(args.report_dir, args.project, rerun=not args.no_rerun)
    for line in result.problems():
        print(line)
    checked = len(result.checks)
    if not result.passed:
        failed = int((result.checks["status"] == "failed").sum())
        raise ReportError(30, f"report {result.report} does not match: {failed} of {checked} "
                          "checks failed (listed above). Find out what changed before citing "
                          "it.")
    print(f"report {result.report} verified against {result.project}: {checked} checks match")
