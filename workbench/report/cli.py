"""The ``workbench report``, ``workbench verify`` and ``workbench keygen`` commands: run the
analysis notebooks as an executed report, check a report against its project, make the key
pair that signs reports."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``report``, ``verify`` and ``keygen`` to the ``workbench`` command."""
    command = subparsers.add_parser(
        "report", help="run the analysis notebooks and keep them as evidence",
        description="Execute the analysis notebooks against a copy of the project in DIR "
        "and write, to a new folder OUT/<run id>/, each executed notebook (.ipynb), a "
        "standalone HTML page of it (interactive charts, nothing fetched), "
        "ro-crate-metadata.json and provenance.json: the SHA-256 of every input (documents, "
        "codebook, codings per coder, log loads), of every output cell and of every other file "
        "of the run, the parameters each notebook ran with, package versions, Python, platform "
        "and git commit. The analysis choices (codes, coder, event) come from --parameters "
        "FILE or else DIR/report.yaml. The project itself is not changed.")
    command.add_argument("dir", type=Path, help="the project folder")
    command.add_argument("--notebooks", default=None,
                         help="comma-separated notebook names, e.g. 01_corpus,04_logs "
                         "(default: every notebook)")
    command.add_argument("--out", type=Path, default=None,
                         help="the folder for run folders (default: DIR/reports)")
    command.add_argument("--sign", type=Path, default=None, metavar="PRIVATE_KEY",
                         help="sign provenance.json with this Ed25519 private key (from "
                         "'workbench keygen'), writing provenance.json.sig beside it")
    command.add_argument("--parameters", type=Path, default=None, metavar="FILE",
                         help="a YAML file of analysis choices per notebook (top-level keys: "
                         "notebook names or 'all'; each maps parameter NAME to a value); "
                         "default DIR/report.yaml when the project holds one")
    _add_notebooks_dir(command)
    command.set_defaults(run=_report)
    checker = subparsers.add_parser(
        "verify", help="check an executed report against its project",
        description="Check the report run in REPORT_DIR: its provenance.json is complete; "
        "every file of the run has the SHA-256 recorded; every input (documents, codebook, "
        "codings per coder, log loads) has the SHA-256 recorded; every output cell of the "
        "stored notebooks and of a fresh run of the notebooks with the recorded parameters "
        "has the SHA-256 recorded. A different environment (package versions, Python, "
        "requirements.lock) is a warning. Prints one line per problem; exits with status 0 "
        "only when everything matches. With --public-key the run's signature is checked "
        "first; a signed run verified without it passes with a warning that the signature "
        "was not checked.")
    checker.add_argument("report_dir", type=Path, help="the run folder (reports/<run id>)")
    checker.add_argument("--project", type=Path, default=None,
                         help="the project to check against (default: the one the report "
                         "names)")
    checker.add_argument("--no-rerun", action="store_true",
                         help="do not run the notebooks again (check inputs, stored "
                         "notebooks and environment only)")
    checker.add_argument("--public-key", type=Path, default=None, metavar="PUB",
                         help="the signer's Ed25519 public key (.pub): check "
                         "provenance.json.sig with it")
    _add_notebooks_dir(checker)
    checker.set_defaults(run=_verify)
    keygen = subparsers.add_parser(
        "keygen", help="make an Ed25519 key pair to sign reports",
        description="Write a new Ed25519 key pair: OUT_PREFIX.key, the private key (PEM, "
        "unencrypted, readable by you only: mode 0600), for 'workbench report --sign'; and "
        "OUT_PREFIX.pub, the public key, for reviewers' 'workbench verify --public-key'. "
        "Existing files are never overwritten.")
    keygen.add_argument("out_prefix", type=Path, help="the path and name of the key files, "
                        "without suffix (e.g. keys/ana)")
    keygen.set_defaults(run=_keygen)


def _add_notebooks_dir(command: argparse.ArgumentParser) -> None:
    """``--notebooks-dir``: a folder of one's own notebooks instead of workbench's."""
    command.add_argument("--notebooks-dir", type=Path, default=None, metavar="FOLDER",
                         help="the folder of jupytext .py notebooks to run (default: "
                         "workbench's notebooks/); verify a report with the folder it ran")


def _report(args: argparse.Namespace) -> None:
    from workbench.report import NOTEBOOKS, run_report

    names = [n.strip() for n in args.notebooks.split(",") if n.strip()] if args.notebooks \
        else None
    run = run_report(args.dir, names, args.out, sign=args.sign, parameters=args.parameters,
                     notebooks_dir=args.notebooks_dir or NOTEBOOKS)
    print(f"wrote {run}")


def _verify(args: argparse.Namespace) -> None:
    from workbench.errors import ReportError
    from workbench.report import NOTEBOOKS, verify

    result = verify(args.report_dir, args.project, rerun=not args.no_rerun,
                    public_key=args.public_key, notebooks_dir=args.notebooks_dir or NOTEBOOKS)
    for line in result.problems():
        print(line)
    checked = len(result.checks)
    if not result.passed:
        failed = int((result.checks["status"] == "failed").sum())
        raise ReportError(30, f"report {result.report} does not match: {failed} of {checked} "
                          "checks failed (listed above). Find out what changed before citing "
                          "it.")
    print(f"report {result.report} verified against {result.project}: {checked} checks match")


def _keygen(args: argparse.Namespace) -> None:
    from workbench.report.signing import generate_keys

    private, public = generate_keys(args.out_prefix)
    print(f"wrote {private} (private: keep it to yourself; sign with 'workbench report DIR "
          f"--sign {private}') and {public} (public: give it to reviewers)")
