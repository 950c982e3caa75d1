"""Which files an import reads: the files named, and the supported files in folders named.

Inside a folder, a symbolic link is followed only to a file within that folder, so nothing
outside the tree the user named (a system file, another study's data) becomes a document and
travels on in exports. Links to folders are not followed at all (they could loop, or lead
out). Every link left out is returned with the reason, for the import report.
"""

from __future__ import annotations

import os
from pathlib import Path

from workbench.corpus.readers import READERS


def expand_paths(paths) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files as given, and the supported files inside any folder given (hidden ones left out).

    Parameters
    ----------
    paths : a file or folder, or a list of them.

    Returns
    -------
    The files to read, in order, and the links skipped as ``(path in the folder, why)``.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    files, skipped = [], []
    for path in map(Path, paths):
        if path.is_dir():
            found, links = _files_in(path)
            files += found
            skipped += links
        else:
            files.append(path)
    return files, skipped


def _files_in(folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """The supported files in ``folder`` and its subfolders, without following links out."""
    root = folder.resolve()
    files, skipped = [], []
    for here, folders, names in os.walk(folder):  # os.walk does not descend into links
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in folders:
            path = Path(here) / name
            if path.is_symlink():
                skipped.append((str(path.relative_to(folder)), f"a link to the folder "
                                f"{path.resolve()}: links to folders are not followed"))
        for name in names:
            path = Path(here) / name
            if name.startswith(".") or path.suffix.lower() not in READERS:
                continue
            why = _why_not_followed(path, root)
            if why:
                skipped.append((str(path.relative_to(folder)), why))
            else:
                files.append(path)
    return sorted(files), sorted(skipped)


def _why_not_followed(path: Path, root: Path) -> str | None:
    """Why a file in the folder is not read: a link out of ``root``, or to nothing."""
    if not path.is_symlink():
        return None
    target = path.resolve()
    if not target.is_file():
        return f"a link to {target}, which is not a file"
    if not target.is_relative_to(root):
        return f"a link to {target}, outside the folder {root}: not followed"
    return None
