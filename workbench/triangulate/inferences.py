"""Meta-inferences: what a researcher concludes from both strands, stored as data.

A meta-inference (Tashakkori & Teddlie 2003) is a claim drawn by integrating the qualitative
and the quantitative strands, with a **fit** between them [1]_ [2]_. workbench stores the
claim with links to its evidence: codings or codes on the qualitative side, and on the
quantitative side the metric *query* (not only its number), so the number can be re-run on
the logs later and a drift flagged. Inferences are revised and retracted through the audit
trail, never deleted; each is mirrored by a project memo, which is how a REFI-QDA export
carries it (the format has no place for a meta-inference; a memo becomes a Note).

References
----------
.. [1] Fetters, M. D., Curry, L. A., & Creswell, J. W. (2013). Achieving integration in
   mixed methods designs: principles and practices. Health Services Research 48(6 Pt 2),
   2134-2156. Fit: confirmation, expansion, discordance.
.. [2] Farmer, T., Robinson, K., Elliott, S. J., & Eyles, J. (2006). Developing and
   implementing a triangulation protocol for qualitative health research. Qualitative Health
   Research 16(3), 377-394. Agreement, partial agreement, silence, dissonance.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from workbench.codebook.operations import require_code
from workbench.coding.codings import coding_span
from workbench.coding.layers import check_person
from workbench.coding.memos import edit_memo, write_memo
from workbench.errors import TriangulationError
from workbench.logs.mapping import Shifts
from workbench.store import append_audit
from workbench.store.audit import now
from workbench.store.ids import new_id
from workbench.triangulate._inference_checks import evidence_flags, query_flags, timeline_events
from workbench.triangulate._inference_query import MetricQuery, parse_query, run_queries

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["FARMER", "FETTERS", "FRAMEWORKS", "INFERENCE_COLUMNS", "infer", "inferences",
           "retract_inference", "revise_inference"]

FETTERS = ("confirmation", "expansion", "discordance")
FARMER = ("agreement", "partial agreement", "silence", "dissonance")
#: Each framework's name as stored, and its closed set of fit labels.
FRAMEWORKS = {"Fetters et al. 2013": FETTERS, "Farmer et al. 2006": FARMER}
INFERENCE_COLUMNS = ["inference_id", "claim", "fit", "framework", "theme", "qualitative",
                     "quantitative", "current_value", "rationale", "author", "created_at",
                     "updated_at", "status", "flags"]
_STORED = ["inference_id", "claim", "fit", "framework", "theme", "quantitative", "rationale",
           "author", "memo_id", "created_at", "updated_at", "status"]


def check_fit(fit: object) -> tuple[str, str]:
    """(label, framework) of a fit label from either closed set; case and spacing are read
    as written ("Partial  Agreement" is "partial agreement"); anything else is refused."""
    label = " ".join(fit.split()).casefold() if isinstance(fit, str) else None
    for framework, labels in FRAMEWORKS.items():
        if label in labels:
            return label, framework
    allowed = "; ".join(f"{name}: {', '.join(labels)}" for name, labels in FRAMEWORKS.items())
    raise TriangulationError(70, f"fit {fit!r} is not a fit label. Choose one from {allowed}.")


def _text(value: object, what: str, *, required: bool = True) -> str:
    if not isinstance(value, str) or (required and not value.strip()):
        raise TriangulationError(71, f"the meta-inference's {what} must be "
                                 f"{'some text' if required else 'text'}, not {value!r}.")
    return value.strip()


def _evidence(conn: sqlite3.Connection, qualitative) -> list[tuple[str, str, str]]:
    """(kind, target_id, code_id) for each coding id or code (id or name) given."""
    items = [qualitative] if isinstance(qualitative, str) else list(qualitative or ())
    links: list[tuple[str, str, str]] = []
    for item in dict.fromkeys(items):
        if not isinstance(item, str):
            raise TriangulationError(71, f"qualitative evidence is coding ids and codes, not "
                                     f"{item!r}.")
        if conn.execute("SELECT 1 FROM codings WHERE coding_id = ?", (item,)).fetchone():
            coding_span(conn, item)  # refuses a removed coding
            code_id = conn.execute("SELECT code_id FROM codings WHERE coding_id = ?",
                                   (item,)).fetchone()[0]
            links.append(("coding", item, code_id))
        else:
            code_id = require_code(conn, item).id
            links.append(("code", code_id, code_id))
    return links


def _theme(conn: sqlite3.Connection, theme, links) -> str:
    if theme is not None:
        return _text(theme, "theme")
    if not links:
        raise TriangulationError(71, "give theme=... (a code name or a label): there is no "
                                 "qualitative evidence to name it after.")
    return require_code(conn, links[0][2], active=False).name


def _settle(query: MetricQuery | None, events: ir.Table | None, shifts: Shifts,
            conn: sqlite3.Connection) -> MetricQuery | None:
    """Run a new query once: refuse one that does not run; fill in an omitted value."""
    if query is None:
        return None
    if events is None:
        raise TriangulationError(76, "a quantitative query needs deployment logs; this "
                                 "project has none (project.load_logs(...) first).")
    current = run_queries(events, [query], timeline_events(conn), shifts)[0]
    if isinstance(current, str):
        raise TriangulationError(73, f"the quantitative query does not run: {current} "
                                 "Nothing was stored.")
    if math.isnan(current):
        raise TriangulationError(73, f"{query.metric} has no value in the chosen cells (no "
                                 "events to count); choose other cells.")
    return query if query.value is not None else replace(query, value=current)


def _query(stored: str) -> MetricQuery:
    """A stored query (JSON) as a :class:`MetricQuery`."""
    given = json.loads(stored)
    return MetricQuery(**{**given, "by": tuple(given["by"])})


def _memo_text(row: dict, links: Sequence[tuple[str, str, str]]) -> str:
    """The plain-text record a project memo (and a REFI-QDA Note) carries."""
    head = "RETRACTED meta-inference" if row["status"] == "retracted" else "Meta-inference"
    lines = [f"{head} {row['inference_id']} on '{row['theme']}' "
             f"(fit: {row['fit']}, {row['framework']}):", row["claim"]]
    if row["rationale"]:
        lines.append(f"Rationale: {row['rationale']}")
    if links:
        lines.append("Qualitative evidence: " + ", ".join(t for _, t, _ in links))
    if row["quantitative"]:
        lines.append("Quantitative evidence: " + _query(row["quantitative"]).describe())
    if row.get("reason"):
        lines.append(f"Retracted because: {row['reason']}")
    return "\n".join(lines)


def _write_links(conn: sqlite3.Connection, inference_id: str, links) -> None:
    conn.execute("DELETE FROM inference_evidence WHERE inference_id = ?", (inference_id,))
    conn.executemany("INSERT INTO inference_evidence VALUES (?, ?, ?, ?, ?)",
                     [(inference_id, i, *link) for i, link in enumerate(links)])


def infer(conn: sqlite3.Connection, events: ir.Table | None, shifts: Shifts, *, claim: str,
          fit: str, author: str, theme: str | None = None, qualitative=(),
          quantitative: dict | None = None, rationale: str = "") -> str:
    """Store a meta-inference with links to its evidence; return its id.

    Everything is checked before anything is written: the claim, the fit label (see
    :data:`FRAMEWORKS`), each coding (active) and code (active), the query
    (:func:`~._inference_query.parse_query`), which must run on the logs now; its value is
    computed when omitted, and kept as given otherwise (a mismatch is flagged by
    :func:`inferences`). At least one side of evidence is needed.
    """
    claim, (label, framework) = _text(claim, "claim"), check_fit(fit)
    rationale = _text(rationale, "rationale", required=False)
    check_person(author, role="author")
    links = _evidence(conn, qualitative)
    query = parse_query(quantitative) if quantitative is not None else None
    if not links and query is None:
        raise TriangulationError(71, "a meta-inference needs evidence: qualitative=[coding "
                                 "ids or codes] and/or quantitative={'metric': ...}.")
    theme = _theme(conn, theme, links)
    query = _settle(query, events, shifts, conn)
    stamp = now()
    row = {"inference_id": new_id("inference"), "claim": claim, "fit": label,
           "framework": framework, "theme": theme, "rationale": rationale, "author": author,
           "quantitative": None if query is None else json.dumps(query.to_dict()),
           "created_at": stamp, "updated_at": stamp, "status": "active"}
    row["memo_id"] = write_memo(conn, "project", None, _memo_text(row, links), author)
    conn.execute(f"INSERT INTO inferences ({', '.join(_STORED)}) VALUES "
                 f"({', '.join('?' * len(_STORED))})", [row[c] for c in _STORED])
    _write_links(conn, row["inference_id"], links)
    append_audit(conn, actor=author, action="infer", entity="inference",
                 entity_id=row["inference_id"], after={**row, "evidence": links})
    return row["inference_id"]


def _stored(conn: sqlite3.Connection, inference_id: str) -> tuple[dict, list]:
    """An active inference's row and evidence links; unknown or retracted ones refused."""
    found = conn.execute(f"SELECT {', '.join(_STORED)} FROM inferences WHERE inference_id = ?",
                         (inference_id,)).fetchone()
    if found is None or found["status"] != "active":
        state = "is retracted (it stays listed)" if found else "does not exist"
        raise TriangulationError(74, f"meta-inference '{inference_id}' {state}. See "
                                 "project.inferences().")
    links = [tuple(r) for r in conn.execute(
        "SELECT kind, target_id, code_id FROM inference_evidence WHERE inference_id = ? "
        "ORDER BY ordinal", (inference_id,))]
    return dict(zip(_STORED, found, strict=True)), links


