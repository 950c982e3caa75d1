"""The codebook part of the ``Project`` facade: each method delegates to
:mod:`workbench.codebook` (``store`` for the codebook as a whole, ``operations`` for one code
at a time) with the project's connection and user, in one transaction per change."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from workbench import refi_qda
from workbench.codebook import Code, Codebook
from workbench.codebook import operations as codebook_ops
from workbench.codebook import store as codebook_store
from workbench.store import atomic


class CodebookFacade:
    """Methods ``Project`` offers for its codebook: set, read, compare, export, change."""

    def set_codebook(self, source: str | Path | Codebook) -> int:
        """Load a codebook (YAML file or ``Codebook``), or bring the project's codes up to a
        new one (new codes added, changed ones updated, missing ones retired). Returns the
        project's codebook version."""
        with atomic(self._conn):
            return codebook_store.set_codebook(self._conn, source, self.user)

    def codes(self, *, include_retired: bool = False) -> pd.DataFrame:
        """The codes: code_id, name, parent_id, path, depth, definition, when_to_use,
        when_not_to_use, examples, color, references, patterns, status, n_codings."""
        return codebook_store.codes_frame(self._conn, include_retired=include_retired)

    def codebook(self, version: int | None = None) -> Codebook:
        """The codebook now (or at ``version``), as a ``Codebook``."""
        return codebook_store.codebook_at(self._conn, version)

    def codebook_versions(self) -> pd.DataFrame:
        """The codebook's changelog: version, at, actor, changelog."""
        return codebook_store.versions_frame(self._conn)

    def codebook_diff(self, old: int, new: int | None = None) -> pd.DataFrame:
        """Codes added, removed, renamed, moved or redefined between two versions."""
        return codebook_store.version_diff(self._conn, old, new)

    def export_codebook(self, path: str | Path) -> Path:
        """Write the current codebook as YAML (``.yaml``) or REFI-QDA (``.qdc``)."""
        return refi_qda.write_codebook(codebook_store.codebook_at(self._conn), Path(path))

    def add_code(self, name: str, *, definition: str, parent: str | None = None,
                 code_id: str | None = None, **fields) -> Code:
        """Add a code; ``fields`` are when_to_use, when_not_to_use, examples, color,
        references, patterns."""
        with atomic(self._conn):
            return codebook_ops.add_code(self._conn, self.user, name, parent=parent,
                                         code_id=code_id, definition=definition, **fields)

    def rename_code(self, code: str, new_name: str) -> Code:
        """Rename a code; its codings keep it (they refer to its id)."""
        with atomic(self._conn):
            return codebook_ops.rename_code(self._conn, self.user, code, new_name)

    def move_code(self, code: str, parent: str | None) -> Code:
        """Move a code under ``parent`` (None: the top level)."""
        with atomic(self._conn):
            return codebook_ops.move_code(self._conn, self.user, code, parent)

    def update_code(self, code: str, **fields) -> Code:
        """Redefine a code: definition, when_to_use, when_not_to_use, examples, color,
        references or patterns."""
        with atomic(self._conn):
            return codebook_ops.update_code(self._conn, self.user, code, **fields)

    def merge_codes(self, source: str, target: str) -> int:
        """Merge ``source`` into ``target`` (codings and child codes move; source retired).
        Returns the number of codings moved."""
        with atomic(self._conn):
            return codebook_ops.merge_codes(self._conn, self.user, source, target)

    def split_code(self, code: str, into: list[dict]) -> list[Code]:
        """Add codes split out of ``code`` (its codings stay with it until recoded)."""
        with atomic(self._conn):
            return codebook_ops.split_code(self._conn, self.user, code, into)

    def retire_code(self, code: str) -> None:
        """Hide a code from coding; it and its codings stay in the project and history."""
        with atomic(self._conn):
            codebook_ops.retire_code(self._conn, self.user, code)
