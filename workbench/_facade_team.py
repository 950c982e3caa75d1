"""The team part of the ``Project`` facade: hand out coders' copies and merge them back
(see :mod:`workbench.team`)."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import replace
from pathlib import Path

from workbench import team
from workbench.store import atomic


class TeamFacade:
    """Methods ``Project`` offers for coding on several machines."""

    def copy_for(self, coder: str, path: str | Path, *, blind: bool = False) -> Path:
        """Write a copy of this project for ``coder`` to the new folder ``path``: documents,
        segments, cases, codebook at its current version, codings and memos (with
        ``blind=True``, without other coders' codings), recording where it came from.
        Returns the copy's folder; open it with ``Project.open(path, user=coder)``."""
        return team.copy_for(self._conn, self.path, coder, Path(path), blind=blind,
                             actor=self.user)

    def merge(self, other: str | Path | list[str | Path], *,
              coders: list[str] | dict[str, str] | None = None,
              documents: str = "list") -> team.MergeReport:
        """Merge one or more coders' copies (project folders, or ``.qdpx`` files from another
        program) into this project, all in one transaction; returns the merge report.

        Documents are matched by id or text, codings come in under their coder with their
        origin and time, memos and the copies' audit rows come along. Merging a copy twice
        adds nothing; copies merged in any order give the same codings. ``coders`` takes
        only these coders' codings (a list), or renames them (``{"ana": "ana-laptop"}``);
        ``documents="import"`` brings in documents only a copy has (default ``"list"``: they
        and their codings are listed in the report and left out)."""
        others = [Path(p) for p in (other if isinstance(other, list) else [other])]
        with tempfile.TemporaryDirectory(prefix="workbench-merge-") as scratch:
            copies = [self._read_other(p, Path(scratch) / str(i)) for i, p in enumerate(others)]
            with atomic(self._conn):
                return team.merge_copies(self._conn, copies, coders=coders, actor=self.user,
                                         documents=documents)

    def _read_other(self, path: Path, scratch: Path) -> tuple[team.Snapshot, bool]:
        """A copy to merge and whether its audit log comes along (not a ``.qdpx``'s: the
        log of its import into a scratch project says nothing about the coding)."""
        if path.suffix.lower() != ".qdpx":
            return team.read_copy(path), True
        self.import_qdpx(path, scratch, user=self.user)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        copy = team.read_copy(scratch, label=path.name)
        return replace(copy, source_id=f"qdpx {digest}"), False
