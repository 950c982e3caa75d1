"""Benchmark: offline embedding backends on 50,000 segments with planted themes, and
``similar`` over them once cached.

A seeded generator writes 500 field notes of 100 sentences each (one sentence a line); each
sentence is about one of 8 planted themes (alarms, stale labs, paper workarounds, staffing,
trust in the score, training, families, downtime), said with that theme's words (several
synonyms each, so two sentences of a theme often share no word) amid words every theme uses.
The notes are imported into a project (``project.import_files``), so the segments are the
project's own sentences; each sentence's planted theme is known from its text.

Then, each in a fresh process so that its peak memory is its own (``ru_maxrss``, imports
included):

- ``distil``: the static model distilled from the bundled MiniLM (once per machine);
- ``embed B`` for each backend B: ``workbench.semantic.embeddings(conn, "sentence", B)``,
  computed and stored (segments/s), then read back from the project in a new connection;
  MiniLM embeds ~100-300 sentences/s on 2 cores, so it runs on a seeded sample of
  ``--sample`` segments and its time for 50,000 is extrapolated (said so in the output);
- theme recovery: k-means (k = 8, seed 0) on the vectors against the planted themes, adjusted
  Rand index and NMI (scikit-learn), on the whole set and on the same sample for every backend;
- ``similar``: the first query in a new connection (vectors read from the project) and the
  median of 50 further queries, over the 50,000 cached segments of each fast backend.

Targets (issue 19): embedding (and, later, topics) for 50,000 segments in under 90 s with
the default backend and under 4 GB; ``similar`` under 100 ms once cached.

Usage: python benchmarks/bench_semantic.py [--notes 500] [--sentences 100] [--sample 5000]
       [--workdir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))
from bench_import import _machine  # noqa: E402
from bench_logs import clear_workdir  # noqa: E402

#: Planted themes: (nouns, verbs, qualifiers), each a set of near-synonyms.
THEMES = {
    "alarms": (["alarm", "alert", "beeping", "warning tone", "buzzer", "pager"],
               ["ignored", "silenced", "muted", "dismissed", "snoozed", "tuned out"],
               ["again and again", "for no reason", "every few minutes", "all night long"]),
    "stale-labs": (["lab result", "blood test", "potassium value", "lab feed", "sample",
                    "haemoglobin"],
                   ["arrived late", "was outdated", "came back stale", "went missing",
                    "was from yesterday", "never updated"],
                   ["from the laboratory", "after the draw", "in the results tab",
                    "before the ward round"]),
    "workarounds": (["paper list", "sticky note", "whiteboard", "notebook", "handwritten chart",
                     "scrap of paper"],
                    ["kept", "scribbled", "copied", "jotted", "wrote down", "pinned up"],
                    ["just in case", "as a backup", "behind the desk", "by the bed"]),
    "staffing": (["night shift", "rota", "agency nurse", "bank staff", "cover", "skeleton crew"],
                 ["was short", "was understaffed", "was stretched thin", "had gaps",
                  "was cancelled", "ran with one nurse"],
                 ["over the weekend", "at short notice", "on nights", "during the holidays"]),
    "trust": (["score", "prediction", "algorithm", "risk number", "model", "early warning"],
              ["doubted", "trusted", "believed", "questioned", "second-guessed", "relied on"],
              ["with the patient in front of me", "against my own judgement",
               "when it contradicted me", "at first"]),
    "training": (["training", "induction", "tutorial", "teaching session", "e-learning",
                  "new starter course"],
                 ["skipped", "explained", "covered", "taught", "demonstrated", "missed out"],
                 ["in the first week", "for the new starters", "in the classroom",
                  "on the intranet"]),
    "families": (["relatives", "family", "daughter", "husband", "visitors", "next of kin"],
                 ["reassured", "phoned", "updated", "comforted", "talked to", "calmed"],
                 ["at the bedside", "in the corridor", "during visiting hours",
                  "on the telephone"]),
    "downtime": (["system", "computer", "network", "login", "screen", "server"],
                 ["crashed", "froze", "went down", "lagged", "timed out", "rebooted"],
                 ["without warning", "mid-handover", "for an hour", "twice that day"]),
}
OPENERS = ["", "Honestly,", "On Tuesday", "Last week", "Sometimes", "Then", "Of course",
           "Around midnight", "Yesterday", "As usual"]
SUBJECTS = ["we", "I", "the team", "my colleague", "the doctors", "the charge nurse", "she",
            "he", "everyone"]
BACKENDS = ("static", "tfidf-svd", "minilm")
QUERIES = ["nobody listens to the alarms anymore", "the lab values were old",
           "I wrote it on a piece of paper", "there were not enough nurses on nights",
           "I did not believe the risk score", "nobody showed us how to use it",
           "I called the patient's son", "the computer stopped working"]


def sentence(rng: random.Random, theme: str) -> str:
    """One sentence about ``theme``: its words amid words every theme uses."""
    nouns, verbs, qualifiers = THEMES[theme]
    opener = rng.choice(OPENERS)
    subject = rng.choice(SUBJECTS)
    if rng.random() < 0.5:
        body = f"{subject} said the {rng.choice(nouns)} {rng.choice(verbs)}"
    else:
        body = f"{subject} {rng.choice(verbs)} the {rng.choice(nouns)}"
    text = f"{opener} {body} {rng.choice(qualifiers)}".strip()
    return text[0].upper() + text[1:] + "."


def write_notes(folder: Path, notes: int, sentences: int, seed: int = 0) -> dict[str, str]:
    """Write the field notes; return each sentence's planted theme by its text."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    themes = list(THEMES)
    planted: dict[str, str] = {}
    for n in range(notes):
        lines = []
        for _ in range(sentences):
            theme = rng.choice(themes)
            text = sentence(rng, theme)
            planted[text] = theme
            lines.append(text)
        (folder / f"note_{n:04d}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return planted


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _recovery(vectors, labels) -> dict[str, float]:
    """k-means on the vectors against the planted labels: ARI and NMI."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    found = KMeans(n_clusters=len(THEMES), n_init=4, random_state=0).fit_predict(vectors)
    return {"ari": adjusted_rand_score(labels, found),
            "nmi": normalized_mutual_info_score(labels, found)}


def _sample(n: int, size: int) -> list[int]:
    return sorted(random.Random(1).sample(range(n), min(size, n)))


def child_embed(work: Path, name: str, sample_size: int) -> dict:
    """Embed with one backend in this process (MiniLM: the sample only)."""
    import numpy as np

    from workbench import Project
    from workbench.semantic import embeddings, encoder, find_backend

    planted = json.loads((work / "planted.json").read_text())
    with Project.open(work / "study") as project:
        segments = project.segments("sentence")
        labels = segments["text"].map(planted).to_numpy()
        sample = _sample(len(segments), sample_size)
        if name == "minilm":
            texts = segments["text"].iloc[sample].tolist()
            encode = encoder(find_backend(name))
            encode(texts[:32])  # load the model outside the timing
            start = time.perf_counter()
            vectors = encode(texts)
            seconds = time.perf_counter() - start
            return {"backend": name, "segments": len(texts), "seconds": seconds,
                    "per_second": len(texts) / seconds,
                    "extrapolated_50k": 50_000 * seconds / len(texts), "peak_mb": _peak_mb(),
                    "sample": _recovery(vectors, labels[sample])}
        start = time.perf_counter()
        table, vectors = embeddings(project._conn, "sentence", name)
        seconds = time.perf_counter() - start
    with Project.open(work / "study") as again:
        start = time.perf_counter()
        _, stored = embeddings(again._conn, "sentence", name)
        read = time.perf_counter() - start
    assert np.array_equal(stored, vectors)
    labels = table["text"].map(planted).to_numpy()
    return {"backend": name, "segments": len(table), "seconds": seconds,
            "per_second": len(table) / seconds, "read_seconds": read, "peak_mb": _peak_mb(),
            "all": _recovery(vectors, labels), "sample": _recovery(vectors[sample],
                                                                   labels[sample])}


def child_similar(work: Path, name: str) -> dict:
    """``similar`` over the cached segments: the first query, then 50 more."""
    from workbench import Project

    with Project.open(work / "study") as project:
        start = time.perf_counter()
        first = project.similar(QUERIES[0], top=20, backend=name)
        cold = time.perf_counter() - start
        times = []
        for i in range(50):
            start = time.perf_counter()
            project.similar(QUERIES[i % len(QUERIES)], top=20, backend=name)
            times.append(time.perf_counter() - start)
    return {"backend": name, "first_ms": cold * 1000,
            "median_ms": statistics.median(times) * 1000, "max_ms": max(times) * 1000,
            "top_text": first["text"].iloc[0], "peak_mb": _peak_mb()}


def child_distil(work: Path) -> dict:
    """Distil the static model into an empty folder."""
    from workbench.semantic import _static

    start = time.perf_counter()
    _static.model()
    return {"seconds": time.perf_counter() - start, "folder": str(_static.model_folder()),
            "size_mb": sum(p.stat().st_size for p in _static.model_folder().rglob("*")) / 2**20,
            "peak_mb": _peak_mb()}


def _run(work: Path, *args: str) -> dict:
    """Run one measurement in a fresh process; return what it printed."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "WORKBENCH_MODEL_CACHE": str(work / "models")}
    done = subprocess.run([sys.executable, __file__, "--child", *args, "--workdir", str(work)],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.splitlines()[-1])


def build(work: Path, notes: int, sentences: int) -> float:
    """Write and import the notes; return the import's seconds."""
    from workbench import Project

    planted = write_notes(work / "notes", notes, sentences)
    (work / "planted.json").write_text(json.dumps(planted))
    start = time.perf_counter()
    with Project.create(work / "study") as project:
        project.import_files(work / "notes", kind="fieldnote", progress=False)
        n = len(project.segments("sentence"))
    print(f"imported {notes} notes, {n:,} sentences, {len(planted):,} distinct "
          f"({time.perf_counter() - start:.1f} s)")
    return n


def report(work: Path, sample: int) -> None:
    """Every measurement, each in its own process, printed as a table."""
    distil = _run(work, "distil")
    print(f"static model distilled in {distil['seconds']:.1f} s ({distil['size_mb']:.1f} MB, "
          f"peak {distil['peak_mb']:.0f} MB), once per machine")
    print(f"\n{'backend':10} {'segments':>9} {'seconds':>8} {'seg/s':>8} {'read s':>7} "
          f"{'peak MB':>8} {'ARI all':>8} {'NMI all':>8} {'ARI smp':>8} {'NMI smp':>8}")
    for name in BACKENDS:
        r = _run(work, "embed", name, "--sample", str(sample))
        whole = r.get("all", {})
        read = f"{r['read_seconds']:7.2f}" if "read_seconds" in r else f"{'-':>7}"
        print(f"{name:10} {r['segments']:9,} {r['seconds']:8.1f} {r['per_second']:8.0f} {read} "
              f"{r['peak_mb']:8.0f} {whole.get('ari', float('nan')):8.3f} "
              f"{whole.get('nmi', float('nan')):8.3f} {r['sample']['ari']:8.3f} "
              f"{r['sample']['nmi']:8.3f}")
        if "extrapolated_50k" in r:
            print(f"{'':10} (a sample of {r['segments']:,}: 50,000 would take about "
                  f"{r['extrapolated_50k']:.0f} s)")
    print(f"\n{'similar':10} {'first ms':>9} {'median ms':>10} {'max ms':>8} {'peak MB':>8}"
          "  top hit")
    for name in BACKENDS[:2]:
        r = _run(work, "similar", name)
        print(f"{name:10} {r['first_ms']:9.0f} {r['median_ms']:10.1f} {r['max_ms']:8.1f} "
              f"{r['peak_mb']:8.0f}  {r['top_text']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=500)
    parser.add_argument("--sentences", type=int, default=100)
    parser.add_argument("--sample", type=int, default=5000,
                        help="segments MiniLM embeds (default 5000)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        result = (child_distil(args.workdir) if kind == "distil"
                  else child_embed(args.workdir, rest[0], args.sample) if kind == "embed"
                  else child_similar(args.workdir, rest[0]))
        print(json.dumps(result))
        return
    print(f"machine: {_machine()}; load average {os.getloadavg()[0]:.1f}")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-semantic-"))
    clear_workdir(work, keep=False)
    build(work, args.notes, args.sentences)
    report(work, args.sample)
    if not args.keep:
        clear_workdir(work, keep=False)


if __name__ == "__main__":
    main()
