"""Deciding a merge's memos: which of a coder's copy's memos come in, and which text a memo
edited on both sides keeps (:func:`plan_memos`, called by :func:`.plan.decide`).

The rule is total, so any merge order ends with the same texts: when the two sides' texts
differ, the later edit (``updated_at``, ties broken by the text) is the memo's text,
whichever side made it; when both sides edited it since the copy was made, the other text
is listed in the report and kept in the audit log (:mod:`.merge`).
"""

from __future__ import annotations

import json

from workbench.coding.layers import check_person
from workbench.errors import CodingError, TeamError
from workbench.team.report import finding_row as _finding
from workbench.team.snapshot import Snapshot


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


def _later(memo: dict, ours: dict) -> bool:
    """Whether ``memo``'s edit is later than ``ours``: by ``updated_at``, ties broken by the
    text, so the order is total and any merge order ends with the same text."""
    return (memo["updated_at"], memo["text"]) > (ours["updated_at"], ours["text"])


def _texts_at_copy(there: Snapshot) -> dict[str, str]:
    """The text each memo the copy edited had when the copy was made (from the copy's own
    audit rows: the first edit's text before)."""
    log = there.audit[(there.audit["seq"] > there.audit_from) & (there.audit["entity"] == "memo")
                      & there.audit["action"].isin(["edit memo", "merge memo edit"])]
    first = log.drop_duplicates("entity_id")
    return {m: json.loads(b)["text"] for m, b in zip(first["entity_id"], first["before"],
                                                     strict=True)}


def _settle_memo(ours: dict, memo: dict, since: str, at_copy: str | None
                 ) -> tuple[bool, dict | None]:
    """(whether the copy's text is taken, the finding) for a memo both sides hold whose
    texts differ: the later edit is the memo's text; the other is listed when both sides
    edited it since the copy was made (``since``: ``""`` when unknown, as for a ``.qdpx``;
    ``at_copy``: the memo's text then, if the copy edited it). This project's text counts as
    edited when it changed after ``since`` or is no longer ``at_copy`` (an edit from another
    copy merged here, made before this copy was handed out)."""
    take = _later(memo, ours)
    edited_there = memo["updated_at"] > since
    edited_here = ours["updated_at"] > since or at_copy not in (None, ours["text"])
    if take and not edited_here:
        return True, _finding("memo edited in the copy", coder=memo["author"],
                              detail=f"{memo['memo_id']}: the copy's text is taken")
    if not (edited_there and edited_here):
        return take, None
    later, earlier = (memo, ours) if take else (ours, memo)
    side = "the copy's" if take else "this project's"
    return take, _finding("memo edited on both sides", coder=memo["author"], detail=(
        f"{memo['memo_id']}: the later edit ({side}, {later['updated_at']}) is the memo's "
        f"text: {later['text']!r}; the other ({earlier['updated_at']}), kept in the audit "
        f"log: {earlier['text']!r}. Edit the memo to settle it."))


def plan_memos(here: Snapshot, there: Snapshot, maps: dict[str, dict[str, str]],
               set_aside: dict[str, str]) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """Decide the copy's memos: (to add, edits to take, edits not taken, findings).
    ``maps`` holds the document, code and coding id maps, keyed by target kind;
    ``set_aside`` the codings here whose memos move to the copy's (id here -> id kept)."""
    mine = {m["memo_id"]: m for m in here.memos.to_dict("records")}
    keys = {(m["target_kind"], set_aside.get(m["target_id"], m["target_id"])
             if m["target_kind"] == "coding" else m["target_id"], m["author"], m["text"])
            for m in mine.values()}
    since, at_copy = there.copied_at or "", _texts_at_copy(there)
    add, edits, not_taken, found = [], [], [], []
    for memo in there.memos.to_dict("records"):
        ours = mine.get(memo["memo_id"])
        if ours is not None:
            if ours["text"] != memo["text"]:
                take, note = _settle_memo(ours, memo, since,
                                             at_copy.get(memo["memo_id"]))
                if take:
                    edits.append(memo)
                elif note:
                    not_taken.append(memo)
                found += [note] if note else []
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
    return add, edits, not_taken, found
