"""The codebook inside a project: the ``codes`` table and the version history.

The codes table holds the current codes (active and retired); ``codebook_versions`` holds one
row per version with its changelog text and a snapshot of the whole codebook, so any two
versions can be compared and every coding can be read against the codebook it was made with.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from workbench.codebook.diff import diff
from workbench.codebook.io import load_codebook
from workbench.codebook.model import ChangelogEntry, Code, Codebook
from workbench.codebook.validate import check
from workbench.errors import CodebookError
from workbench.store import append_audit
from workbench.store.audit import now

_JSON_FIELDS = {"examples": "examples", "references": "refs", "patterns": "patterns"}
CODE_COLUMNS = [
    "code_id", "name", "parent_id", "path", "depth", "definition", "when_to_use",
    "when_not_to_use", "examples", "color", "references", "patterns", "status", "n_codings",
]


def _row(code: Code, ordinal: int) -> tuple:
    return (code.id, code.name, code.parent, code.definition, code.when_to_use,
            code.when_not_to_use, json.dumps(list(code.examples), ensure_ascii=False),
            code.color, json.dumps(list(code.references), ensure_ascii=False),
            json.dumps(list(code.patterns), ensure_ascii=False), ordinal)


def _code(row: sqlite3.Row) -> Code:
    return Code(
        id=row["code_id"], name=row["name"], parent=row["parent_id"],
        definition=row["definition"], when_to_use=row["when_to_use"] or "",
        when_not_to_use=row["when_not_to_use"] or "",
        examples=tuple(json.loads(row["examples"])), color=row["color"],
        references=tuple(json.loads(row["refs"])), patterns=tuple(json.loads(row["patterns"])),
    )


def insert_code(conn: sqlite3.Connection, code: Code, ordinal: int) -> None:
    """Insert one code row (the caller validates and audits)."""
    conn.execute("INSERT INTO codes (code_id, name, parent_id, definition, when_to_use, "
                 "when_not_to_use, examples, color, refs, patterns, ordinal) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _row(code, ordinal))


def update_code_row(conn: sqlite3.Connection, code: Code) -> None:
    """Overwrite every field of an existing code (the caller validates and audits)."""
    row = _row(code, 0)
    conn.execute("UPDATE codes SET name = ?, parent_id = ?, definition = ?, when_to_use = ?, "
                 "when_not_to_use = ?, examples = ?, color = ?, refs = ?, patterns = ? "
                 "WHERE code_id = ?", (*row[1:10], code.id))


def stored_codes(conn: sqlite3.Connection, *, include_retired: bool = True) -> list[Code]:
    """The project's codes in codebook order."""
    where = "" if include_retired else "WHERE status = 'active'"
    return [_code(r) for r in conn.execute(f"SELECT * FROM codes {where} ORDER BY ordinal")]


def status_of(conn: sqlite3.Connection) -> dict[str, str]:
    """Each code id's status: active or retired."""
    return {r[0]: r[1] for r in conn.execute("SELECT code_id, status FROM codes")}


def code_ids(conn: sqlite3.Connection, *, include_retired: bool = False) -> list[str]:
    """The ids of the project's codes in codebook order (active ones unless asked)."""
    where = "" if include_retired else "WHERE status = 'active' "
    return [r[0] for r in conn.execute(f"SELECT code_id FROM codes {where}ORDER BY ordinal")]


def code_names(conn: sqlite3.Connection) -> dict[str, str]:
    """code_id -> name of every code, retired ones included."""
    return dict(conn.execute("SELECT code_id, name FROM codes").fetchall())


def descendant_ids(conn: sqlite3.Connection, code_id: str) -> list[str]:
    """``code_id`` and the id of every code below it (retired ones included)."""
    rows = conn.execute(
        "WITH RECURSIVE tree(id) AS (SELECT ? UNION SELECT c.code_id FROM codes c "
        "JOIN tree ON c.parent_id = tree.id) SELECT id FROM tree", (code_id,)).fetchall()
    return [r[0] for r in rows]


