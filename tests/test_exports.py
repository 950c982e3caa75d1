"""CSV exports: text a spreadsheet would run as a formula is neutralised (OWASP, "CSV
Injection"); numbers, Parquet files and ``--raw-csv`` stay raw."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from tests.conftest import P01, span
from tests.logs.conftest import CANONICAL, write_csv
from workbench.cli import main
from workbench.coding import export_table
from workbench.logs import load

# A quote a participant (or an attacker writing in a survey box) could have typed: opened in
# a spreadsheet it would be a live formula.
FORMULA = '=HYPERLINK("http://example.org/x","click")'


def _cells(path: Path) -> list[list[str]]:
    """The CSV's cells as a spreadsheet receives them (text, before any interpretation)."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_text_cells_that_start_a_formula_are_prefixed_numbers_are_not(tmp_path):
    frame = pd.DataFrame({
        "text": [FORMULA, "+1+1", "-2-3", "@SUM(A1)", "\tTab", "\rReturn", "-3.5", "plain"],
        "score": [-3.5, 1, 2, 3, 4, 5, 6, 7],
    }, index=pd.Index(["=a", "b", "c", "d", "e", "f", "g", "h"], name="id"))
    export_table(frame, tmp_path / "t.csv")
    rows = _cells(tmp_path / "t.csv")
    assert rows[0] == ["id", "text", "score"]
    # The six dangerous first characters of OWASP's list each get a leading quote; "-3.5" is
    # a plain number (not a formula) and "plain" starts with a letter, so both stay.
    assert [r[1] for r in rows[1:]] == [f"'{FORMULA}", "'+1+1", "'-2-3", "'@SUM(A1)",
                                        "'\tTab", "'\rReturn", "-3.5", "plain"]
    assert rows[1][0] == "'=a"  # the index is text written to the file too
    assert rows[1][2] == "-3.5"  # the numeric column is written as a number, untouched


def test_raw_csv_and_parquet_keep_the_text_as_it_is(tmp_path):
    frame = pd.DataFrame({"text": [FORMULA, "a line\rbroken"]})
    export_table(frame, tmp_path / "raw.csv", safe=False)
    # The carriage return inside a cell stays in its cell (RFC 4180 quoting), not a new row.
    assert [r[1] for r in _cells(tmp_path / "raw.csv")[1:]] == [FORMULA, "a line\rbroken"]
    export_table(frame, tmp_path / "t.parquet")
    assert pd.read_parquet(tmp_path / "t.parquet")["text"].tolist() == [FORMULA,
                                                                          "a line\rbroken"]


def test_codings_and_retrieve_commands_neutralise_quotes_unless_raw(coded, tmp_path):
    project, docs = coded
    doc = docs["interview_P01.txt"]
    project.code(doc, *span(P01, "I checked"), "workaround", coder="ana",
                 memo="not exported")
    project.rename_document(doc, "=cmd|' /C calc'!A0.txt")
    folder = str(project.path)
    out = tmp_path / "codings.csv"
    assert main(["codings", folder, "--out", str(out)]) == 0
    header, row = _cells(out)
    assert row[header.index("document")] == "'=cmd|' /C calc'!A0.txt"
    assert row[header.index("start")] == str(span(P01, "I checked")[0])  # a number, as is
    assert main(["retrieve", folder, "workaround", "--out", str(out)]) == 0
    header, row = _cells(out)
    assert row[header.index("document")] == "'=cmd|' /C calc'!A0.txt"
    assert main(["retrieve", folder, "workaround", "--out", str(out), "--raw-csv"]) == 0
    header, row = _cells(out)
    assert row[header.index("document")] == "=cmd|' /C calc'!A0.txt"


def test_logs_metrics_command_neutralises_a_unit_named_like_a_formula(project, tmp_path):
    base = {**dict.fromkeys(CANONICAL["columns"]), "entity_id": "E1", "alert_id": "A1",
            "unit": "=1+2", "actor_role": "nurse", "actor_id": "u1"}
    rows = [{**base, "event_id": "1", "ts": "2025-03-31 06:40:00", "event_type": "alert_fired",
             "score": "63", "threshold": "60", "inputs_stale": "false"},
            {**base, "event_id": "2", "ts": "2025-03-31 06:45:00",
             "event_type": "alert_acknowledged", "action": "dismissed"}]
    load(project, write_csv(tmp_path / "log.csv", rows), CANONICAL)
    out = tmp_path / "metrics.csv"
    assert main(["logs", "metrics", str(project.path), "--out", str(out)]) == 0
    header, *body = _cells(out)
    assert {r[header.index("unit")] for r in body} == {"'=1+2"}
    assert main(["logs", "metrics", str(project.path), "--out", str(out), "--raw-csv"]) == 0
    header, *body = _cells(out)
    assert {r[header.index("unit")] for r in body} == {"=1+2"}
