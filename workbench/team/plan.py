"""Deciding a merge: what a coder's copy adds to this project, what it cannot, and why.

Everything here works on two :class:`~.snapshot.Snapshot` frames and writes nothing, so a
merge is decided whole before any of it is stored (:mod:`.merge`). The rules:

- documents are matched by their stable id, else by the SHA-256 of their canonical text (a
  ``.qdpx`` re-imported elsewhere gets new ids for the same texts); a document whose text
  differs (same id or same name, other text) is refused for itself: its codings stay out,
  since their offsets would not slice the same words;
- codes are matched by id, and followed through this project's code merges (its codebook
  changelog: codings of a code merged away here come in under the code it went to); a code
  this project does not have, or has retired, keeps its codings out; nothing is guessed;
- a coding is the same coding when it has the same id; a coding removed in the copy is
  removed here too (removals only ever add up). The same document, span, code and coder
  under two ids (a coder's second laptop, another program's ids) is one coding: the side
  holding the one made first (``created_at``) keeps it, the other side's gives way (not
  added, or set aside here), so merging twice or in any order gives one result;
- memos come along by id (or, from another program, by content); when the two sides' texts
  of a memo differ, the later edit (``updated_at``, ties by text) is its text, whichever
  side it was made on (:mod:`.memo_plan`): a total rule, so the merge order does not matter.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbench.coding.layers import check_person
from workbench.errors import CodingError, TeamError
from workbench.team.memo_plan import plan_memos
from workbench.team.report import FINDING_COLUMNS
from workbench.team.report import finding_row as _finding
from workbench.team.snapshot import Snapshot

_KEY = ["doc_id", "start", "end", "code_id", "coder"]


@dataclass(frozen=True)
class Plan:
    """A decided merge: the rows to store and what the report says (``findings``).

    ``set_aside``: this project's codings that give way to the same coding from the copy
    (id here -> id kept); ``memo_edits``: the copy's memo texts to take, with their times;
    ``memos_not_taken``: the copy's edits that lost to a later one here (audited).
    """

    documents: pd.DataFrame
    add: pd.DataFrame
    remove: list[str]
    set_aside: dict[str, str]
    memos: list[dict]
    memo_edits: list[dict]
    memos_not_taken: list[dict]
    audit: pd.DataFrame
    findings: pd.DataFrame


def _place(doc, digest_of: dict[str, str], by_digest: dict[str, str], names: set[str]
           ) -> str | None:
    """This project's id for the copy's document ``doc``: by id, else by the digest of its
    text; ``""`` when this project's document of that id or name has another text; None
    when this project has no such document."""
    if doc.doc_id in digest_of:
        return doc.doc_id if digest_of[doc.doc_id] == doc.sha256 else ""
    if doc.sha256 in by_digest:
        return by_digest[doc.sha256]
    return "" if doc.name in names else None


def match_documents(here: Snapshot, there: Snapshot, documents: str
                    ) -> tuple[dict[str, str], pd.DataFrame, list[dict]]:
    """Map the copy's doc_ids to this project's; (that map, the documents to import, findings
    on documents on one side only or whose text differs). ``documents="import"`` imports the
    copy's active documents this project lacks, ``"list"`` only lists them. Refuses a copy
    that shares no document (WB-TEAM-005)."""
    mine = here.documents.sort_values("doc_id")
    digest_of = dict(zip(mine["doc_id"], mine["sha256"], strict=True))
    by_digest = dict(zip(mine["sha256"][::-1], mine["doc_id"][::-1], strict=True))
    names, status = set(mine["name"]), dict(zip(mine["doc_id"], mine["status"], strict=True))
    doc_map, found, imported = {}, [], []
    for doc in there.documents.itertuples(index=False):
        place = _place(doc, digest_of, by_digest, names)
        if place:
            doc_map[doc.doc_id] = place
            if doc.status == "deleted" and status[place] == "active":
                found.append(_finding("document deleted in the copy", document=doc.name, n=0,
                                      detail="kept here; delete it here if that was meant"))
        elif place == "":
            found.append(_finding("document text differs", document=doc.name, detail=(
                "the copy's text is not this project's text of the same document, so its "
                "codings' offsets would not slice the same words; its codings were left out. "
                "Import the document again in one of the projects if it was meant to change.")))
        elif documents == "import" and doc.status == "active":
            imported.append(doc.doc_id)
            found.append(_finding("document imported", document=doc.name, detail=(
                "only in the copy: imported with its segments, case and attributes")))
        else:
            found.append(_finding("document only in the copy", document=doc.name, detail=(
                "not in this project; its codings were left out. Merge with "
                "documents='import' (--documents import) to bring it and them in.")))
    if not doc_map and len(there.documents):
        listed = ", ".join(sorted(there.documents["name"])[:5])
        raise TeamError(5, f"{there.label} shares no document with this project (none has "
                        f"the same id or the same text; it holds {listed}): it is a copy of "
                        "a different project. Check which folder you picked; nothing was "
                        "merged.")
    shared = set(doc_map.values())
    only_here = mine[(mine["status"] == "active") & ~mine["doc_id"].isin(shared)]
    found += [_finding("document only here", document=name, n=0,
                       detail="not in the copy; nothing to merge for it")
              for name in only_here["name"]]
    doc_map.update({doc_id: doc_id for doc_id in imported})
    docs = there.documents
    return doc_map, docs[docs["doc_id"].isin(imported)].reset_index(drop=True), found


def map_codes(here: Snapshot, there: Snapshot) -> tuple[dict[str, str], list[dict]]:
    """Map the copy's code ids to this project's active codes; list codes that differ."""
    status = dict(zip(here.codes["code_id"], here.codes["status"], strict=True))
    name = dict(zip(here.codes["code_id"], here.codes["name"], strict=True))
    code_map, found = {}, []
    for code in there.codes.itertuples(index=False):
        target = here.merged_codes.get(code.code_id, code.code_id)
        if status.get(target) == "active":
            code_map[code.code_id] = target
            if target != code.code_id:
                found.append(_finding("code merged here", code=code.name, n=0, detail=(
                    f"merged into '{name[target]}' here (codebook changelog); its codings "
                    "from the copy come in under that code")))
            elif name[target] != code.name:
                found.append(_finding("code renamed", code=name[target], n=0, detail=(
                    f"named '{code.name}' in the copy; this project's name is kept")))
        elif target in status:
            found.append(_finding("code retired here", code=name[target], n=0, detail=(
                "its codings from the copy were left out; make the code active again and "
                "merge again to bring them in")))
        else:
            found.append(_finding("code only in the copy", code=code.name, n=0, detail=(
                f"'{code.code_id}' is not in this project's codebook; its codings were left "
                "out. Add it (project.add_code(..., code_id=...)) and merge again.")))
    for source, target in sorted(there.merged_codes.items()):
        if here.merged_codes.get(source) != target:
            found.append(_finding("code merged in the copy", code=name.get(source, source),
                                  n=0, detail=(
                f"merged into '{target}' in the copy but not here; this project keeps both. "
                f"To follow: project.merge_codes('{source}', '{target}').")))
    return code_map, found


def _chosen(codings: pd.DataFrame, coders: dict[str, str] | None, label: str) -> pd.DataFrame:
    """The copy's codings by the coders asked for, under the names asked for."""
    if coders is None:
        return codings.copy()
    unknown = sorted(set(coders) - set(codings["coder"]))
    if unknown:
        present = ", ".join(sorted(set(codings["coder"]))) or "nobody"
        raise TeamError(7, f"coders={unknown} have no codings in {label}; its coders are: "
                        f"{present}. Nothing was merged.")
    chosen = codings[codings["coder"].isin(coders)].copy()
    chosen["coder"] = chosen["coder"].map(coders)
    return chosen


