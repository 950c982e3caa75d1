"""The ``workbench topics`` command: find topics in a project and print the topic table."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]

#: The segment units, repeated here so that ``--help`` imports nothing of the corpus.
UNITS = ("turn", "paragraph", "sentence")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``topics`` to the ``workbench`` command."""
    command = subparsers.add_parser(
        "topics", help="find topics (emergent themes) and print the topic table",
        description="Run BERTopic over the project's segments of one unit (embedded offline "
        "with the default backend, cached in the project), store the run, and print one row "
        "per topic: size, share, terms with their c-TF-IDF weights, and the segment closest "
        "to the topic's centre with its document and speaker. The same seed on the same data "
        "gives the same topics.")
    command.add_argument("dir", type=Path, help="the project folder")
    command.add_argument("--unit", choices=UNITS, default="turn",
                         help="the segments to find topics among (default: turn)")
    command.add_argument("--n-topics", type=int, default=None,
                         help="how many topics (default: chosen from the data)")
    command.add_argument("--seed", type=int, default=0, help="the seed (default 0)")
    command.add_argument("--backend", default=None,
                         help="the embedding backend: static, minilm or tfidf-svd (default: "
                         "static)")
    command.add_argument("--method", choices=("pca-kmeans", "umap-hdbscan"), default=None,
                         help="PCA and k-means (default) or UMAP and HDBSCAN (1,000 segments "
                         "or more, slower)")
    command.set_defaults(run=_topics)


def _topics(args: argparse.Namespace) -> None:
    import pandas as pd

    from workbench import Project

    with Project.open(args.dir) as project:
        assigned = project.topics(args.unit, n_topics=args.n_topics, seed=args.seed,
                                  backend=args.backend, method=args.method)
        run = project.topic_run(assigned["run_id"][0])
        table = project.topic_table(run.run_id)
    print(f"topic run {run.run_id}: {run.n_segments} {run.unit} segments, {run.n_topics} "
          f"topics, method {run.method}, backend {run.backend}, seed {run.seed}")
    with pd.option_context("display.width", 200, "display.max_colwidth", 70,
                           "display.float_format", "{:.3f}".format):
        print(table.drop(columns="name").to_string(index=False))
