"""Read and write codebooks as YAML files, and render one as a Markdown table.

The file format is described field by field in ``codebooks/README.md``. Files are read with
``yaml.safe_load``, which builds only plain data (text, numbers, dates, lists, mappings), so a
codebook file cannot run code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import yaml

from workbench.codebook.model import ChangelogEntry, Code, Codebook
from workbench.codebook.validate import check
from workbench.errors import CodebookError
from workbench.safe_input import UnsafeYaml, load_yaml

__all__ = ["load_codebook", "save_codebook", "dump_yaml", "to_markdown_table"]

TEXT_SOURCE_NAME = "codebook text"
INITIALS = re.compile(r"(?:[A-Za-z]\.[\s-]?)+")


def load_codebook(source: str | os.PathLike[str]) -> Codebook:
    """Read a codebook from a YAML file (or YAML text) and check it.

    Parameters
    ----------
    source : str or path-like
        A path to a ``.yaml`` file, or the YAML text itself: a ``str`` that contains a line
        break is read as YAML text, any other ``str`` or a ``Path`` as a file path.

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        ``WB-CODEBOOK-001`` the file cannot be read; ``-002`` YAML syntax error (names the file,
        line and column); any problem ``validate`` finds, all listed in one message.

    Examples
    --------
    >>> book = load_codebook('''
    ... title: Demo
    ... version: 1
    ... codes:
    ...   - id: workarounds
    ...     name: Workarounds
    ...     definition: Ways around a system that does not fit the work.
    ... ''')
    >>> book.code("workarounds").name
    'Workarounds'
    """
    if isinstance(source, str) and "\n" in source:
        return _codebook_from_yaml(source, source_name=TEXT_SOURCE_NAME)
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as err:
        raise CodebookError(
            1, f"{path}: no such file. Check the path (it is read relative to {Path.cwd()})."
        ) from err
    except UnicodeDecodeError as err:
        raise CodebookError(
            1, f"{path.name}: byte {err.start} is not UTF-8 text. Save the file as UTF-8."
        ) from err
    except OSError as err:
        raise CodebookError(1, f"{path}: cannot read the file ({err.strerror}).") from err
    return _codebook_from_yaml(text, source_name=path.name)


def _codebook_from_yaml(text: str, *, source_name: str = TEXT_SOURCE_NAME) -> Codebook:
    """Parse and check codebook YAML text; ``source_name`` names it in error messages."""
    try:
        raw = load_yaml(text)
    except UnsafeYaml as err:
        raise CodebookError(3, f"{source_name}: the codebook is refused: {err}.") from err
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CodebookError(
            2,
            f"{source_name}{where}: YAML syntax error: {err.problem or err.context}. Check "
            "the indentation, and put text containing ': ' or starting with a quote in quotes.",
        ) from err
    except yaml.YAMLError as err:
        raise CodebookError(2, f"{source_name}: YAML syntax error: {err}.") from err
    check(raw, source=source_name)
    return _codebook_from_mapping(raw)


def save_codebook(codebook: Codebook, path: str | os.PathLike[str]) -> None:
    """Check a codebook and write it as a YAML file; an invalid codebook writes nothing.

    The file is written next to its final name first and then moved into place, so an
    interrupted save never leaves half a codebook behind.
    """
    path = Path(path)
    check(codebook, source=path.name)
    text = dump_yaml(codebook.to_dict())
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def dump_yaml(data: object) -> str:
    """Write plain data as YAML that ``yaml.safe_load`` reads back exactly.

    Multi-line text is written as a literal block (``|``), which reads like the text itself.
    """
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, quoting the text its own reader would otherwise misread."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # PyYAML writes NEL (U+0085) raw inside single quotes and reads it back as a line break
    # folded to a space (found by the round-trip test). Double quotes escape it; the other
    # Unicode line breaks, LS and PS, get the same treatment.
    if any(character in text for character in "\x85\u2028\u2029"):
        style = '"'
    elif "\n" in text:
        style = "|"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def to_markdown_table(codebook: Codebook) -> str:
    """Render one row per code: id, name, parent, first sentence of the definition, citations.

    Citations are shortened to surnames and year: ``"Star & Strauss 1999"``, and
    ``"Carayon et al. 2006"`` for three or more authors.

    Examples
    --------
    >>> book = Codebook("Demo", 1, codes=(Code("repair", "Repair", None,
    ...     "Fixing what breaks. More text.", references=("Jackson, S. J. (2014). Rethinking "
    ...     "repair.",)),))
    >>> print(to_markdown_table(book))
    | id | name | parent | definition | citation |
    |---|---|---|---|---|
    | repair | Repair |  | Fixing what breaks. | Jackson 2014 |
    """
    lines = ["| id | name | parent | definition | citation |", "|---|---|---|---|---|"]
    for code in codebook.codes:
        cells = (
            code.id,
            code.name,
            code.parent or "",
            _first_sentence(code.definition),
            "; ".join(_short_citation(reference) for reference in code.references),
        )
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return "\n".join(lines)


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip(), flags=re.DOTALL)
    return match.group(1) if match else text.strip()


def _short_citation(reference: str) -> str:
    # "Star, S. L., & Strauss, A. (1999). Layers ..." gives "Star & Strauss 1999".
    match = re.match(r"(.+?)\s*\((\d{4}[a-z]?)\)", reference)
    if not match:
        return reference
    authors, year = match.groups()
    parts = re.split(r",\s*(?:&\s*)?", authors)
    surnames = [part for part in parts if not INITIALS.fullmatch(part) and part != "et al"]
    if len(surnames) == len(parts):  # an organisation, not people with initials
        return f"{authors.rstrip('.')} {year}"
    if len(surnames) > 2 or "et al" in parts:
        return f"{surnames[0]} et al. {year}"
    return f"{' & '.join(surnames)} {year}"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _codebook_from_mapping(raw: Mapping[str, object]) -> Codebook:
    # Only called on data that check() accepted, so types are known.
    return Codebook(
        title=raw["title"],
        version=raw["version"],
        authors=tuple(raw.get("authors", ())),
        changelog=tuple(
            ChangelogEntry(entry["version"], _as_date(entry["date"]), entry["text"])
            for entry in raw.get("changelog", ())
        ),
        references=tuple(raw.get("references", ())),
        codes=tuple(_code_from_mapping(code) for code in raw["codes"]),
    )


def _code_from_mapping(raw: Mapping[str, object]) -> Code:
    return Code(
        id=raw["id"],
        name=raw["name"],
        parent=raw.get("parent"),
        definition=raw["definition"],
        when_to_use=raw.get("when_to_use", ""),
        when_not_to_use=raw.get("when_not_to_use", ""),
        examples=tuple(raw.get("examples", ())),
        color=raw.get("color"),
        references=tuple(raw.get("references", ())),
        patterns=tuple(raw.get("patterns", ())),
    )


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
