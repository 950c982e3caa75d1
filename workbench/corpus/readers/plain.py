"""Plain text and Markdown: transcripts and field notes, with optional YAML front matter."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from workbench.corpus.header import header_date
from workbench.corpus.normalise import decode, normalise
from workbench.corpus.readers.base import SourceDocument
from workbench.errors import ImportError_
from workbench.safe_input import UnsafeYaml, load_yaml

_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)


def split_front_matter(text: str, name: str) -> tuple[dict, str]:
    """Split a leading ``---`` YAML block from the text; return (metadata, rest).

    The front matter is metadata, not data to be coded, so it is not part of the canonical
    text; its keys become document attributes.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = load_yaml(match.group(1)) or {}
    except UnsafeYaml as err:
        raise ImportError_(
            29, f"{name} line 2: the front matter is refused: {err}. Nothing was imported."
        ) from err
    except yaml.YAMLError as err:
        line = getattr(getattr(err, "problem_mark", None), "line", 0) + 2
        raise ImportError_(
            6, f"{name} line {line}: the front matter between '---' lines is not valid YAML "
            f"({getattr(err, 'problem', err)}). Fix it or remove the block."
        ) from err
    if not isinstance(meta, dict):
        raise ImportError_(
            7, f"{name} line 2: the front matter must be 'key: value' lines. Fix the block."
        )
    return {str(k): v for k, v in meta.items()}, text[match.end():]


def read_plain(path: Path, data: bytes, *, encoding: str | None = None) -> list[SourceDocument]:
    """Read a ``.txt`` or ``.md`` file.

    The front matter is part of the document's identity: two field notes with the same body
    but a different date or ward are two observations, and both are kept.
    """
    decoded = decode(data, path, encoding)
    meta, text = split_front_matter(normalise(decoded.text), path.name)
    if not text.strip():
        raise ImportError_(3, f"{path.name}: the file has no text. Remove it from the import.")
    date = meta.get("date") or header_date(text)
    return [
        SourceDocument(
            name=path.name,
            text=text,
            format=path.suffix.lower().lstrip("."),
            encoding=decoded.encoding,
            attributes={**meta, "date": date} if date else meta,
            identity=front_matter_identity(meta),
        )
    ]


def front_matter_identity(meta: dict) -> str:
    """The front matter as canonical JSON (keys sorted), or "" when there is none, so that a
    file without front matter keeps the id of its text alone."""
    return json.dumps(meta, sort_keys=True, ensure_ascii=False, default=str) if meta else ""