def _check_coders(rows: pd.DataFrame, label: str) -> None:
    """Refuse codings whose coder is a layer's name (WB-TEAM-006)."""
    for coder, origin in rows[["coder", "origin"]].drop_duplicates().itertuples(index=False):
        try:
            check_person(coder, origin=None if origin == "consensus" else origin)
        except CodingError as err:
            raise TeamError(6, f"{label}: codings by {coder!r} cannot be merged: "
                            f"{err.message} A consensus layer is rebuilt here with "
                            "project.reconcile() after the merge; leave the layer out with "
                            "coders=[...] (or rename a coder: coders={'old': 'new'}). "
                            "Nothing was merged.") from err


def plan_codings(here: Snapshot, there: Snapshot, doc_map: dict[str, str],
                 code_map: dict[str, str], coders: dict[str, str] | None, imported: set[str]
                 ) -> tuple[pd.DataFrame, list[str], dict[str, str], dict[str, str], list[dict]]:
    """Decide the copy's codings: (to add, ids to remove, this project's codings set aside
    for the same coding from the copy (id -> the kept id), copy id -> id here, findings);
    ``imported`` are the documents the merge brings in."""
    rows = _chosen(there.codings, coders, there.label)
    mine = here.codings
    status_here = dict(zip(mine["coding_id"], mine["status"], strict=True))
    known = rows["coding_id"].isin(status_here)
    removed = rows[known & (rows["status"] == "removed")
                   & (rows["coding_id"].map(status_here) == "active")]
    rows = rows.assign(doc_id=rows["doc_id"].map(doc_map), code_id=rows["code_id"].map(code_map))
    new = rows[~known & (rows["status"] == "active")]
    active_docs = set(here.documents.loc[here.documents["status"] == "active", "doc_id"])
    active_docs |= imported
    out = new["doc_id"].isna() | new["code_id"].isna() | ~new["doc_id"].isin(active_docs)
    _check_coders(new[~out], there.label)
    theirs = there.codings["coding_id"]
    others = mine[(mine["status"] == "active") & ~mine["coding_id"].isin(theirs)]
    incoming = new[~out].astype({"start": "int64", "end": "int64"})
    add, kept_here, set_aside, twice = _settle_duplicates(incoming, others)
    add = add.drop(columns=["status"])
    coding_map = {**{c: c for c in rows.loc[known, "coding_id"]},
                  **{c: c for c in incoming["coding_id"]}, **kept_here}
    found = [_finding("codings added", coder=c, n=len(g)) for c, g in add.groupby("coder")]
    found += [_finding("codings removed in the copy", coder=c, n=len(g),
                       detail="removed here too (they stay in the history)")
              for c, g in removed.groupby("coder")]
    already = pd.concat([rows.loc[known, "coder"],
                         incoming.loc[incoming["coding_id"].isin(kept_here), "coder"]])
    found += [_finding("codings already here", coder=c, n=int(n))
              for c, n in already.value_counts().sort_index().items()]
    left = new[out]
    found += [_finding("codings left out", coder=c, n=len(g),
                       detail="their document or code is not matched here (see above)")
              for c, g in left.groupby("coder")]
    found += _twice_found(twice, here, there.label)
    staying = others[~others["coding_id"].isin(set_aside)]
    return (add, removed["coding_id"].tolist(), set_aside, coding_map,
            found + _clashes(add, staying, here))


