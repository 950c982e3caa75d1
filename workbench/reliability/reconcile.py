"""Disagreements between coders, and reconciling them into a consensus layer.

A disagreement is a unit (a sentence, by default) and a code that some coders applied there
and others did not. Reconciling decides each one: follow one coder, ``both`` (keep every
coder's coding) or ``neither``. The consensus layer is coder ``"consensus"`` (origin
``consensus``): for units where the coders agreed it holds the first coder's codings, for
decided ones the codings the decision keeps, each cut to the unit's extent (a span over
several sentences is kept only in the sentences decided for it). Reconciling again replaces
the codings of origin ``consensus`` only; where a person called ``consensus`` has codings of
their own, reconcile refuses rather than mix or remove them. Analyses then read the
consensus layer by default for the documents it covers (see ``workbench.coding``).
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

from workbench.codebook.store import code_names
from workbench.coding.codings import active_coding_ids, code_many, uncode_many
from workbench.corpus.views import document_names, document_texts
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
BOTH, NEITHER, AGREED = "both", "neither", "agreed"


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
    frame["document"] = frame["doc_id"].map(document_names(conn, active=False))
    texts = document_texts(conn, frame["doc_id"].unique())
    frame["text"] = [texts[d][s:e] for d, s, e in zip(frame["doc_id"], frame["start"],
                                                      frame["end"], strict=True)]
    frame["code"] = frame["code_id"].map(code_names(conn))
    for coder in coders:
        frame[coder] = differ[coder].to_numpy()
    return frame[["disagreement_id", "doc_id", "document", "segment_id", "start", "end",
                  "text", "code_id", "code", *coders]]


def reconcile(conn: sqlite3.Connection, coders: list[str], decisions, *, actor: str,
              segment: str = "sentence", default: str | None = None) -> pd.DataFrame:
    """Build the consensus layer from ``decisions``; see ``Project.reconcile``.

    Parameters
    ----------
    decisions : mapping or DataFrame
        disagreement_id -> a coder's name, ``"both"`` or ``"neither"`` (a DataFrame has
        columns disagreement_id and decision).
    default : str, optional
        Decides the disagreements ``decisions`` leaves open; else every one needs a decision.

    Returns
    -------
    pandas.DataFrame
        Columns decision (``"agreed"``, a coder's name or ``"both"``) and codings (how many
        consensus codings that kind of decision made).

    Notes
    -----
    Replaces an earlier consensus layer on the same documents. Each unit contributes only its
    own extent (see :func:`consensus_codings`), so a coder's span over several sentences
    never carries a code into a sentence decided against it.
    """
    coders = list(dict.fromkeys(coders))
    if isinstance(decisions, pd.DataFrame):
        decisions = dict(zip(decisions["disagreement_id"], decisions["decision"], strict=True))
    spans, units, hits, table = _presence(conn, coders, None, segment)
    docs = sorted(spans["doc_id"].unique())
    _refuse_human_consensus(conn, docs)
    segment_ids = _segment_ids(units, segment).to_numpy()
    chosen = _check_decisions(table, segment_ids, decisions, coders, default)
    rows = consensus_codings(spans, units, hits,
                             _unit_decisions(table, segment_ids, chosen), coders[0])
    _clear_consensus(conn, docs, actor)
    code_many(conn, rows.rename(columns={"code_id": "code"})[
        ["doc_id", "start", "end", "code"]].assign(coder=CONSENSUS), None, origin="consensus")
    for disagreement_id, decision in sorted(chosen.items()):
        append_audit(conn, actor=actor, action="reconcile", entity="disagreement",
                     entity_id=disagreement_id, after={"decision": decision})
    return rows["decision"].value_counts().rename_axis("decision").reset_index(name="codings")


def _check_decisions(table: pd.DataFrame, segment_ids, decisions, coders: list[str],
                     default: str | None) -> dict[str, str]:
    """Every open disagreement_id -> its decision, after refusing unknown ids and values."""
    allowed = {*coders, BOTH, NEITHER}
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
    return {**dict.fromkeys(missing, default), **decisions}


def _unit_decisions(table: pd.DataFrame, segment_ids, chosen: dict[str, str]
                    ) -> pd.DataFrame:
    """unit, code_id, decision: ``"agreed"`` where every coder applied the code, else the
    decision taken on that disagreement."""
    frame = table.all(axis=1).rename("agreed").reset_index()
    ids = [f"{segment_ids[u]}:{c}" for u, c in zip(frame["unit"], frame["code_id"],
                                                     strict=True)]
    frame["decision"] = [AGREED if agreed else chosen[i]
                         for agreed, i in zip(frame["agreed"], ids, strict=True)]
    return frame[["unit", "code_id", "decision"]]


def consensus_codings(spans: pd.DataFrame, units: pd.DataFrame, hits: pd.DataFrame,
                      decided: pd.DataFrame, first_coder: str) -> pd.DataFrame:
    """The consensus layer's codings: exactly what was decided, unit by unit.

    A unit and code that the decision keeps contributes the part of each kept coding that
    lies inside the unit (the first coder's where all agreed, the chosen coder's, or every
    coder's for ``"both"``); a unit decided against a code stays uncoded for it, whatever a
    longer span around it covers. Pieces with the same decision are then joined when they
    overlap or touch, or when they are one coder's span running on into the next unit (the
    gap between the two sentences is joined with them).

    Parameters
    ----------
    spans, units, hits : as :func:`_presence` returns them.
    decided : unit, code_id, decision, as :func:`_unit_decisions` returns it.
    first_coder : whose codings an agreed unit keeps.

    Returns
    -------
    pandas.DataFrame
        Columns doc_id, start, end, code_id, decision; one row per consensus coding.
    """
    pieces = hits.merge(decided, on=["unit", "code_id"])
    keeps = (((pieces["decision"] == AGREED) & (pieces["coder"] == first_coder))
             | (pieces["decision"] == BOTH) | (pieces["decision"] == pieces["coder"]))
    pieces = pieces[keeps].reset_index(drop=True)
    span_rows = spans.iloc[pieces["span"].to_numpy()]
    unit_rows = units.iloc[pieces["unit"].to_numpy()]
    pieces["doc_id"] = unit_rows["doc_id"].to_numpy()
    pieces["start"] = np.maximum(span_rows["start"].to_numpy(), unit_rows["start"].to_numpy())
    pieces["end"] = np.minimum(span_rows["end"].to_numpy(), unit_rows["end"].to_numpy())
    pieces = pieces.sort_values(["doc_id", "code_id", "decision", "start", "end"])
    return pd.DataFrame(_joined(pieces.itertuples(index=False)),
                        columns=["doc_id", "start", "end", "code_id", "decision"])


def _joined(pieces) -> list[tuple]:
    """Join sorted pieces (one group per doc_id, code_id, decision) into codings."""
    joined: list[list] = []
    members: set[tuple[int, int]] = set()
    for piece in pieces:
        group = (piece.doc_id, piece.code_id, piece.decision)
        current = joined[-1] if joined else None
        if current and tuple(current[i] for i in (0, 3, 4)) == group and (
                piece.start <= current[2] or (piece.span, piece.unit - 1) in members):
            current[2] = max(current[2], piece.end)
        else:
            joined.append([piece.doc_id, piece.start, piece.end, piece.code_id, piece.decision])
            members = set()
        members.add((piece.span, piece.unit))
    return [tuple(row) for row in joined]


def _refuse_human_consensus(conn: sqlite3.Connection, docs: list[str]) -> None:
    """Refuse to reconcile where a person called 'consensus' has codings of their own.

    The name is reserved for the layer reconcile builds, which replaces itself each time; a
    person's codings under that name would be read as the layer, and their work mixed in.
    """
    marks = ", ".join("?" * len(docs))
    row = conn.execute(
        f"SELECT count(*), min(d.name), group_concat(DISTINCT c.origin) FROM codings c "
        f"JOIN documents d USING (doc_id) WHERE c.coder = ? AND c.status = 'active' "
        f"AND c.origin != 'consensus' AND c.doc_id IN ({marks})", [CONSENSUS, *docs]).fetchone()
    if row[0]:
        raise ReliabilityError(
            44, f"coder '{CONSENSUS}' has {row[0]} coding(s) that reconcile did not make "
            f"(origin {row[2]}; e.g. in '{row[1]}'). The name is reserved for the consensus "
            "layer, so nothing was reconciled and those codings are untouched. Give that "
            "person another name: list them with project.codings(coder='consensus'), code "
            "them again under the new name with project.code_many(...), remove these with "
            "project.uncode(...), then reconcile.")


def _clear_consensus(conn: sqlite3.Connection, docs: list[str], actor: str) -> None:
    """Remove the consensus layer an earlier reconcile made in ``docs``."""
    old = active_coding_ids(conn, coder=CONSENSUS, origin="consensus", doc_ids=docs)
    uncode_many(conn, old, actor, action="uncode (reconcile again)")
