"""Team coding across machines: hand each coder a copy, merge the copies back.

* :mod:`.copies` - ``copy_for``: a consistent copy of the project for one coder (optionally
  without the other coders' codings, for blind coding), recording where it came from;
* :mod:`.snapshot` - a project or a coder's copy read whole into frames;
* :mod:`.plan` - deciding a merge: documents matched by id or text, codes through the
  codebook's merges, codings and memos by id (or by content, for a ``.qdpx``);
* :mod:`.merge` - ``merge_copies``: the decided merge written in one transaction;
* :mod:`.report` - ``MergeReport``: what was added, left out and found different;
* :mod:`.cli` - the ``workbench copy-for`` and ``workbench merge`` commands.
"""

from workbench.team.copies import copy_for
from workbench.team.merge import merge_copies
from workbench.team.report import MergeReport
from workbench.team.snapshot import COPY_KEYS, Snapshot, read_copy, snapshot

__all__ = ["COPY_KEYS", "MergeReport", "Snapshot", "copy_for", "merge_copies", "read_copy",
           "snapshot"]
