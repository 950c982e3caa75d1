"""The ``workbench`` command: parses arguments, calls the library, prints the result.

Errors from the library are printed as their numbered message, without a traceback, and the
command exits with status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from workbench import Project, __version__
from workbench.corpus import KINDS
from workbench.errors import WorkbenchError
from workbench.example import build_example


def _init(args: argparse.Namespace) -> None:
    project = Project.create(args.dir, language=args.language, spacy_model=args.spacy_model)
    print(f"created project {project.path}")


def _import(args: argparse.Namespace) -> None:
    with Project.open(args.dir) as project:
        report = project.import_files(args.files, kind=args.kind, attributes=args.attributes,
                                      encoding=args.encoding)
    print(report)


def _info(args: argparse.Namespace) -> None:
    with Project.open(args.dir) as project:
        settings = project.settings
        print(f"project {project.path} (schema {settings['schema_version']}, "
              f"language {settings.get('language')}, "
              f"sentences by {settings.get('spacy_model') or 'spaCy blank + sentencizer'})")
        summary = project.summary()
        if summary.empty:
            print("no documents yet: add some with `workbench import DIR FILES...`")
            return
        with pd.option_context("display.width", 120, "display.max_columns", 20):
            print(summary.to_string(index=False))
            cases = project.cases()
            print(f"\n{len(cases)} case(s)")
            if not cases.empty:
                print(cases.to_string(index=False, max_rows=30))


def _example(args: argparse.Namespace) -> None:
    project = build_example(args.dir)
    print(f"built the Riverside example project in {project.path}")
    project.close()


def build_parser() -> argparse.ArgumentParser:
    """The command line, one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Code interviews and field notes and link them to deployment logs.",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = commands.add_parser("init", help="create a new project folder",
                               description="Create a new project folder with an empty store.")
    init.add_argument("dir", type=Path, help="the folder to create")
    init.add_argument("--language", default="en", help="spaCy language code (default: en)")
    init.add_argument("--spacy-model", default=None,
                      help="an installed spaCy pipeline to split sentences with")
    init.set_defaults(run=_init)

    imp = commands.add_parser(
        "import", help="import transcripts, field notes and survey exports",
        description="Import files (.txt .md .docx .pdf .vtt .srt .csv) or folders of them. "
        "All files are imported, or none.")
    imp.add_argument("dir", type=Path, help="the project folder")
    imp.add_argument("files", nargs="+", type=Path, help="files or folders to import")
    imp.add_argument("--kind", choices=KINDS, help="document kind (default: decided per file)")
    imp.add_argument("--attributes", type=Path,
                     help="CSV or YAML of participant or document attributes")
    imp.add_argument("--encoding", help="text encoding, when detection gets it wrong")
    imp.set_defaults(run=_import)

    info = commands.add_parser("info", help="summarise a project",
                               description="Print what a project holds.")
    info.add_argument("dir", type=Path, help="the project folder")
    info.set_defaults(run=_info)

    example = commands.add_parser(
        "example", help="build the fictional Riverside example project",
        description="Create a project from corpora/riverside (interviews, field notes, survey).")
    example.add_argument("dir", type=Path, help="the folder to create")
    example.set_defaults(run=_example)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except WorkbenchError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
