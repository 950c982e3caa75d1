"""Output digests depend on what a cell showed, not on how the kernel happened to split its
printed text into messages (issue 18)."""

from __future__ import annotations

from pathlib import Path

import nbformat

from workbench.report.provenance import output_digests


def _stored(path: Path, outputs: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    """A one-cell notebook with ``outputs``, written to ``path`` and read back as stored."""
    cell = nbformat.v4.new_code_cell("for ward in ('3B', '4A'):\n    print(ward)",
                                     outputs=outputs, execution_count=1)
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    return nbformat.read(path, as_version=4)


def _stream(name: str, text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("stream", name=name, text=text)


def _digest(notebook: nbformat.NotebookNode) -> str:
    return output_digests(notebook, "wards")["sha256"].iloc[0]


def test_a_stream_split_in_several_outputs_hashes_as_one(tmp_path):
    whole = _stored(tmp_path / "whole.ipynb", [_stream("stdout", "3B\n4A\n")])
    # The same two lines as three stdout messages, as a kernel flushing mid-line sends them.
    split = _stored(tmp_path / "split.ipynb", [_stream("stdout", "3B\n"), _stream("stdout", "4"),
                                               _stream("stdout", "A\n")])
    assert len(split.cells[0].outputs) == 3  # nbformat stores the split as it came
    assert _digest(split) == _digest(whole)


def test_changed_text_or_another_stream_still_differs(tmp_path):
    whole = _digest(_stored(tmp_path / "whole.ipynb", [_stream("stdout", "3B\n4A\n")]))
    changed = _stored(tmp_path / "changed.ipynb", [_stream("stdout", "3B\n"),
                                                   _stream("stdout", "4C\n")])
    assert _digest(changed) != whole
    # stderr between two stdout outputs is not merged into them: the order of what the
    # reader saw is kept.
    interleaved = _stored(tmp_path / "interleaved.ipynb", [
        _stream("stdout", "3B\n"), _stream("stderr", "warning\n"), _stream("stdout", "4A\n")])
    apart = _stored(tmp_path / "apart.ipynb", [_stream("stdout", "3B\n4A\n"),
                                               _stream("stderr", "warning\n")])
    assert _digest(interleaved) != _digest(apart)
