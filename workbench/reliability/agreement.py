"""Agreement in a project: coders' codings turned into reliability data, per code.

Two kinds of unit. ``segment``: the project's sentences (or turns, paragraphs) in the
documents every coder coded; a coder "applied" a code to a unit when one of their codings of
it overlaps the unit. ``character``: every character of those documents, as NVivo's coding
comparison counts. Either way each code gives a coders x units table of 0/1 (binary presence,
Krippendorff 2004, sec. 11.3.4) on which the statistics in :mod:`.alpha` and :mod:`.kappas`
run. Character units count every uncoded character on which coders agree as agreement, which
inflates percent agreement on sparse codes; the ``agreement_on_uncoded`` column shows how much
of the agreement is of that kind.

The rule-based suggester takes part as the pseudo-coder ``"suggestions"`` (every suggestion,
whatever was decided on it), so its agreement with people is measured like theirs.
"""

from __future__ import annotations

import sqlite3
import warnings

import numpy as np
import pandas as pd

from workbench.coding._intervals import overlapping_pairs
from workbench.coding.codings import code_and_descendants
from workbench.corpus.segment import UNITS as SEGMENT_UNITS
from workbench.errors import ReliabilityError
from workbench.reliability._data import ReliabilityWarning
from workbench.reliability.alpha import krippendorff_alpha
from workbench.reliability.kappas import cohen_kappa, fleiss_kappa, percent_agreement
from workbench.reliability.unitizing import unitizing_alpha

SUGGESTER = "suggestions"
UNITS = ("segment", "character")
OVERALL = "(all codes)"


def coder_spans(conn: sqlite3.Connection, coders: list[str],
                codes: list[str] | None = None) -> pd.DataFrame:
    """Active codings of ``coders`` (``"suggestions"`` = the suggester): doc_id, start, end,
    code_id, coder, coding_id (empty for suggestions)."""
    if len(set(coders)) < 2:
        raise ReliabilityError(30, f"agreement needs two or more coders; got {coders}.")
    known = {r[0] for r in conn.execute("SELECT DISTINCT coder FROM codings WHERE status = "
                                        "'active'")} | {SUGGESTER}
    unknown = [c for c in coders if c not in known]
    if unknown:
        raise ReliabilityError(31, f"no codings by {', '.join(unknown)}. Coders with codings: "
                               f"{', '.join(sorted(known - {SUGGESTER})) or 'none'} (and "
                               f"'{SUGGESTER}' for the rule-based suggestions).")
    people = [c for c in coders if c != SUGGESTER]
    frame = pd.read_sql_query(
        f"""SELECT c.doc_id, c.start, c."end", c.code_id, c.coder, c.coding_id
            FROM codings c JOIN documents d USING (doc_id)
            WHERE c.status = 'active' AND d.status = 'active'
              AND c.coder IN ({', '.join('?' * len(people))})""", conn, params=people)
    if SUGGESTER in coders:
        suggested = pd.read_sql_query(
            'SELECT doc_id, start, "end", code_id, ? AS coder, \'\' AS coding_id '
            "FROM suggestions", conn, params=(SUGGESTER,))
        frame = pd.concat([frame, suggested], ignore_index=True)
    if codes:
        wanted = {i for c in codes for i in code_and_descendants(conn, c)}
        frame = frame[frame["code_id"].isin(wanted)]
    return frame


def shared_documents(spans: pd.DataFrame, coders: list[str]) -> list[str]:
    """Documents that every human coder coded at least once (the comparison set)."""
    people = [c for c in coders if c != SUGGESTER] or coders
    per_doc = spans[spans["coder"].isin(people)].groupby("doc_id")["coder"].nunique()
    docs = sorted(per_doc[per_doc == len(set(people))].index)
    if not docs:
        raise ReliabilityError(32, f"no document was coded by all of {', '.join(people)}. "
                               "Agreement compares coders on the same documents.")
    return docs


