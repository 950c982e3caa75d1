"""The codebook in a project: loading, each operation's effect on codings, versions, refusals."""

from __future__ import annotations

import pytest

from tests.conftest import P01, REPO, span
from workbench.codebook import load_codebook
from workbench.errors import CodebookError

SOCIOTECHNICAL = REPO / "codebooks" / "sociotechnical.yaml"


@pytest.fixture
def with_codings(coded):
    project, docs = coded
    doc = docs["interview_P01.txt"]
    project.code(doc, *span(P01, "I checked the labs by hand."), "manual-verification")
    project.code(doc, *span(P01, "we kept a paper list"), "workaround")
    project.code(doc, *span(P01, "too many alerts"), "alert-fatigue")
    return project, docs


def _quotes(project):
    return sorted(zip(project.codings()["code_id"], project.codings()["text"], strict=True))


def test_the_default_codebook_loads_with_paths_and_depths(project):
    assert project.set_codebook(SOCIOTECHNICAL) == 1
    codes = project.codes()
    # 60 codes in sociotechnical.yaml (codebooks/README.md).
    assert len(codes) == 60 and codes["depth"].max() == 2
    row = codes.set_index("code_id").loc["manual-verification"]
    assert row["path"] == "Repair and invisible work/Manual verification"
    assert project.codebook_versions()["version"].tolist() == [1]


def test_rename_keeps_codings_and_bumps_the_version(with_codings):
    project, _ = with_codings
    before = _quotes(project)
    project.rename_code("workaround", "Workarounds and paper systems")
    assert _quotes(project) == before
    assert project.codings().set_index("code_id").loc["workaround", "code"] == \
        "Workarounds and paper systems"
    versions = project.codebook_versions()
    assert versions["version"].tolist() == [1, 2]
    assert "Renamed 'Workaround' to 'Workarounds and paper systems'" in versions.iloc[-1, -1]
    changes = project.codebook_diff(1, 2)
    assert changes[["change", "id"]].values.tolist() == [["renamed", "workaround"]]


def test_move_keeps_codings_and_changes_retrieval_by_parent(with_codings):
    project, _ = with_codings
    project.move_code("alert-fatigue", "repair")
    assert len(project.codings(code="repair")) == 3
    assert project.codes().set_index("code_id").loc["alert-fatigue", "path"] == \
        "Repair work/Alert fatigue"


def test_merge_moves_codings_to_the_target_and_retires_the_source(with_codings):
    project, _ = with_codings
    moved = project.merge_codes("workaround", "manual-verification")
    assert moved == 1
    assert sorted(project.codings()["code_id"]) == ["alert-fatigue", "manual-verification",
                                                    "manual-verification"]
    assert project.codes(include_retired=True).set_index("code_id").loc[
        "workaround", "status"] == "retired"
    assert (project.history()["action"] == "recode (merge)").sum() == 1


def test_split_adds_codes_and_leaves_codings_with_the_original(with_codings):
    project, _ = with_codings
    new = project.split_code("alert-fatigue", [
        {"name": "Alert volume", "definition": "How many alerts."},
        {"name": "Alert timing", "definition": "When alerts come."}])
    assert [c.id for c in new] == ["alert-volume", "alert-timing"]
    assert project.codings(code="alert-fatigue")["text"].tolist() == ["too many alerts"]


def test_retire_hides_the_code_and_keeps_its_codings(with_codings):
    project, _ = with_codings
    project.retire_code("alert-fatigue")
    assert "alert-fatigue" not in project.codes()["code_id"].tolist()
    assert "too many alerts" in project.codings()["text"].tolist()
    with pytest.raises(CodebookError, match="has active child codes"):
        project.retire_code("repair")


def test_update_redefines_and_is_listed_in_the_diff(with_codings):
    project, _ = with_codings
    project.update_code("trust", definition="Relying on the score without checking.",
                        patterns=["trust the score", "go by the number"])
    changes = project.codebook_diff(1)
    assert changes[["change", "id", "field"]].values.tolist() == [
        ["redefined", "trust", "definition"]]
    assert project.codebook().code("trust").patterns == ("trust the score", "go by the number")


@pytest.mark.parametrize(("operation", "message"), [
    (lambda p: p.rename_code("trust", "Workaround"), "already called 'Workaround'"),
    (lambda p: p.rename_code("trust", "workaround"), "already called 'Workaround'"),
    (lambda p: p.merge_codes("trust", "gone"), "'gone' is not a code"),
    (lambda p: p.merge_codes("repair", "workaround"), "its own descendant"),
    (lambda p: p.merge_codes("trust", "trust"), "into itself"),
    (lambda p: p.move_code("repair", "workaround"), "its own descendant"),
    (lambda p: p.add_code("Trust", definition="again"), "taken|already called"),
])
def test_refused_operations_change_nothing(with_codings, operation, message):
    project, _ = with_codings
    before = (project.codes(include_retired=True).to_dict(), _quotes(project),
              len(project.codebook_versions()), len(project.history()))
    with pytest.raises(CodebookError, match=message):
        operation(project)
    after = (project.codes(include_retired=True).to_dict(), _quotes(project),
             len(project.codebook_versions()), len(project.history()))
    assert after == before


def test_rename_and_merge_onto_a_retired_code_are_refused(with_codings):
    project, _ = with_codings
    project.retire_code("alert-fatigue")
    with pytest.raises(CodebookError, match="retired code is already called"):
        project.rename_code("trust", "Alert fatigue")
    with pytest.raises(CodebookError, match="is retired"):
        project.merge_codes("trust", "alert-fatigue")


def test_setting_a_new_codebook_version_updates_and_retires(with_codings, tmp_path):
    project, _ = with_codings
    book = project.codebook()
    from dataclasses import replace

    from workbench.codebook import Code, save_codebook

    changed = replace(book, codes=tuple(
        [replace(c, name="Trust in the score") if c.id == "trust" else c
         for c in book.codes if c.id != "alert-fatigue"]
        + [Code("informal-training", "Informal training", definition="Teaching on shift.")]))
    save_codebook(changed, tmp_path / "v2.yaml")
    assert project.set_codebook(tmp_path / "v2.yaml") == 2
    codes = project.codes(include_retired=True).set_index("code_id")
    assert codes.loc["alert-fatigue", "status"] == "retired"
    assert codes.loc["trust", "name"] == "Trust in the score"
    assert "too many alerts" in project.codings()["text"].tolist()
    assert set(project.codebook_diff(1, 2)["change"]) == {"added", "removed", "renamed"}


def test_export_round_trips_through_yaml_and_qdc(with_codings, tmp_path):
    project, _ = with_codings
    project.rename_code("trust", "Trust in the score")
    yaml_book = load_codebook(project.export_codebook(tmp_path / "book.yaml"))
    assert yaml_book.version == 2 and yaml_book.code("trust").name == "Trust in the score"
    from workbench.refi_qda import import_qdc

    qdc_book, _ = import_qdc(project.export_codebook(tmp_path / "book.qdc"))
    assert [c.id for c in qdc_book.codes] == [c.id for c in yaml_book.codes]
