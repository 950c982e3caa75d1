"""Schema migration 8: a project from before learned suggestions is backed up and upgraded,
and its pattern suggestions keep working with the new columns empty."""

from __future__ import annotations

import sqlite3

from tests.conftest import CODEBOOK, P01, write
from workbench import Project
from workbench.store import connect, migrate


def test_a_schema_6_project_gains_the_learned_columns_and_keeps_its_suggestions(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    conn = connect(folder / "project.sqlite")
    assert migrate(conn, folder / "project.sqlite", target=6) == [1, 2, 3, 4, 5, 6]
    conn.execute("INSERT INTO meta VALUES ('language', 'en')")
    conn.close()
    with Project.open(folder, user="ana") as project:
        columns = [r[1] for r in project._conn.execute("PRAGMA table_info(suggestions)")]
        assert columns[-3:] == ["model", "model_version", "score"]
        project.import_files([write(tmp_path, "interview_P01.txt", P01)], progress=False)
        project.set_codebook(write(tmp_path, "codebook.yaml", CODEBOOK))
        found = project.suggest()
        # a pattern's suggestion has no model and no score
        assert found[["score", "model", "model_version"]].isna().all().all()
        coding = project.accept_suggestion(found["suggestion_id"].iloc[0])
        assert coding.origin == "suggestion-accepted"
    backup = sqlite3.connect(folder / "project.sqlite.bak-v6")
    assert backup.execute("SELECT max(version) FROM migrations").fetchone()[0] == 6
    backup.close()
