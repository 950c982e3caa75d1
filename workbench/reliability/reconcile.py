"""Disagreements between coders, and reconciling them into a consensus layer.

A disagreement is a unit (a sentence, by default) and a code that some coders applied there
and others did not. Reconciling decides each one: follow one coder, ``both`` (keep every
coder's coding) or ``neither``. The consensus layer is coder ``"consensus"`` (origin
``consensus``): for units where the coders agreed it copies the first coder's codings, for
decided ones it copies the codings the decision keeps. Analyses then read the consensus
layer by default for the documents it covers (see ``workbench.coding``).
"""

from __future__ import annotations

import sqlite3

import pandas as pd

from workbench.coding.codings import code_many
from workbench.errors import ReliabilityError
from workbench.reliability.agreement import (
    SUGGESTER,
    coder_spans,
    segment_presence,
    shared_documents,
    unit_spans,
)
from workbench.store import append_audit

CONSENSUS = "consensus"
BOTH, NEITHER = "both", "neither"


def _presence(conn, coders, code, segment):
    """Spans, units, hits and the (unit, code) x coder table of who applied what."""
    if SUGGESTER in coders or CONSENSUS in coders:
        raise ReliabilityError(40, "reconcile human coders only; 'suggestions' and "
                               "'consensus' cannot take part.")
    spans = coder_spans(conn, coders, [code] if code else None)
    docs = shared_documents(spans, coders)
    spans = spans[spans["doc_id"].isin(docs)].reset_index(drop=True)
    units = unit_spans(conn, docs, segment)
    hits = segment_presence(units, spans)
    table = hits.assign(applied=True).pivot_table(
        index=["unit", "code_id"], columns="coder", values="applied", aggfunc="any",
        fill_value=False).reindex(columns=coders, fill_value=False)
    return spans, units, hits, table


def _segment_ids(units: pd.DataFrame, segment: str) -> pd.Series:
    return units["doc_id"] + f"-{segment[0]}" + units["ordinal"].map("{:05d}".format)


def disagreements(conn: sqlite3.Connection, coders: list[str], *, code: str | None = None,
                  segment: str = "sentence") -> pd.DataFrame:
    """Each unit and code where the coders differ.

    Columns: disagreement_id (``<segment_id>:<code_id>``), doc_id, document, segment_id,
    start, end, text, code_id, code, then one column per coder (True if they applied it).
    """
    coders = list(dict.fromkeys(coders))
    _, units, _, table = _presence(conn, coders, code, segment)
    differ = table[~table.all(axis=1)].reset_index()
    if differ.empty:
        return pd.DataFrame(columns=["disagreement_id", "doc_id", "document", "segment_id",
                                     "start", "end", "text", "code_id", "code", *coders])
    where = units.iloc[differ["unit"].to_numpy()].reset_index(drop=True)
    frame = pd.DataFrame({
        "doc_id": where["doc_id"], "segment_id": _segment_ids(where, segment),
        "start": where["start"], "end": where["end"], "code_id": differ["code_id"],
    })
    frame.insert(0, "disagreement_id", frame["segment_id"] + ":" + frame["code_id"])
    details = pd.read_sql_query(
        "SELECT doc_id, name AS document, text AS doc_text FROM documents", conn)
    frame = frame.merge(details, on="doc_id", how="left")
    frame["text"] = [t[s:e] for t, s, e in zip(frame["doc_text"], frame["start"],
                                                frame["end"], strict=True)]
    names = dict(conn.execute("SELECT code_id, name FROM codes").fetchall())
    frame["code"] = frame["code_id"].map(names)
    for coder in coders:
        frame[coder] = differ[coder].to_numpy()
    return frame[["disagreement_id", "doc_id", "document", "segment_id", "start", "end",
                  "text", "code_id", "code", *coders]]


def reconcile(conn: sqlite3.Connection, coders: list[str], decisions, *, actor: str,
              segment: str = "sentence", default: str | None = None) -> pd.DataFrame:
    """Build the consensus layer from ``decisions`` (a mapping or DataFrame of
    disagreement_id -> a coder's name, ``"both"`` or ``"neither"``); ``default`` decides the
    rest, else every disagreement needs a decision. Replaces an earlier consensus layer on the
    same documents. Returns the count of consensus codings per decision kind."""
    coders = list(dict.fromkeys(coders))
    if isinstance(decisions, pd.DataFrame):
        decisions = dict(zip(decisions["disagreement_id"], decisions["decision"], strict=True))
    allowed = {*coders, BOTH, NEITHER}
    spans, units, hits, table = _presence(conn, coders, None, segment)
    segment_ids = _segment_ids(units, segment).to_numpy()
    differ = table[~table.all(axis=1)].reset_index()
    open_ids = {f"{segment_ids[u]}:{c}" for u, c in zip(differ["unit"], differ["code_id"],
                                                         strict=True)}
    unknown = set(decisions) - open_ids
    if unknown:
        raise ReliabilityError(41, f"{len(unknown)} decision(s) name no current disagreement, "
                               f"e.g. {sorted(unknown)[0]}. Take ids from "
                               "project.disagreements().")
    bad = {d for d in decisions.values() if d not in allowed} | (
        {default} - allowed if default else set())
    if bad:
        raise ReliabilityError(42, f"decision {sorted(bad)[0]!r} is not one of "
                               f"{', '.join(sorted(allowed))}.")
    missing = open_ids - set(decisions)
    if missing and default is None:
        raise ReliabilityError(43, f"{len(missing)} disagreement(s) have no decision, e.g. "
                               f"{sorted(missing)[0]}. Decide them, or pass default=...")
    chosen = {**dict.fromkeys(missing, default), **decisions}
    unanimous = set(table[table.all(axis=1)].index)
    kept = {}
    for unit, span, code_id, coder in zip(hits["unit"], hits["span"], hits["code_id"],
                                          hits["coder"], strict=True):
        if (unit, code_id) in unanimous:
            decision = "agreed" if coder == coders[0] else None
        else:
            choice = chosen[f"{segment_ids[unit]}:{code_id}"]
            decision = choice if choice in (coder, BOTH) else None
        if decision:
            kept.setdefault(span, decision)
    rows = spans.loc[sorted(kept), ["doc_id", "start", "end", "code_id"]].assign(
        decision=[kept[i] for i in sorted(kept)]).drop_duplicates(
        ["doc_id", "start", "end", "code_id"])
    _clear_consensus(conn, sorted(spans["doc_id"].unique()), actor)
    code_many(conn, rows.rename(columns={"code_id": "code"})[
        ["doc_id", "start", "end", "code"]].assign(coder=CONSENSUS), None, origin="consensus")
    for disagreement_id, decision in sorted(chosen.items()):
        append_audit(conn, actor=actor, action="reconcile", entity="disagreement",
                     entity_id=disagreement_id, after={"decision": decision})
    return rows["decision"].value_counts().rename_axis("decision").reset_index(name="codings")


def _clear_consensus(conn: sqlite3.Connection, docs: list[str], actor: str) -> None:
    marks = ", ".join("?" * len(docs))
    old = conn.execute(f"SELECT coding_id FROM codings WHERE coder = ? AND status = 'active' "
                       f"AND doc_id IN ({marks})", [CONSENSUS, *docs]).fetchall()
    conn.executemany("UPDATE codings SET status = 'removed' WHERE coding_id = ?", old)
    for (coding_id,) in old:
        append_audit(conn, actor=actor, action="uncode (reconcile again)", entity="coding",
                     entity_id=coding_id, after={"status": "removed"})
