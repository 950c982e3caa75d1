"""The records a ``.qdpx`` import reads and checks before it stores anything."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.codebook import Code

NAMESPACE = "urn:QDA-XML:project:1.0"
#: Attribute types of workbench for the REFI-QDA variable types ("Text" and "Boolean" values
#: are typed from their values, as a sidecar's columns are).
VARIABLE_TYPES = {"Integer": "number", "Float": "number", "Date": "date", "DateTime": "date",
                  "Text": None, "Boolean": None}


def guid_key(guid: str | None) -> str:
    """A GUID as a lookup key: braces and case do not matter (``{A-B}`` is ``a-b``)."""
    return (guid or "").strip().strip("{}").lower()


@dataclass(frozen=True)
class Attribute:
    """One variable value of a case or a source: key, value (as text) and workbench type."""

    key: str
    value: str
    type: str | None


@dataclass(frozen=True)
class Source:
    """A text source to store as a document; ``text`` is canonical."""

    guid: str
    name: str
    entry: str
    text: str
    encoding: str
    attributes: tuple[Attribute, ...] = ()


@dataclass(frozen=True)
class Passage:
    """One coding to store: a code applied to ``text[start:end]`` of a source (canonical)."""

    guid: str
    source: str
    start: int
    end: int
    code: str
    coder: str
    created_at: str | None


@dataclass(frozen=True)
class Note:
    """A memo to store. ``target`` is a source GUID (document), a code id, a coding GUID, a
    case id, or None (project)."""

    target_kind: str
    target: str | None
    author: str
    text: str


@dataclass(frozen=True)
class Case:
    """A case with its attributes and the GUIDs of the sources that belong to it."""

    case_id: str
    attributes: tuple[Attribute, ...]
    sources: tuple[str, ...]


@dataclass
class Parsed:
    """Everything read from a project file, checked, ready to store."""

    name: str
    origin: str
    unit: str
    codes: tuple[Code, ...] = ()
    code_ids: dict[str, str] = field(default_factory=dict)
    coders: dict[str, str] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    sets: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