def require_code(conn: sqlite3.Connection, code_id: str, *, active: bool = True) -> Code:
    """The code ``code_id`` (by id or exact name); refuse unknown ones, naming close matches."""
    codes = {c.id: c for c in stored_codes(conn)}
    status = status_of(conn)
    if code_id not in codes:
        by_name = {c.name: c.id for c in codes.values()}
        if code_id in by_name:
            code_id = by_name[code_id]
        else:
            options = list(codes) + list(by_name)
            close = difflib.get_close_matches(str(code_id), options, n=3, cutoff=0.5)
            hint = f" Did you mean: {', '.join(close)}?" if close else \
                " See project.codes() for the codes."
            raise CodebookError(32, f"'{code_id}' is not a code in this project.{hint}")
    if active and status[code_id] != "active":
        raise CodebookError(33, f"code '{code_id}' is retired: it is kept for history but "
                            "cannot be used. Use an active code, or set the codebook again.")
    return codes[code_id]


def next_ordinal(conn: sqlite3.Connection) -> int:
    """The codebook position after the last code's (0 in an empty codebook)."""
    return conn.execute("SELECT coalesce(max(ordinal), -1) + 1 FROM codes").fetchone()[0]


def set_status(conn: sqlite3.Connection, code_id: str, status: str) -> None:
    """Mark a code active or retired (the caller validates and audits)."""
    conn.execute("UPDATE codes SET status = ? WHERE code_id = ?", (status, code_id))


def current_version(conn: sqlite3.Connection) -> int:
    """The project's codebook version, 0 before a codebook is set."""
    return conn.execute("SELECT coalesce(max(version), 0) FROM codebook_versions").fetchone()[0]


def _snapshot(conn: sqlite3.Connection, version: int) -> dict:
    row = conn.execute("SELECT snapshot FROM codebook_versions WHERE version = ?",
                       (version,)).fetchone()
    if row is None:
        raise CodebookError(30, f"this project has no codebook version {version}. See "
                            "project.codebook_versions().")
    return json.loads(row[0])


def codebook_at(conn: sqlite3.Connection, version: int | None = None) -> Codebook:
    """The codebook as it was at ``version`` (default: now), active codes only."""
    version = version or current_version(conn)
    if version == 0:
        raise CodebookError(31, "this project has no codebook yet. Load one with "
                            "project.set_codebook('codebooks/sociotechnical.yaml').")
    data = _snapshot(conn, version)
    return Codebook(
        title=data["title"], version=data["version"], authors=tuple(data["authors"]),
        changelog=tuple(ChangelogEntry(e["version"], datetime.fromisoformat(e["date"]).date(),
                                       e["text"]) for e in data["changelog"]),
        references=tuple(data["references"]),
        codes=tuple(Code(**{**c, **{k: tuple(c[k]) for k in _JSON_FIELDS}})
                    for c in data["codes"]),
    )


def record_version(conn: sqlite3.Connection, actor: str, text: str,
                   base: Codebook | None = None) -> int:
    """Store a new codebook version: the current active codes plus a changelog entry.

    For the first version, ``base`` (the codebook as loaded) gives the title, authors,
    references, version number and changelog; later versions extend the previous snapshot's
    changelog by ``text``. Returns the new version number.
    """
    today = datetime.now(UTC).date()
    if base is not None:
        version = max(1, base.version)
        changelog = base.changelog or (ChangelogEntry(version, today, text),)
        meta = base
    else:
        meta = codebook_at(conn)
        version = meta.version + 1
        changelog = (*meta.changelog, ChangelogEntry(version, today, text))
    snapshot = {
        "title": meta.title, "version": version, "authors": list(meta.authors),
        "changelog": [{"version": e.version, "date": e.date.isoformat(), "text": e.text}
                      for e in changelog],
        "references": list(meta.references),
        "codes": [{**vars(c), **{k: list(getattr(c, k)) for k in _JSON_FIELDS}}
                  for c in stored_codes(conn, include_retired=False)],
    }
    conn.execute("INSERT INTO codebook_versions VALUES (?, ?, ?, ?, ?)",
                 (version, now(), actor, text, json.dumps(snapshot, ensure_ascii=False)))
    return version


