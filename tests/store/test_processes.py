"""Real processes: two coders' kernels writing at once, and a process killed mid-import."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from workbench import Project

IMPORT = """
import sys, time
from pathlib import Path
from workbench import Project
project_dir, folder, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
while not go.exists():
    time.sleep(0.01)
with Project.open(project_dir, user=folder.name) as p:
    for path in sorted(folder.iterdir()):
        p.import_files([path], progress=False)
print("done", flush=True)
"""


def _transcripts(folder: Path, n: int, words: int, tag: str) -> Path:
    folder.mkdir(parents=True)
    line = "the score went up again so I rechecked the labs by hand and called the lab"
    for i in range(n):
        body = "\n\n".join(
            f"{'Interviewer' if t % 2 == 0 else 'P01'}: {tag} {i} turn {t}. "
            + " ".join([line] * max(1, words // 150))
            for t in range(10)
        )
        (folder / f"{tag}_{i:03d}.txt").write_text(body + "\n", encoding="utf-8")
    return folder


def _run(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", IMPORT, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_two_processes_importing_at_once_lose_nothing(tmp_path):
    Project.create(tmp_path / "study").close()
    ana = _transcripts(tmp_path / "ana", 25, 300, "ana")
    ben = _transcripts(tmp_path / "ben", 25, 300, "ben")
    go = tmp_path / "go"
    workers = [_run(str(tmp_path / "study"), str(f), str(go)) for f in (ana, ben)]
    go.touch()
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
    with Project.open(tmp_path / "study") as project:
        documents = project.documents()
        # 25 files from each of the two processes (made above).
        assert len(documents) == 50
        assert sorted(set(documents["imported_by"])) == ["ana", "ben"]
        assert (project.history()["action"] == "import").sum() == 50


KILL = """
import sys
from workbench import Project
with Project.open(sys.argv[1]) as p:
    p.import_files([sys.argv[2]], progress=False)
print("committed", flush=True)
"""


def test_a_killed_import_leaves_the_project_as_it_was(tmp_path):
    """Kill the importing process at several moments; each time it is all or nothing."""
    with Project.create(tmp_path / "study") as project:
        seed = tmp_path / "seed.txt"
        seed.write_text("Interviewer: first\nP01: answer\nInterviewer: thanks\n")
        project.import_files([seed], progress=False)
    batch = _transcripts(tmp_path / "batch", 150, 1500, "kill")
    outcomes = set()
    for delay in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0):
        child = subprocess.Popen([sys.executable, "-c", KILL, str(tmp_path / "study"),
                                  str(batch)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
        child.wait()
        conn = sqlite3.connect(tmp_path / "study" / "project.sqlite")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n_docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        n_segments = conn.execute("SELECT count(*) FROM segments").fetchone()[0]
        n_audit = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
        conn.close()
        # 1 seed document, plus all 150 of the batch or none of them.
        assert (n_docs, n_audit) in {(1, 1), (151, 151)}
        outcomes.add(n_docs)
        if n_docs == 151:
            break
        seed_segments = n_segments
        assert seed_segments > 0
    # The kills must have hit the import before it committed at least once.
    assert 1 in outcomes


def test_opening_a_project_twice_keeps_the_wal_while_another_process_comes_and_goes(tmp_path):
    """Re-running a Project.open cell while a widget holds the project must not let another
    process delete the WAL under the first connection (a plain open()/close() of the file
    would drop this process's SQLite locks)."""
    Project.create(tmp_path / "study").close()
    first = Project.open(tmp_path / "study")
    second = Project.open(tmp_path / "study")
    first.memo("project", None, "written before the other process")
    subprocess.run([sys.executable, "-c",
                    "import sys; from workbench import Project; "
                    "Project.open(sys.argv[1]).close()", str(tmp_path / "study")], check=True)
    assert (tmp_path / "study" / "project.sqlite-wal").exists()
    first.memo("project", None, "written after it")
    assert len(second.memos()) == 2
    first.close()
    second.close()
