"""The ``workbench export`` and ``workbench import-qdpx`` commands (REFI-QDA ``.qdpx``).

``register(subparsers)`` adds them to the ``workbench`` command; each only calls the library
and prints its result. Errors reach ``workbench.cli.main``, which prints them as one line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.interop.qdpx import POSITION_UNITS, export_qdpx, import_qdpx
from workbench.project import Project

__all__ = ["register"]


def _export(args: argparse.Namespace) -> None:
    with Project.open(args.dir) as project:
        path = export_qdpx(project, args.out)
    print(f"wrote {path}")


def _import_qdpx(args: argparse.Namespace) -> None:
    report = import_qdpx(args.file, args.dir, language=args.language,
                         position_unit=args.position_unit)
    print(report)


def register(subparsers) -> None:
    """Add ``export DIR OUT.qdpx`` and ``import-qdpx IN.qdpx DIR`` to ``subparsers``."""
    export = subparsers.add_parser(
        "export", help="write a project as a REFI-QDA .qdpx file",
        description="Write the project in DIR as a REFI-QDA project file (.qdpx) that NVivo, "
        "ATLAS.ti, MAXQDA and other QDA programs import: documents, codebook, codings with "
        "their coders, memos, cases and attributes.")
    export.add_argument("dir", type=Path, help="the project folder")
    export.add_argument("out", type=Path, help="the .qdpx file to write")
    export.set_defaults(run=_export)

    imported = subparsers.add_parser(
        "import-qdpx", help="make a project from a REFI-QDA .qdpx file",
        description="Read a REFI-QDA project file (.qdpx) from NVivo, ATLAS.ti, MAXQDA, qc or "
        "workbench into a new project folder DIR, and print what was taken and what was "
        "left out. The file is checked first: a damaged or unsafe one imports nothing.")
    imported.add_argument("file", type=Path, help="the .qdpx file to read")
    imported.add_argument("dir", type=Path, help="the new project folder")
    imported.add_argument("--language", default="en",
                          help="spaCy language code for sentences (default: en)")
    imported.add_argument("--position-unit", choices=POSITION_UNITS, default=None,
                          help="what the file's selection positions count (default: decided "
                          "by the program that wrote it)")
    imported.set_defaults(run=_import_qdpx)
