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
- a coding is the same coding when it has the same id, or, for codings from another
  program, the same document, span, code and coder; a coding removed in the copy is removed
  here too (removals only ever add up), so merging twice or in any order gives one result;
- memos likewise; a memo edited in the copy is taken when this project's is unchanged
  since the copy was made, and listed, with both texts, when both sides edited it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from workbench.coding.layers import check_person
from workbench.errors import CodingError, TeamError
from workbench.team.snapshot import Snapshot

FINDING_COLUMNS = ["source", "finding", "coder", "document", "code", "n", "detail"]
_KEY = ["doc_id", "start", "end", "code_id", "coder"]


@dataclass(frozen=True)
class Plan:
    """A decided merge: the rows to store and what the report says (``findings``)."""

    documents: pd.DataFrame
    add: pd.DataFrame
    remove: list[str]
    memos: list[dict]
    memo_edits: list[dict]
    audit: pd.DataFrame
    findings: pd.DataFrame


def _finding(finding: str, *, coder: str = "", document: str = "", code: str = "",
             n: int = 1, detail: str = "") -> dict:
    return {"finding": finding, "coder": coder, "document": document, "code": code, "n": n,
            "detail": detail}


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
                 ) -> tuple[pd.DataFrame, list[str], dict[str, str], list[dict]]:
    """Decide the copy's codings: (to add, ids to remove, copy id -> id here, findings);
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
    matched = new[~out].merge(others[[*_KEY, "coding_id"]].rename(columns={"coding_id": "here"}),
                              on=_KEY, how="left").drop_duplicates("coding_id")
    add = matched[matched["here"].isna()].drop(columns=["here", "status"])
    add = add.astype({"start": "int64", "end": "int64"})
    coding_map = {**{c: c for c in rows.loc[known, "coding_id"]},
                  **dict(zip(matched["coding_id"], matched["here"].fillna(matched["coding_id"]),
                             strict=True))}
    found = [_finding("codings added", coder=c, n=len(g)) for c, g in add.groupby("coder")]
    found += [_finding("codings removed in the copy", coder=c, n=len(g),
                       detail="removed here too (they stay in the history)")
              for c, g in removed.groupby("coder")]
    already = pd.concat([rows.loc[known, "coder"], matched.loc[matched["here"].notna(), "coder"]])
    found += [_finding("codings already here", coder=c, n=int(n))
              for c, n in already.value_counts().sort_index().items()]
    left = new[out]
    found += [_finding("codings left out", coder=c, n=len(g),
                       detail="their document or code is not matched here (see above)")
              for c, g in left.groupby("coder")]
    return add, removed["coding_id"].tolist(), coding_map, found + _clashes(add, others, here)


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


def _memo_target(memo: dict, here: Snapshot, maps: dict[str, dict[str, str]]) -> str | None:
    """The memo's target id here; ``""`` when its target is not here."""
    kind, target = memo["target_kind"], memo["target_id"]
    if kind == "project":
        return None
    if kind == "case":
        return target if target in here.case_ids else maps["case"].get(target, "")
    if kind == "code" and target in set(here.codes["code_id"]):
        return target
    return maps[kind].get(target, "")


def plan_memos(here: Snapshot, there: Snapshot, maps: dict[str, dict[str, str]]
               ) -> tuple[list[dict], list[dict], list[dict]]:
    """Decide the copy's memos: (to add, edits to take, findings). ``maps`` holds the
    document, code and coding id maps, keyed by target kind."""
    mine = {m["memo_id"]: m for m in here.memos.to_dict("records")}
    keys = {(m["target_kind"], m["target_id"], m["author"], m["text"]) for m in mine.values()}
    since = there.copied_at or ""
    add, edits, found = [], [], []
    for memo in there.memos.to_dict("records"):
        ours = mine.get(memo["memo_id"])
        if ours is not None:
            if ours["text"] == memo["text"] or memo["updated_at"] <= since:
                continue
            if ours["updated_at"] <= since:
                edits.append(memo)
                found.append(_finding("memo edited in the copy", coder=memo["author"],
                                      detail=f"{memo['memo_id']}: the copy's text is taken"))
            else:
                found.append(_finding("memo edited on both sides", coder=memo["author"], detail=(
                    f"{memo['memo_id']}: this project's text is kept: {ours['text']!r}; the "
                    f"copy's: {memo['text']!r}. Edit the memo to settle it.")))
            continue
        target = _memo_target(memo, here, maps)
        if target == "":
            found.append(_finding("memo left out", coder=memo["author"], detail=(
                f"{memo['memo_id']} is on {memo['target_kind']} '{memo['target_id']}', which "
                "is not in this project")))
        elif (memo["target_kind"], target, memo["author"], memo["text"]) not in keys:
            try:
                check_person(memo["author"], role="memo author")
            except CodingError as err:
                raise TeamError(6, f"{there.label}: memo {memo['memo_id']} cannot be merged: "
                                f"{err.message} Nothing was merged.") from err
            add.append({**memo, "target_id": target})
    if add:
        found.append(_finding("memos added", n=len(add)))
    return add, edits, found


def decide(here: Snapshot, there: Snapshot, *, coders: dict[str, str] | None,
           with_audit: bool, documents: str = "list") -> Plan:
    """Decide the whole merge of ``there`` into ``here``; raise before anything is written.

    ``with_audit`` brings the copy's audit rows written since it was made (or since it was
    last merged here); a ``.qdpx`` has no audit log of its own to bring. ``documents``
    (``"list"`` or ``"import"``) says what becomes of documents only the copy has.
    """
    doc_map, imported, found = match_documents(here, there, documents)
    code_map, code_found = map_codes(here, there)
    add, remove, coding_map, coding_found = plan_codings(here, there, doc_map, code_map, coders,
                                                         set(imported["doc_id"]))
    cases = {c: c for c in imported["case_id"] if isinstance(c, str)}
    maps = {"document": doc_map, "code": code_map, "coding": coding_map, "case": cases}
    memos, edits, memo_found = plan_memos(here, there, maps)
    last = max(there.audit_from, int(here.meta.get(f"merged.{there.source_id}", 0)))
    audit = there.audit[there.audit["seq"] > last] if with_audit else there.audit.iloc[:0]
    findings = pd.DataFrame(found + code_found + coding_found + memo_found,
                            columns=FINDING_COLUMNS[1:])
    if len(audit):
        findings.loc[len(findings)] = ["audit rows appended", "", "", "", len(audit),
                                       "the copy's history, each action marked with its origin"]
    findings.insert(0, "source", there.label)
    return Plan(imported, add, remove, memos, edits, audit, findings)
