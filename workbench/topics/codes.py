"""Topics against human codes: which codes each topic matches, how far the two partitions
agree, and the topics no code covers, offered as candidate codes.

A segment carries a code when a coding of the chosen layer (:func:`workbench.coding.layers.
counting_layer`) overlaps it by at least one character. Agreement compares two partitions
of the coded segments: the topics, and each segment's main code (the one covering most of
its characters). It is measured with the adjusted Rand index [1]_ and normalised mutual
information [2]_ (scikit-learn); both are near 0 when the topics are unrelated to the codes
and 1 when they coincide.

References
----------
.. [1] Hubert L, Arabie P (1985). Comparing partitions. Journal of Classification 2,
   193-218.
.. [2] Vinh NX, Epps J, Bailey J (2010). Information theoretic measures for clusterings
   comparison. JMLR 11, 2837-2854 (NMI, arithmetic normalisation).
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd

from workbench.codebook import operations as codebook_ops
from workbench.codebook.model import Code
from workbench.coding.queries import coded_spans
from workbench.errors import TopicsError
from workbench.topics.runs import assignments
from workbench.topics.tables import representatives, topic_table

__all__ = ["COVERED", "add_candidate_codes", "candidate_codes", "code_agreement",
           "topic_code_overlap"]

#: A topic is covered when at least this share of its segments carries some code.
COVERED = 0.25


def _overlaps(conn: sqlite3.Connection, run_id: str, coder: str | None) -> pd.DataFrame:
    """Every (segment, code) pair where a coding overlaps a segment of the run: doc_id,
    start, topic, code_id, code, characters (overlap length)."""
    assigned = assignments(conn, run_id)[["doc_id", "start", "end", "topic"]]
    codings = coded_spans(conn, coder)[["doc_id", "start", "end", "code_id", "code"]]
    pairs = assigned.merge(codings, on="doc_id", suffixes=("", "_coding"))
    characters = (np.minimum(pairs["end"], pairs["end_coding"])
                  - np.maximum(pairs["start"], pairs["start_coding"]))
    pairs = pairs.assign(characters=characters)[characters > 0]
    return (pairs.groupby(["doc_id", "start", "topic", "code_id", "code"], as_index=False)
            ["characters"].sum())


def topic_code_overlap(conn: sqlite3.Connection, run_id: str, *,
                       coder: str | None = None) -> pd.DataFrame:
    """The crosstab of topics and codes, long: one row per (topic, code) that share a segment.

    Returns
    -------
    pandas.DataFrame
        topic, name, code_id, code, segments (of the topic carrying the code), precision
        (segments / the topic's size), recall (segments / the segments carrying the code),
        jaccard (segments / the union of the two), best (True for each topic's code with
        the highest jaccard).
    """
    pairs = _overlaps(conn, run_id, coder)
    table = topic_table(conn, run_id).set_index("topic")
    crosstab = pairs.groupby(["topic", "code_id", "code"], as_index=False).size().rename(
        columns={"size": "segments"})
    coded = pairs.drop_duplicates(["doc_id", "start", "code_id"]).groupby("code_id").size()
    size = crosstab["topic"].map(table["size"])
    carrying = crosstab["code_id"].map(coded)
    crosstab = crosstab.assign(
        name=crosstab["topic"].map(table["name"]), precision=crosstab["segments"] / size,
        recall=crosstab["segments"] / carrying,
        jaccard=crosstab["segments"] / (size + carrying - crosstab["segments"]))
    order = crosstab.sort_values(["topic", "jaccard", "code_id"],
                                 ascending=[True, False, True], kind="stable")
    crosstab["best"] = crosstab.index.isin(order.groupby("topic").head(1).index)
    return crosstab[["topic", "name", "code_id", "code", "segments", "precision", "recall",
                     "jaccard", "best"]].sort_values(["topic", "jaccard"],
                                                     ascending=[True, False],
                                                     ignore_index=True)


def code_agreement(conn: sqlite3.Connection, run_id: str, *,
                   coder: str | None = None) -> pd.DataFrame:
    """How far the topics agree with the codes, over the segments that carry a code.

    Returns
    -------
    pandas.DataFrame
        One row: adjusted_rand, nmi (arithmetic), segments (coded segments compared), topics
        and codes (distinct labels among them).

    Raises
    ------
    TopicsError
        WB-TOPICS-010 when no segment of the run carries a code of that layer.
    """
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    pairs = _overlaps(conn, run_id, coder)
    if pairs.empty:
        raise TopicsError(10, f"no segment of topic run {run_id} carries a code (coder="
                          f"{coder!r}), so topics cannot be compared with codes. Code some "
                          "segments first, or choose the coder whose codings to compare.")
    main = (pairs.sort_values(["doc_id", "start", "characters", "code_id"],
                              ascending=[True, True, False, True], kind="stable")
            .drop_duplicates(["doc_id", "start"]))
    return pd.DataFrame([{
        "adjusted_rand": float(adjusted_rand_score(main["code_id"], main["topic"])),
        "nmi": float(normalized_mutual_info_score(main["code_id"], main["topic"])),
        "segments": len(main), "topics": main["topic"].nunique(),
        "codes": main["code_id"].nunique()}])


def candidate_codes(conn: sqlite3.Connection, run_id: str, *, coder: str | None = None,
                    examples: int = 3) -> pd.DataFrame:
    """Topics that no code covers (fewer than :data:`COVERED` of their segments coded),
    offered as candidate codes.

    Returns
    -------
    pandas.DataFrame
        topic, name (proposed code name: the topic's first terms), terms (with c-TF-IDF
        weights), size, coverage (share of its segments carrying any code), examples (list of
        the quotes closest to its centre, each ``"quote" (document, speaker)``).
    """
    table = topic_table(conn, run_id)
    table = table[table["topic"] >= 0]
    pairs = _overlaps(conn, run_id, coder)
    coded = pairs.drop_duplicates(["doc_id", "start"]).groupby("topic").size()
    coverage = (table["topic"].map(coded).fillna(0) / table["size"]).rename("coverage")
    open_topics = table.assign(coverage=coverage)[coverage < COVERED]
    quotes = representatives(conn, run_id, n=examples)
    quotes = quotes.assign(quote='"' + quotes["text"].str.strip() + '" (' + quotes["document"]
                           + ", " + quotes["speaker"].fillna("no speaker") + ")")
    listed = quotes.groupby("topic")["quote"].agg(list)
    return pd.DataFrame({
        "topic": open_topics["topic"],
        "name": open_topics["name"].str.split(": ", n=1).str[1].str.replace(", ", " / "),
        "terms": open_topics["terms"], "size": open_topics["size"],
        "coverage": open_topics["coverage"],
        "examples": open_topics["topic"].map(listed)}).reset_index(drop=True)


def add_candidate_codes(conn: sqlite3.Connection, actor: str, run_id: str,
                        topics: list[int], *, names: dict[int, str] | None = None,
                        coder: str | None = None) -> list[Code]:
    """Add the candidate codes of ``topics`` to the codebook, in the caller's transaction.

    Each code is named ``names[topic]`` (else the proposed name), defined from the topic's
    terms and the run it came from, with its example quotes; the codebook changelog records
    each addition with the run and topic.

    Raises
    ------
    TopicsError
        WB-TOPICS-011 for a topic that is not a candidate of this run (it lists those that
        are). CodebookError for a name already in use.
    """
    candidates = candidate_codes(conn, run_id, coder=coder).set_index("topic")
    unknown = [t for t in topics if t not in candidates.index]
    if unknown or not topics:
        raise TopicsError(11, f"topic(s) {unknown or topics} of run {run_id} are not candidate "
                          "codes (a candidate is a topic no code covers). Candidates: "
                          f"{', '.join(map(str, candidates.index)) or 'none'}.")
    added = []
    for topic in topics:
        row = candidates.loc[topic]
        name = (names or {}).get(topic, row["name"])
        added.append(codebook_ops.add_code(
            conn, actor, name, examples=tuple(row["examples"]),
            definition=f"Emergent theme from topic run {run_id}, topic {topic}; its terms "
                       f"(c-TF-IDF): {row['terms']}. Refine this definition.",
            changelog=f"from topic {topic} of topic run {run_id}"))
    return added