def _earliest(codings: pd.DataFrame) -> pd.DataFrame:
    """Per (document, span, code, coder): the earliest coding, by created_at, then id.

    Times are compared as instants (ISO 8601, RFC 3339), not as text: a ``.qdpx`` from
    another program writes them with other offsets and precisions; a time that is not one
    counts as the latest."""
    made = pd.to_datetime(codings["created_at"], utc=True, format="ISO8601", errors="coerce")
    frame = codings.assign(made=made.fillna(pd.Timestamp.max.tz_localize("UTC")))
    first = frame.sort_values(["made", "coding_id"]).drop_duplicates(_KEY)
    return first[[*_KEY, "coding_id", "created_at", "made"]]


def _settle_duplicates(incoming: pd.DataFrame, others: pd.DataFrame
                       ) -> tuple[pd.DataFrame, dict[str, str], dict[str, str], pd.DataFrame]:
    """Settle the same coding (coder, document, span, code) held by the copy and by this
    project under different ids: the side holding the earliest one (by ``created_at``)
    keeps its codings, the other side's give way to it, so the outcome is the same whichever
    copy is merged first. Made at the same instant, this project's is kept: a ``.qdpx`` is
    read with new coding ids each time, so merging it again must not swap its codings.

    Returns
    -------
    tuple : (the copy's codings to add; the copy's id -> the id kept here, for codings not
    added; this project's id -> the copy's id kept, for codings set aside here; one row per
    such coding held twice: _KEY, coding_id, created_at, made (the copy's earliest, its time
    as an instant), coding_id_here, created_at_here, made_here, copy_kept).
    """
    twice = _earliest(incoming).merge(_earliest(others), on=_KEY, suffixes=("", "_here"))
    twice["copy_kept"] = twice["made"] < twice["made_here"]
    here_wins = twice.loc[~twice["copy_kept"], [*_KEY, "coding_id_here"]]
    giving_way = incoming.merge(here_wins, on=_KEY)
    copy_wins = twice.loc[twice["copy_kept"], [*_KEY, "coding_id"]]
    set_aside = others.merge(copy_wins, on=_KEY, suffixes=("_here", ""))
    add = incoming[~incoming["coding_id"].isin(giving_way["coding_id"])]
    return (add, dict(zip(giving_way["coding_id"], giving_way["coding_id_here"], strict=True)),
            dict(zip(set_aside["coding_id_here"], set_aside["coding_id"], strict=True)), twice)


