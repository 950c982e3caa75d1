"""Exchange whole projects with other QDA programs as REFI-QDA project files (``.qdpx``).

A ``.qdpx`` file is a zip archive of a project file (``project.qde``, XML) and the sources
(``sources/<GUID>.txt``) [1]_. ``export_qdpx`` writes a workbench project as one, and
``check_qdpx`` reads one from NVivo, ATLAS.ti, MAXQDA, qc or workbench and checks all of it;
``store_qdpx`` stores it in a new project built in ``new_project_folder``
(``Project.import_qdpx`` does the three in turn).

=====================  ==================================================================
workbench              REFI-QDA
=====================  ==================================================================
coder, memo author     User (name; GUID from the name)
code                   Code: name, colour, hierarchy; definition and the other fields in the
                       Description (as in ``.qdc`` files); a retired code is not codable
document               TextSource with its text in ``sources/`` (UTF-8, canonical text)
coding                 Coding (creatingUser = coder) in a PlainTextSelection whose
                       startPosition/endPosition count code points, end exclusive
memo                   Note, with a NoteRef from its project, document, code or coding; a
                       case memo is linked to its Case by a Link (cases have no NoteRef)
case, attributes       Case with VariableValues and SourceRefs; document attributes are
                       VariableValues of the TextSource
attribute ``set: X``   Set ``X`` of sources (workbench has no sets; import makes them so)
=====================  ==================================================================

Positions on import are mapped onto workbench's canonical text per program: NVivo counts
UTF-16 units and the ``\\r`` of CRLF, the others code points (see
:mod:`workbench.refi_qda._positions` for the evidence). Import takes text sources only;
pictures, audio, video, PDF area selections, graphs and links are listed in the report.

References
----------
.. [1] REFI-QDA Working Group (2019). REFI-QDA Standard 1.5 and Project.xsd
   (QDA-XML 1.0, 18 March 2019). https://www.qdasoftware.org
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbench.codebook import Codebook, check
from workbench.errors import CodebookError, InteropError
from workbench.refi_qda._archive import Archive
from workbench.refi_qda._import_store import Stored, imported_codebook, store
from workbench.refi_qda._positions import POSITION_UNITS
from workbench.refi_qda._qde_read import read_project
from workbench.refi_qda._qde_records import Parsed
from workbench.refi_qda._qde_write import write_qdpx
from workbench.store import DB_NAME

__all__ = ["POSITION_UNITS", "CheckedQdpx", "QdpxReport", "check_qdpx", "export_qdpx",
           "new_project_folder", "store_qdpx"]


@dataclass(frozen=True)
class QdpxReport:
    """What ``Project.import_qdpx`` took from a ``.qdpx`` file, what it left out and why.

    Attributes
    ----------
    source, project_dir : the file read and the project folder made.
    origin : the program that wrote the file (its ``origin``).
    position_unit : what the file's positions were read as counting (``POSITION_UNITS``).
    documents : ``(name, doc_id)`` per text source stored.
    code_ids : each REFI-QDA code GUID (lower case) and the workbench code id made from it.
    coders : each user GUID and the coder name it became.
    n_codings, n_coders, n_memos : codings stored, the coders who made them, memos stored.
    cases : the case ids made.
    sets : ``(set name, what became of it)``.
    skipped : ``(what, why)`` for everything left out.
    warnings : what was adapted (e.g. codes without a description given a placeholder).
    """

    source: str
    project_dir: Path
    origin: str
    position_unit: str
    documents: tuple[tuple[str, str], ...] = ()
    code_ids: Mapping[str, str] = field(default_factory=dict)
    coders: Mapping[str, str] = field(default_factory=dict)
    n_codings: int = 0
    n_coders: int = 0
    n_memos: int = 0
    cases: tuple[str, ...] = ()
    sets: tuple[tuple[str, str], ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()

    def __str__(self) -> str:
        unit = "UTF-16 units" if self.position_unit == "utf16" else "code points"
        lines = [
            f"imported {self.source} (from {self.origin}) into {self.project_dir}: "
            f"{len(self.documents)} document(s), {len(self.code_ids)} code(s), "
            f"{self.n_codings:,} coding(s) by {self.n_coders} coder(s), "
            f"{self.n_memos} memo(s), {len(self.cases)} case(s); positions read as {unit}",
        ]
        lines += [f"set '{name}': {what}" for name, what in self.sets]
        lines += [f"skipped {what}: {why}" for what, why in self.skipped]
        lines += [f"warning: {text}" for text in self.warnings]
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """One row per outcome: item, status (imported, skipped, set, warning), detail."""
        rows = [("document", "imported", f"{name} ({doc_id})") for name, doc_id in self.documents]
        rows += [("code", "imported", f"{guid} -> {code_id}")
                 for guid, code_id in self.code_ids.items()]
        rows += [("codings", "imported", str(self.n_codings)),
                 ("memos", "imported", str(self.n_memos))]
        rows += [("case", "imported", case) for case in self.cases]
        rows += [(f"set '{name}'", "set", what) for name, what in self.sets]
        rows += [(what, "skipped", why) for what, why in self.skipped]
        rows += [("", "warning", text) for text in self.warnings]
        return pd.DataFrame(rows, columns=["item", "status", "detail"])


@dataclass(frozen=True)
class CheckedQdpx:
    """A ``.qdpx`` file read and checked whole, ready to store (see :func:`check_qdpx`).

    Attributes
    ----------
    name : the file's name, as messages and the report give it.
    parsed : the checked records.
    codebook : the codebook they make, or None when the file has no codes.
    """

    name: str
    parsed: Parsed
    codebook: Codebook | None


def check_qdpx(path: str | os.PathLike[str], project_dir: str | os.PathLike[str], *,
               user: str, position_unit: str | None = None) -> CheckedQdpx:
    """Read a REFI-QDA project file and check all of it, and the folder it is to go to;
    write nothing.

    Parameters
    ----------
    path : the ``.qdpx`` file (from NVivo, ATLAS.ti, MAXQDA, qc, workbench, ...).
    project_dir : the folder for the new project; it must not hold a project yet.
    user : who imports: coder and author of whatever the file attributes to nobody.
    position_unit : ``"codepoint"`` or ``"utf16"`` to override what the file's selection
        positions are read as counting; None decides by the program that wrote the file.

    Returns
    -------
    CheckedQdpx : the checked records, for :func:`store_qdpx`.

    Raises
    ------
    InteropError
        when ``project_dir`` holds a project (``WB-INTEROP-032``) or is a file (``-047``),
        ``position_unit`` is not one of ``POSITION_UNITS`` (``-033``), or the file is not a
        complete zip archive (``-020``), an entry's path leaves the archive (``-021``), it
        would expand beyond the size limits (``-022``), its XML declares a DTD or entities
        (``-003``) or passes a limit of :mod:`workbench.safe_input.xml_data` (``-040`` to
        ``-045``), a selection lies outside its source (``-028``), a GUID is given twice
        (``-031``; two users: ``-046``), a coding or reference names an unknown code (``-029``)
        or source, note or variable (``-030``), or its codebook is invalid (``-037``).
    """
    if position_unit is not None and position_unit not in POSITION_UNITS:
        raise InteropError(33, f"position_unit={position_unit!r} is not one of: "
                           f"{', '.join(POSITION_UNITS)} (or None to decide by program).")
    project_dir = Path(project_dir)
    if (project_dir / DB_NAME).exists():
        raise InteropError(32, f"{project_dir} already holds a project; a .qdpx file is "
                           "imported into a new one. Choose a new folder.")
    if project_dir.exists() and not project_dir.is_dir():
        raise InteropError(47, f"{project_dir} is a file, not a folder. Choose a folder name "
                           "for the new project.")
    with Archive(path) as archive:
        parsed = read_project(archive, user=user, position_unit=position_unit)
        name = archive.name
    codebook = imported_codebook(parsed, name)
    if codebook is not None:
        try:
            check(codebook, source=name)
        except CodebookError as err:
            raise InteropError(37, f"{err.message}\nNothing was imported.") from err
    return CheckedQdpx(name, parsed, codebook)


@contextmanager
def new_project_folder(project_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """Give a hidden sibling folder of ``project_dir`` to build a new project in, and move
    the project into place only when the block completes; on any failure remove it.

    An import that is killed part-way (power cut, ``kill -9``) thus leaves ``project_dir``
    as it was, and the retry works: folders such a killed import left behind are removed
    here. ``project_dir`` is made, or an empty folder replaced; into a folder that holds
    other files the project's files are moved.
    """
    project_dir = Path(project_dir)
    building = _building_folder(project_dir)
    try:
        yield building
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    _move_into_place(building, project_dir)


def store_qdpx(conn: sqlite3.Connection, checked: CheckedQdpx, *,
               project_dir: str | os.PathLike[str], user: str, language: str,
               kind: str | None = None) -> QdpxReport:
    """Store a checked ``.qdpx`` file in a new project's store, inside the caller's
    transaction, and say what was taken, left out and adapted.

    Parameters
    ----------
    conn : the new project's store.
    checked : what :func:`check_qdpx` returned.
    project_dir : the project folder the report names.
    user : who imports (the audit log's actor).
    language : the project's language, for sentence splitting.
    kind : every document's kind (interview, fieldnote, survey, document), when the user
        says it; None: each source's ``kind`` variable, else decided per document.

    Returns
    -------
    QdpxReport : what was imported, left out and adapted.
    """
    stored = store(conn, checked.parsed, checked.codebook, archive=checked.name, user=user,
                   language=language, kind=kind)
    return _report(checked.name, Path(project_dir), checked.parsed, stored)


def _report(name: str, project_dir: Path, parsed: Parsed, stored: Stored) -> QdpxReport:
    skipped = list(parsed.skipped)
    skipped += [(f"source '{a}'", f"same text as '{b}': stored once, with the codings of "
                 "both") for a, b in stored.merged]
    return QdpxReport(
        source=name, project_dir=project_dir, origin=parsed.origin,
        position_unit=parsed.unit,
        documents=tuple((s.name, stored.doc_ids[s.guid]) for s in parsed.sources),
        code_ids=dict(parsed.code_ids), coders=dict(parsed.coders),
        n_codings=len(stored.coding_ids), n_coders=len({p.coder for p in parsed.passages}),
        n_memos=len(parsed.notes),
        cases=tuple(c.case_id for c in parsed.cases), sets=tuple(parsed.sets),
        skipped=tuple(skipped), warnings=tuple(parsed.warnings))


def export_qdpx(conn: sqlite3.Connection, path: str | os.PathLike[str], *,
                project_dir: str | os.PathLike[str], user: str) -> Path:
    """Write a project as a REFI-QDA project file that validates against ``Project.xsd``.

    Writes users (coders and memo authors), the codebook, every active document as a text
    source, codings as PlainTextSelections (code points, end exclusive), memos as Notes,
    cases with their attributes, document attributes, and ``set: X`` attributes as Sets.
    The file is written whole or not at all.

    Parameters
    ----------
    conn : the project's store.
    path : the ``.qdpx`` file to write.
    project_dir : the project folder, whose name becomes the exported project's name.
    user : who exports (the file's creating user).

    Returns
    -------
    Path : the file written.
    """
    path = Path(path)
    if path.suffix.lower() != ".qdpx":
        raise InteropError(38, f"{path.name}: a REFI-QDA project file must end in .qdpx "
                           "(other programs look for it). Name it e.g. 'study.qdpx'.")
    write_qdpx(conn, path, name=Path(project_dir).name, user=user)
    return path


def _building_folder(project_dir: Path) -> Path:
    """A new hidden sibling of ``project_dir`` to build the project in (stale ones, left by
    a killed import, removed)."""
    prefix = f".{project_dir.name}.importing-"
    project_dir.parent.mkdir(parents=True, exist_ok=True)
    for stale in project_dir.parent.glob(f"{prefix}*"):
        shutil.rmtree(stale, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=project_dir.parent))


def _move_into_place(building: Path, project_dir: Path) -> None:
    """Rename the finished project onto ``project_dir`` (made, or an empty folder replaced),
    or move its files into a folder that holds other files."""
    if not project_dir.exists() or not any(project_dir.iterdir()):
        os.replace(building, project_dir)
        return
    for entry in building.iterdir():
        os.replace(entry, project_dir / entry.name)
    building.rmdir()
