"""Benchmark: project-level agreement for 40 codes over ~50,000 sentences and 3 coders.

Target: under 10 s, including bootstrap intervals. Printed next to the bare statistic it
stands on: the ``krippendorff`` package's alpha on the same 40 presence tables (no intervals,
no reading of the project), as a ratio.

    python benchmarks/bench_agreement.py [--documents 60] [--codings 20000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import krippendorff
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_coding import _rows, synthetic_project  # noqa: E402
from bench_import import _machine  # noqa: E402

from workbench.reliability.agreement import (  # noqa: E402
    _presence_tables,
    coder_spans,
    shared_documents,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=60)
    parser.add_argument("--codings", type=int, default=20_000, help="per coder")
    args = parser.parse_args()
    print(f"machine: {_machine()}")
    rng = np.random.default_rng(7)
    coders = ["ana", "ben", "cam"]
    with tempfile.TemporaryDirectory() as tmp:
        project = synthetic_project(Path(tmp), args.documents)
        codes = project.codes()["code_id"].head(40).tolist()
        for coder in coders:
            rows = _rows(project, args.codings, rng)
            rows["code"] = rng.choice(codes, len(rows))
            project.code_many(rows.assign(coder=coder))
        n_sentences = len(project.segments("sentence"))
        start = time.perf_counter()
        table = project.agreement(coders, n_boot=1000)
        ours = time.perf_counter() - start
        conn = project._conn
        spans = coder_spans(conn, coders)
        docs = shared_documents(spans, coders)
        tables = [t for _, t in _presence_tables(conn, spans, docs, "segment", "sentence",
                                                 coders)]
        start = time.perf_counter()
        for presence in tables:
            krippendorff.alpha(reliability_data=presence, level_of_measurement="nominal")
        bare = time.perf_counter() - start
        print(f"{len(table) - 1} codes x {n_sentences:,} sentences x {len(coders)} coders "
              f"({args.codings:,} codings each)")
        print(f"  project.agreement (alpha + 1000-sample CI, kappa, % agreement): {ours:6.2f} s"
              f"  (target < 10 s)")
        print(f"  krippendorff package, alpha only, tables given: {bare:6.2f} s   "
              f"ratio {ours / bare:5.2f}")
        project.close()


if __name__ == "__main__":
    main()