def _twice_found(twice: pd.DataFrame, here: Snapshot, label: str) -> list[dict]:
    """One finding per coding held twice (see :func:`_settle_duplicates`)."""
    names = dict(zip(here.documents["doc_id"], here.documents["name"], strict=True))
    found = []
    for r in twice.itertuples(index=False):
        kept = r.coding_id if r.copy_kept else r.coding_id_here
        other = ("this project's is set aside (removed, kept in the history; its memos move "
                 "to the kept one)" if r.copy_kept else "the copy's is not added")
        found.append(_finding("same coding under two ids", coder=r.coder,
                              document=names.get(r.doc_id, r.doc_id), code=r.code_id,
                              detail=(f"{r.start}-{r.end}: {r.coding_id} in {label}, "
                                      f"{r.coding_id_here} here; the one made first, {kept}, "
                                      f"is kept and {other}")))
    return found


def _clashes(add: pd.DataFrame, others: pd.DataFrame, here: Snapshot) -> list[dict]:
    """The same coder coded the same passage differently on the two sides: both are kept."""
    both = add.merge(others, on=["doc_id", "start", "end", "coder"], suffixes=("", "_here"))
    both = both[both["code_id"] != both["code_id_here"]]
    names = dict(zip(here.documents["doc_id"], here.documents["name"], strict=True))
    return [_finding("same passage coded differently", coder=r.coder, document=names[r.doc_id],
                     code=r.code_id, detail=(
                         f"{r.start}-{r.end}: '{r.code_id}' in the copy, '{r.code_id_here}' "
                         "here; both are kept under this coder (merge with coders={'name': "
                         "'other name'} to keep them apart)"))
            for r in both.itertuples(index=False)]


def decide(here: Snapshot, there: Snapshot, *, coders: dict[str, str] | None,
           with_audit: bool, documents: str = "list") -> Plan:
    """Decide the whole merge of ``there`` into ``here``; raise before anything is written.

    ``with_audit`` brings the copy's audit rows written since it was made (or since it was
    last merged here); a ``.qdpx`` has no audit log of its own to bring. ``documents``
    (``"list"`` or ``"import"``) says what becomes of documents only the copy has.
    """
    doc_map, imported, found = match_documents(here, there, documents)
    code_map, code_found = map_codes(here, there)
    add, remove, set_aside, coding_map, coding_found = plan_codings(
        here, there, doc_map, code_map, coders, set(imported["doc_id"]))
    cases = {c: c for c in imported["case_id"] if isinstance(c, str)}
    maps = {"document": doc_map, "code": code_map, "coding": coding_map, "case": cases}
    memos, edits, not_taken, memo_found = plan_memos(here, there, maps, set_aside)
    last = max(there.audit_from, int(here.meta.get(f"merged.{there.source_id}", 0)))
    audit = there.audit[there.audit["seq"] > last] if with_audit else there.audit.iloc[:0]
    findings = pd.DataFrame(found + code_found + coding_found + memo_found,
                            columns=FINDING_COLUMNS[1:])
    if len(audit):
        findings.loc[len(findings)] = ["audit rows appended", "", "", "", len(audit),
                                       "the copy's history, each action marked with its origin"]
    findings.insert(0, "source", there.label)
    return Plan(imported, add, remove, set_aside, memos, edits, not_taken, audit, findings)
