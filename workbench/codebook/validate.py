"""Check a codebook before it is saved, loaded or used: every problem, named and fixable.

The checks work on the plain data of a YAML file (so a misspelt key is caught before it is
silently ignored) and on a ``Codebook`` (through ``Codebook.to_dict``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from workbench.codebook.model import ChangelogEntry, Code, Codebook
from workbench.errors import CodebookError

__all__ = ["Problem", "validate", "check", "slugify", "CODEBOOK_FIELDS", "CODE_FIELDS"]

CODEBOOK_FIELDS = tuple(Codebook.__dataclass_fields__)
CODE_FIELDS = tuple(Code.__dataclass_fields__)
CHANGELOG_FIELDS = tuple(ChangelogEntry.__dataclass_fields__)
TEXT_LIST_FIELDS = ("examples", "references", "patterns")

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a codebook.

    ``code_id`` is the code at fault (``"#3"`` for the third code when it has no usable id;
    None for the codebook's own fields); ``field`` the field at fault; ``message`` says what is
    wrong and what to do, naming both; ``number`` is the ``WB-CODEBOOK`` error number.
    """

    number: int
    code_id: str | None
    field: str
    message: str

    def __str__(self) -> str:
        return str(CodebookError(self.number, self.message))


def slugify(text: str) -> str:
    """Turn a name into an id slug: ``"Alert fatigue (nights)"`` gives ``"alert-fatigue-nights"``.

    Letters are lower-cased and reduced to ASCII where they have an ASCII form; anything else
    becomes a hyphen. A name with nothing left gives ``"code"``.

    >>> slugify("Überweisung / Referral")
    'uberweisung-referral'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "code"


def validate(codebook: Codebook | Mapping[str, object]) -> list[Problem]:
    """List every problem in a codebook, or in the plain data read from a codebook file.

    Checks: the codebook's fields (unknown keys, with the closest allowed key suggested; title,
    a version that is a whole number from 1; authors, references and changelog entries); and
    for every code: unknown keys, id present and a slug, ids unique, a non-empty name and
    definition, a parent that is a code of the codebook, no loops in the parent chain, colour
    as ``#RRGGBB``, text fields and lists of text where expected.

    Parameters
    ----------
    codebook : Codebook or mapping
        A ``Codebook``, or the mapping ``yaml.safe_load`` returns for a codebook file.

    Returns
    -------
    list of Problem
        Empty when the codebook is valid. In file order: codebook fields first, then codes.
    """
    raw = codebook.to_dict() if isinstance(codebook, Codebook) else codebook
    if not isinstance(raw, Mapping):
        kind = "empty" if raw is None else f"a {type(raw).__name__}, not a mapping"
        return [
            Problem(
                3,
                None,
                "codebook",
                f"the codebook is {kind}. A codebook file starts with "
                "'title:', 'version:' and 'codes:' lines.",
            )
        ]
    problems = _codebook_problems(raw)
    codes = raw.get("codes")
    if isinstance(codes, list):
        problems += _codes_problems(codes)
    return problems


def check(codebook: Codebook | Mapping[str, object], *, source: str | None = None) -> None:
    """Raise one ``CodebookError`` listing every problem, or return if there is none.

    The error carries the first problem's number; its message names ``source`` (a file name)
    when given, and lists the other problems after the first.
    """
    problems = validate(codebook)
    if not problems:
        return
    first, *rest = problems
    prefix = f"{source}: " if source else ""
    message = prefix + first.message
    if rest:
        listed = "\n".join(f"  {problem}" for problem in rest)
        message += f"\n{len(rest)} more problem(s) in {source or 'this codebook'}:\n{listed}"
    raise CodebookError(first.number, message)


def _unknown_keys(
    keys: object, allowed: tuple[str, ...], owner: str, code_id: str | None
) -> list[Problem]:
    problems = []
    for key in keys:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        problems.append(
            Problem(
                4,
                code_id,
                str(key),
                f"{owner} has an unknown field '{key}'. {hint}"
                f"Allowed fields: {', '.join(allowed)}.",
            )
        )
    return problems


def _is_text_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) and item for item in value)


def _codebook_problems(raw: Mapping[str, object]) -> list[Problem]:
    problems = _unknown_keys(raw, CODEBOOK_FIELDS, "the codebook", None)

    def problem(number: int, field: str, text: str) -> None:
        problems.append(Problem(number, None, field, f"codebook field '{field}': {text}"))

    for field in ("title", "version", "codes"):
        if field not in raw:
            problem(5, field, "missing. Add it at the top level of the file.")
    title = raw.get("title")
    if "title" in raw and not (isinstance(title, str) and title.strip()):
        problem(6, "title", "must be a non-empty text, e.g. 'Sociotechnical codebook'.")
    version = raw.get("version")
    if "version" in raw and not _is_version(version):
        problem(6, "version", f"{version!r} is not a whole number from 1. Write e.g. 'version: 2'.")
    for field in ("authors", "references"):
        if field in raw and not _is_text_list(raw[field]):
            problem(6, field, "must be a list of non-empty texts, one per line starting '- '.")
    if "codes" in raw and not isinstance(raw["codes"], list):
        problem(3, "codes", "must be a list of codes, each starting with '- id: ...'.")
    changelog = raw.get("changelog", [])
    if not isinstance(changelog, list):
        problem(6, "changelog", "must be a list of entries with version, date and text.")
    else:
        for position, entry in enumerate(changelog, start=1):
            problems.extend(_changelog_problems(position, entry))
    return problems


def _is_version(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _changelog_problems(position: int, entry: object) -> list[Problem]:
    owner = f"changelog entry #{position}"
    if not isinstance(entry, Mapping):
        return [
            Problem(
                3,
                None,
                "changelog",
                f"codebook field 'changelog': {owner} must be a mapping "
                "with version, date and text.",
            )
        ]
    problems = _unknown_keys(entry, CHANGELOG_FIELDS, owner, None)

    def problem(field: str, text: str) -> None:
        problems.append(Problem(6, None, "changelog", f"{owner} field '{field}': {text}"))

    if not _is_version(entry.get("version")):
        problem("version", "must be a whole number from 1, the codebook version it describes.")
    if not _is_date(entry.get("date")):
        problem("date", f"{entry.get('date')!r} is not a date. Write it as YYYY-MM-DD.")
    text = entry.get("text")
    if not (isinstance(text, str) and text.strip()):
        problem("text", "must say what changed in this version.")
    return problems


def _is_date(value: object) -> bool:
    if isinstance(value, datetime):
        return False
    if isinstance(value, date):
        return True
    if isinstance(value, str):
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return len(value) == 10
    return False


def _codes_problems(codes: list[object]) -> list[Problem]:
    problems: list[Problem] = []
    mappings: list[tuple[int, str, Mapping[str, object]]] = []
    for position, code in enumerate(codes, start=1):
        label = _label(position, code)
        if isinstance(code, Mapping):
            mappings.append((position, label, code))
        else:
            problems.append(
                Problem(
                    3,
                    label,
                    "codes",
                    f"code '{label}' is not a mapping. Each code starts "
                    "with '- id: ...' followed by its fields, indented.",
                )
            )
    for _, label, code in mappings:
        problems += _code_problems(label, code)
    problems += _duplicate_problems(mappings)
    problems += _parent_problems(mappings)
    problems += _cycle_problems(mappings)
    return problems


def _label(position: int, code: object) -> str:
    if isinstance(code, Mapping) and isinstance(code.get("id"), str) and code["id"]:
        return code["id"]
    return f"#{position}"


def _code_problems(label: str, code: Mapping[str, object]) -> list[Problem]:
    problems = _unknown_keys(code, CODE_FIELDS, f"code '{label}'", label)

    def problem(number: int, field: str, text: str) -> None:
        problems.append(Problem(number, label, field, f"code '{label}' field '{field}': {text}"))

    code_id = code.get("id")
    if code_id is None:
        problem(5, "id", "missing. Add a short slug such as 'alert-fatigue'.")
    elif not (isinstance(code_id, str) and SLUG.fullmatch(code_id)):
        suggestion = slugify(str(code_id))
        problem(
            7,
            "id",
            f"{code_id!r} is not a slug (lower-case letters, digits and single "
            f"hyphens). Use '{suggestion}'.",
        )
    name = code.get("name")
    if not (isinstance(name, str) and name.strip()):
        problem(5, "name", "missing or empty. Give the label coders will see.")
    elif "\n" in name:
        problem(6, "name", "must fit on one line.")
    definition = code.get("definition")
    if not (isinstance(definition, str) and definition.strip()):
        problem(
            11,
            "definition",
            "missing or empty. Write a sentence or two saying what the "
            "code means, so that two coders apply it alike.",
        )
    for field in ("when_to_use", "when_not_to_use"):
        if field in code and not isinstance(code[field], str):
            problem(6, field, "must be text.")
    parent = code.get("parent")
    if parent is not None and not isinstance(parent, str):
        problem(6, "parent", f"{parent!r} must be the id of another code, or left out.")
    for field in TEXT_LIST_FIELDS:
        if field in code and not _is_text_list(code[field]):
            problem(6, field, "must be a list of non-empty texts, one per line starting '- '.")
    color = code.get("color")
    if color is not None and not (isinstance(color, str) and COLOR.fullmatch(color)):
        problem(
            12,
            "color",
            f"{color!r} is not a colour written #RRGGBB (e.g. '#E15759'). "
            "Fix it or leave 'color' out.",
        )
    return problems


def _duplicate_problems(mappings: list[tuple[int, str, Mapping[str, object]]]) -> list[Problem]:
    positions: dict[str, list[int]] = {}
    for position, label, code in mappings:
        if label == code.get("id"):
            positions.setdefault(label, []).append(position)
    return [
        Problem(
            8,
            code_id,
            "id",
            f"code '{code_id}' field 'id': {len(found)} codes use this id "
            f"(codes #{', #'.join(map(str, found))}). Give each code its own id.",
        )
        for code_id, found in positions.items()
        if len(found) > 1
    ]


def _parent_problems(mappings: list[tuple[int, str, Mapping[str, object]]]) -> list[Problem]:
    ids = [label for _, label, code in mappings if label == code.get("id")]
    problems = []
    for _, label, code in mappings:
        parent = code.get("parent")
        if not isinstance(parent, str) or parent in ids:
            continue
        close = difflib.get_close_matches(parent, ids, n=3, cutoff=0.0)
        choices = (
            f"Use one of the codebook's ids (closest: {', '.join(close)}), or"
            if close
            else "Add that code, or"
        )
        problems.append(
            Problem(
                9,
                label,
                "parent",
                f"code '{label}' field 'parent': '{parent}' is not a code "
                f"in this codebook. {choices} leave 'parent' out for a top-level code.",
            )
        )
    return problems


def _cycle_problems(mappings: list[tuple[int, str, Mapping[str, object]]]) -> list[Problem]:
    parent_of = {
        label: code["parent"]
        for _, label, code in mappings
        if label == code.get("id") and isinstance(code.get("parent"), str)
    }
    problems = []
    reported: set[frozenset[str]] = set()
    for start in parent_of:
        chain = [start]
        while (parent := parent_of.get(chain[-1])) is not None and parent not in chain:
            chain.append(parent)
        if parent is None:
            continue
        loop = chain[chain.index(parent) :]
        if frozenset(loop) in reported:
            continue
        reported.add(frozenset(loop))
        shown = " → ".join([*loop, loop[0]])
        problems.append(
            Problem(
                10,
                loop[0],
                "parent",
                f"code '{loop[0]}' field 'parent': the parent chain loops "
                f"({shown}). Point one of these codes at another parent, or leave its 'parent' "
                "out.",
            )
        )
    return problems
