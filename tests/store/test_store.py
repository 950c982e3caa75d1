"""The project store: creation, opening, refusal of foreign files, transactions, audit."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import write
from workbench import Project
from workbench.errors import ProjectError
from workbench.store import SCHEMA_VERSION, connect
from workbench.store.schema import MIGRATIONS


def test_created_project_uses_wal_foreign_keys_and_records_its_schema(tmp_path):
    with Project.create(tmp_path / "p") as project:
        conn = project._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert project.settings["language"] == "en"
    raw = sqlite3.connect(tmp_path / "p" / "project.sqlite")
    versions = [r[0] for r in raw.execute("SELECT version FROM migrations")]
    assert versions == [m[0] for m in MIGRATIONS]
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "segments", "cases", "attributes", "codes", "codings", "memos",
            "audit", "codebook_versions"} <= tables


def test_reopening_keeps_what_was_stored(tmp_path, project):
    write(tmp_path, "a.txt", "Interviewer: hi\nP01: hello\nInterviewer: bye\n")
    project.import_files([tmp_path / "a.txt"], progress=False)
    project.close()
    with Project.open(tmp_path / "study") as again:
        assert again.documents()["name"].tolist() == ["a.txt"]


def test_create_refuses_an_existing_project(project):
    with pytest.raises(ProjectError, match="WB-PROJECT-001.*already holds a project"):
        Project.create(project.path)


def test_open_refuses_a_folder_that_is_not_a_project(tmp_path):
    with pytest.raises(ProjectError, match="WB-PROJECT-004.*not a workbench project"):
        Project.open(tmp_path)


def test_open_refuses_a_file_that_is_not_sqlite(tmp_path):
    bogus = write(tmp_path, "project.sqlite", "name,role\nP01,nurse\n")
    with pytest.raises(ProjectError, match="WB-PROJECT-005.*not SQLite"):
        Project.open(bogus)


def test_open_refuses_a_foreign_sqlite_database(tmp_path):
    conn = sqlite3.connect(tmp_path / "project.sqlite")
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="WB-PROJECT-005.*not a workbench project"):
        Project.open(tmp_path)


def test_open_refuses_a_project_from_a_newer_workbench_and_changes_nothing(tmp_path, project):
    project._conn.execute("INSERT INTO migrations VALUES (?, 'future', 'x')",
                          (SCHEMA_VERSION + 1,))
    project.close()
    before = (tmp_path / "study" / "project.sqlite").read_bytes()
    with pytest.raises(ProjectError, match="WB-PROJECT-003.*newer workbench"):
        Project.open(tmp_path / "study")
    assert not list((tmp_path / "study").glob("*.bak-*"))
    conn = connect(tmp_path / "study" / "project.sqlite")
    assert conn.execute("SELECT max(version) FROM migrations").fetchone()[0] == SCHEMA_VERSION + 1
    assert len(before) > 0


def test_audit_log_refuses_updates_and_deletes(tmp_path, project):
    write(tmp_path, "a.md", "# Field note 2025-03-31\n\nA nurse rechecks the lab.\n")
    project.import_files([tmp_path / "a.md"], progress=False)
    assert project.history()["action"].tolist() == ["import"]
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project._conn.execute("UPDATE audit SET actor = 'mallory'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        project._conn.execute("DELETE FROM audit")


def test_atomic_rolls_back_everything_when_a_later_step_fails(tmp_path, project):
    write(tmp_path, "a.md", "# Field note\n\nFirst.\n")
    write(tmp_path, "b.md", "# Field note\n\nSecond.\n")
    with pytest.raises(RuntimeError), project.atomic():
        project.import_files([tmp_path / "a.md"], progress=False)
        project.import_files([tmp_path / "b.md"], progress=False)
        raise RuntimeError("the researcher's cell failed after two imports")
    assert project.documents().empty
    assert project.history().empty


def test_an_older_project_is_backed_up_and_migrated_forward(tmp_path):
    """Build a schema-1 project with migration 1 alone, then open it with this workbench."""
    from workbench.store import migrate

    folder = tmp_path / "old"
    folder.mkdir()
    conn = connect(folder / "project.sqlite")
    assert migrate(conn, folder / "project.sqlite", target=1) == [1]
    conn.execute("INSERT INTO meta VALUES ('language', 'en')")
    conn.close()
    with Project.open(folder) as project:
        versions = [r[0] for r in project._conn.execute("SELECT version FROM migrations")]
        assert versions == [m[0] for m in MIGRATIONS]
        assert project.suggestions().empty  # the table migration 2 adds
    backup = folder / "project.sqlite.bak-v1"
    assert backup.exists()
    old = sqlite3.connect(backup)
    assert old.execute("SELECT max(version) FROM migrations").fetchone()[0] == 1