def _save(conn: sqlite3.Connection, before: dict, after: dict, links_before, links,
          actor: str, action: str) -> None:
    """Write a changed inference, its links and its memo's text, with one audit row."""
    after["updated_at"] = now()
    conn.execute(f"UPDATE inferences SET {', '.join(f'{c} = ?' for c in _STORED[1:])} "
                 "WHERE inference_id = ?", [*(after[c] for c in _STORED[1:]),
                                            after["inference_id"]])
    _write_links(conn, after["inference_id"], links)
    edit_memo(conn, after["memo_id"], _memo_text(after, links), actor)
    append_audit(conn, actor=actor, action=action, entity="inference",
                 entity_id=after["inference_id"], before={**before, "evidence": links_before},
                 after={**after, "evidence": links})


def revise_inference(conn: sqlite3.Connection, events: ir.Table | None, shifts: Shifts,
                     inference_id: str, *, actor: str, claim: str | None = None,
                     fit: str | None = None, theme: str | None = None, qualitative=None,
                     quantitative: dict | None = None, rationale: str | None = None) -> None:
    """Change an active meta-inference; only the fields given change, each checked as in
    :func:`infer`; the earlier version stays in the audit log."""
    check_person(actor, role="author")
    before, links_before = _stored(conn, inference_id)
    after, links = dict(before), links_before
    if claim is not None:
        after["claim"] = _text(claim, "claim")
    if fit is not None:
        after["fit"], after["framework"] = check_fit(fit)
    if rationale is not None:
        after["rationale"] = _text(rationale, "rationale", required=False)
    if qualitative is not None:
        links = _evidence(conn, qualitative)
    if theme is not None:
        after["theme"] = _text(theme, "theme")
    if quantitative is not None:
        query = _settle(parse_query(quantitative), events, shifts, conn)
        after["quantitative"] = json.dumps(query.to_dict())
    if after == before and links == links_before:
        raise TriangulationError(71, f"revise_inference('{inference_id}') changes nothing; "
                                 "give claim=, fit=, theme=, qualitative=, quantitative= or "
                                 "rationale=.")
    if not links and after["quantitative"] is None:
        raise TriangulationError(71, "a meta-inference needs evidence; the revision would "
                                 "leave none.")
    _save(conn, before, after, links_before, links, actor, "revise inference")


