"""The import of any one file stays within the memory bound the README states (issue 13).

Each case runs a real import in a subprocess whose address space is capped with
``resource.setrlimit(RLIMIT_AS, ...)``: a bomb read in full would pass the cap (and die with
MemoryError), a refused one stays far below it.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO
from tests.corpus.bombs import docx_bomb, pdf_bomb

#: The bound stated in the README "Importing": 1.5 GiB of address space for Python, spaCy
#: and the import of one file (measured: the interpreter with workbench and spaCy loaded
#: takes about 0.65 GB of it).
BOUND = 3 * 2**29

SCRIPT = textwrap.dedent("""
    import resource, sys, tempfile
    from pathlib import Path
    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
    from workbench import Project
    from workbench.errors import WorkbenchError
    with tempfile.TemporaryDirectory() as folder:
        with Project.create(Path(folder) / "p", user="ana") as project:
            try:
                print("imported", project.import_files([sys.argv[1]], progress=False).n_words)
            except WorkbenchError as err:
                print("refused", err.code)
""")


def _import_capped(path) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(path), str(BOUND)], env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


@pytest.mark.parametrize(("name", "make", "code"), [
    # 3 GiB of zeros declared honestly in a 3 MB file: twice the bound if read.
    ("bomb.docx", lambda: docx_bomb(3 * 2**30, 3 * 2**30), "WB-IMPORT-034"),
    # 3 GiB hidden behind a declared 1,000 bytes.
    ("liar.docx", lambda: docx_bomb(1_000, 3 * 2**30), "WB-IMPORT-034"),
    # A page whose content stream inflates to 3 GiB of spaces.
    ("bomb.pdf", lambda: pdf_bomb(3 * 2**30), "WB-IMPORT-035"),
])
def test_bombs_are_refused_within_the_bound(tmp_path, name, make, code):
    path = tmp_path / name
    path.write_bytes(make())
    assert _import_capped(path) == f"refused {code}"


def test_a_large_legitimate_file_imports_within_the_bound(tmp_path):
    random.seed(13)
    vocabulary = ["the", "night", "shift", "list", "phone", "ward", "nurse", "patient",
                  "call", "rota", "staff", "busy"]
    path = tmp_path / "long_field_note.txt"
    with path.open("w", encoding="utf-8") as out:
        for _ in range(90_000):  # 90,000 paragraphs of 60 words: 5,400,000 words
            words = " ".join(random.choice(vocabulary) for _word in range(60))
            out.write(f"{words}.\n\n")
    assert path.stat().st_size > 28 * 2**20  # near the 32 MiB a file may hold
    # 90,000 paragraphs x 60 words, counted as whitespace-separated words.
    assert _import_capped(path) == "imported 5400000"
