"""Read a ``.qdpx`` archive from an unknown sender without trusting it.

A ``.qdpx`` file is a zip archive holding a project file (``project.qde``; ATLAS.ti writes
``<name>.qde``) and a ``sources/`` folder [1]_. Nothing is ever extracted to disk: entries are
read into memory, and only the ones an import needs. Before any entry is read the whole
archive is checked, and refused if

* an entry's path is absolute or climbs out of the archive (``../``, "zip slip"), or two
  entries have the same path;
* the entries would expand beyond ``MAX_EXPANDED_BYTES`` in all, or one entry expands more
  than ``MAX_RATIO`` times its compressed size (a "zip bomb");
* the archive is not a complete zip file (cut short by an interrupted download or copy).

While an entry is read, it may not grow beyond the size its header declares, and its checksum
must match: a header that lies is refused as well.

References
----------
.. [1] REFI-QDA Working Group (2019). REFI-QDA Standard 1.5, section 8 (the .qdpx file).
"""

from __future__ import annotations

import os
import re
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from workbench.errors import InteropError
from workbench.safe_input.zips import over_ratio

#: The expanded size of all entries together: the standard's own limit for one file
#: (2^31 - 1 bytes, section 8.5). A project of text sources stays far below it.
MAX_EXPANDED_BYTES = 2**31 - 1
#: How many times its compressed size one entry may expand (entries of 1 MiB or less are
#: not checked: :func:`workbench.safe_input.zips.over_ratio`, shared with .docx). Text
#: compresses about 3:1 and XML about 10:1; a zip bomb expands by a thousand or more.
MAX_RATIO = 100
MAX_ENTRIES = 100_000
_CHUNK = 1 << 16
_DRIVE = re.compile(r"^[A-Za-z]:")

_AGAIN = "Nothing was imported. Ask the sender to export the project again."


class Archive:
    """A checked ``.qdpx`` archive; read entries with :meth:`read`.

    Parameters
    ----------
    path : the ``.qdpx`` file.

    Raises
    ------
    InteropError
        ``WB-INTEROP-020`` the file cannot be opened or is not a complete zip archive;
        ``-021`` an entry's path leaves the archive or is given twice; ``-022`` the archive
        would expand beyond the size limit, or an entry beyond its ratio limit; ``-023``
        too many entries.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.name = self.path.name
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError as err:
            raise InteropError(20, f"{self.path}: no such file. Check the path.") from err
        except (zipfile.BadZipFile, OSError, EOFError) as err:
            raise InteropError(
                20,
                f"{self.name}: not a complete zip archive ({err}). A .qdpx file is a zip "
                "archive; this one is damaged or cut short, e.g. by an interrupted download "
                f"or copy. {_AGAIN}",
            ) from err
        try:
            self._entries = self._check()
        except InteropError:
            self._zip.close()
            raise

    def close(self) -> None:
        """Close the archive file."""
        self._zip.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _check(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise InteropError(
                23, f"{self.name}: holds {len(infos):,} entries, more than the {MAX_ENTRIES:,} "
                f"a project exchange file can need. {_AGAIN}")
        entries: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = info.filename
            _check_path(self.name, name)
            key = name.lower()
            if key in entries:
                raise InteropError(
                    21, f"{self.name}: entry '{name}' appears twice (as '{entries[key].filename}'"
                    " too), so which one is meant is ambiguous. " + _AGAIN)
            entries[key] = info
            total += info.file_size
            if total > MAX_EXPANDED_BYTES:
                raise InteropError(
                    22, f"{self.name}: refused: its entries would expand to more than "
                    f"{MAX_EXPANDED_BYTES:,} bytes (at entry '{name}', which declares "
                    f"{info.file_size:,} bytes). A file like this is built to fill the disk "
                    f"or memory (a 'zip bomb'). {_AGAIN}")
            ratio = over_ratio(info, MAX_RATIO)
            if ratio is not None:
                raise InteropError(
                    22, f"{self.name}: refused: entry '{name}' expands {ratio:,.0f} times "
                    f"({info.compress_size:,} bytes to {info.file_size:,}); real project files "
                    f"expand at most {MAX_RATIO} times. A file like this is built to fill the "
                    f"disk or memory (a 'zip bomb'). {_AGAIN}")
        return entries

    def names(self) -> list[str]:
        """The entry paths, as written in the archive."""
        return [info.filename for info in self._entries.values()]

    def find(self, name: str) -> str | None:
        """The archive's spelling of entry ``name``, matched ignoring case, or None.

        Programs differ in case (NVivo for Windows writes ``Sources/``, others ``sources/``).
        """
        info = self._entries.get(name.lower())
        return None if info is None else info.filename

    def size(self, name: str) -> int:
        """The expanded size entry ``name`` declares (reading it may not exceed it)."""
        info = self._entries.get(name.lower())
        if info is None:
            raise InteropError(27, f"{self.name}: has no entry '{name}'. {_AGAIN}")
        return info.file_size

    def read(self, name: str) -> bytes:
        """The bytes of entry ``name`` (any case), checked against its declared size and CRC."""
        info = self._entries.get(name.lower())
        if info is None:
            raise InteropError(27, f"{self.name}: has no entry '{name}'. {_AGAIN}")
        chunks, size = [], 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > info.file_size:
                        raise InteropError(
                            22, f"{self.name}: refused: entry '{info.filename}' expands beyond "
                            f"the {info.file_size:,} bytes its header declares. {_AGAIN}")
                    chunks.append(chunk)
        except (zipfile.BadZipFile, EOFError, zlib.error, OSError, RuntimeError,
                NotImplementedError) as err:
            raise InteropError(
                20, f"{self.name}: entry '{info.filename}' cannot be read ({err}): the archive "
                f"is damaged, cut short or encrypted. {_AGAIN}") from err
        return b"".join(chunks)


def _check_path(archive: str, name: str) -> None:
    """Refuse an entry path that is absolute or climbs out of the archive."""
    posix = name.replace("\\", "/")
    parts = PurePosixPath(posix).parts
    if "\x00" in name or posix.startswith("/") or _DRIVE.match(posix) or ".." in parts:
        raise InteropError(
            21, f"{archive}: refused: entry '{name}' points outside the archive ("
            f"{'an absolute path' if '..' not in parts else 'it climbs up with ..'}). Such "
            "paths are used to overwrite files on the receiving computer ('zip slip'). "
            + _AGAIN)
