"""Cases and their attributes: participants, respondents and sites that documents belong to.

A sidecar (CSV or YAML) holds one row per participant or per file. Rows join to documents
by a ``file`` column (the document's file name) or, without one, by an id column
(``participant_id``, ``case_id``, ...) whose value appears in the file name with no letter or
digit touching it (``interview_P01.docx`` and ``interview_admin-1.txt`` belong to ``P01`` and
``admin-1``). With an id column the row forms a **case**
and its other columns are case attributes; with only a file column they are document
attributes. Values are typed as number, date or text from the whole column.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import yaml

from workbench.corpus.manage import set_case, set_date
from workbench.corpus.views import document_names
from workbench.errors import ImportError_
from workbench.safe_input import UnsafeYaml, load_yaml
from workbench.store import append_audit
from workbench.store.audit import now

_FILE_COLUMNS = ("file", "filename", "file_name", "document", "source")
_ID_COLUMNS = ("participant_id", "case_id", "respondent_id", "participant", "case", "id")


@dataclass(frozen=True)
class AttributeRow:
    """One sidecar row: the document it names or the case it forms, and its attributes."""

    line: int
    file: str | None
    case_id: str | None
    values: dict
    types: dict


def infer_type(values: list) -> str:
    """'number' if every value is numeric, 'date' if every value is an ISO date, else 'text'."""
    present = [v for v in values if v is not None and str(v).strip() != ""]
    if not present:
        return "text"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "number"
    if all(isinstance(v, date | datetime) for v in present):
        return "date"
    texts = [str(v).strip() for v in present]
    if all(re.fullmatch(r"[-+]?\d+(\.\d+)?", t) for t in texts):
        return "number"
    if all(re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ][\d:.+\-Z]+)?", t) for t in texts):
        return "date"
    return "text"


def _frame(source: str | Path | pd.DataFrame | dict | list) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        return source.copy(), "attributes table"
    if isinstance(source, dict | list):
        return _from_mapping(source), "attributes"
    path = Path(source)
    if not path.is_file():
        raise ImportError_(20, f"{path}: attribute file not found. Check the path.")
    if path.suffix.lower() == ".csv":
        try:
            return pd.read_csv(path, dtype=object, keep_default_na=False), path.name
        except (pd.errors.ParserError, UnicodeDecodeError) as err:
            raise ImportError_(
                21, f"{path.name}: cannot be read as CSV ({err}). Save it as UTF-8 CSV."
            ) from err
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            return _from_mapping(load_yaml(path.read_text(encoding="utf-8"))), path.name
        except UnsafeYaml as err:
            raise ImportError_(
                29, f"{path.name}: the attributes file is refused: {err}. Nothing was imported."
            ) from err
        except yaml.YAMLError as err:
            raise ImportError_(
                22, f"{path.name}: not valid YAML ({err}). Fix the file."
            ) from err
    raise ImportError_(
        23, f"{path.name}: attributes must be a .csv, .yaml or .yml file."
    )


def _from_mapping(data: dict | list) -> pd.DataFrame:
    """YAML as a list of rows, or as ``{id: {key: value}}``."""
    if isinstance(data, dict):
        data = [{"case_id": str(k), **(v or {})} for k, v in data.items()]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ImportError_(
            24, "attributes must be a list of rows or a mapping of id to attributes."
        )
    return pd.DataFrame(data, dtype=object)


def read_attributes(source: str | Path | pd.DataFrame | dict | list) -> list[AttributeRow]:
    """Read a sidecar into rows ready to join; refuse one with no join column."""
    frame, name = _frame(source)
    columns = {str(c).strip().lower(): c for c in frame.columns}
    file_col = next((columns[c] for c in _FILE_COLUMNS if c in columns), None)
    id_col = next((columns[c] for c in _ID_COLUMNS if c in columns), None)
    if file_col is None and id_col is None:
        raise ImportError_(
            25, f"{name}: needs a column that says which document or participant a row is "
            f"about: one of {', '.join(_FILE_COLUMNS + _ID_COLUMNS)}. Found: "
            f"{', '.join(map(str, frame.columns))}."
        )
    value_cols = [c for c in frame.columns if c not in (file_col, id_col)]
    types = {str(c): infer_type(frame[c].tolist()) for c in value_cols}
    rows = []
    for line, record in enumerate(frame.to_dict("records"), start=2):
        values = {str(c): _clean(record[c]) for c in value_cols}
        rows.append(AttributeRow(
            line=line,
            file=_clean(record[file_col]) if file_col is not None else None,
            case_id=_clean(record[id_col]) if id_col is not None else None,
            values={k: v for k, v in values.items() if v is not None},
            types=types,
        ))
    return rows


def _clean(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = value.isoformat() if isinstance(value, date | datetime) else str(value).strip()
    return text or None


def matches(row: AttributeRow, document_name: str) -> bool:
    """Whether a sidecar row is about the document called ``document_name``."""
    if row.file is not None:
        return Path(row.file).name == document_name.split("#", 1)[0]
    if row.case_id is None:
        return False
    # The id stands apart in the name: no letter or digit touches it on either side, so an
    # id with a hyphen or space (``admin-1``) matches ``interview_admin-1.txt`` and ``P1``
    # does not match ``interview_P10.txt``.
    alone = rf"(?<![^\W_]){re.escape(row.case_id)}(?![^\W_])"
    return re.search(alone, Path(document_name).stem, re.IGNORECASE) is not None


def ensure_case(conn, case_id: str, stamp: str) -> None:
    """Form the case unless it exists (cases have no attributes of their own here)."""
    conn.execute("INSERT OR IGNORE INTO cases VALUES (?, ?)", (case_id, stamp))


def set_attributes(conn, entity: str, entity_id: str, values: dict, types: dict) -> None:
    """Set (or replace) attributes of a case or document, typed as ``types`` says (else text)."""
    conn.executemany(
        "INSERT OR REPLACE INTO attributes VALUES (?, ?, ?, ?, ?)",
        [(entity, entity_id, k, str(v), types.get(k, "text")) for k, v in values.items()],
    )


def copy_attributes(conn, source, entity: str, entity_ids: list[str]) -> None:
    """Copy the attributes of some cases or documents from another copy of the project
    (``source``, a connection), keeping any this project already has for the same key."""
    rows = source.execute("SELECT entity, entity_id, key, value, type FROM attributes WHERE "
                          "entity = ? AND entity_id IN (SELECT value FROM json_each(?))",
                          (entity, json.dumps(list(entity_ids)))).fetchall()
    conn.executemany("INSERT OR IGNORE INTO attributes VALUES (?, ?, ?, ?, ?)",
                     [tuple(r) for r in rows])


def stored_attributes(conn, entity: str, entity_id: str) -> dict[str, str]:
    """The attributes stored for one case or document: key -> value (as text)."""
    return dict(conn.execute("SELECT key, value FROM attributes WHERE entity = ? AND "
                             "entity_id = ?", (entity, entity_id)).fetchall())


def apply_attributes(conn, rows: list[AttributeRow], actor: str) -> list[str]:
    """Join sidecar rows to the project's documents; return the rows that matched none.

    Runs inside the caller's transaction. A row with a case id forms that case, links its
    documents to it and sets case attributes; a row with only a file name sets document
    attributes (a ``date`` column also sets the document's date).
    """
    if not rows:
        return []
    documents = document_names(conn)
    unmatched, stamp = [], now()
    for row in rows:
        hits = [doc_id for doc_id, name in documents.items() if matches(row, name)]
        label = f"line {row.line} ({row.case_id or row.file})"
        if not hits:
            unmatched.append(label)
            continue
        if row.case_id:
            ensure_case(conn, row.case_id, stamp)
            set_case(conn, hits, row.case_id)
            set_attributes(conn, "case", row.case_id, row.values, row.types)
            target = ("case", row.case_id)
        else:
            for hit in hits:
                set_attributes(conn, "document", hit, row.values, row.types)
                if "date" in row.values:
                    set_date(conn, hit, row.values["date"])
            target = ("document", ",".join(hits))
        append_audit(conn, actor=actor, action="set attributes", entity=target[0],
                     entity_id=target[1], after=row.values)
    return unmatched
