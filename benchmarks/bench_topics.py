"""Benchmark: embedding (the default backend) and topics for 50,000 segments (issue 19).

It builds a project of seeded synthetic interviews (``--documents`` transcripts of
``--turns`` turns each, half of them the participant's: one or two sentences about one of
eight planted themes, in words drawn from the theme's vocabulary mixed with Riverside's
everyday words; the interviewer's turns are short questions). Then, in a fresh process so that
its peak memory is its own, it times ``project.topics("turn")`` on the empty embeddings cache:
embedding every turn with the default backend and finding topics (BERTopic; the method the
run chose is printed), and reports the agreement of the topics with the planted themes
(adjusted Rand index over the participants' turns). A second fresh process times the same
call with the embeddings cached, and a third, the baseline, fits BERTopic alone on the same
cached vectors at the same k (no choice of k, no selection, nothing stored).

Target (issue 19): under 90 s and under 4 GB on the 2-core machine.

Usage: python benchmarks/bench_topics.py [--documents 250] [--turns 200] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_logs import _machine, clear_workdir  # noqa: E402
from synthetic_corpus import _vocabulary  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
#: Eight planted themes, each a small vocabulary of its own.
THEMES = {
    "alarms": "alarm beeping alert silenced ignored false night buzzer ringing noise",
    "labs": "lab results values stale paper recheck laboratory phone sample potassium",
    "staffing": "staffing overtime shift rota tired colleagues handover break agency cover",
    "training": "training course module trainer manual session practice learning onboarding",
    "families": "family relatives visiting daughter son worried explain visitors phone call",
    "pharmacy": "pharmacy medication dose drug prescription insulin dispensing pharmacist",
    "beds": "beds discharge admission transfer capacity waiting corridor flow porter",
    "records": "records chart notes documentation typing screen login password template",
}


def transcript(rng: random.Random, number: int, turns: int) -> tuple[str, list[str]]:
    """One transcript and the planted theme of each participant turn, in order."""
    words, weights = _vocabulary()
    parts, planted = [f"Synthetic interview {number:05d}\n\n"], []
    for turn in range(turns):
        if turn % 2 == 0:
            parts.append("Interviewer: " + rng.choice(["Tell me more.", "Why was that?",
                                                       "And then?", "How often?"]) + "\n\n")
            continue
        theme = rng.choice(list(THEMES))
        planted.append(theme)
        sentences = []
        for _ in range(rng.randint(1, 2)):
            chosen = rng.choices(THEMES[theme].split(), k=4) + rng.choices(words, weights, k=6)
            rng.shuffle(chosen)
            sentences.append(" ".join(chosen).capitalize().rstrip(".,;?!") + ".")
        parts.append(f"P{number % 100:02d}: " + " ".join(sentences) + "\n\n")
    return "".join(parts), planted


def phase_build(work: Path, documents: int, turns: int) -> dict:
    """Write the transcripts, import them, distil the static model; record planted themes."""
    from workbench import Project
    from workbench.semantic import _static

    rng, planted, files = random.Random(19), {}, []
    for number in range(documents):
        text, themes = transcript(rng, number, turns)
        path = work / "corpus" / f"synthetic_{number:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        files.append(path)
        planted[path.name] = themes
    (work / "planted.json").write_text(json.dumps(planted))
    started = time.perf_counter()
    with Project.create(work / "study", user="bench") as project:
        project.import_files(files, kind="interview", progress=False)
        n = len(project.segments("turn"))
    imported = time.perf_counter() - started
    _static.encode(["warm the distilled model"])
    return {"turns": n, "import_seconds": round(imported, 1)}


def _agreement(work: Path, assigned) -> float:
    """Adjusted Rand index of the topics against the planted themes (participant turns)."""
    from sklearn.metrics import adjusted_rand_score

    planted = json.loads((work / "planted.json").read_text())
    answers = assigned[assigned["speaker"] != "Interviewer"]
    themes = [theme for name in sorted(planted) for theme in planted[name]]
    ordered = answers.sort_values(["document", "start"])
    return round(float(adjusted_rand_score(themes, ordered["topic"])), 3)


def phase_topics(work: Path) -> dict:
    """Time project.topics("turn") with the default backend."""
    import pandas  # noqa: F401

    from workbench import Project

    with Project.open(work / "study") as project:
        started = time.perf_counter()
        assigned = project.topics("turn")
        seconds = time.perf_counter() - started
        run = project.topic_run()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2  # KiB -> GiB
    return {"seconds": round(seconds, 1), "peak_gb": round(peak, 2), "method": run.method,
            "backend": run.backend, "segments": run.n_segments, "topics": run.n_topics,
            "outliers": int((assigned["topic"] == -1).sum()),
            "ari_planted": _agreement(work, assigned)}


def phase_bare(work: Path) -> dict:
    """The baseline: BERTopic alone on the same cached vectors and texts, with PCA (10
    dimensions) and k-means at the k the last run chose: no choosing k, no selection, nothing
    stored. What ``project.topics`` adds is the difference. BERTopic's import (about 10 s)
    is timed on both sides: ``project.topics`` imports it when called."""
    from workbench import Project
    from workbench.semantic import embeddings

    with Project.open(work / "study") as project:
        k = project.topic_run().n_topics
        segments, vectors = embeddings(project._conn, "turn", "static")
    started = time.perf_counter()
    from bertopic import BERTopic
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA

    model = BERTopic(embedding_model=None, umap_model=PCA(10, random_state=0),
                     hdbscan_model=KMeans(k, random_state=0, n_init=10), verbose=False)
    model.fit_transform(segments["text"].tolist(), embeddings=vectors)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2  # KiB -> GiB
    return {"seconds": round(seconds, 1), "peak_gb": round(peak, 2), "k": k,
            "segments": len(segments)}


PHASES = {"build": phase_build, "topics": phase_topics, "bare": phase_bare}


def _measure(name: str, work: Path, *extra: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--workdir", str(work), *extra],
        capture_output=True, text=True, check=False, cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)})
    if result.returncode:
        sys.exit(f"{name} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=250)
    parser.add_argument("--turns", type=int, default=200,
                        help="turns per transcript, half the participant's (default 200)")
    parser.add_argument("--workdir", type=Path, help="where to write (default: a temp dir)")
    parser.add_argument("--phase", choices=PHASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-topics-"))
    if args.phase == "build":
        print(json.dumps(phase_build(work, args.documents, args.turns)))
        return
    if args.phase:
        print(json.dumps(PHASES[args.phase](work)))
        return
    clear_workdir(work, keep=False)
    print(_machine())
    built = _measure("build", work, "--documents", str(args.documents), "--turns",
                     str(args.turns))
    print(f"built: {built['turns']:,} turns, imported in {built['import_seconds']} s")
    first = _measure("topics", work)
    print("embeddings + topics, empty cache:", json.dumps(first))
    second = _measure("topics", work)
    print("topics, embeddings cached:      ", json.dumps(second))
    bare = _measure("bare", work)
    print("baseline, BERTopic alone:       ", json.dumps(bare))


if __name__ == "__main__":
    main()
