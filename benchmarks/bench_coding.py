"""Benchmark: bulk coding, a single coding, retrieval and co-occurrence over 100,000 codings.

Each workbench figure is printed next to the bare operation it stands on, run in the same
process on the same data, as a ratio:
- ``project.code_many`` of 100,000 codings with audit rows, one transaction (target < 2 s)
  vs bare SQLite ``executemany`` of the same rows into a table of the same shape;
- one ``project.code()`` call, its own transaction (target < 5 ms), median of 200;
- ``project.retrieve`` of one code with quotes, speakers and context (target < 100 ms) vs a
  plain indexed SQL query with ``substr``;
- ``project.cooccurrence("overlap", coder="ana")`` (target < 2 s) vs a pandas self-merge on
  document of the same coder's codings (counts read one layer: issue 13).

    python benchmarks/bench_coding.py [--codings 100000] [--documents 200]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import _machine  # noqa: E402
from synthetic_corpus import write_corpus  # noqa: E402

from workbench import Project  # noqa: E402

CODEBOOK = Path(__file__).resolve().parents[1] / "codebooks" / "sociotechnical.yaml"


def _timed(call):
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def synthetic_project(folder: Path, documents: int) -> Project:
    """A project of ``documents`` synthetic transcripts with the sociotechnical codebook."""
    write_corpus(folder / "corpus", documents, 5000)
    project = Project.create(folder / "study", user="bench")
    project.import_files([folder / "corpus"], progress=False)
    project.set_codebook(CODEBOOK)
    return project


def _rows(project: Project, n: int, rng: np.random.Generator) -> pd.DataFrame:
    documents = project.documents()[["doc_id", "n_chars"]]
    codes = project.codes()["code_id"].to_numpy()
    pick = rng.integers(0, len(documents), n)
    length = documents["n_chars"].to_numpy()[pick]
    start = (rng.random(n) * (length - 400)).astype(int)
    return pd.DataFrame({"doc_id": documents["doc_id"].to_numpy()[pick], "start": start,
                         "end": start + rng.integers(20, 400, n),
                         "code": rng.choice(codes, n), "coder": rng.choice(["ana", "ben"], n)})


def _bare_insert(rows: pd.DataFrame, folder: Path) -> float:
    conn = sqlite3.connect(folder / "bare.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute('CREATE TABLE codings (coding_id TEXT PRIMARY KEY, doc_id, start, "end", '
                 "code_id, coder, origin, created_at)")
    records = [(f"c{i}", *r, "imported", "2025-01-01") for i, r in enumerate(
        rows[["doc_id", "start", "end", "code", "coder"]].itertuples(index=False, name=None))]
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO codings VALUES (?, ?, ?, ?, ?, ?, ?, ?)", records)
    conn.execute("COMMIT")
    return time.perf_counter() - start


def _bare_retrieve(project: Project, code_id: str) -> float:
    conn = project._conn
    start = time.perf_counter()
    conn.execute('SELECT c.coding_id, substr(d.text, c.start + 1, c."end" - c.start) '
                 "FROM codings c JOIN documents d USING (doc_id) WHERE c.code_id = ? "
                 "AND c.coder = 'ana'", (code_id,)).fetchall()
    return time.perf_counter() - start


def _bare_cooccurrence(codings: pd.DataFrame) -> float:
    start = time.perf_counter()
    pairs = codings.merge(codings, on="doc_id")
    pairs = pairs[(pairs["start_x"] < pairs["end_y"]) & (pairs["start_y"] < pairs["end_x"])
                  & (pairs["code_id_x"] != pairs["code_id_y"])]
    pairs.groupby(["code_id_x", "code_id_y"]).size()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--documents", type=int, default=200)
    args = parser.parse_args()
    print(f"machine: {_machine()}")
    rng = np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = synthetic_project(folder, args.documents)
        rows = _rows(project, args.codings, rng)
        bulk, _ = _timed(lambda: project.code_many(rows))
        bare = _bare_insert(rows, folder)
        print(f"{args.codings:,} codings over {args.documents} documents")
        print(f"  code_many with audit: {bulk:7.3f} s   bare executemany: {bare:7.3f} s   "
              f"ratio {bulk / bare:5.1f}   (target < 2 s)")
        doc = rows["doc_id"].iloc[0]
        singles = [_timed(lambda i=i: project.code(doc, i, i + 10, "trust",
                                                             coder="ana"))[0]
                   for i in range(200)]
        print(f"  one code() call:      {statistics.median(singles) * 1000:7.2f} ms "
              "(median of 200, target < 5 ms)")
        code_id = rows["code"].iloc[0]
        retrieve = min(_timed(lambda: project.retrieve(code_id, context=80,
                                                                coder="ana"))[0]
                       for _ in range(5))
        bare_retrieve = min(_bare_retrieve(project, code_id) for _ in range(5))
        n_quotes = len(project.retrieve(code_id, coder="ana"))
        print(f"  retrieve one code ({n_quotes:,} quotes): {retrieve * 1000:7.1f} ms   bare "
              f"SQL: {bare_retrieve * 1000:6.1f} ms   ratio {retrieve / bare_retrieve:5.1f}   "
              "(target < 100 ms)")
        cooc, pairs = _timed(lambda: project.cooccurrence("overlap", coder="ana"))
        codings = project.codings(coder="ana")[["doc_id", "start", "end", "code_id"]]
        bare_cooc = _bare_cooccurrence(codings)
        print(f"  co-occurrence (overlap, {int(pairs['n'].sum()) // 2:,} pairs): {cooc:6.2f} s"
              f"   pandas self-merge: {bare_cooc:6.2f} s   ratio {cooc / bare_cooc:5.2f}   "
              "(target < 2 s)")
        project.close()


if __name__ == "__main__":
    main()
