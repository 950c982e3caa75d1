"""Codings: a code applied by a named coder to a span of a document's canonical text.

Spans count Unicode code points, end exclusive (``text[start:end]``), like every offset in a
project. Codings may overlap and nest. Removing one marks it removed: it stays in the
project and in the audit log, and no view shows it.
"""

from __future__ import annotations

import json
import numbers
import sqlite3
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.codebook.store import code_names, descendant_ids, require_code, status_of
from workbench.coding.layers import check_person, counting_layer, listing_layer
from workbench.coding.memos import write_memo
from workbench.corpus.views import document_lengths, find_document, quote
from workbench.errors import CodebookError, CodingError
from workbench.store import append_audit
from workbench.store.audit import now
from workbench.store.ids import new_id, new_ids

ORIGINS = ("manual", "suggestion-accepted", "imported", "consensus")
#: The origins a person's codings can have; ``consensus`` is written by reconciling only.
PERSON_ORIGINS = ORIGINS[:3]
CODING_COLUMNS = ["coding_id", "doc_id", "document", "case_id", "start", "end", "code_id",
                  "code", "coder", "origin", "created_at", "text"]


@dataclass(frozen=True)
class Coding:
    """One stored coding; ``text`` is the quoted passage ``document.text[start:end]``."""

    coding_id: str
    doc_id: str
    start: int
    end: int
    code_id: str
    coder: str
    origin: str
    created_at: str
    text: str


def _document_length(conn: sqlite3.Connection, doc_id: str) -> int:
    row = find_document(conn, doc_id, by_name=False, active=False)
    if row is None:
        raise CodingError(1, f"no document '{doc_id}' in this project. See project.documents().")
    if row["status"] != "active":
        raise CodingError(2, f"document '{row['name']}' was deleted; it cannot be coded.")
    return row["n_chars"]


def whole_number(value: object) -> int | None:
    """``value`` as an ``int`` if it is a whole number, else None.

    Python and numpy integers count, and so do floats with nothing after the point (a column
    pandas read as float); ``True``/``False``, fractions, NaN, text and None do not.
    """
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and np.isfinite(value) and float(value).is_integer():
        return int(value)
    return None


def check_span(doc_id: str, start: int, end: int, length: int) -> None:
    """Refuse a span that is reversed, empty or outside the document."""
    if whole_number(start) is None or whole_number(end) is None:
        raise CodingError(3, f"start and end must be whole numbers, got {start!r} and {end!r}.")
    if start > end:
        raise CodingError(4, f"span {start}-{end} in '{doc_id}' is reversed: start comes after "
                          "end. Swap them.")
    if start == end:
        raise CodingError(5, f"span {start}-{end} in '{doc_id}' is empty. Select some text.")
    if start < 0 or end > length:
        raise CodingError(6, f"span {start}-{end} is outside document '{doc_id}', which has "
                          f"{length} characters (0-{length}).")


def _code_id(conn: sqlite3.Connection, code: str) -> str:
    try:
        return require_code(conn, code).id
    except CodebookError as err:
        raise CodingError(7, err.message) from err


def code(conn: sqlite3.Connection, doc_id: str, start: int, end: int, code: str, coder: str,
         *, origin: str = "manual", memo: str | None = None) -> Coding:
    """Store one coding (and its memo) in the caller's transaction; see ``Project.code``."""
    if origin not in ORIGINS:
        raise CodingError(8, f"origin={origin!r} is not one of: {', '.join(ORIGINS)}.")
    check_person(coder, origin=origin)
    check_span(doc_id, start, end, _document_length(conn, doc_id))
    start, end = int(start), int(end)
    code_id = _code_id(conn, code)
    coding = Coding(new_id("coding"), doc_id, start, end, code_id, coder, origin, now(),
                    quote(conn, doc_id, start, end))
    conn.execute("INSERT INTO codings (coding_id, doc_id, start, \"end\", code_id, coder, "
                 "origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (coding.coding_id, doc_id, start, end, code_id, coder, origin,
                  coding.created_at))
    append_audit(conn, actor=coder, action="code", entity="coding", entity_id=coding.coding_id,
                 after={k: v for k, v in vars(coding).items() if k != "text"})
    if memo:
        write_memo(conn, "coding", coding.coding_id, memo, coder)
    return coding


