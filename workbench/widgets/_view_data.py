"""What the coding widget shows, read through the ``Project`` facade as plain lists of dicts.

The widget's front end receives these lists as synced traits. Offsets stay in Unicode code
points of the canonical text, as everywhere in a project; the front end converts them to the
UTF-16 code units that browsers count.
"""

from __future__ import annotations

import colorsys
import math
import re

import pandas as pd

from workbench.project import Project

#: Colours for codes the codebook gives none (Tableau 10, readable on white).
PALETTE = ("#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1",
           "#FF9DA7", "#9C755F", "#BAB0AC")
#: A colour the front end may put into a style attribute as it is.
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
#: Lightness steps (HLS) that set the n-th child of a code apart from its parent and from its
#: siblings: lighter and darker in turn, wider steps first.
_SHADE_STEPS = (0.14, -0.14, 0.26, -0.26, 0.07, -0.07, 0.20, -0.20)


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    """Rows as dicts of plain Python values (NaN and None both become None)."""
    rows = frame[columns].astype(object).to_dict("records")
    for row in rows:
        for key, value in row.items():
            if isinstance(value, float) and math.isnan(value):
                row[key] = None
            elif hasattr(value, "item"):
                row[key] = value.item()
    return rows


def document_list(project: Project) -> list[dict]:
    """The documents to move between: doc_id, name, kind, in the project's order."""
    return _records(project.documents(), ["doc_id", "name", "kind"])


def code_tree(project: Project) -> list[dict]:
    """Every code (retired ones too, for colouring old codings) in tree order.

    Each dict: code_id, name, parent_id, depth, path, definition, color, status. A code
    without a colour (as ``#rrggbb``) takes a shade of its parent's (see ``child_shade``),
    or, at the top of the tree, one from ``PALETTE``.
    """
    frame = project.codes(include_retired=True)
    rows = _records(frame, ["code_id", "name", "parent_id", "path", "definition", "color",
                            "status"])
    children: dict[str | None, list[dict]] = {}
    known = {row["code_id"] for row in rows}
    for row in rows:
        parent = row["parent_id"] if row["parent_id"] in known else None
        children.setdefault(parent, []).append(row)
    ordered: list[dict] = []

    def visit(parent: str | None, depth: int, color: str | None) -> None:
        for position, row in enumerate(children.get(parent, [])):
            row["depth"] = depth
            if not _COLOUR.fullmatch(row["color"] or ""):
                row["color"] = (child_shade(color, position) if color
                                else PALETTE[len(ordered) % len(PALETTE)])
            ordered.append(row)
            visit(row["code_id"], depth + 1, row["color"])

    visit(None, 0, None)
    return ordered


def child_shade(parent: str, position: int) -> str:
    """The colour of the ``position``-th child (from 0) of a code coloured ``parent``
    (``#rrggbb``), for a child the codebook gives no colour of its own.

    The child keeps its parent's hue and saturation, so a family reads as one, and takes a
    lightness step from ``_SHADE_STEPS`` (lighter and darker in turn). Lightness stays in the
    readable range 0.15-0.85: a step past one end wraps round to the other, so siblings never
    share a colour with each other or with their parent. Grandchildren step from their
    parent's shade, so the shade also changes with depth. The same codebook always gives the
    same colours.

    >>> child_shade("#4E79A7", 0), child_shade("#4E79A7", 1)
    ('#7B9DC1', '#375676')
    """
    red, green, blue = (int(parent[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    step = _SHADE_STEPS[position % len(_SHADE_STEPS)]
    shaded = 0.15 + (lightness + step - 0.15) % 0.70
    channels = colorsys.hls_to_rgb(hue, shaded, saturation)
    return "#" + "".join(f"{round(c * 255):02X}" for c in channels)


def turn_list(project: Project, doc_id: str) -> list[dict]:
    """Speaker turns of a document: start, end (code points), speaker."""
    return _records(project.segments("turn", doc_id), ["start", "end", "speaker"])


def coding_list(project: Project, doc_id: str, coder: str | None) -> list[dict]:
    """Active codings of a document (only ``coder``'s when given): coding_id, start, end,
    code_id, code, coder, origin, created_at."""
    frame = project.codings(doc_id=doc_id, coder=coder)
    return _records(frame, ["coding_id", "start", "end", "code_id", "code", "coder", "origin",
                            "created_at"])


def suggestion_list(project: Project, doc_id: str) -> list[dict]:
    """Pending suggestions in a document: suggestion_id, start, end, code_id, code, rule."""
    frame = project.suggestions("pending")
    frame = frame[frame["doc_id"] == doc_id]
    return _records(frame, ["suggestion_id", "start", "end", "code_id", "code", "rule"])


def memo_list(project: Project, doc_id: str, coding_ids: list[str],
              authors: set[str] | None) -> list[dict]:
    """Memos on the document and on the given codings, oldest first (only by ``authors``
    when given): memo_id, target_kind, target_id, author, text, created_at."""
    frame = project.memos()
    on_document = (frame["target_kind"] == "document") & (frame["target_id"] == doc_id)
    on_codings = (frame["target_kind"] == "coding") & frame["target_id"].isin(coding_ids)
    frame = frame[on_document | on_codings]
    if authors is not None:
        frame = frame[frame["author"].isin(authors)]
    return _records(frame, ["memo_id", "target_kind", "target_id", "author", "text",
                            "created_at"])
