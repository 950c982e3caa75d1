"""The codebook as records: codes in a hierarchy, with the guidance coders need.

A codebook here follows the structure qualitative methodologists recommend for a code entry:
a short name, a full definition, when to use the code and when not to, and examples [1]_ [2]_.
Workbench adds a colour (for display), references (where the concept comes from) and
patterns (words and phrases a rule-based suggester may look for).

References
----------
.. [1] MacQueen, K. M., McLellan, E., Kay, K., & Milstein, B. (1998). Codebook development
   for team-based qualitative analysis. Cultural Anthropology Methods, 10(2), 31-36.
.. [2] Saldaña, J. (2021). The coding manual for qualitative researchers (4th ed.). SAGE.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from datetime import date
from typing import Literal

import pandas as pd

from workbench.errors import CodebookError

__all__ = ["ChangelogEntry", "Code", "Codebook"]

FRAME_COLUMNS = (
    "id",
    "name",
    "parent",
    "path",
    "depth",
    "definition",
    "when_to_use",
    "when_not_to_use",
    "examples",
    "color",
    "references",
    "patterns",
)

TEXT_COLUMNS = (
    "id",
    "name",
    "parent",
    "path",
    "definition",
    "when_to_use",
    "when_not_to_use",
    "color",
)


@dataclass(frozen=True)
class Code:
    """One code of a codebook.

    Parameters
    ----------
    id : str
        A stable slug (lower-case letters, digits, single hyphens: ``"alert-fatigue"``).
        Codings refer to it, so it does not change when the name does.
    name : str
        The label coders see (``"Alert fatigue"``).
    parent : str or None
        The id of the parent code, or None for a top-level code.
    definition : str
        What the code means, in a sentence or two.
    when_to_use, when_not_to_use : str
        Inclusion and exclusion criteria, naming the codes it is easily confused with.
    examples : tuple of str
        Short quotes that the code fits.
    color : str or None
        Display colour as ``"#RRGGBB"``.
    references : tuple of str
        Citations for the concept, one string each.
    patterns : tuple of str
        What a rule-based suggester may match. A pattern is a plain word or phrase; it is
        matched case-insensitively on lemmas: the pattern and the text are both reduced to
        dictionary forms and the pattern's lemmas must appear as consecutive tokens. So
        ``"call the doctor"`` also matches "Called the doctor" and "calling the doctor", and
        ``"the system was down"`` matches "the system is down". Keep each pattern specific
        enough that a match is worth a coder's look; there is no other syntax.
    """

    id: str
    name: str
    parent: str | None = None
    definition: str = ""
    when_to_use: str = ""
    when_not_to_use: str = ""
    examples: tuple[str, ...] = ()
    color: str | None = None
    references: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangelogEntry:
    """What changed in one version of a codebook, and when (``date`` is a calendar date)."""

    version: int
    date: date
    text: str


@dataclass(frozen=True)
class Codebook:
    """A titled, versioned set of codes forming a forest (each code has at most one parent).

    The helpers below assume a codebook that passes ``workbench.codebook.validate``; on a
    broken hierarchy they raise the same numbered error the validator reports.

    Parameters
    ----------
    title : str
    version : int
        Starts at 1; raised by one for each published change.
    authors : tuple of str
    changelog : tuple of ChangelogEntry
    references : tuple of str
        Every work the codebook cites.
    codes : tuple of Code
        In display order.

    Examples
    --------
    >>> book = Codebook("Demo", 1, codes=(Code("repair", "Repair", definition="Fixing."),
    ...                                   Code("workarounds", "Workarounds", "repair", "Detours.")))
    >>> book.path("workarounds")
    'Repair/Workarounds'
    >>> book.depth("workarounds"), [code.id for code in book.children("repair")]
    (1, ['workarounds'])
    """

    title: str
    version: int
    authors: tuple[str, ...] = ()
    changelog: tuple[ChangelogEntry, ...] = ()
    references: tuple[str, ...] = ()
    codes: tuple[Code, ...] = ()

    @functools.cached_property
    def _by_id(self) -> dict[str, Code]:
        # The first code wins on duplicate ids; validate() reports the duplicate.
        index: dict[str, Code] = {}
        for code in self.codes:
            index.setdefault(code.id, code)
        return index

    def code(self, code_id: str) -> Code:
        """Return the code with this id; raise ``WB-CODEBOOK-013`` naming close ids if none."""
        try:
            return self._by_id[code_id]
        except KeyError:
            close = difflib.get_close_matches(str(code_id), self._by_id, n=3, cutoff=0.0)
            hint = f" Closest ids: {', '.join(close)}." if close else " The codebook is empty."
            raise CodebookError(
                13, f"no code '{code_id}' in codebook '{self.title}'.{hint}"
            ) from None

    def children(self, code_id: str | None) -> tuple[Code, ...]:
        """Return the direct children of a code in codebook order; ``None`` gives the top level."""
        if code_id is not None:
            self.code(code_id)
        return tuple(code for code in self.codes if code.parent == code_id)

    def ancestors(self, code_id: str) -> tuple[Code, ...]:
        """Return the parent, grandparent, ... of a code, nearest first."""
        chain: list[Code] = []
        code = self.code(code_id)
        while code.parent is not None:
            if code.parent not in self._by_id:
                raise CodebookError(
                    9,
                    f"code '{code.id}' field 'parent': '{code.parent}' is not a code in this "
                    "codebook. Run validate(codebook) to list every problem.",
                )
            code = self._by_id[code.parent]
            if code.id == code_id or code.id in {ancestor.id for ancestor in chain}:
                raise CodebookError(
                    10,
                    f"code '{code_id}' field 'parent': the parent chain loops. Run "
                    "validate(codebook) to see the loop.",
                )
            chain.append(code)
        return tuple(chain)

    def depth(self, code_id: str) -> int:
        """Return how many ancestors a code has: 0 for a top-level code."""
        return len(self.ancestors(code_id))

    def path(self, code_id: str, *, by: Literal["name", "id"] = "name") -> str:
        """Return the code's place in the hierarchy, top first, as ``"Parent/Child"``.

        Parameters
        ----------
        code_id : str
        by : {"name", "id"}
            Join the codes' names (for reading) or their ids (stable across renames).
        """
        if by not in ("name", "id"):
            raise CodebookError(14, f"path(by={by!r}) is not an option. Use by='name' or by='id'.")
        lineage = (*reversed(self.ancestors(code_id)), self.code(code_id))
        return "/".join(getattr(code, by) for code in lineage)

    def to_dict(self) -> dict[str, object]:
        """Return the codebook as plain data in the YAML file's layout (see ``codebooks/README``).

        Tuples become lists; optional fields that are empty (no parent, no examples, ...) are
        left out, so a hand-written file and a saved one look alike. Values are not checked or
        converted otherwise: ``validate`` reads this form.
        """
        codebook_part = {
            "title": self.title,
            "version": self.version,
            "authors": _plain(self.authors),
            "changelog": [
                {"version": entry.version, "date": entry.date, "text": entry.text}
                if isinstance(entry, ChangelogEntry)
                else entry
                for entry in self.changelog
            ],
            "references": _plain(self.references),
        }
        required = ("title", "version")
        return {
            **{
                key: value
                for key, value in codebook_part.items()
                if key in required or not _is_empty(key, value)
            },
            "codes": [_code_dict(code) for code in self.codes],
        }

    def to_frame(self) -> pd.DataFrame:
        """Return the codebook as a table, one row per code, in codebook order.

        Returns
        -------
        pandas.DataFrame
            Columns ``id``, ``name``, ``parent`` (missing for top-level codes), ``path``
            (names joined by "/"), ``depth`` (0 at the top), ``definition``, ``when_to_use``,
            ``when_not_to_use``, ``examples`` (tuple), ``color``, ``references`` (tuple),
            ``patterns`` (tuple).
        """
        rows = [
            {**vars(code), "path": self.path(code.id), "depth": self.depth(code.id)}
            for code in self.codes
        ]
        text_columns = dict.fromkeys(TEXT_COLUMNS, "str")
        return pd.DataFrame(rows, columns=list(FRAME_COLUMNS)).astype(
            {**text_columns, "depth": "int64"}
        )


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _is_empty(field: str, value: object) -> bool:
    # An empty-string parent is kept so that validate() can report it.
    return value is None or value == [] or (value == "" and field != "parent")


def _code_dict(code: object) -> object:
    if not isinstance(code, Code):
        return code
    required = ("id", "name", "definition")
    entry = {field: _plain(getattr(code, field)) for field in Code.__dataclass_fields__}
    return {
        key: value for key, value in entry.items() if key in required or not _is_empty(key, value)
    }