def retract_inference(conn: sqlite3.Connection, inference_id: str, *, actor: str,
                      reason: str) -> None:
    """Mark a meta-inference retracted, saying why: it stays listed with its status, its
    memo says RETRACTED, and the reason is in the audit log."""
    check_person(actor, role="author")
    if not isinstance(reason, str) or not reason.strip():
        raise TriangulationError(75, f"say why '{inference_id}' is retracted: "
                                 "retract_inference(..., reason='...').")
    before, links = _stored(conn, inference_id)
    _save(conn, before, {**before, "status": "retracted", "reason": reason.strip()}, links,
          links, actor, "retract inference")


def _read(conn: sqlite3.Connection, status: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    where, params = ("WHERE status = ?", [status]) if status else ("", [])
    rows = pd.read_sql_query(f"SELECT * FROM inferences {where} ORDER BY created_at, "
                             "inference_id", conn, params=params)
    links = pd.read_sql_query("SELECT * FROM inference_evidence ORDER BY inference_id, "
                              "ordinal", conn)
    return rows, links[links["inference_id"].isin(rows["inference_id"])]


def inferences(conn: sqlite3.Connection, events: ir.Table | None, shifts: Shifts, *,
               check: bool = True, status: str | None = None) -> pd.DataFrame:
    """Every meta-inference (retracted ones too, unless ``status`` says), oldest first, with
    what has happened to its evidence since it was recorded.

    Parameters
    ----------
    events, shifts : the project's logs (None without logs) and its shift times.
    check : re-run each metric query and compare it with the recorded value (default). A
        query that fails is a flag, never an exception.
    status : ``"active"`` or ``"retracted"`` to list only those.

    Returns
    -------
    DataFrame : one row per meta-inference:

    * ``inference_id`` (text), ``claim`` (text);
    * ``fit`` (a label of ``framework``), ``framework`` ("Fetters et al. 2013":
      confirmation, expansion, discordance; or "Farmer et al. 2006": agreement, partial
      agreement, silence, dissonance);
    * ``theme`` (a code name or a free label);
    * ``qualitative`` (list of text: coding ids, ``coding-...``, and code ids, in the order
      given; empty list when none);
    * ``quantitative`` (dict, or None when none): ``metric`` (a metric column such as
      ``stale_share`` or ``"1 - ppv"``), ``period`` (shift, day, week), ``by`` (list of
      ``unit``/``role``), ``filters`` (dict: a key's value or list of values,
      ``bucket_start`` an ISO date-time or a [start, end) pair, ``event`` a timeline event
      id), ``value`` (float, as recorded), ``decimals`` (int or None: the places ``value``
      was rounded to);
    * ``current_value`` (float: the re-run's value; NaN unchecked, without a query, or when
      the query no longer runs);
    * ``rationale``, ``author``, ``created_at``, ``updated_at`` (ISO 8601 UTC text);
    * ``status`` (active, retracted);
    * ``flags`` (list of text, empty when all is well), e.g. "coding coding-... was
      removed", "code 'a' was merged into 'b'", "coding coding-...: its code 'a' was merged
      into 'b'", "recorded value 0.57 no longer matches the re-run 0.55", "the query no
      longer runs: ...".
    """
    if status not in (None, "active", "retracted"):
        raise TriangulationError(77, f"status {status!r}: list 'active', 'retracted' or "
                                 "None (both).")
    rows, links = _read(conn, status)
    flags = evidence_flags(conn, links)
    queries = {r.inference_id: _query(r.quantitative) for r in rows.itertuples()
               if isinstance(r.quantitative, str)}
    current, query_notes = (query_flags(conn, events, shifts, queries) if check
                            else ({}, {}))
    grouped = links.groupby("inference_id")["target_id"].agg(list).to_dict()
    out = rows.assign(
        qualitative=[grouped.get(i, []) for i in rows["inference_id"]],
        quantitative=[queries[i].to_dict() if i in queries else None
                      for i in rows["inference_id"]],
        current_value=[current.get(i, math.nan) for i in rows["inference_id"]],
        flags=[flags.get(i, []) + query_notes.get(i, []) for i in rows["inference_id"]])
    return out[INFERENCE_COLUMNS].reset_index(drop=True)
