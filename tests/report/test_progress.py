"""Report progress: one plain line per notebook where standard error is not a terminal
(``make demo`` pipes it), a bar naming notebook and cell on a terminal (issue 18)."""

from __future__ import annotations

import io
import re

from tests.conftest import write
from workbench import Project
from workbench.report import run_report
from workbench.report.progress import Progress

#: Two notebooks of 3 code cells each (parameters, injected parameters, the loop), the loop
#: printing 50 lines: 50 redraws of a bar would be 50 lines in a pipe.
NOTEBOOK = '''# %% tags=["parameters"]
PROJECT = "study"
CORPUS = "corpus"

# %%
for step in range(50):
    print(step)
'''


class Terminal(io.StringIO):
    """A text stream that says it is a terminal, as a console's standard error does."""

    def isatty(self) -> bool:
        return True


def test_piped_progress_is_one_line_per_notebook(tmp_path, capfd):
    Project.create(tmp_path / "study", user="ana").close()
    for name in ("01_first", "02_second"):
        write(tmp_path / "notebooks", f"{name}.py", NOTEBOOK)
    run_report(tmp_path / "study", notebooks_dir=tmp_path / "notebooks", out=tmp_path / "out")
    lines = capfd.readouterr().err.splitlines()
    # pytest's captured stderr is not a terminal: no bar, no carriage returns. Captured at
    # the file descriptor, so the kernels' own stderr counts too: no start-up warning of
    # theirs (execute.KERNEL_ARGUMENTS).
    assert len(lines) == 2, lines
    for line, name in zip(lines, ("01_first", "02_second"), strict=True):
        assert re.fullmatch(rf"report: {name}: 3 cells in \d+\.\d s", line), line


def test_terminal_progress_is_a_bar_naming_notebook_and_cell():
    stream = Terminal()
    shown = Progress(["01_first"], label="report", stream=stream)
    for name in shown:
        shown.cell(name, 1, 4, "print('hello')")
        shown.finished(name, 4, 0.5)
    drawn = stream.getvalue()
    assert "\r" in drawn and "01_first cell 2/4: print('hello')" in drawn
    assert "cells in" not in drawn  # the bar alone, no extra line


def test_no_progress_writes_nothing():
    stream = io.StringIO()
    shown = Progress(["01_first"], label="report", enabled=False, stream=stream)
    for name in shown:
        shown.cell(name, 0, 1, "x = 1")
        shown.finished(name, 1, 0.1)
    assert stream.getvalue() == ""
