"""The ``workbench similar`` command: passages like a text or a coding, from the command line."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.corpus.segment import UNITS
from workbench.semantic.backends import BACKENDS, DEFAULT_BACKEND

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``similar`` to the ``workbench`` command."""
    command = subparsers.add_parser(
        "similar", help="passages nearest in meaning to a text or a coding",
        description="Find the passages that mean the same thing as a text (or as the passage "
        "of a coding id), best first, with their cosine score. Embeddings are computed "
        "offline on first use and kept in the project; nothing is downloaded.")
    command.add_argument("dir", type=Path, help="the project folder")
    command.add_argument("query", help="a passage of text, or a coding id (coding-...)")
    command.add_argument("--unit", choices=UNITS, default="sentence",
                         help="which segments to search (default sentence)")
    command.add_argument("--top", type=int, default=20,
                         help="how many passages (default 20)")
    command.add_argument("--backend", choices=BACKENDS, default=DEFAULT_BACKEND,
                         help=f"embedding backend (default {DEFAULT_BACKEND})")
    command.set_defaults(run=_similar)


def _similar(args: argparse.Namespace) -> None:
    import pandas as pd

    from workbench import Project

    with Project.open(args.dir) as project:
        found = project.similar(args.query, unit=args.unit, top=args.top,
                                backend=args.backend)
    shown = found[["score", "document", "speaker", "start", "end", "text"]].round(
        {"score": 3})
    with pd.option_context("display.width", 160, "display.max_colwidth", 90):
        print(shown.to_string(index=False))
