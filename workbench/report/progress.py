"""How a report shows its progress: a bar on a terminal, one plain line per notebook elsewhere.

A bar redraws itself with carriage returns; written to a file or a pipe (``make demo``, a CI
log) each redraw becomes a line of its own. So the bar is shown only where it can redraw: on a
terminal, or as a widget in a Jupyter notebook (``tqdm.auto``); anywhere else each notebook
gets one line when it is done: its name, how many cells it ran and how long it took.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from tqdm import tqdm as terminal_bar
from tqdm.auto import tqdm
from tqdm.autonotebook import tqdm as chosen_bar

__all__ = ["Progress"]


class Progress:
    """Progress over the notebooks of a report run or of a verification's re-run.

    Parameters
    ----------
    notebooks : what is iterated over (one item per notebook).
    label : the first word of each line or of the bar (``report``, ``verify``).
    enabled : ``False`` shows nothing at all.
    stream : where progress goes; default ``sys.stderr``.
    """

    def __init__(self, notebooks: Iterable, *, label: str, enabled: bool = True,
                 stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.enabled = enabled
        in_notebook = chosen_bar is not terminal_bar  # tqdm chose Jupyter's widget bar
        self.redraws = enabled and (in_notebook or _is_terminal(self.stream))
        self._bar = tqdm(notebooks, desc=label, unit="notebook", disable=not self.redraws,
                         file=self.stream)

    def __iter__(self) -> Iterator:
        yield from self._bar

    def cell(self, notebook: str, index: int, total: int, first_line: str) -> None:
        """Show on the bar that cell ``index`` (from 0) of ``total`` of ``notebook`` runs."""
        if self.redraws:
            self._bar.set_postfix_str(f"{notebook} cell {index + 1}/{total}: {first_line[:40]}")

    def finished(self, notebook: str, cells: int, seconds: float) -> None:
        """Print ``notebook``'s line (name, cells, seconds) where no bar is shown."""
        if self.enabled and not self.redraws:
            print(f"{self.label}: {notebook}: {cells} cells in {seconds:.1f} s",
                  file=self.stream, flush=True)


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
