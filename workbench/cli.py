"""The ``workbench`` command: parses arguments, calls the library, prints the result.

Errors from the library are printed as their numbered message, without a traceback, and the
command exits with status 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import __version__
from workbench.corpus import CASES, KINDS, UNITS
from workbench.errors import WorkbenchError
from workbench.learn import cli as learn_cli
from workbench.logs import cli as logs_cli
from workbench.refi_qda import POSITION_UNITS
from workbench.report import cli as report_cli
from workbench.semantic import cli as semantic_cli
from workbench.team import cli as team_cli
from workbench.topics import cli as topics_cli
from workbench.triangulate import cli as triangulate_cli

if TYPE_CHECKING:
    import pandas as pd

    from workbench import Project


def _init(args: argparse.Namespace) -> None:
    from workbench import Project

    project = Project.create(args.dir, language=args.language, spacy_model=args.spacy_model)
    print(f"created project {project.path}")


def _import(args: argparse.Namespace) -> None:
    from workbench import Project

    with Project.open(args.dir) as project:
        report = project.import_files(args.files, kind=args.kind, attributes=args.attributes,
                                      encoding=args.encoding, cases=args.cases,
                                      speakers=args.speaker or args.speaker_pattern)
    print(report)


def _info(args: argparse.Namespace) -> None:
    import pandas as pd

    from workbench import Project

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
            if "role" in cases:
                print(cases.groupby("role", dropna=False).size().rename("cases").to_string())
            _print_coding_summary(project)
            _print_logs_summary(project)


def _print_logs_summary(project: Project) -> None:
    if not (project.path / "logs.duckdb").exists():
        return
    loads = project.log_loads()
    print(f"\ndeployment logs: {int(loads['rows_loaded'].sum()):,} events loaded, "
          f"{int(loads['rows_rejected'].sum()):,} rejected (see project.log_rejects())")
    overview = project.metrics("overview", bucket="week", by=["unit"])
    columns = ["alerts", "median_minutes", "dismissal_rate", "stale_share"]
    print(overview.groupby("unit")[columns].agg(
        {"alerts": "sum", "median_minutes": "median", "dismissal_rate": "mean",
         "stale_share": "mean"}).round(3).to_string())


def _print_coding_summary(project: Project) -> None:
    codes = project.codes()
    if codes.empty:
        return
    versions = project.codebook_versions()
    print(f"\ncodebook '{project.codebook().title}' version {versions['version'].iloc[-1]}: "
          f"{len(codes)} active codes")
    codings = project.codings(coder="all")
    if codings.empty:
        return
    per_coder = codings.groupby("coder").agg(codings=("coding_id", "size"),
                                             documents=("doc_id", "nunique"))
    print(f"\ncodings by coder:\n{per_coder.to_string()}")
    # One column per coder (and the consensus layer): a passage two people coded is not
    # counted twice in one number.
    used = codings.pivot_table(index="code", columns="coder", values="coding_id",
                               aggfunc="size", fill_value=0)
    top = used.loc[used.max(axis=1).sort_values(ascending=False, kind="stable").index[:10]]
    print("\nmost used codes (codings per coder):")
    print(top.to_string())


def _codebook_validate(args: argparse.Namespace) -> None:
    from workbench.codebook import load_codebook

    book = load_codebook(args.file)
    print(f"{args.file}: valid ({len(book.codes)} codes, version {book.version})")


def _codebook_diff(args: argparse.Namespace) -> None:
    from workbench.codebook import diff, load_codebook

    changes = diff(load_codebook(args.old), load_codebook(args.new))
    print("no changes to codes" if changes.empty else changes.to_string(index=False))


def _codebook_export(args: argparse.Namespace) -> None:
    from workbench.codebook import load_codebook
    from workbench.refi_qda import export_qdc

    export_qdc(load_codebook(args.file), args.to)
    print(f"wrote {args.to}")


def _codebook_import(args: argparse.Namespace) -> None:
    from workbench.codebook.io import dump_yaml
    from workbench.refi_qda import import_qdc

    book, warnings = import_qdc(args.file)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    out = args.out or args.file.with_suffix(".yaml")
    # Written even when incomplete (other tools often leave definitions empty): the warnings
    # above say what to fill in before `workbench codebook validate` passes.
    out.write_text(dump_yaml(book.to_dict()), encoding="utf-8")
    print(f"wrote {out} ({len(book.codes)} codes)")


def _codebook_set(args: argparse.Namespace) -> None:
    from workbench import Project

    with Project.open(args.dir) as project:
        version = project.set_codebook(args.file)
        print(f"{args.dir}: codebook version {version}, {len(project.codes())} active codes")


def _print_or_write(frame: pd.DataFrame, args: argparse.Namespace) -> None:
    import pandas as pd

    from workbench.coding import export_table

    if args.out is None:
        with pd.option_context("display.width", 160, "display.max_colwidth", 80):
            print(frame.to_string(index=False) if not frame.empty else "nothing found")
        return
    export_table(frame.set_index(frame.columns[0]), args.out, safe=not args.raw_csv)
    print(f"wrote {len(frame)} rows to {args.out}")


def _codings(args: argparse.Namespace) -> None:
    from workbench import Project

    with Project.open(args.dir) as project:
        _print_or_write(project.codings(coder=args.coder, code=args.code), args)


def _retrieve(args: argparse.Namespace) -> None:
    from workbench import Project

    with Project.open(args.dir) as project:
        _print_or_write(project.retrieve(args.code, context=args.context, coder=args.coder),
                        args)


def _agreement(args: argparse.Namespace) -> None:
    import pandas as pd

    from workbench import Project
    from workbench.coding import export_table

    coders = [c.strip() for c in args.coders.split(",") if c.strip()]
    with Project.open(args.dir) as project:
        table = project.agreement(coders, unit=args.unit, segment=args.segment)
    columns = ["code", "alpha", "ci_low", "ci_high", "kappa", "percent_agreement", "units",
               *[f"coded_by_{c}" for c in coders], "agreement_on_uncoded"]
    with pd.option_context("display.width", 200, "display.float_format", "{:.3f}".format):
        print(table[columns].to_string(index=False))
    if args.unit == "character":
        print("\nnote: by character, every uncoded character both coders left is counted as "
              "agreement (column agreement_on_uncoded); compare with --unit segment.")
    if args.out:
        export_table(table.set_index("code_id"), args.out, safe=not args.raw_csv)
        print(f"wrote {len(table)} rows to {args.out}")


def _example(args: argparse.Namespace) -> None:
    from workbench.example import build_example

    project = build_example(args.dir)
    print(f"built the Riverside example project in {project.path}")
    project.close()


def _export_qdpx(args: argparse.Namespace) -> None:
    from workbench import Project

    with Project.open(args.dir) as project:
        path = project.export_qdpx(args.out)
    print(f"wrote {path}")


def _import_qdpx(args: argparse.Namespace) -> None:
    from workbench import Project

    report = Project.import_qdpx(args.file, args.dir, language=args.language,
                                 position_unit=args.position_unit, kind=args.kind)
    print(report)


def _add_qdpx_commands(subparsers) -> None:
    """Add ``export DIR OUT.qdpx`` and ``import-qdpx IN.qdpx DIR`` to ``subparsers``."""
    export = subparsers.add_parser(
        "export", help="write a project as a REFI-QDA .qdpx file",
        description="Write the project in DIR as a REFI-QDA project file (.qdpx) that NVivo, "
        "ATLAS.ti, MAXQDA and other QDA programs import: documents, codebook, codings with "
        "their coders, memos, cases and attributes.")
    export.add_argument("dir", type=Path, help="the project folder")
    export.add_argument("out", type=Path, help="the .qdpx file to write")
    export.set_defaults(run=_export_qdpx)

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
    imported.add_argument("--kind", choices=KINDS, default=None,
                          help="every document's kind, e.g. 'document' for comment threads or "
                          "notes that are not transcripts (default: the file's 'kind' "
                          "variable, else decided per document)")
    imported.set_defaults(run=_import_qdpx)


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
    named = imp.add_mutually_exclusive_group()
    named.add_argument("--speaker", action="append", metavar="LABEL",
                       help="a speaker label, as it opens lines ('Maya' for 'Maya: ...'); "
                       "repeat for each speaker: only these labels then open turns")
    named.add_argument("--speaker-pattern", metavar="REGEX",
                       help="a regular expression for the speaker labels at the start of a "
                       "line, e.g. '[A-Z][a-z]+ [0-9]:'")
    imp.add_argument("--cases", choices=CASES, default=None,
                     help="'speakers': make each speaker of a transcript with no case a case")
    imp.set_defaults(run=_import)

    info = commands.add_parser("info", help="summarise a project",
                               description="Print what a project holds.")
    info.add_argument("dir", type=Path, help="the project folder")
    info.set_defaults(run=_info)

    _add_codebook_commands(commands)
    _add_qdpx_commands(commands)
    logs_cli.register(commands)
    triangulate_cli.register(commands)
    report_cli.register(commands)
    team_cli.register(commands)
    semantic_cli.register(commands)
    topics_cli.register(commands)
    learn_cli.register(commands)

    codings = commands.add_parser(
        "codings", help="list or export codings with their quotes",
        description="Print the codings (or write them to .csv or .parquet) with quoted text.")
    codings.add_argument("dir", type=Path, help="the project folder")
    codings.add_argument("--code", help="only this code and the codes below it")
    codings.add_argument("--coder", help="only this coder's codings ('consensus' for the "
                         "reconciled layer, 'all' for every layer; default: the consensus "
                         "layer where it exists, every coder elsewhere)")
    codings.add_argument("--out", type=Path, help="write to a .csv or .parquet file")
    _add_raw_csv(codings)
    codings.set_defaults(run=_codings)

    retrieve = commands.add_parser(
        "retrieve", help="every quote for a code, with speaker and context",
        description="Print every quote coded with CODE or a code below it, with context.")
    retrieve.add_argument("dir", type=Path, help="the project folder")
    retrieve.add_argument("code", help="a code id or name")
    retrieve.add_argument("--context", type=int, default=80,
                          help="characters of context either side (default 80)")
    retrieve.add_argument("--coder", help="whose codings: a coder's name, 'consensus', or "
                          "'all' for every layer side by side (needed when several people "
                          "coded and no consensus layer covers their documents)")
    retrieve.add_argument("--out", type=Path, help="write to a .csv or .parquet file")
    _add_raw_csv(retrieve)
    retrieve.set_defaults(run=_retrieve)

    agree = commands.add_parser(
        "agreement", help="intercoder agreement per code",
        description="Krippendorff's alpha (with bootstrap CI), kappa and percent agreement "
        "per code between coders, over the documents they all coded.")
    agree.add_argument("dir", type=Path, help="the project folder")
    agree.add_argument("--coders", required=True,
                       help="comma-separated coder names ('suggestions' = the rule-based "
                       "suggester)")
    agree.add_argument("--unit", choices=["segment", "character"], default="segment")
    agree.add_argument("--segment", choices=UNITS,
                       default="sentence", help="which segments are the units")
    agree.add_argument("--out", type=Path, help="also write the table (.csv or .parquet)")
    _add_raw_csv(agree)
    agree.set_defaults(run=_agreement)

    example = commands.add_parser(
        "example", help="build the fictional Riverside example project",
        description="Create a project from corpora/riverside (interviews, field notes, survey).")
    example.add_argument("dir", type=Path, help="the folder to create")
    example.set_defaults(run=_example)
    return parser


def _add_raw_csv(command: argparse.ArgumentParser) -> None:
    command.add_argument("--raw-csv", action="store_true",
                         help="write text cells as they are, even those a spreadsheet would "
                         "run as a formula (default: prefix them with ')")


def _add_codebook_commands(commands) -> None:
    group = commands.add_parser(
        "codebook", help="check, compare and convert codebooks",
        description="Codebook files: validate, diff, export to and import from REFI-QDA .qdc, "
        "and set a project's codebook.")
    sub = group.add_subparsers(dest="codebook_command", required=True, metavar="ACTION")
    validate = sub.add_parser("validate", help="check a codebook file",
                              description="Check a YAML codebook; list every problem.")
    validate.add_argument("file", type=Path)
    validate.set_defaults(run=_codebook_validate)
    compare = sub.add_parser("diff", help="what changed between two codebook files",
                             description="List codes added, removed, renamed, moved, "
                             "redefined from OLD to NEW.")
    compare.add_argument("old", type=Path)
    compare.add_argument("new", type=Path)
    compare.set_defaults(run=_codebook_diff)
    export = sub.add_parser("export", help="write a codebook as REFI-QDA .qdc",
                            description="Convert a YAML codebook to a REFI-QDA .qdc file.")
    export.add_argument("file", type=Path)
    export.add_argument("--to", type=Path, required=True, help="the .qdc file to write")
    export.set_defaults(run=_codebook_export)
    imported = sub.add_parser("import", help="read a REFI-QDA .qdc into YAML",
                              description="Convert a .qdc (ATLAS.ti, NVivo, Taguette, ...) "
                              "to a workbench YAML codebook.")
    imported.add_argument("file", type=Path)
    imported.add_argument("--out", type=Path, help="the YAML file (default: FILE.yaml)")
    imported.set_defaults(run=_codebook_import)
    setter = sub.add_parser("set", help="load a codebook into a project",
                            description="Load a YAML codebook into a project, or bring the "
                            "project's codes up to a new version of it.")
    setter.add_argument("dir", type=Path, help="the project folder")
    setter.add_argument("file", type=Path, help="the YAML codebook")
    setter.set_defaults(run=_codebook_set)


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
