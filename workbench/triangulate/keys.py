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
import yaml

from workbench.corpus.views import attributes_wide, documents
from workbench.errors import TriangulationError
from workbench.safe_input import UnsafeYaml, load_yaml
from workbench.store import append_audit
from workbench.store.audit import now

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
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise TriangulationError(4, f"{path}: cannot read the crosswalk ({err}).") from err
    except UnsafeYaml as err:
        raise TriangulationError(4, f"{path.name}: the crosswalk is refused: {err}.") from err
    except yaml.YAMLError as err:
        raise TriangulationError(4, f"{path.name} is not valid YAML: {err}. Fix the file."
                                 ) from err
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
    DataFrame : doc_id, kind, case_id, then per log key ``<key>`` (the translated value,
    :data:`ALL`, or None) and ``<key>_from`` (``document``, ``case`` or None).
    """
    docs = documents(conn)[["doc_id", "kind", "case_id"]]
    doc_attrs = attributes_wide(conn, "document", "doc_id")
    case_attrs = attributes_wide(conn, "case", "case_id")
    out = docs.copy()
    for log_key, key in keys.items():
        own = docs[["doc_id"]].merge(doc_attrs, on="doc_id", how="left").get(key.attribute)
        via_case = docs[["case_id"]].merge(case_attrs, on="case_id", how="left").get(
            key.attribute)
        own = own if own is not None else pd.Series([None] * len(docs))
        via_case = via_case if via_case is not None else pd.Series([None] * len(docs))
        mine = [key.translate(v) for v in own.to_numpy()]
        theirs = [key.translate(v) for v in via_case.to_numpy()]
        raw_own = own.notna().to_numpy()
        out[log_key] = [m if has else t for m, t, has in zip(mine, theirs, raw_own, strict=True)]
        out[f"{log_key}_from"] = ["document" if has else ("case" if pd.notna(c) else None)
                                  for has, c in zip(raw_own, via_case.to_numpy(), strict=True)]
    return out.reset_index(drop=True)