def set_codebook(conn: sqlite3.Connection, source: str | Path | Codebook, actor: str) -> int:
    """Load a codebook into a project (first time), or bring the project's codes up to it.

    The first codebook is stored as given (its version and changelog kept). Setting another
    later adds the codes that are new, updates changed ones and retires the ones it no longer
    has (their codings stay), as one new version. Returns the project's codebook version.
    """
    book = source if isinstance(source, Codebook) else load_codebook(source)
    check(book, source=getattr(source, "name", None) if isinstance(source, Path) else None)
    existing = {c.id: c for c in stored_codes(conn)}
    status = status_of(conn)
    for ordinal, code in enumerate(book.codes):
        if code.id not in existing:
            insert_code(conn, code, ordinal)
            append_audit(conn, actor=actor, action="add code", entity="code",
                         entity_id=code.id, after=vars(code))
        else:
            conn.execute("UPDATE codes SET ordinal = ?, status = 'active' WHERE code_id = ?",
                         (ordinal, code.id))
            if existing[code.id] != code or status[code.id] != "active":
                update_code_row(conn, code)
                append_audit(conn, actor=actor, action="update code", entity="code",
                             entity_id=code.id, before=vars(existing[code.id]), after=vars(code))
    kept = {c.id for c in book.codes}
    for code_id in existing:
        if code_id not in kept and status[code_id] == "active":
            set_status(conn, code_id, "retired")
            append_audit(conn, actor=actor, action="retire code", entity="code",
                         entity_id=code_id, before={"status": "active"},
                         after={"status": "retired"})
    if not existing:
        return record_version(conn, actor, book.changelog[-1].text if book.changelog
                              else f"Loaded '{book.title}'.", base=book)
    changes = diff(codebook_at(conn), book)
    return record_version(conn, actor, f"Set codebook '{book.title}' v{book.version}: "
                          f"{_summary(changes)}.")


def _summary(changes: pd.DataFrame) -> str:
    if changes.empty:
        return "no changes to codes"
    counts = changes.drop_duplicates(["change", "id"])["change"].value_counts()
    return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)


def codes_frame(conn: sqlite3.Connection, *, include_retired: bool = False) -> pd.DataFrame:
    """One row per code: id, name, parent, path, depth, definitions, status, n_codings."""
    codes = stored_codes(conn, include_retired=True)
    if not codes:
        return pd.DataFrame(columns=CODE_COLUMNS)
    book = Codebook("project", 1, codes=tuple(codes))
    counts = dict(conn.execute(
        "SELECT code_id, count(*) FROM codings WHERE status = 'active' GROUP BY code_id"))
    status = status_of(conn)
    rows = [{
        "code_id": c.id, "name": c.name, "parent_id": c.parent, "path": book.path(c.id),
        "depth": book.depth(c.id), "definition": c.definition, "when_to_use": c.when_to_use,
        "when_not_to_use": c.when_not_to_use, "examples": c.examples, "color": c.color,
        "references": c.references, "patterns": c.patterns, "status": status[c.id],
        "n_codings": counts.get(c.id, 0),
    } for c in codes if include_retired or status[c.id] == "active"]
    return pd.DataFrame(rows, columns=CODE_COLUMNS)


def versions_frame(conn: sqlite3.Connection) -> pd.DataFrame:
    """One row per codebook version: version, at, actor, changelog."""
    return pd.read_sql_query("SELECT version, at, actor, changelog FROM codebook_versions "
                             "ORDER BY version", conn)


def version_diff(conn: sqlite3.Connection, old: int, new: int | None = None) -> pd.DataFrame:
    """What changed between two stored codebook versions (see :func:`diff`)."""
    return diff(codebook_at(conn, old), codebook_at(conn, new))


def merges(conn: sqlite3.Connection) -> dict[str, str]:
    """Each code merged away -> the code its codings are in now, following chains (A merged
    into B, then B into C: A -> C), as :func:`~workbench.codebook.operations.merge_codes`
    records merges in the audit log."""
    rows = conn.execute("SELECT entity_id, after FROM audit WHERE entity = 'code' AND "
                        "action = 'merge code' ORDER BY seq").fetchall()
    into = {row[0]: json.loads(row[1])["merged_into"] for row in rows}
    final = {}
    for code_id in into:
        seen, target = {code_id}, into[code_id]
        while target in into and into[target] not in seen | {target}:
            seen.add(target)
            target = into[target]
        final[code_id] = target
    return final