def segment_span(conn: sqlite3.Connection, segment_id: str) -> tuple[str, int, int]:
    """(doc_id, start, end) of a segment id such as ``3f9a...-t00012``."""
    doc_id, _, rest = segment_id.rpartition("-")
    units = {"t": "turn", "p": "paragraph", "s": "sentence"}
    if not doc_id or not rest[1:].isdigit() or rest[:1] not in units:
        raise CodingError(9, f"'{segment_id}' is not a segment id (like '<doc_id>-s00012'). "
                          "Take ids from project.segments().")
    row = conn.execute('SELECT start, "end" FROM segments WHERE doc_id = ? AND unit = ? '
                       "AND ordinal = ?", (doc_id, units[rest[0]], int(rest[1:]))).fetchone()
    if row is None:
        raise CodingError(10, f"no segment '{segment_id}' in this project.")
    return doc_id, row[0], row[1]


def uncode(conn: sqlite3.Connection, coding_id: str, coder: str) -> None:
    """Mark a coding removed (kept in the project and the audit log)."""
    row = conn.execute("SELECT * FROM codings WHERE coding_id = ?", (coding_id,)).fetchone()
    if row is None or row["status"] != "active":
        state = "was already removed" if row else "does not exist"
        raise CodingError(11, f"coding '{coding_id}' {state}. See project.codings().")
    conn.execute("UPDATE codings SET status = 'removed' WHERE coding_id = ?", (coding_id,))
    append_audit(conn, actor=coder, action="uncode", entity="coding", entity_id=coding_id,
                 before=dict(row), after={"status": "removed"})


