"""Which segments a topic run reads: the unit's segments, narrowed by ``where``.

``where`` maps a key to a value or a list of values: ``document`` (a document's name or id),
``speaker`` (a turn's speaker label), or any document or case attribute (``role``, ``ward``,
``kind``, ``date``: the document's own value, else its case's). A segment is kept when it
matches every key.

By default a run reads what people said (:func:`spoken`): in a document with speaker turns
(an interview, a survey answer), text outside every turn is a heading, a question key or a
transcript's header, not anyone's words, and such lines, repeated in every document of a kind,
would otherwise make topics of their own. Documents without turns (field notes) are read whole.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

import numpy as np
import pandas as pd

from workbench.coding.queries import document_attribute
from workbench.errors import TopicsError

__all__ = ["listed", "selected", "spoken"]


def listed(value: object) -> list[str]:
    """The values asked for, as text (attribute values are compared as stored)."""
    values = value if isinstance(value, (list, tuple, set, frozenset)) else [value]
    return [str(v) for v in values]


def _as_text(values: pd.Series) -> pd.Series:
    """A column as the text the store holds (dates as ISO dates, whole numbers unpadded)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d")
    if pd.api.types.is_float_dtype(values):
        whole = values.notna() & (values % 1 == 0)
        return values.astype(object).where(~whole, values[whole].astype("Int64").astype(str)
                                           ).astype(str)
    return values.astype(str)


def _column(conn: sqlite3.Connection, segments: pd.DataFrame, key: str) -> pd.Series:
    """Each segment's value of ``key``, as text."""
    if key == "speaker":
        return segments["speaker"].astype(str)
    if key == "document":
        return segments["document"].astype(str)
    return _as_text(segments["doc_id"].map(document_attribute(conn, key)))


def selected(conn: sqlite3.Connection, segments: pd.DataFrame,
             where: Mapping[str, object] | None) -> np.ndarray:
    """A boolean mask over ``segments``: those matching every key of ``where``.

    Raises
    ------
    TopicsError
        WB-TOPICS-002 when ``where`` is not a mapping or no segment matches it (it names the
        selection and the values there are); CodingError WB-CODING-031 for an unknown
        attribute (it lists the known ones).
    """
    keep = np.ones(len(segments), dtype=bool)
    if where is None:
        return keep
    if not isinstance(where, Mapping):
        raise TopicsError(2, f"where={where!r} is not a mapping of key to values. Write e.g. "
                          "where={'role': 'nurse'} or where={'speaker': ['P01', 'P02']}.")
    for key, value in where.items():
        column = _column(conn, segments, key)
        matches = column.isin(listed(value))
        if key == "document":
            matches |= segments["doc_id"].isin(listed(value))
        before, keep = keep, keep & matches.to_numpy()
        if not keep.any():
            present = sorted(column[before].dropna().unique())[:12]
            among = f" among those where={dict(where)!r} selects" if len(where) > 1 else ""
            raise TopicsError(2, f"no segment has {key} in {listed(value)}{among}, so there "
                              f"is nothing to find topics in. Values of {key} there: "
                              f"{', '.join(map(str, present)) or 'none'}.")
    return keep


def spoken(conn: sqlite3.Connection, segments: pd.DataFrame) -> np.ndarray:
    """A boolean mask over ``segments``: those with a speaker, and every segment of a document
    that has no speaker turns."""
    with_turns = {row[0] for row in conn.execute(
        "SELECT DISTINCT doc_id FROM segments WHERE unit = 'turn'")}
    return (segments["speaker"].notna() | ~segments["doc_id"].isin(with_turns)).to_numpy()