def unit_spans(conn: sqlite3.Connection, docs: list[str], segment: str) -> pd.DataFrame:
    """The comparison units: segments of kind ``segment`` in ``docs`` (doc_id, ordinal,
    start, end), in document order."""
    if segment not in SEGMENT_UNITS:
        raise ReliabilityError(33, f"segment={segment!r} is not one of "
                               f"{', '.join(SEGMENT_UNITS)}.")
    marks = ", ".join("?" * len(docs))
    return pd.read_sql_query(
        f'SELECT doc_id, ordinal, start, "end" FROM segments WHERE unit = ? '
        f"AND doc_id IN ({marks}) ORDER BY doc_id, ordinal", conn, params=[segment, *docs])


def segment_presence(units: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """(unit, span, code_id, coder) for every unit (row of ``units``) that a span (row of
    ``spans``) overlaps."""
    both = pd.concat([units[["doc_id", "start", "end"]].assign(row=np.arange(len(units)),
                                                               side=0),
                      spans[["doc_id", "start", "end"]].assign(row=np.arange(len(spans)),
                                                               side=1)], ignore_index=True)
    first, second = overlapping_pairs(both["doc_id"].to_numpy(), both["start"].to_numpy(),
                                      both["end"].to_numpy())
    side, row = both["side"].to_numpy(), both["row"].to_numpy()
    mixed = side[first] != side[second]
    unit_end = np.where(side[first] == 0, first, second)[mixed]
    span_end = np.where(side[first] == 0, second, first)[mixed]
    hits = spans.iloc[row[span_end]][["code_id", "coder"]].reset_index(drop=True)
    hits["unit"], hits["span"] = row[unit_end], row[span_end]
    return hits


def _presence_tables(conn, spans, docs, unit, segment, coders):
    """Yield (code_id, coders x units 0/1 array) for each code."""
    if unit == "segment":
        units = unit_spans(conn, docs, segment)
        hits = segment_presence(units, spans)[["code_id", "coder", "unit"]].drop_duplicates()
        n_units = len(units)
        for code_id, group in hits.groupby("code_id"):
            table = np.zeros((len(coders), n_units), dtype=np.int8)
            table[group["coder"].map(coders.index).to_numpy(), group["unit"].to_numpy()] = 1
            yield code_id, table
        return
    lengths = dict(conn.execute(
        f"SELECT doc_id, n_chars FROM documents WHERE doc_id IN ({', '.join('?' * len(docs))})",
        docs).fetchall())
    offsets = dict(zip(docs, np.cumsum([0] + [lengths[d] for d in docs[:-1]]), strict=True))
    total = sum(lengths.values())
    for code_id, group in spans.groupby("code_id"):
        diff = np.zeros((len(coders), total + 1), dtype=np.int32)
        base = group["doc_id"].map(offsets).to_numpy()
        who = group["coder"].map(coders.index).to_numpy()
        np.add.at(diff, (who, base + group["start"].to_numpy()), 1)
        np.add.at(diff, (who, base + group["end"].to_numpy()), -1)
        yield code_id, (np.cumsum(diff, axis=1)[:, :total] > 0).astype(np.int8)


def binary_alpha_interval(table: np.ndarray, *, n_boot: int = 1000, seed: int = 0,
                          confidence: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of alpha for a complete coders x units 0/1 table,
    resampling units (Efron & Tibshirani 1993, ch. 13; the unit bootstrap Zapf et al. 2016
    recommend for alpha).

    With every coder coding every unit, a unit's contribution to the coincidences depends only
    on how many coders applied the code (k of m), so a resample is a multinomial draw of how
    many units of each k it holds: exact, and no units x samples array is built. Krippendorff's
    own algorithm (``alpha_ci``) resamples at most 25 pairs per coincidence cell, which for a
    binary code is 100 pairs however many units there are, so its interval does not narrow.
    Resamples with no variation (alpha undefined) are left out.
    """
    m = table.shape[0]
    ones = np.arange(m + 1)
    units = np.bincount(table.sum(axis=0), minlength=m + 1)
    draws = np.random.default_rng(seed).multinomial(units.sum(), units / units.sum(),
                                                    size=n_boot)
    disagreeing = draws @ (2 * ones * (m - ones) / (m - 1))
    n1, n0 = draws @ ones, draws @ (m - ones)
    with np.errstate(divide="ignore", invalid="ignore"):
        alphas = 1 - disagreeing * (n0 + n1 - 1) / (2 * n0 * n1)
    alphas = alphas[np.isfinite(alphas)]
    if alphas.size == 0:
        return np.nan, np.nan
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(alphas, [tail, 100 - tail])
    return float(low), float(high)


def _statistics(table: np.ndarray, coders: list[str], n_boot: int, seed: int) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        alpha = krippendorff_alpha(table)
        low, high = binary_alpha_interval(table, n_boot=n_boot, seed=seed)
        kappa = (cohen_kappa(table[0], table[1]) if len(coders) == 2
                 else fleiss_kappa(table))
        agree = percent_agreement(table)
    unanimous = (table == table[0]).all(axis=0)
    nobody = ~table.any(axis=0)
    return {
        "alpha": alpha, "ci_low": low, "ci_high": high,
        "kappa": kappa, "percent_agreement": agree, "units": table.shape[1],
        **{f"coded_by_{c}": int(table[i].sum()) for i, c in enumerate(coders)},
        "agreement_on_uncoded": float(nobody.sum() / unanimous.sum()) if unanimous.any()
        else np.nan,
    }


def agreement(conn: sqlite3.Connection, coders: list[str], *, unit: str = "segment",
              segment: str = "sentence", codes: list[str] | None = None, n_boot: int = 1000,
              seed: int = 0) -> pd.DataFrame:
    """Per-code agreement between ``coders``; see ``Project.agreement``.

    Columns: code_id, code, alpha (Krippendorff's, nominal, on binary presence), ci_low,
    ci_high (95% percentile bootstrap over units, :func:`binary_alpha_interval`), kappa
    (Cohen's for two coders, Fleiss' for more), percent_agreement, units, coded_by_<coder>
    (units each coder applied the code to), agreement_on_uncoded (share of the agreeing
    units where nobody applied the code). The last row, ``(all codes)``, pools every code.
    """
    if unit not in UNITS:
        raise ReliabilityError(34, f"unit={unit!r} is not one of {', '.join(UNITS)}.")
    coders = list(dict.fromkeys(coders))
    spans = coder_spans(conn, coders, codes)
    docs = shared_documents(spans, coders)
    spans = spans[spans["doc_id"].isin(docs)]
    names = dict(conn.execute("SELECT code_id, name FROM codes").fetchall())
    rows, pooled = [], []
    for code_id, table in _presence_tables(conn, spans, docs, unit, segment, coders):
        rows.append({"code_id": code_id, "code": names.get(code_id, code_id),
                     **_statistics(table, coders, n_boot, seed)})
        pooled.append(table)
    if not rows:
        raise ReliabilityError(35, "the coders applied none of these codes to the shared "
                               "documents.")
    overall = _statistics(np.concatenate(pooled, axis=1), coders, n_boot, seed)
    frame = pd.DataFrame([*rows, {"code_id": OVERALL, "code": OVERALL, **overall}])
    frame.attrs["documents"] = docs
    frame.attrs["unit"] = unit if unit == "character" else segment
    return frame


def unitizing_agreement(conn: sqlite3.Connection, coders: list[str], *,
                        codes: list[str] | None = None) -> pd.DataFrame:
    """Krippendorff's u-alpha and cu-alpha per code over the shared documents (the spans as
    coders drew them, not units fixed in advance)."""
    coders = list(dict.fromkeys(coders))
    spans = coder_spans(conn, coders, codes)
    docs = shared_documents(spans, coders)
    lengths = dict(conn.execute(
        f"SELECT doc_id, n_chars FROM documents WHERE doc_id IN ({', '.join('?' * len(docs))})",
        docs).fetchall())
    spans = spans[spans["doc_id"].isin(docs)].rename(columns={"code_id": "code"})
    return unitizing_alpha(spans[["doc_id", "coder", "start", "end", "code"]], lengths,
                           coders=coders)
