"""Changing a project's codebook without losing coded work.

Every operation checks first and changes nothing when it refuses; then, in the caller's
transaction, it changes the codes (and for a merge, the codings), appends audit rows, and
records a new codebook version whose changelog entry says what was done.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from workbench.codebook.model import Code, Codebook
from workbench.codebook.store import (
    insert_code,
    next_ordinal,
    record_version,
    require_code,
    set_status,
    status_of,
    stored_codes,
    update_code_row,
)
from workbench.codebook.validate import check, slugify
from workbench.coding.codings import active_coding_ids, recode_many
from workbench.errors import CodebookError
from workbench.store import append_audit

EDITABLE = ("definition", "when_to_use", "when_not_to_use", "examples", "color", "references",
            "patterns")


def _codes(conn: sqlite3.Connection) -> dict[str, Code]:
    return {c.id: c for c in stored_codes(conn)}


def _name_free(conn: sqlite3.Connection, name: str, code_id: str | None = None) -> None:
    for code in stored_codes(conn):
        if code.name.casefold() == name.casefold() and code.id != code_id:
            state = status_of(conn)[code.id]
            raise CodebookError(34, f"a {state} code is already called '{code.name}' "
                                f"('{code.id}'). Choose another name, or merge into it.")


def _checked(conn: sqlite3.Connection, changed: list[Code]) -> None:
    """Refuse a change that would break the hierarchy (unknown parent, cycle, bad field)."""
    codes = _codes(conn)
    codes.update({c.id: c for c in changed})
    check(Codebook("project", 1, codes=tuple(codes.values())))


def add_code(conn: sqlite3.Connection, actor: str, name: str, *, parent: str | None = None,
             code_id: str | None = None, definition: str, changelog: str | None = None,
             **fields) -> Code:
    """Add a code (its id is a slug of the name unless given); ``changelog`` adds where it
    came from to the changelog entry (e.g. ``from topic 3 of topic run ...``)."""
    code = Code(id=code_id or slugify(name), name=name, definition=definition, **fields,
                parent=require_code(conn, parent).id if parent else None)
    if code.id in _codes(conn):
        raise CodebookError(35, f"the id '{code.id}' is taken. Pass code_id=... to choose "
                            "another.")
    _name_free(conn, name)
    _checked(conn, [code])
    ordinal = next_ordinal(conn)
    insert_code(conn, code, ordinal)
    append_audit(conn, actor=actor, action="add code", entity="code", entity_id=code.id,
                 after=vars(code))
    source = f" ({changelog})" if changelog else ""
    record_version(conn, actor, f"Added '{name}'" + (f" under '{parent}'" if parent else "")
                   + f"{source}.")
    return code


def rename_code(conn: sqlite3.Connection, actor: str, code_id: str, new_name: str) -> Code:
    """Give a code a new name; its id, and so every coding, stays."""
    code = require_code(conn, code_id)
    _name_free(conn, new_name, code.id)
    renamed = replace(code, name=new_name)
    _checked(conn, [renamed])
    update_code_row(conn, renamed)
    append_audit(conn, actor=actor, action="rename code", entity="code", entity_id=code.id,
                 before={"name": code.name}, after={"name": new_name})
    record_version(conn, actor, f"Renamed '{code.name}' to '{new_name}'.")
    return renamed


def move_code(conn: sqlite3.Connection, actor: str, code_id: str, parent: str | None) -> Code:
    """Put a code under another parent (None: the top level); its codings stay with it."""
    code = require_code(conn, code_id)
    target = require_code(conn, parent).id if parent else None
    if target == code.id:
        raise CodebookError(36, f"code '{code.id}' cannot be its own parent.")
    moved = replace(code, parent=target)
    try:
        _checked(conn, [moved])
    except CodebookError as err:
        raise CodebookError(37, f"moving '{code.id}' under '{target}' would put a code "
                            f"inside its own descendant ({err.message.splitlines()[0]}).") from err
    update_code_row(conn, moved)
    append_audit(conn, actor=actor, action="move code", entity="code", entity_id=code.id,
                 before={"parent": code.parent}, after={"parent": target})
    record_version(conn, actor, f"Moved '{code.name}' under "
                   f"{repr(target) if target else 'the top level'}.")
    return moved


def update_code(conn: sqlite3.Connection, actor: str, code_id: str, **fields) -> Code:
    """Change a code's definition, criteria, examples, colour, references or patterns."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise CodebookError(38, f"cannot update {', '.join(sorted(unknown))}: use "
                            f"rename_code or move_code for names and parents. Editable: "
                            f"{', '.join(EDITABLE)}.")
    code = require_code(conn, code_id)
    tuples = {k: tuple(v) for k, v in fields.items() if k in ("examples", "references",
                                                            "patterns")}
    updated = replace(code, **{**fields, **tuples})
    _checked(conn, [updated])
    update_code_row(conn, updated)
    append_audit(conn, actor=actor, action="update code", entity="code", entity_id=code.id,
                 before={k: getattr(code, k) for k in fields},
                 after={k: getattr(updated, k) for k in fields})
    record_version(conn, actor, f"Redefined '{code.name}' ({', '.join(sorted(fields))}).")
    return updated


