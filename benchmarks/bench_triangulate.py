"""Benchmark: triangulate 100,000 coded segments against millions of log events, by unit and week.

For each size (default 1M and 10M events) this builds a project: synthetic deployment logs
(``workbench.logs.generate.synthetic``, loaded with ``project.load_logs`` and the Riverside
mapping without its unit table, so units are the synthetic wards ``WARD 0000``...); seeded
synthetic field notes (front matter ``date``, ``ward``, ``shift``; half their paragraphs
jottings) dated in unit-weeks where the logs have alerts, imported with
``project.import_files``; the sociotechnical codebook, the crosswalk ``unit <- ward``
(``project.set_keys``); and 100,000 codings by one coder on distinct sentences of those notes
(``project.code_many``). The qualitative side is the same size at every log size. Then it
measures, each in a fresh process so that its peak memory is its own:

- ``metrics``: the baseline, ``project.metrics("stale_input_share", bucket="week",
  by=("unit",))``: the logs' metric alone;
- ``matrix``: ``project.mixed_matrix(by="unit", period="week", codes=CODES,
  metrics=["stale_share"], coder=CODER)``;
- ``repair``: ``project.repair_gap("stale_share", REPAIR, permutations=9999,
  coder=CODER)`` (it builds its own matrix, then the statistics).

Target (issue 15): matrix and repair gap under 30 s on the 2-core machine at 10M events, and
peak memory flat in the number of events. It prints wall time and peak resident memory
(``ru_maxrss``, imports included) for each, the ratios to the baseline, and the growth from
the smaller to the larger log.

Usage: python benchmarks/bench_triangulate.py [--sizes 1e6,1e7] [--codings 100000]
       [--notes 2500] [--workdir DIR] [--keep]

With ``--keep`` and a ``--workdir``, the generated logs and the built project stay and a
later run with the same sizes reuses them (generating and loading 10M events takes minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from bench_import import _machine  # noqa: E402
from bench_logs import _mapping, clear_workdir  # noqa: E402
from synthetic_corpus import field_note  # noqa: E402

CODEBOOK = REPO / "codebooks" / "sociotechnical.yaml"
CODER = "bench"
#: Codes the synthetic codings use: repair work and its neighbours.
CODED = ["workarounds", "manual-verification", "interpreting-outputs", "articulation-work",
         "stale-or-missing-data", "alert-fatigue", "trust", "distrust"]
#: Codes of the mixed matrix (a parent counts its children's codings too).
CODES = ["repair-and-invisible-work", "workarounds", "manual-verification", "alert-fatigue"]
REPAIR = ["workarounds", "manual-verification"]
PARAGRAPHS = 12


def phase_generate(n: int, work: Path, args: argparse.Namespace) -> dict:
    from workbench.logs.generate import synthetic

    synthetic(work / "raw", n, seed=7)
    return {}


def _write_notes(folder: Path, cells, n_notes: int) -> None:
    """``n_notes`` field notes, each on a random unit-week the logs have alerts in."""
    import pandas as pd

    rng = random.Random(7)
    folder.mkdir(parents=True, exist_ok=True)
    picks = cells.sample(n_notes, replace=True, random_state=7).itertuples(index=False)
    for number, cell in enumerate(picks):
        date = cell.bucket_start + pd.Timedelta(days=rng.randrange(7))
        text = field_note(rng, f"{date:%Y-%m-%d}", cell.unit, rng.choice(["day", "night"]),
                          PARAGRAPHS)
        (folder / f"note_{number:05d}.md").write_text(text, encoding="utf-8")


def phase_build(n: int, work: Path, args: argparse.Namespace) -> dict:
    """Logs, field notes, codebook, crosswalk and codings in a new project."""
    import numpy as np
    import pandas as pd

    from workbench import Project

    times = {}
    started = time.perf_counter()
    project = Project.create(work / "project", user=CODER)
    report = project.load_logs(work / "raw", _mapping())
    times["load_s"] = round(time.perf_counter() - started, 1)
    cells = project.metrics("alert_volume", bucket="week", by=("unit",))
    cells = cells[cells["alerts"] > 0][["unit", "bucket_start"]]
    _write_notes(work / "notes", cells, args.notes)
    started = time.perf_counter()
    project.import_files([work / "notes"], kind="fieldnote", progress=False)
    project.set_codebook(CODEBOOK)
    project.set_keys(unit={"attribute": "ward"})
    sentences = project.segments("sentence")
    if len(sentences) < args.codings:
        sys.exit(f"only {len(sentences):,} sentences for {args.codings:,} codings: "
                 "raise --notes")
    rng = np.random.default_rng(7)
    chosen = sentences.iloc[np.sort(rng.choice(len(sentences), args.codings, replace=False))]
    project.code_many(pd.DataFrame({"doc_id": chosen["doc_id"].to_numpy(),
                                    "start": chosen["start"].to_numpy(),
                                    "end": chosen["end"].to_numpy(),
                                    "code": rng.choice(CODED, args.codings)}))
    times["qualitative_s"] = round(time.perf_counter() - started, 1)
    words = int(project.documents()["n_words"].sum())
    project.close()
    return {"events": report.rows_loaded, "rejected": report.rows_rejected,
            "units": int(cells["unit"].nunique()), "notes": args.notes, "words": words,
            "sentences": len(sentences), **times}


def phase_metrics(n: int, work: Path, project) -> dict:
    frame = project.metrics("stale_input_share", bucket="week", by=("unit",))
    return {"rows": len(frame)}


def phase_matrix(n: int, work: Path, project) -> dict:
    matrix = project.mixed_matrix(by="unit", period="week", codes=CODES,
                                  metrics=["stale_share"], coder=CODER)
    matrix.cells.to_parquet(work / "matrix_cells.parquet")
    return {"cells": len(matrix.cells), "with_material": int(matrix.cells["has_material"].sum()),
            "evidence": len(matrix.evidence), "unplaced": len(matrix.unplaced)}


def phase_repair(n: int, work: Path, project) -> dict:
    found = project.repair_gap("stale_share", REPAIR, permutations=9999, coder=CODER)
    return {"n_cells": found.n_cells, "rho": round(found.effect, 4),
            "p": round(found.p_value, 4), "hotspots": len(found.hotspots),
            "silences": len(found.silences)}


PHASES = {"generate": phase_generate, "build": phase_build, "metrics": phase_metrics,
          "matrix": phase_matrix, "repair": phase_repair}


def _child(name: str, n: int, work: Path, args: argparse.Namespace) -> None:
    """Run one phase in this process; print its time and peak memory as JSON.

    The libraries are imported and the project opened first, so the time is the work's.
    """
    import pandas  # noqa: F401

    import workbench.logs  # noqa: F401
    import workbench.triangulate  # noqa: F401
    from workbench import Project

    project = None
    if name not in ("generate", "build"):
        project = Project.open(work / "project", user=CODER)
    started = time.perf_counter()
    extra = PHASES[name](n, work, project if project is not None else args)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2  # KiB -> GiB
    print(json.dumps({"seconds": round(seconds, 2), "peak_gb": round(peak, 2), **extra}))


def _measure(name: str, n: int, work: Path, args: argparse.Namespace) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--n", str(n), "--workdir", str(work),
         "--codings", str(args.codings), "--notes", str(args.notes)],
        capture_output=True, text=True, check=False, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    if result.returncode:
        sys.exit(f"{name} at {n:,} events failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _prepare(n: int, work: Path, args: argparse.Namespace) -> None:
    """Generate the logs and build the project, or reuse those a ``--keep`` run left."""
    built = work / "build.json"
    if args.keep and built.exists() and json.loads(built.read_text())["codings"] == [
            args.codings, args.notes]:
        print(f"\n{n:,} events: logs and project reused from an earlier run")
        return
    reuse = clear_workdir(work, keep=args.keep)
    made = "reused" if reuse else \
        f"generated in {_measure('generate', n, work, args)['seconds']} s"
    build = _measure("build", n, work, args)
    print(f"\n{n:,} events ({made}): {build['events']:,} loaded in {build['load_s']} s, "
          f"{build['units']} units; {build['notes']:,} field notes ({build['words']:,} words, "
          f"{build['sentences']:,} sentences) imported and {args.codings:,} codings stored in "
          f"{build['qualitative_s']} s")
    built.write_text(json.dumps({"codings": [args.codings, args.notes], **build}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e6,1e7", help="comma-separated event counts")
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--notes", type=int, default=2500)
    parser.add_argument("--workdir", type=Path, help="where to write (default: a temp dir)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the logs and project, and reuse those a run before kept")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        _child(args.phase, args.n, args.workdir, args)
        return
    root = args.workdir or Path(tempfile.mkdtemp(prefix="bench_triangulate_"))
    print(f"machine: {_machine()}")
    runs = {}
    for n in (int(float(size)) for size in args.sizes.split(",")):
        work = root / f"{n}"
        _prepare(n, work, args)
        runs[n] = {name: _measure(name, n, work, args)
                   for name in ("metrics", "matrix", "repair")}
        print("  load average (1, 5, 15 min) after: "
              + ", ".join(f"{load:.1f}" for load in os.getloadavg()))
        base, matrix, repair = runs[n]["metrics"], runs[n]["matrix"], runs[n]["repair"]
        print(f"  logs metric alone  {base['seconds']:7.2f} s  peak {base['peak_gb']:5.2f} GiB"
              f"  (stale_input_share by unit and week: {base['rows']:,} rows)")
        print(f"  mixed matrix       {matrix['seconds']:7.2f} s  peak {matrix['peak_gb']:5.2f} "
              f"GiB  ({matrix['cells']:,} cells, {matrix['with_material']:,} with material, "
              f"{matrix['evidence']:,} evidence rows, {matrix['unplaced']:,} unplaced)")
        print(f"  repair gap         {repair['seconds']:7.2f} s  peak {repair['peak_gb']:5.2f} "
              f"GiB  ({repair['n_cells']:,} cells analysed, rho {repair['rho']}, p "
              f"{repair['p']}, {repair['hotspots']} hotspots, {repair['silences']} silences)")
        both = matrix["seconds"] + repair["seconds"]
        print(f"  matrix + repair gap: {both:.2f} s (target < 30 s at 10M events); "
              f"{matrix['seconds'] / base['seconds']:.1f}x and "
              f"{repair['seconds'] / base['seconds']:.1f}x the metric alone")
    sizes = sorted(runs)
    for small, big in zip(sizes, sizes[1:], strict=False):
        growth = ", ".join(
            f"{name} time x{runs[big][name]['seconds'] / runs[small][name]['seconds']:.1f} "
            f"peak x{runs[big][name]['peak_gb'] / runs[small][name]['peak_gb']:.2f}"
            for name in ("metrics", "matrix", "repair"))
        print(f"\n{small:,} -> {big:,} events (x{big / small:.0f}): {growth}")
    if not args.keep and not args.workdir:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
