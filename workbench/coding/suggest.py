"""Rule-based suggestions from the codebook's ``patterns``, and how good they turned out to be.

Each pattern is matched as a phrase on lemmas (spaCy's ``PhraseMatcher`` with
``attr="LEMMA"``), case-insensitively: text and pattern are lower-cased and reduced to
dictionary forms by spaCy's lookup lemmatizer (``spacy-lookups-data``), so "called the doctor"
matches the pattern "call the doctor". A match suggests its sentence for the pattern's code.
A suggestion is never a coding until a person accepts it; every decision is audited.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbench.codebook.store import code_names, stored_codes
from workbench.coding._intervals import overlapping_pairs
from workbench.coding.codings import Coding, code, code_and_descendants
from workbench.errors import CodingError
from workbench.store import append_audit
from workbench.store.audit import now
from workbench.store.ids import new_id

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

SUGGESTION_COLUMNS = ["suggestion_id", "doc_id", "document", "start", "end", "code_id",
                      "code", "rule", "status", "decided_by", "text", "score", "model",
                      "model_version", "coding_id"]


@lru_cache(maxsize=4)
def lemma_pipeline(language: str = "en") -> Language:
    """``spacy.blank(language)`` with the lookup lemmatizer: offline, tables from a package."""
    import spacy

    nlp = spacy.blank(language)
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    try:
        nlp.initialize()
    except (ValueError, OSError) as err:
        raise CodingError(40, f"no lemma tables for language '{language}' "
                          "(pip install spacy-lookups-data).") from err
    return nlp


def _lowered(nlp: Language, doc: Doc) -> Doc:
    """A lower-cased, lemmatized twin of ``doc`` with the same tokens (so the same offsets)."""
    from spacy.tokens import Doc

    twin = Doc(nlp.vocab, words=[t.lower_ for t in doc],
               spaces=[bool(t.whitespace_) for t in doc])
    return nlp.get_pipe("lemmatizer")(twin)


def _matcher(nlp: Language, patterns: pd.DataFrame) -> tuple[PhraseMatcher, dict]:
    from spacy.matcher import PhraseMatcher

    matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
    rules = {}
    for row in patterns.itertuples():
        key = f"{row.code_id}\x1f{row.pattern}"
        matcher.add(key, [_lowered(nlp, nlp.make_doc(row.pattern))])
        rules[nlp.vocab.strings[key]] = (row.code_id, row.pattern)
    return matcher, rules


def find_suggestions(conn: sqlite3.Connection, *, codes: list[str] | None = None,
                     language: str = "en", actor: str) -> pd.DataFrame:
    """Match every active code's patterns in every sentence; store new suggestions.

    Suggestions already stored (and decisions on them) are kept; running again adds only new
    matches. Returns all pending suggestions for the chosen codes.
    """
    nlp = lemma_pipeline(language)
    active = stored_codes(conn, include_retired=False)
    wanted = set()
    for name in codes or []:
        wanted.update(code_and_descendants(conn, name))
    patterns = pd.DataFrame(
        [(code.id, p) for code in active for p in code.patterns
         if not wanted or code.id in wanted],
        columns=["code_id", "pattern"])
    if patterns.empty:
        raise CodingError(41, "no code has patterns to match. Add patterns to the codebook "
                          "(see codebooks/README.md).")
    matcher, rules = _matcher(nlp, patterns)
    sentences = pd.read_sql_query(
        """SELECT s.doc_id, s.start, s."end", substr(d.text, s.start + 1, s."end" - s.start)
           AS text FROM segments s JOIN documents d USING (doc_id)
           WHERE s.unit = 'sentence' AND d.status = 'active' ORDER BY s.doc_id, s.ordinal""",
        conn)
    found, stamp = [], now()
    for sentence, doc in zip(sentences.itertuples(), nlp.tokenizer.pipe(sentences["text"]),
                             strict=True):
        for match_id, _, _ in matcher(_lowered(nlp, doc)):
            code_id, pattern = rules[match_id]
            found.append((new_id("suggestion"), sentence.doc_id, sentence.start, sentence.end,
                          code_id, f"pattern '{pattern}'", stamp))
    before = conn.total_changes
    conn.executemany(
        'INSERT OR IGNORE INTO suggestions (suggestion_id, doc_id, start, "end", code_id, '
        "rule, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", found)
    added = conn.total_changes - before
    if added:
        append_audit(conn, actor=actor, action="suggest", entity="suggestions", entity_id=None,
                     after={"added": added, "codes": sorted(wanted) or "all"})
    frame = suggestions_frame(conn, status="pending")
    return frame[frame["code_id"].isin(wanted)] if wanted else frame


def store_learned(conn: sqlite3.Connection, proposals: pd.DataFrame, *, code_id: str,
                  rule: str, model: str, model_version: str, actor: str,
                  details: dict) -> dict[str, int]:
    """Store a learned suggester's proposals of ``code_id`` in the caller's transaction.

    ``proposals`` has doc_id, start, end, score (the predicted probability). The pending
    learned suggestions of the code from an earlier run are replaced (the newest run is the
    one whose agreement was reported); a span already decided (accepted or rejected) or
    pending from a pattern is not suggested again. One audit entry records the run with
    ``details`` (its agreement). Returns the counts: added, replaced, already_suggested.
    """
    replaced = conn.execute("DELETE FROM suggestions WHERE code_id = ? AND status = 'pending' "
                            "AND model IS NOT NULL", (code_id,)).rowcount
    stamp = now()
    rows = [(new_id("suggestion"), doc_id, int(start), int(end), code_id, rule, stamp, model,
             model_version, float(score))
            for doc_id, start, end, score in proposals[["doc_id", "start", "end", "score"]]
            .itertuples(index=False)]
    before = conn.total_changes
    conn.executemany(
        'INSERT OR IGNORE INTO suggestions (suggestion_id, doc_id, start, "end", code_id, rule, '
        "created_at, model, model_version, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    counts = {"added": conn.total_changes - before, "replaced": replaced}
    counts["already_suggested"] = len(rows) - counts["added"]
    append_audit(conn, actor=actor, action="learn suggestions", entity="suggestions",
                 entity_id=None, after={"code_id": code_id, "rule": rule, "model": model,
                                        "model_version": model_version, **counts, **details})
    return counts


def suggestions_frame(conn: sqlite3.Connection, status: str | None = None) -> pd.DataFrame:
    """Stored suggestions with their text; ``score``, ``model`` and ``model_version`` say
    what made a learned one (empty for a pattern's), ``coding_id`` the coding an accepted
    one became."""
    where = "WHERE x.status = ?" if status else ""
    return pd.read_sql_query(
        f"""SELECT x.suggestion_id, x.doc_id, d.name AS document, x.start, x."end", x.code_id,
                   k.name AS code, x.rule, x.status, x.decided_by,
                   substr(d.text, x.start + 1, x."end" - x.start) AS text, x.score, x.model,
                   x.model_version, x.coding_id
            FROM suggestions x JOIN documents d USING (doc_id) JOIN codes k USING (code_id)
            {where} ORDER BY d.name, x.start, x.code_id""",
        conn, params=(status,) if status else ())[SUGGESTION_COLUMNS]


def _pending(conn: sqlite3.Connection, suggestion_id: str) -> sqlite3.Row:
    row = conn.execute("SELECT * FROM suggestions WHERE suggestion_id = ?",
                       (suggestion_id,)).fetchone()
    if row is None:
        raise CodingError(42, f"no suggestion '{suggestion_id}'. See project.suggestions().")
    if row["status"] != "pending":
        raise CodingError(43, f"suggestion '{suggestion_id}' was already {row['status']} by "
                          f"{row['decided_by']}.")
    return row


def accept(conn: sqlite3.Connection, suggestion_id: str, coder: str) -> Coding:
    """Turn a suggestion into a coding by ``coder`` (origin ``suggestion-accepted``).

    The suggestion row keeps the link (its ``coding_id``) and what made it (rule; for a
    learned one model, model_version and score); the audit entry repeats them.
    """
    row = _pending(conn, suggestion_id)
    coding = code(conn, row["doc_id"], row["start"], row["end"], row["code_id"], coder,
                  origin="suggestion-accepted")
    conn.execute("UPDATE suggestions SET status = 'accepted', decided_by = ?, decided_at = ?, "
                 "coding_id = ? WHERE suggestion_id = ?",
                 (coder, now(), coding.coding_id, suggestion_id))
    made_by = {key: row[key] for key in ("rule", "model", "model_version", "score")
               if row[key] is not None}
    append_audit(conn, actor=coder, action="accept suggestion", entity="suggestion",
                 entity_id=suggestion_id, before={"status": "pending"},
                 after={"status": "accepted", "coding_id": coding.coding_id, **made_by})
    return coding


def forget_decisions(conn: sqlite3.Connection, coding_ids: list[str]) -> None:
    """Make the suggestions accepted as ``coding_ids`` pending again, in a coder's blind copy
    (``team.copy_for``) whose other coders' codings are left out."""
    conn.executemany("UPDATE suggestions SET status = 'pending', decided_by = NULL, "
                     "decided_at = NULL, coding_id = NULL WHERE coding_id = ?",
                     [(c,) for c in coding_ids])


def reject(conn: sqlite3.Connection, suggestion_id: str, coder: str) -> None:
    """Record that ``coder`` rejected a suggestion."""
    _pending(conn, suggestion_id)
    conn.execute("UPDATE suggestions SET status = 'rejected', decided_by = ?, decided_at = ? "
                 "WHERE suggestion_id = ?", (coder, now(), suggestion_id))
    append_audit(conn, actor=coder, action="reject suggestion", entity="suggestion",
                 entity_id=suggestion_id, before={"status": "pending"},
                 after={"status": "rejected"})


def quality(conn: sqlite3.Connection, coder: str) -> pd.DataFrame:
    """Precision and recall of the suggestions against ``coder``'s manual codings, per code.

    A suggestion is *confirmed* when it overlaps a manual coding of the same code by the
    coder; a manual coding is *found* when a suggestion of its code overlaps it. precision =
    confirmed / suggestions, recall = found / codings (NaN where the denominator is 0).
    Columns: code_id, code, suggestions, confirmed, precision, codings, found, recall.
    """
    suggestions = pd.read_sql_query('SELECT doc_id, start, "end", code_id FROM suggestions',
                                    conn)
    manual = pd.read_sql_query(
        'SELECT doc_id, start, "end", code_id FROM codings WHERE status = \'active\' '
        "AND origin = 'manual' AND coder = ?", conn, params=(coder,))
    both = pd.concat([suggestions.assign(kind=0), manual.assign(kind=1)], ignore_index=True)
    key = both["doc_id"] + "\x1f" + both["code_id"]
    first, second = overlapping_pairs(key.to_numpy(), both["start"].to_numpy(),
                                      both["end"].to_numpy())
    kinds = both["kind"].to_numpy()
    mixed = kinds[first] != kinds[second]
    hits = np.concatenate([first[mixed], second[mixed]])
    both["hit"] = False
    both.loc[np.unique(hits), "hit"] = True
    table = both.groupby(["code_id", "kind"])["hit"].agg(["size", "sum"]).unstack(fill_value=0)
    names = pd.Series(code_names(conn), name="code").rename_axis("code_id").reset_index()
    out = pd.DataFrame({
        "suggestions": table.get(("size", 0), 0), "confirmed": table.get(("sum", 0), 0),
        "codings": table.get(("size", 1), 0), "found": table.get(("sum", 1), 0),
    }).reset_index()
    if out.empty:
        out = pd.DataFrame(columns=["code_id", "suggestions", "confirmed", "codings", "found"])
    out["precision"] = out["confirmed"] / out["suggestions"].where(out["suggestions"] > 0)
    out["recall"] = out["found"] / out["codings"].where(out["codings"] > 0)
    out = out.merge(names, on="code_id", how="left")
    return out[["code_id", "code", "suggestions", "confirmed", "precision", "codings", "found",
                "recall"]]
