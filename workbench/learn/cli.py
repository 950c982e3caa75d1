"""The ``workbench learn`` command: learn a coder's code, print the suggester's agreement with
that coder and how many suggestions it stored for review."""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``learn`` to the ``workbench`` command."""
    command = subparsers.add_parser(
        "learn", help="learn a coder's code and suggest it on documents not yet coded",
        description="Learn how CODER applies CODE from segment embeddings (offline), print "
        "the learned suggester's cross-validated agreement with CODER (Krippendorff's alpha "
        "with its 95%% interval, kappa, precision, recall, F1; a warning below alpha .800) "
        "and store its proposals on the documents CODER has not coded as pending "
        "suggestions. None becomes a coding until a person accepts it.")
    command.add_argument("dir", type=Path, help="the project folder")
    command.add_argument("code", help="the code to learn (id or exact name)")
    command.add_argument("--coder", required=True,
                         help="the person whose codings the suggester learns from")
    command.add_argument("--unit", choices=["sentence", "paragraph", "turn"],
                         default="sentence", help="the segments it labels and suggests")
    command.add_argument("--backend", default=None,
                         help="embedding backend: static (default), minilm or tfidf-svd")
    command.add_argument("--threshold", type=float, default=0.5,
                         help="suggest a segment when its probability is at least this")
    command.add_argument("--folds", type=int, default=5,
                         help="cross-validation folds of whole documents (default 5; fewer "
                         "when CODER coded fewer documents, as the report says)")
    command.add_argument("--seed", type=int, default=0, help="seed of folds and classifier")
    command.set_defaults(run=_learn)


def _learn(args: argparse.Namespace) -> None:
    from workbench import Project
    from workbench.learn import LearnWarning

    with Project.open(args.dir) as project, warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always", LearnWarning)
        result = project.learn_suggestions(args.code, coder=args.coder, unit=args.unit,
                                           backend=args.backend, folds=args.folds,
                                           threshold=args.threshold, seed=args.seed)
    print(result.summary())
    for warning in shown:
        print(f"warning: {warning.message}", file=sys.stderr)
