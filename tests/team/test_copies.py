"""Copies for coders: whole, consistent, recording where they came from; blind on request."""

from __future__ import annotations

import sqlite3
import threading
import time

import pandas as pd

from tests.conftest import P01, span
from tests.team.conftest import code_passages, doc_id
from workbench import Project
from workbench.cli import main


def test_a_copy_holds_the_project_and_says_where_it_came_from(lead, tmp_path):
    code_passages(lead, "ana")
    lead.memo("document", doc_id(lead), "first reading")
    lead.copy_for("ben", tmp_path / "ben")
    with Project.open(tmp_path / "ben", user="ben") as copy:
        for read in ("documents", "cases", "codes", "codebook_versions", "memos"):
            pd.testing.assert_frame_equal(getattr(copy, read)(), getattr(lead, read)())
        pd.testing.assert_frame_equal(copy.segments("turn"), lead.segments("turn"))
        pd.testing.assert_frame_equal(copy.codings("all"), lead.codings("all"))
        settings = copy.settings
    assert settings["copy.coder"] == "ben"
    assert settings["copy.blind"] == "false"
    assert settings["copy.of"] == str(lead.path.resolve())
    # the codebook was set once (tests/conftest.py CODEBOOK, version 1)
    assert settings["copy.codebook_version"] == "1"
    handed = lead.history().iloc[-1]
    assert (handed["action"], handed["entity_id"]) == ("copy for", settings["copy.id"])


def test_a_blind_copy_leaves_other_coders_codings_out(lead, tmp_path):
    code_passages(lead, "ana")
    code_passages(lead, "ben")
    accepted = lead.suggest()["suggestion_id"].iloc[0]
    lead.accept_suggestion(accepted, coder="ana")
    ana_coding = lead.codings("ana")["coding_id"].iloc[0]
    lead.memo("coding", ana_coding, "ana's reason")
    lead.copy_for("ben", tmp_path / "ben", blind=True)
    with Project.open(tmp_path / "ben", user="ben") as copy:
        assert set(copy.codings("all")["coder"]) == {"ben"}
        assert len(copy.codings("ben")) == 3  # ben's 3 passages (tests/team/conftest.py)
        assert copy.memos("coding").empty
        assert copy.suggestions().set_index("suggestion_id").loc[accepted, "status"] == \
            "pending"
    # the project itself keeps everything
    assert len(lead.codings("ana")) == 4  # 3 passages and the accepted suggestion


def test_a_copy_taken_during_another_kernels_write_holds_only_what_was_committed(
        lead, tmp_path):
    writing = threading.Event()

    def write_slowly():
        # another kernel on the same project, in the middle of a transaction
        with Project.open(lead.path, user="ben") as other, other.atomic():
            other.code(doc_id(other), *span(P01, "a paper list"), "workaround")
            writing.set()
            time.sleep(2)  # the copy is taken now; copy_for's own audit row waits for this

    worker = threading.Thread(target=write_slowly)
    worker.start()
    writing.wait(30)
    lead.copy_for("ana", tmp_path / "ana")
    worker.join()
    with Project.open(tmp_path / "ana") as copy:
        assert copy.codings("all").empty
    assert len(lead.codings("ben")) == 1
    # the copy is a sound database
    with sqlite3.connect(tmp_path / "ana" / "project.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_copy_for_and_merge_commands(lead, tmp_path, capsys):
    assert main(["copy-for", str(lead.path), "ana", str(tmp_path / "ana"), "--blind"]) == 0
    with Project.open(tmp_path / "ana", user="ana") as copy:
        code_passages(copy, "ana")
    assert main(["merge", str(lead.path), str(tmp_path / "ana")]) == 0
    out = capsys.readouterr().out
    assert "copy for ana (ana): 3 codings added (ana 3)" in out
    assert main(["merge", str(lead.path), str(tmp_path / "nowhere")]) == 1
    assert "WB-TEAM-003" in capsys.readouterr().err
    assert len(lead.codings("ana")) == 3
