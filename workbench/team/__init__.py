"""Team coding across machines: hand each coder a copy, merge the copies back.

* :mod:`.copies` - ``copy_for``: a consistent copy of the project for one coder (optionally
  without the other coders' codings, for blind coding), recording where it came from;
* :mod:`.snapshot` - a project or a coder's copy read whole into frames;
* :mod:`.plan` - deciding a merge: documents matched by id or text, codes through the
  codebook's merges, codings by id (the same coding under two ids: the first made);
* :mod:`.memo_plan` - deciding the memos: by id (or by content, for a ``.qdpx``), a memo
  edited on both sides keeping its later edit;
* :mod:`.merge` - ``merge_copies``: the decided merge written in one transaction;
* :mod:`.report` - ``MergeReport``: what was added, left out and found different;
* :mod:`.cli` - the ``workbench copy-for`` and ``workbench merge`` commands.

Names are imported on first use, so that ``workbench --help`` stays light (issue 17).
"""

from importlib import import_module

__all__ = ["COPY_KEYS", "MergeReport", "Snapshot", "copy_for", "merge_copies", "read_copy",
           "snapshot"]

_HOMES = {"COPY_KEYS": "snapshot", "MergeReport": "report", "Snapshot": "snapshot",
          "copy_for": "copies", "merge_copies": "merge", "read_copy": "snapshot",
          "snapshot": "snapshot"}


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'workbench.team' has no attribute {name!r}")
    return getattr(import_module(f"workbench.team.{_HOMES[name]}"), name)
