"""Shared keys: which attribute of the qualitative data carries each log key, and how its
values translate.

Qualitative data and deployment logs name the same things differently: Riverside's documents
and cases say ``ward`` ("4N", "hospital-wide"), the logs say ``unit``; participants say
"staff nurse", the logs ``nurse``. A **crosswalk** stored in the project says, for each log key,
which document or case attribute carries it and how its values translate, including a value
that stands for every unit (:data:`ALL`) or for none (``None``). Without a crosswalk entry a
log key is read from the attribute of the same name, values unchanged.

A document's own attribute wins over its case's: field notes carry ``ward`` on the document,
interviews on the participant (the case). Person- and encounter-level joins are not attempted:
log ids are pseudonymous, so evidence meets the logs only through these keys.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from workbench.coding.queries import document_attribute
from workbench.errors import CodingError, TriangulationError
from workbench.store import append_audit
from workbench.store.audit import now
from workbench.triangulate._files import read_yaml

__all__ = ["ALL", "LOG_KEYS", "Key", "crosswalk", "key_values", "read_keys", "set_keys"]

#: The log keys evidence can be linked by.
LOG_KEYS = ("unit", "role")
#: A translated value meaning "every unit" (or every role): hospital-wide informants.
ALL = "*"


@dataclass(frozen=True)
class Key:
    """How one log key is found in the qualitative data.

    Attributes
    ----------
    log_key : ``unit`` or ``role``.
    attribute : the document or case attribute that carries it.
    values : attribute value -> log value, :data:`ALL`, or None (stands for no unit/role).
        Values not listed are taken as they are.
    """

    log_key: str
    attribute: str
    values: Mapping[str, str | None] = field(default_factory=dict)

    def translate(self, value) -> str | None:
        """The log-side value of an attribute value (None when missing or mapped to none)."""
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return None
        text = str(value).strip()
        if not text:
            return None
        return self.values.get(text, text)


def _as_key(log_key: str, spec) -> Key:
    """A :class:`Key` from ``"ward"``, ``{"attribute": "ward", "values": {...}}`` or a Key."""
    if log_key not in LOG_KEYS:
        raise TriangulationError(1, f"'{log_key}' is not a log key workbench links by; use "
                                 f"{' or '.join(LOG_KEYS)}.")
    if isinstance(spec, Key):
        return spec
    if isinstance(spec, str):
        spec = {"attribute": spec}
    if not isinstance(spec, Mapping) or not isinstance(spec.get("attribute"), str) or not (
            spec["attribute"].strip()):
        raise TriangulationError(2, f"the crosswalk for '{log_key}' needs an attribute name, "
                                 f"e.g. {log_key}={{'attribute': 'ward', 'values': "
                                 "{'hospital-wide': '*'}}.")
    values = spec.get("values") or {}
    unknown = sorted(set(spec) - {"attribute", "values"})
    if unknown or not isinstance(values, Mapping):
        raise TriangulationError(2, f"the crosswalk for '{log_key}' takes 'attribute' and "
                                 f"'values' (a mapping); got {', '.join(unknown) or 'values'}"
                                 " in another form.")
    clean = {}
    for source, target in values.items():
        if target is not None and not isinstance(target, str | int | float):
            raise TriangulationError(3, f"crosswalk '{log_key}': the value for '{source}' must "
                                     "be text, '*' (every one) or empty (none).")
        clean[str(source).strip()] = None if target is None else str(target).strip()
    return Key(log_key, spec["attribute"].strip(), clean)


def read_keys(path: str | Path) -> dict[str, Key]:
    """Read a crosswalk YAML: ``unit: {attribute: ward, values: {hospital-wide: "*"}}``."""
    path = Path(path)
    data = read_yaml(path, "crosswalk", 4)
    if not isinstance(data, Mapping) or not data:
        raise TriangulationError(4, f"{path.name}: write one entry per log key, e.g. "
                                 "'unit: {attribute: ward}'.")
    return {str(k): _as_key(str(k), v) for k, v in data.items()}


def set_keys(conn: sqlite3.Connection, keys: Mapping[str, object], actor: str) -> None:
    """Store the crosswalk entries in ``keys`` (log key -> attribute or spec), audited.

    Entries not named are left as they are. Call inside a transaction.
    """
    checked = [_as_key(log_key, spec) for log_key, spec in keys.items()]
    stamp = now()
    for key in checked:
        before = conn.execute("SELECT attribute, value_map FROM key_crosswalk WHERE log_key = ?",
                              (key.log_key,)).fetchone()
        values = json.dumps(dict(key.values), sort_keys=True)
        conn.execute("INSERT OR REPLACE INTO key_crosswalk VALUES (?, ?, ?, ?, ?)",
                     (key.log_key, key.attribute, values, stamp, actor))
        append_audit(conn, actor=actor, action="set_key", entity="key_crosswalk",
                     entity_id=key.log_key,
                     before=None if before is None else {"attribute": before[0],
                                                         "values": json.loads(before[1])},
                     after={"attribute": key.attribute, "values": dict(key.values)})


def crosswalk(conn: sqlite3.Connection) -> dict[str, Key]:
    """Every log key's crosswalk: the stored entry, or the attribute of the same name."""
    rows = conn.execute("SELECT log_key, attribute, value_map FROM key_crosswalk").fetchall()
    stored = {r[0]: Key(r[0], r[1], json.loads(r[2])) for r in rows}
    return {k: stored.get(k, Key(k, k, {})) for k in LOG_KEYS}


def key_values(conn: sqlite3.Connection, keys: Mapping[str, Key]) -> pd.DataFrame:
    """Each active document's log-side key values, from its own attributes or its case's.

    Returns
    -------
    DataFrame : doc_id, then one column per log key in ``keys`` holding the translated value,
    :data:`ALL`, or None (missing, or mapped to none).
    """
    out = pd.DataFrame({"doc_id": document_attribute(conn, "kind").index})
    for log_key, key in keys.items():
        try:
            values = document_attribute(conn, key.attribute)
        except CodingError as err:
            raise TriangulationError(5, f"no document or case attribute '{key.attribute}' "
                                     f"carries the log key '{log_key}' ({err.message}) Say "
                                     f"which one does: project.set_keys({log_key}='ward').",
                                     ) from err
        out[log_key] = [key.translate(v) for v in values.reindex(out["doc_id"]).to_numpy()]
    return out
