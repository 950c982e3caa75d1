"""Queries over codings: frequencies, co-occurrence, code-by-attribute matrices, quantitizing.

All take the active codings of the layer ``coder=`` chooses (one rule for every count, see
``workbench.coding.layers``: the default never adds two coders' codings up) and return tidy
DataFrames with a ``coder`` column naming the layer each count comes from. Grouping by an
attribute uses the document's own attribute when it has one (a field note's ``ward``), else its
case's (an interviewee's ``ward``), so interviews and field notes can be compared on one key.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from workbench.codebook.store import code_ids
from workbench.coding._intervals import overlapping_pairs
from workbench.coding.layers import counting_layer
from workbench.corpus.speakers import case_characters, coding_cases
from workbench.corpus.views import attributes_wide, document_lengths, document_table
from workbench.errors import CodingError
from workbench.exports import write_table

COOCCURRENCE_MODES = ("segment", "overlap", "proximity")
MATRIX_VALUES = ("presence", "count", "share")


def document_attribute(conn: sqlite3.Connection, key: str) -> pd.Series:
    """Each active document's value of ``key``: ``document``, ``case``, ``kind``, ``date``, or
    an attribute (the document's own, else its case's). Indexed by doc_id."""
    documents = document_table(conn).drop(columns="n_chars")
    if key in documents:
        return documents[key]
    own = attributes_wide(conn, "document", "doc_id").set_index("doc_id")
    cases = attributes_wide(conn, "case", "case_id").set_index("case_id")
    if key not in own and key not in cases:
        known = sorted({*documents, *own.columns, *cases.columns})
        raise CodingError(31, f"no attribute '{key}'. Known: {', '.join(known)}.")
    values = pd.Series(index=documents.index, dtype=object)
    if key in cases:
        values = documents["case"].map(cases[key])
    if key in own:
        values = own[key].reindex(documents.index).combine_first(values)
    return values.rename(key)


def coded_spans(conn: sqlite3.Connection, coder: str | None = None) -> pd.DataFrame:
    """Active codings of the layer ``coder`` chooses, without their text (what counting needs):
    coding_id, doc_id, case_id (the coding's case: see ``workbench.corpus.speakers``), start,
    end, code_id, code, coder."""
    where, params = counting_layer(conn, coder)
    codings = pd.read_sql_query(
        f"""SELECT c.coding_id, c.doc_id, d.case_id, c.start, c."end", c.code_id,
                   k.name AS code, c.coder
            FROM codings c JOIN documents d USING (doc_id) JOIN codes k USING (code_id)
            WHERE c.status = 'active' AND d.status = 'active' AND {where}""", conn,
        params=params)
    return codings.assign(case_id=coding_cases(conn, codings))


def _with(conn: sqlite3.Connection, codings: pd.DataFrame, by: str) -> pd.DataFrame:
    """``codings`` with a column ``by``: the document's value, else the coding's case's (a
    speaker's case where the document has none)."""
    if by == "case":
        return codings.assign(case=codings["case_id"])
    values = codings["doc_id"].map(document_attribute(conn, by))
    cases = attributes_wide(conn, "case", "case_id").set_index("case_id")
    if by in cases:
        values = values.combine_first(codings["case_id"].map(cases[by]))
    return codings.assign(**{by: values})


def _coded_characters(codings: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Characters covered by the union of each group's spans (overlaps counted once)."""
    ordered = codings.sort_values([*keys, "doc_id", "start"])
    group = ordered.groupby([*keys, "doc_id"], sort=False, dropna=False).ngroup()
    reach = ordered["end"].groupby(group).cummax().groupby(group).shift()
    start = np.maximum(ordered["start"], reach.fillna(-1).astype(int))
    covered = (ordered["end"] - start).clip(lower=0)
    return covered.groupby([ordered[k] for k in keys], dropna=False).sum()


def frequencies(conn: sqlite3.Connection, by: str = "document", *,
                coder: str | None = None) -> pd.DataFrame:
    """How often each code is applied per group, per layer.

    Columns: code_id, code, <by>, coder (the layer counted, see ``layers``), codings (number
    of codings), documents (distinct documents coded), cases (distinct cases coded),
    characters (characters covered, overlaps once).
    """
    codings = _with(conn, coded_spans(conn, coder), by)
    keys = ["code_id", "code", by, "coder"]
    if codings.empty:
        return pd.DataFrame(columns=[*keys, "codings", "documents", "cases", "characters"])
    table = codings.groupby(keys, dropna=False).agg(
        codings=("coding_id", "size"), documents=("doc_id", "nunique"),
        cases=("case_id", "nunique")).reset_index()
    characters = _coded_characters(codings, keys).rename("characters").reset_index()
    return table.merge(characters, on=keys, how="left").sort_values(keys, ignore_index=True)


def cooccurrence(conn: sqlite3.Connection, mode: str = "overlap", *, unit: str = "turn",
                 within: int = 200, coder: str | None = None) -> pd.DataFrame:
    """How often two different codes occur together, within one layer.

    mode ``overlap``: pairs of codings whose spans overlap; ``proximity``: pairs of codings
    less than ``within`` characters apart (or overlapping); ``segment``: segments of ``unit``
    (turn, paragraph, sentence) that both codes touch. Two coders' codings never pair up: a
    pair is counted within each coder's layer. Columns: code_a, code_b, coder, n. Each pair
    appears in both orders, so ``pivot`` gives a symmetric matrix (per coder).
    """
    if mode not in COOCCURRENCE_MODES:
        raise CodingError(32, f"mode={mode!r} is not one of: {', '.join(COOCCURRENCE_MODES)}.")
    codings = coded_spans(conn, coder)
    columns = ["code_a", "code_b", "coder", "n"]
    if codings.empty:
        return pd.DataFrame(columns=columns)
    if mode == "segment":
        touched = _segments_touched(conn, codings, unit).drop_duplicates()
        pairs = touched.merge(touched, on=["segment", "coder"])
        pairs = pairs[pairs["code_id_x"] != pairs["code_id_y"]]
        table = pairs.groupby(["code_id_x", "code_id_y", "coder"]).size().reset_index()
    else:
        # A document and coder together make the group, so spans pair within one layer.
        slack = within if mode == "proximity" else 0
        first, second = overlapping_pairs((codings["doc_id"] + "\x1f" + codings["coder"])
                                          .to_numpy(), codings["start"].to_numpy(),
                                          codings["end"].to_numpy(), slack)
        ids, layer = codings["code_id"].to_numpy(), codings["coder"].to_numpy()
        keep = ids[first] != ids[second]
        first, second = first[keep], second[keep]
        table = pd.DataFrame({"code_a": np.concatenate([ids[first], ids[second]]),
                              "code_b": np.concatenate([ids[second], ids[first]]),
                              "coder": np.concatenate([layer[first], layer[first]])})
        table = table.groupby(columns[:3]).size().reset_index()
    table.columns = columns
    return table.sort_values(columns[:3], ignore_index=True)


def _segments_touched(conn: sqlite3.Connection, codings: pd.DataFrame,
                      unit: str) -> pd.DataFrame:
    """(segment, code_id, coder) for every segment of ``unit`` a coding overlaps."""
    segments = pd.read_sql_query('SELECT doc_id, ordinal, start, "end" FROM segments '
                                 "WHERE unit = ?", conn, params=(unit,))
    both = pd.concat([segments.assign(kind=0, code_id=None, coder=None),
                      codings[["doc_id", "start", "end", "code_id", "coder"]].assign(kind=1)],
                     ignore_index=True)
    first, second = overlapping_pairs(both["doc_id"].to_numpy(), both["start"].to_numpy(),
                                      both["end"].to_numpy())
    kinds = both["kind"].to_numpy()
    seg = np.where(kinds[first] == 0, first, second)
    cod = np.where(kinds[first] == 0, second, first)
    keep = kinds[first] != kinds[second]
    return pd.DataFrame({
        "segment": (both["doc_id"].to_numpy()[seg[keep]].astype(str) + "#"
                    + both["ordinal"].to_numpy()[seg[keep]].astype(int).astype(str)),
        "code_id": both["code_id"].to_numpy()[cod[keep]],
        "coder": both["coder"].to_numpy()[cod[keep]],
    })


def code_matrix(conn: sqlite3.Connection, attribute: str, *,
                coder: str | None = None) -> pd.DataFrame:
    """The code-by-attribute matrix (as MAXQDA's Code Matrix Browser or NVivo's matrix coding
    query), tidy: one row per code and attribute value.

    Columns: code_id, code, <attribute>, coder (the layer counted), codings, cases (distinct
    cases with the code), share (characters coded / characters of all documents with that
    attribute value).
    """
    table = frequencies(conn, attribute, coder=coder)
    sizes = document_lengths(conn)
    values = document_attribute(conn, attribute)
    totals = sizes.groupby(values.reindex(sizes.index), dropna=False).sum()
    table["share"] = table["characters"] / table[attribute].map(totals)
    return table[["code_id", "code", attribute, "coder", "codings", "cases", "share"]]


def case_matrix(conn: sqlite3.Connection, value: str = "presence", *,
                coder: str | None = None) -> pd.DataFrame:
    """Quantitizing: a case x code matrix ready for statistics (Sandelowski et al. 2009).

    One row per layer and case (index ``coder``, ``case_id``: every case under every layer
    read, coded or not), one column per code id: ``presence`` 0/1, ``count`` of codings, or
    ``share`` of the case's characters coded. ``matrix.loc["ana"]`` is one coder's
    case x code matrix.

    A coding counts for its case: its document's, or in a document of no case the case of
    the speaker whose turn it starts in (``workbench.corpus.speakers``); a speaker case's
    characters are those of its turns. A project with no cases is refused (WB-CODING-048)
    with what to do, rather than given an empty matrix.
    """
    if value not in MATRIX_VALUES:
        raise CodingError(33, f"value={value!r} is not one of: {', '.join(MATRIX_VALUES)}.")
    cases = pd.read_sql_query("SELECT case_id FROM cases ORDER BY case_id", conn)["case_id"]
    if cases.empty:
        raise CodingError(48, "this project has no cases, so there is no case x code matrix. "
                          "Link documents to participants with an attributes file "
                          "(project.import_attributes('participants.csv'), ids as in the file "
                          "names), or make each speaker of a transcript a case "
                          "(project.speakers_as_cases()).")
    codes = code_ids(conn)
    table = frequencies(conn, "case", coder=coder)
    if value == "share":
        sizes = case_characters(conn, document_table(conn))
        table["value"] = table["characters"] / table["case"].map(sizes)
    else:
        table["value"] = table["codings"] if value == "count" else 1
    matrix = table.pivot_table(index=["coder", "case"], columns="code_id", values="value",
                               aggfunc="sum")
    rows = pd.MultiIndex.from_product([sorted(table["coder"].unique()), cases],
                                      names=["coder", "case_id"])
    matrix = matrix.reindex(index=rows, columns=codes).fillna(0)
    matrix.columns.name = None
    return matrix.astype(float if value == "share" else int)


def export_table(frame: pd.DataFrame, path: str | Path, *, safe: bool = True) -> Path:
    """Write a table for R, Stata or SPSS users: ``.csv`` or ``.parquet`` by the file name.

    In a CSV, text that a spreadsheet would run as a formula is neutralised unless
    ``safe=False`` (see :func:`workbench.exports.neutralise_formulas`); Parquet stays raw.
    """
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".parquet"):
        raise CodingError(34, f"{path.name}: export as .csv or .parquet.")
    return write_table(frame, path, safe=safe)
