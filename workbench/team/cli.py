"""The ``workbench copy-for`` and ``workbench merge`` commands: team coding across machines."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``copy-for`` and ``merge`` to the ``workbench`` command."""
    copier = subparsers.add_parser(
        "copy-for", help="write a copy of a project for one coder",
        description="Write a copy of the project in DIR to the new folder OUT for CODER to "
        "code on another machine: documents, segments, cases, the codebook at its current "
        "version, codings and memos, and where the copy came from. --blind leaves the other "
        "coders' codings out. Merge the copy back with `workbench merge`.")
    copier.add_argument("dir", type=Path, help="the project folder")
    copier.add_argument("coder", help="who codes in the copy")
    copier.add_argument("out", type=Path, help="the new folder for the copy")
    copier.add_argument("--blind", action="store_true",
                        help="leave other coders' codings out (blind double coding)")
    copier.set_defaults(run=_copy_for)
    merger = subparsers.add_parser(
        "merge", help="merge coders' copies (or .qdpx files) into a project",
        description="Merge each OTHER (a coder's copy, or a .qdpx from another QDA program) "
        "into the project in DIR, all in one transaction: documents matched by id or text, "
        "codings and memos brought in under their coder, the copies' history appended. "
        "Prints the merge report; a refused copy merges nothing.")
    merger.add_argument("dir", type=Path, help="the project folder")
    merger.add_argument("others", nargs="+", type=Path,
                        help="copies' folders or .qdpx files")
    merger.add_argument("--coders", default=None,
                        help="comma-separated coders whose codings to bring in (default: all)")
    merger.add_argument("--documents", choices=("list", "import"), default="list",
                        help="documents only a copy has: list them (default) or import them "
                        "with their codings")
    merger.set_defaults(run=_merge)


def _copy_for(args: argparse.Namespace) -> None:
    from workbench import Project

    with Project.open(args.dir) as project:
        out = project.copy_for(args.coder, args.out, blind=args.blind)
    print(f"wrote a copy for {args.coder} to {out}")


def _merge(args: argparse.Namespace) -> None:
    from workbench import Project

    coders = [c.strip() for c in args.coders.split(",") if c.strip()] if args.coders else None
    with Project.open(args.dir) as project:
        print(project.merge(args.others, coders=coders, documents=args.documents))
