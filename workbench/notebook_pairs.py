"""The ``.ipynb`` twins of the analysis notebooks, so that JupyterLab opens them as notebooks.

The notebooks are written as jupytext percent ``.py`` files (reviewable diffs; what
``workbench report`` runs). Beside each sits a paired ``.ipynb`` without outputs (jupytext
``formats: ipynb,py:percent``), generated from it by :func:`write_pairs` (``make notebooks``).
Generation gives the same bytes on any machine: cell ids are numbered from the cell's
position instead of jupytext's random ones, and the file is written as UTF-8 with ``\\n``
line ends. A test checks that every committed ``.ipynb`` equals what its ``.py`` generates.

Run as ``python -m workbench.notebook_pairs [FOLDER]`` (default: the repository's
``notebooks/``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext

__all__ = ["NOTEBOOKS", "paired_ipynb", "write_pairs"]

#: The analysis notebooks shipped in the repository, next to the package.
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def paired_ipynb(path: str | Path) -> str:
    """The ``.ipynb`` text of the percent ``.py`` notebook at ``path``: no outputs, cell ids
    ``cell-000``, ``cell-001``, ... in order, the ``.py``'s metadata (its jupytext
    ``formats`` pairing) kept."""
    notebook = jupytext.read(path)
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number:03d}"
    return jupytext.writes(notebook, fmt="ipynb")


def write_pairs(folder: str | Path = NOTEBOOKS) -> list[Path]:
    """Write ``NAME.ipynb`` beside every ``NAME.py`` notebook of ``folder``; returns them."""
    written = []
    for path in sorted(Path(folder).glob("*.py")):
        target = path.with_suffix(".ipynb")
        target.write_text(paired_ipynb(path), encoding="utf-8", newline="\n")
        written.append(target)
    return written


if __name__ == "__main__":
    for written in write_pairs(*sys.argv[1:2]):
        print(written)
