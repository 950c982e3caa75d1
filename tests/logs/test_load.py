"""Loading: every format, every validation check with its row and reason, and atomic loads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.logs.conftest import CANONICAL, write_csv, write_jsonl
from workbench.errors import LogsError
from workbench.logs import load, loads, rejects


def _rows(prefix: str = "") -> list[dict]:
    """A tiny valid log: one alert answered three ways, and a deterioration."""
    base = {**dict.fromkeys(CANONICAL["columns"]), "entity_id": "E1", "alert_id": f"{prefix}A1",
            "unit": "4N", "actor_role": "nurse", "actor_id": "u1"}
    return [
        {**base, "event_id": f"{prefix}1", "ts": "2025-03-31 06:40:00",
         "event_type": "alert_fired", "score": "63", "threshold": "60", "inputs_stale": "true"},
        {**base, "event_id": f"{prefix}2", "ts": "2025-03-31 06:40:09",
         "event_type": "alert_delivered"},
        {**base, "event_id": f"{prefix}3", "ts": "2025-03-31 06:52:00",
         "event_type": "alert_acknowledged", "action": "dismissed", "reason": "labs old?"},
        {**base, "event_id": f"{prefix}4", "ts": "2025-03-31 09:00:00",
         "event_type": "deterioration", "alert_id": None, "actor_role": None,
         "actor_id": None, "outcome": "rapid_response_call", "comment": "quality register"},
    ]


def _events(project) -> pd.DataFrame:
    conn = duckdb.connect(str(project.path / "logs.duckdb"), read_only=True)
    try:
        return conn.execute("SELECT * EXCLUDE (load_id, file_id, row) FROM events "
                            "ORDER BY event_id").df()
    finally:
        conn.close()


def _one_reject(report, project, problem: str, row: int, *words: str) -> pd.Series:
    """The load rejected exactly one row: with this problem, at this row, saying these words.

    Rows count as a spreadsheet or an editor does: in a CSV file the header is row 1, so
    ``_rows()[i]`` is row ``i + 2``; in JSON Lines ``_rows()[i]`` is line ``i + 1``."""
    assert report.rows_rejected == 1, str(report)
    assert report.rejected_by_problem == {problem: 1}
    message = report.messages[0]
    assert f"row {row}:" in message
    for word in words:
        assert word in message, message
    stored = rejects(project)
    assert len(stored) == 1
    reject = stored.iloc[0]
    assert (reject["problem"], reject["row"]) == (problem, row)
    return reject


@pytest.mark.parametrize("form", ["csv", "jsonl", "parquet", "partitioned"])
def test_every_format_loads_the_same_events(tmp_path, project, form):
    rows = _rows()
    if form == "csv":
        path = write_csv(tmp_path / "log.csv", rows)
    elif form == "jsonl":
        path = write_jsonl(tmp_path / "log.jsonl", rows)
    else:
        table = pa.Table.from_pylist(rows)
        if form == "parquet":
            path = tmp_path / "log.parquet"
            pq.write_table(table, path)
        else:  # two hive partitions, as a warehouse export writes them
            path = tmp_path / "export"
            for unit_day, part in (("2025-03-31a", table.slice(0, 2)),
                                   ("2025-03-31b", table.slice(2))):
                (path / f"day={unit_day}").mkdir(parents=True)
                pq.write_table(part, path / f"day={unit_day}" / "part-0.parquet")
    report = load(project, path, CANONICAL)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (4, 4, 0)
    events = _events(project)
    assert list(events["event_type"]) == ["alert_fired", "alert_delivered",
                                          "alert_acknowledged", "deterioration"]
    assert events["score"].iloc[0] == 63 and bool(events["inputs_stale"].iloc[0]) is True
    assert str(events["ts"].iloc[0]) == "2025-03-31 06:40:00+00:00"


def test_local_times_become_utc_with_the_mappings_time_zone(tmp_path, project):
    # America/Chicago is UTC-5 in daylight time (from 2025-03-09) and UTC-6 before it.
    rows = _rows()
    rows[0]["ts"], rows[3]["ts"] = "2025-03-08 23:30:00", "2025-03-09 03:30:00"
    rows[1]["ts"], rows[2]["ts"] = "2025-03-08 23:31:00", "2025-03-08 23:45:00"
    path = write_csv(tmp_path / "log.csv", rows)
    load(project, path, {**CANONICAL, "timezone": "America/Chicago"})
    events = _events(project).set_index("event_id")
    assert str(events.loc["1", "ts"]) == "2025-03-09 05:30:00+00:00"  # 23:30 CST = UTC-6
    assert str(events.loc["4", "ts"]) == "2025-03-09 08:30:00+00:00"  # 03:30 CDT = UTC-5
    assert str(events.loc["4", "local_ts"]) == "2025-03-09 03:30:00"


def test_a_site_mapping_renames_columns_and_translates_codes(project):
    from tests.logs.conftest import RIVERSIDE_LOGS
    report = load(project, RIVERSIDE_LOGS / "events", RIVERSIDE_LOGS / "mapping.yaml")
    assert report.rows_rejected == 0 and report.rows_loaded > 50_000
    events = _events(project)
    assert set(events["unit"].dropna()) == {"4N", "5E", "6W"}
    assert "alert_fired" in set(events["event_type"])
    assert set(events["action"].dropna()) <= {"assessed_no_action", "escalated_to_provider",
                                              "called_rapid_response", "dismissed",
                                              "auto_page", "nurse_call"}


def test_an_empty_required_value_is_rejected_with_its_row(tmp_path, project):
    rows = _rows()
    rows[2]["event_id"] = ""
    report = load(project, write_csv(tmp_path / "log.csv", rows), CANONICAL)
    # rows[2] is the third data record: row 4, the header being row 1 (issue 17)
    reject = _one_reject(report, project, "missing_value", 4, "event_id is empty")
    assert '"event_type":"alert_acknowledged"' in reject["record"]
    assert report.rows_loaded == 3


def test_a_row_without_the_key_in_json_lines_is_a_missing_value(tmp_path, project):
    rows = _rows()
    rows[1]["event_type"] = None  # written without the key at all
    report = load(project, write_jsonl(tmp_path / "log.jsonl", rows), CANONICAL)
    _one_reject(report, project, "missing_value", 2, "event_type is empty")


def test_an_unparseable_timestamp_is_rejected_with_its_row(tmp_path, project):
    rows = _rows()
    rows[1]["ts"] = "31/03/2025 25:61"
    report = load(project, write_csv(tmp_path / "log.csv", rows), CANONICAL)
    _one_reject(report, project, "bad_timestamp", 3, "'31/03/2025 25:61' is not a timestamp")


def test_an_unknown_event_type_is_rejected_with_its_row(tmp_path, project):
    rows = _rows()
    rows[3]["event_type"] = "patient_fell"
    report = load(project, write_csv(tmp_path / "log.csv", rows), CANONICAL)
    _one_reject(report, project, "unknown_event_type", 5, "'patient_fell' is not an event type")


def test_a_code_missing_from_the_mappings_table_is_rejected(tmp_path, project):
    rows = _rows()
    for row in rows:
        row["unit"] = "4 NORTH"
    rows[2]["unit"] = "7 SOUTH"
    mapping = {**CANONICAL, "values": {"unit": {"4 NORTH": "4N"}}}
    report = load(project, write_csv(tmp_path / "log.csv", rows), mapping)
    _one_reject(report, project, "unknown_value", 4, "unit '7 SOUTH' is not in values.unit")


def test_a_repeated_event_id_keeps_the_first_and_rejects_the_second(tmp_path, project):
    rows = _rows()
    rows[3]["event_id"] = "2"
    report = load(project, write_csv(tmp_path / "log.csv", rows), CANONICAL)
    _one_reject(report, project, "duplicate_event_id", 5, "'2' repeats log.csv row 3")
    assert list(_events(project)["event_type"])[1] == "alert_delivered"


def test_an_event_id_loaded_before_is_a_duplicate(tmp_path, project):
    load(project, write_csv(tmp_path / "march.csv", _rows()), CANONICAL)
    again = _rows("n")
    again[0]["event_id"] = "1"
    report = load(project, write_csv(tmp_path / "april.csv", again), CANONICAL)
    _one_reject(report, project, "duplicate_event_id", 2, "'1' was already loaded (load 1)")


def test_an_answer_before_its_alert_is_out_of_order(tmp_path, project):
    rows = _rows()
    rows[2]["ts"] = "2025-03-31 06:30:00"  # acknowledged ten minutes before it fired
    report = load(project, write_csv(tmp_path / "log.csv", rows), CANONICAL)
    _one_reject(report, project, "out_of_order", 4, "answers alert 'A1', which fired later")


def test_an_answer_before_an_alert_of_an_earlier_load_is_out_of_order(tmp_path, project):
    load(project, write_csv(tmp_path / "march.csv", _rows()), CANONICAL)
    late = {**_rows()[2], "event_id": "n9", "ts": "2025-03-31 06:00:00"}  # answers A1, early
    report = load(project, write_csv(tmp_path / "april.csv", [late]), CANONICAL)
    _one_reject(report, project, "out_of_order", 2, "which fired later, at 2025-03-31 06:40:00")


def test_a_repeat_of_a_rejected_row_is_kept(tmp_path, project):
    rows = _rows()
    rows[0]["score"] = "high"  # row 1 fails a row check, so row 4's reuse of its id is no repeat
    rows[3]["event_id"] = "1"
    report = load(project, write_csv(tmp_path / "log.csv", rows), CANONICAL)
    _one_reject(report, project, "unknown_value", 2, "'high' is not a number")
    assert list(_events(project)["event_type"]) == ["deterioration", "alert_delivered",
                                                     "alert_acknowledged"]


def test_every_event_keeps_its_file_and_row(tmp_path, project):
    load(project, write_csv(tmp_path / "march.csv", _rows()), CANONICAL)
    load(project, write_csv(tmp_path / "april.csv", _rows("n")), CANONICAL)
    conn = duckdb.connect(str(project.path / "logs.duckdb"), read_only=True)
    try:
        found = conn.execute("SELECT e.event_id, f.file, e.row FROM events e JOIN source_files f "
                             "USING (load_id, file_id) ORDER BY e.load_id, e.row").fetchall()
    finally:
        conn.close()
    # _rows() writes four events, one a line, below the header: rows 2 to 5 as a spreadsheet
    # or an editor numbers them, the header being row 1 (issue 17).
    assert [(e, Path(f).name, r) for e, f, r in found] == [
        *[(str(i), "march.csv", i + 1) for i in range(1, 5)],
        *[(f"n{i}", "april.csv", i + 1) for i in range(1, 5)]]


def test_alert_ids_are_derived_when_the_site_has_none(tmp_path, project):
    rows = [{k: v for k, v in row.items() if k != "alert_id"} for row in _rows()]
    mapping = {**CANONICAL, "columns": {k: v for k, v in CANONICAL["columns"].items()
                                        if k != "alert_id"}}
    load(project, write_csv(tmp_path / "log.csv", rows), mapping)
    events = _events(project).set_index("event_id")
    # Each answer belongs to the latest alert on the same encounter: the alert's event id.
    assert list(events.loc[["1", "2", "3"], "alert_id"]) == ["1", "1", "1"]
    assert pd.isna(events.loc["4", "alert_id"])


def test_a_mapping_naming_a_column_the_file_lacks_says_which(tmp_path, project):
    path = write_csv(tmp_path / "log.csv", _rows())
    mapping = {**CANONICAL, "columns": {**CANONICAL["columns"], "reason": "ACK_REASON"}}
    with pytest.raises(LogsError) as caught:
        load(project, path, mapping)
    assert caught.value.code == "WB-LOGS-010"
    assert "reads reason from column 'ACK_REASON', which this file lacks" in str(caught.value)
    assert not (project.path / "logs.duckdb").exists() or _events(project).empty


def test_a_load_that_fails_half_way_leaves_the_previous_logs(tmp_path, project):
    load(project, write_csv(tmp_path / "march.csv", _rows()), CANONICAL)
    before = _events(project)
    # Thousands of good rows, then a broken line far past what the CSV sniffer reads.
    good = [{**_rows("x")[0], "event_id": f"x{i}"} for i in range(30_000)]
    broken = write_csv(tmp_path / "april.csv", good)
    with broken.open("a", encoding="utf-8") as handle:
        handle.write('x-last,2025-04-01 00:00:00,alert_fired,"E1,too,many,fields,here,x,y,z,'
                     'w,v,u,t,s,r,q,p,o"\n')
    with pytest.raises(LogsError) as caught:
        load(project, [write_csv(tmp_path / "may.csv", _rows("m")), broken], CANONICAL,
             replace=True)
    assert caught.value.code == "WB-LOGS-011"
    pd.testing.assert_frame_equal(_events(project), before)
    assert len(loads(project)) == 1 and rejects(project).empty


def test_loading_the_same_file_twice_is_refused(tmp_path, project):
    path = write_csv(tmp_path / "log.csv", _rows())
    load(project, path, CANONICAL)
    with pytest.raises(LogsError, match="already loaded .load 1"):
        load(project, path, CANONICAL)
    assert load(project, path, CANONICAL, replace=True).rows_loaded == 4
    assert len(_events(project)) == 4


def test_files_that_are_not_logs_are_refused(tmp_path, project):
    with pytest.raises(LogsError, match="WB-LOGS-008.*does not exist"):
        load(project, tmp_path / "nothing.csv", CANONICAL)
    notes = tmp_path / "notes.txt"
    notes.write_text("not a log")
    with pytest.raises(LogsError, match="WB-LOGS-009"):
        load(project, notes, CANONICAL)


def test_the_loads_table_records_who_loaded_what(tmp_path, project):
    load(project, write_csv(tmp_path / "log.csv", _rows()), CANONICAL)
    record = loads(project).iloc[0]
    assert (record["actor"], record["rows_loaded"], record["rows_rejected"]) == ("ana", 4, 0)
    assert "log.csv" in record["files"] and '"timezone": "UTC"' in record["mapping"]