def active_coding_ids(conn: sqlite3.Connection, *, code_id: str | None = None,
                      coder: str | None = None, origin: str | None = None,
                      doc_ids: list[str] | None = None) -> list[str]:
    """The ids of the active codings that match every filter given, in storage order."""
    where, params = ["status = 'active'"], []
    for column, value in (("code_id", code_id), ("coder", coder), ("origin", origin)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if doc_ids is not None:
        where.append("doc_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(doc_ids)))
    rows = conn.execute(f"SELECT coding_id FROM codings WHERE {' AND '.join(where)} "
                        "ORDER BY rowid", params)
    return [r[0] for r in rows]


def _active_rows(conn: sqlite3.Connection, coding_ids: list[str]) -> list[dict]:
    """The stored rows of ``coding_ids``, in that order; refuse one missing or removed."""
    rows = {r["coding_id"]: dict(r) for r in conn.execute(
        "SELECT * FROM codings WHERE coding_id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(coding_ids)),))}
    for coding_id in coding_ids:
        row = rows.get(coding_id)
        if row is None or row["status"] != "active":
            state = "was already removed" if row else "does not exist"
            raise CodingError(24, f"coding '{coding_id}' {state}, so none of the "
                              f"{len(coding_ids)} codings was changed. See project.codings().")
    return [rows[c] for c in coding_ids]


def uncode_many(conn: sqlite3.Connection, coding_ids: list[str], actor: str, *,
                action: str = "uncode") -> None:
    """Mark many codings removed, each audited as :func:`uncode` audits one (``action``
    names why, e.g. ``"uncode (reconcile again)"``); all are checked before any changes."""
    rows = _active_rows(conn, coding_ids)
    conn.executemany("UPDATE codings SET status = 'removed' WHERE coding_id = ?",
                     [(c,) for c in coding_ids])
    for row in rows:
        append_audit(conn, actor=actor, action=action, entity="coding",
                     entity_id=row["coding_id"], before=row, after={"status": "removed"})


def recode_many(conn: sqlite3.Connection, coding_ids: list[str], code_id: str, actor: str, *,
                action: str = "recode") -> None:
    """Give many codings the code ``code_id`` (an active code, by id or name); their spans,
    coders and ids stay. Each is audited with its code before and after (``action`` names
    why, e.g. ``"recode (merge)"``); all are checked before any changes."""
    target = _code_id(conn, code_id)
    rows = _active_rows(conn, coding_ids)
    conn.executemany("UPDATE codings SET code_id = ? WHERE coding_id = ?",
                     [(target, c) for c in coding_ids])
    for row in rows:
        append_audit(conn, actor=actor, action=action, entity="coding",
                     entity_id=row["coding_id"], before={"code_id": row["code_id"]},
                     after={"code_id": target})


def code_many(conn: sqlite3.Connection, rows: pd.DataFrame, coder: str | None,
              origin: str = "imported", *, origins: tuple[str, ...] = ORIGINS) -> list[str]:
    """Store many codings at once, checked first as a whole; returns their ids.

    ``rows`` has columns doc_id, start, end, code and optionally coder, origin, created_at.
    Validation is vectorised: every row is checked before any is written. Offsets must be
    whole numbers (NaN, None, fractions and booleans are refused with their row); coders may
    not be empty or a layer's name (``layers.RESERVED``), except coder ``"consensus"`` with
    origin ``"consensus"``, which is how ``reliability.reconcile`` writes the consensus layer.
    ``origins`` narrows the origins allowed (``Project.code_many`` passes ``PERSON_ORIGINS``).
    """
    required = {"doc_id", "start", "end", "code"}
    missing = required - set(rows.columns)
    if missing:
        raise CodingError(12, f"code_many needs columns {', '.join(sorted(required))}; "
                          f"missing: {', '.join(sorted(missing))}.")
    frame = rows.reset_index(drop=True).copy()
    if "coder" not in frame:
        if coder is None:
            raise CodingError(13, "code_many needs a coder column or coder=...")
        frame["coder"] = coder
    frame["origin"] = frame.get("origin", origin)
    bad_origin = ~frame["origin"].isin(origins)
    if bad_origin.any():
        first = int(bad_origin.idxmax())
        if frame["origin"][first] == "consensus":
            raise CodingError(16, f"row {first}: origin 'consensus' is the reconciled layer's; "
                              "only project.reconcile() writes it. Use origin 'manual' or "
                              "'imported'.")
        raise CodingError(8, f"row {first}: origin {frame['origin'][first]!r} is not one of: "
                          f"{', '.join(origins)}.")
    _check_people(frame)
    frame["start"], frame["end"] = _offsets(frame, "start"), _offsets(frame, "end")
    length = frame["doc_id"].map(document_lengths(conn))
    unknown = length.isna()
    if unknown.any():
        raise CodingError(1, f"row {int(unknown.idxmax())}: no document "
                          f"'{frame['doc_id'][unknown].iloc[0]}' in this project.")
    bad = (frame["start"] < 0) | (frame["end"] > length) | (frame["start"] >= frame["end"])
    if bad.any():
        first = int(bad.idxmax())
        check_span(frame["doc_id"][first], int(frame["start"][first]),
                   int(frame["end"][first]), int(length[first]))
    codes = status_of(conn)
    names = {name: code_id for code_id, name in code_names(conn).items()}
    frame["code_id"] = frame["code"].map(lambda c: c if c in codes else names.get(c))
    invalid = frame["code_id"].isna() | frame["code_id"].map(lambda c: codes.get(c) != "active")
    if invalid.any():
        first = int(invalid.idxmax())
        _code_id(conn, frame["code"][first])  # raises the precise error for that code
    stamp = now()
    frame["created_at"] = frame.get("created_at", stamp)
    # Stored in document order with ids in that order, so the indexes grow at their ends.
    order = frame.sort_values(["doc_id", "start"], kind="stable").index
    frame.loc[order, "coding_id"] = new_ids("coding", len(frame))
    frame = frame.loc[order]
    columns = ["coding_id", "doc_id", "start", "end", "code_id", "coder", "origin",
               "created_at"]
    records = list(frame[columns].astype(object).itertuples(index=False, name=None))
    conn.executemany('INSERT INTO codings (coding_id, doc_id, start, "end", code_id, coder, '
                     "origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", records)
    conn.executemany(
        "INSERT INTO audit (at, actor, action, entity, entity_id, before, after) "
        "VALUES (?, ?, 'code', 'coding', ?, NULL, json_object('doc_id', ?, 'start', ?, "
        "'end', ?, 'code_id', ?, 'coder', ?, 'origin', ?))",
        [(stamp, r[5], r[0], r[1], int(r[2]), int(r[3]), r[4], r[5], r[6]) for r in records],
    )
    return frame.sort_index()["coding_id"].tolist()


def _check_people(frame: pd.DataFrame) -> None:
    """Refuse the first row whose coder is empty or a reserved layer name (see ``layers``)."""
    for (name, origin), rows in frame.groupby(["coder", "origin"], dropna=False,
                                               sort=False).groups.items():
        try:
            check_person(name, origin=origin)
        except CodingError as err:
            number = int(err.code.rsplit("-", 1)[1])
            raise CodingError(number, f"row {int(min(rows))}: {err.message}") from err


def _offsets(frame: pd.DataFrame, column: str) -> pd.Series:
    """``frame[column]`` as int64, or the first row that is not a whole number refused.

    NaN, None, fractions and ``True``/``False`` would otherwise be stored as they are (SQLite
    keeps 2.5 in an integer column), so they stop the whole batch before anything is written.
    """
    values = frame[column]
    if pd.api.types.is_integer_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype("int64")
    whole = values.map(whole_number)
    bad = whole.isna()
    if bad.any():
        first = int(bad.idxmax())
        raise CodingError(3, f"row {first}: {column} {values[first]!r} is not a whole "
                          "number of characters. Give offsets as whole numbers (code points "
                          "from the start of the document's text).")
    return whole.astype("int64")


def codings_frame(conn: sqlite3.Connection, *, coder: str | None = None,
                  code: str | None = None, include_children: bool = True,
                  doc_id: str | None = None, counting: bool = False) -> pd.DataFrame:
    """Active codings with their quoted text; see ``Project.codings``.

    ``counting=True`` reads the layer a count must read (:func:`.layers.counting_layer`:
    refuses to mix coders), for analyses that add codings up.
    """
    layer, params = counting_layer(conn, coder) if counting else listing_layer(coder)
    where, params = ["c.status = 'active'", "d.status = 'active'", layer], list(params)
    if doc_id is not None:
        where.append("c.doc_id = ?")
        params.append(doc_id)
    if code is not None:
        ids = code_and_descendants(conn, code) if include_children else [
            require_code(conn, code, active=False).id]
        where.append(f"c.code_id IN ({', '.join('?' * len(ids))})")
        params += ids
    return pd.read_sql_query(
        f"""
        SELECT c.coding_id, c.doc_id, d.name AS document, d.case_id, c.start, c."end",
               c.code_id, k.name AS code, c.coder, c.origin, c.created_at,
               substr(d.text, c.start + 1, c."end" - c.start) AS text
        FROM codings c JOIN documents d USING (doc_id) JOIN codes k USING (code_id)
        WHERE {' AND '.join(where)}
        ORDER BY d.name, c.start, c."end", c.created_at
        """, conn, params=params)[CODING_COLUMNS]


def code_and_descendants(conn: sqlite3.Connection, code: str) -> list[str]:
    """The id of ``code`` and of every code below it (retired ones included)."""
    return descendant_ids(conn, require_code(conn, code, active=False).id)


def coding_span(conn: sqlite3.Connection, coding_id: str) -> tuple[str, int, int]:
    """The document and span of an active coding: (doc_id, start, end)."""
    row = conn.execute('SELECT doc_id, start, "end", status FROM codings WHERE coding_id = ?',
                       (coding_id,)).fetchone()
    if row is None or row["status"] != "active":
        state = "was removed" if row else "does not exist"
        raise CodingError(11, f"coding '{coding_id}' {state}. See project.codings().")
    return row["doc_id"], int(row["start"]), int(row["end"])


def coding_states(conn: sqlite3.Connection, coding_ids: list[str]) -> pd.DataFrame:
    """The current state of each coding named, removed ones and those in deleted documents
    included (for records that cite codings, such as meta-inferences).

    Returns
    -------
    DataFrame : coding_id, code_id, status (active, removed), doc_id, kind (the document's
    kind), doc_status (active, deleted); a coding id the project never had has no row.
    """
    ids = list(dict.fromkeys(coding_ids))
    return pd.read_sql_query(
        f"""SELECT c.coding_id, c.code_id, c.status, c.doc_id, d.kind, d.status AS doc_status
            FROM codings c JOIN documents d USING (doc_id)
            WHERE c.coding_id IN ({', '.join('?' * len(ids))})""", conn, params=ids)


def stored_codings(conn: sqlite3.Connection) -> pd.DataFrame:
    """Every stored coding, removed ones included (for merging copies): coding_id, doc_id,
    start, end, code_id, coder, origin, created_at, status."""
    return pd.read_sql_query('SELECT coding_id, doc_id, start, "end", code_id, coder, origin, '
                             "created_at, status FROM codings ORDER BY rowid", conn)


def adopt_codings(conn: sqlite3.Connection, rows: pd.DataFrame, *, source: str) -> None:
    """Store codings made in another copy of the project, keeping their id, coder, origin and
    created_at, each audited as ``merge coding`` with its ``source``. The caller (``team``)
    has checked documents, spans, codes and coders against this project."""
    columns = ["coding_id", "doc_id", "start", "end", "code_id", "coder", "origin",
               "created_at"]
    records = list(rows[columns].astype(object).itertuples(index=False, name=None))
    conn.executemany('INSERT INTO codings (coding_id, doc_id, start, "end", code_id, coder, '
                     "origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", records)
    for record in records:
        append_audit(conn, actor=record[5], action="merge coding", entity="coding",
                     entity_id=record[0], after={**dict(zip(columns, record, strict=True)),
                                                 "source": source})


def forget_codings(conn: sqlite3.Connection, coding_ids: list[str]) -> None:
    """Delete codings from a coder's blind copy (``team.copy_for``); never used on a project
    itself, where codings are only ever marked removed."""
    conn.executemany("DELETE FROM codings WHERE coding_id = ?", [(c,) for c in coding_ids])