def merge_codes(conn: sqlite3.Connection, actor: str, source: str, target: str) -> int:
    """Merge ``source`` into ``target``: its codings and child codes move to the target and
    ``source`` is retired. Returns the number of codings moved."""
    old, new = require_code(conn, source), require_code(conn, target)
    if old.id == new.id:
        raise CodebookError(39, f"cannot merge '{old.id}' into itself.")
    book = Codebook("project", 1, codes=tuple(stored_codes(conn)))
    if old.id in {a.id for a in book.ancestors(new.id)}:
        raise CodebookError(40, f"cannot merge '{old.id}' into its own descendant "
                            f"'{new.id}'. Move '{new.id}' out first.")
    moved = active_coding_ids(conn, code_id=old.id)
    recode_many(conn, moved, new.id, actor, action="recode (merge)")
    for child in book.children(old.id):
        update_code_row(conn, replace(child, parent=new.id))
        append_audit(conn, actor=actor, action="move code", entity="code", entity_id=child.id,
                     before={"parent": old.id}, after={"parent": new.id})
    set_status(conn, old.id, "retired")
    append_audit(conn, actor=actor, action="merge code", entity="code", entity_id=old.id,
                 before={"status": "active"},
                 after={"status": "retired", "merged_into": new.id, "codings_moved": len(moved)})
    record_version(conn, actor, f"Merged '{old.name}' into '{new.name}' "
                   f"({len(moved)} codings moved).")
    return len(moved)


def split_code(conn: sqlite3.Connection, actor: str, code_id: str,
               into: list[dict]) -> list[Code]:
    """Add new codes split out of ``code_id``, as its siblings; its codings stay with it
    until a coder recodes them. Each item of ``into`` holds ``name`` and ``definition``
    (and optionally other code fields)."""
    original = require_code(conn, code_id)
    if not into:
        raise CodebookError(41, "split_code needs at least one new code in into=[...].")
    new_codes = [Code(id=item.get("code_id") or slugify(item["name"]),
                      parent=original.parent,
                      **{k: v for k, v in item.items() if k != "code_id"}) for item in into]
    taken = _codes(conn)
    for code in new_codes:
        if code.id in taken:
            raise CodebookError(35, f"the id '{code.id}' is taken. Give code_id=... in into.")
        _name_free(conn, code.name)
    _checked(conn, new_codes)
    ordinal = next_ordinal(conn)
    for offset, code in enumerate(new_codes):
        insert_code(conn, code, ordinal + offset)
        append_audit(conn, actor=actor, action="add code (split)", entity="code",
                     entity_id=code.id, after={**vars(code), "split_from": original.id})
    record_version(conn, actor, f"Split '{original.name}' into "
                   f"{', '.join(repr(c.name) for c in new_codes)}; its codings stay until "
                   "recoded.")
    return new_codes


def retire_code(conn: sqlite3.Connection, actor: str, code_id: str) -> None:
    """Hide a code from coding; it and its codings stay in the project and in history."""
    code = require_code(conn, code_id)
    active_children = [c.id for c in stored_codes(conn, include_retired=False)
                       if c.parent == code.id]
    if active_children:
        raise CodebookError(42, f"code '{code.id}' has active child codes "
                            f"({', '.join(active_children)}). Retire or move them first.")
    set_status(conn, code.id, "retired")
    append_audit(conn, actor=actor, action="retire code", entity="code", entity_id=code.id,
                 before={"status": "active"}, after={"status": "retired"})
    record_version(conn, actor, f"Retired '{code.name}'.")
