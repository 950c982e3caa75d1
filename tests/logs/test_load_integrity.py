"""Loading odd input: read right or refused, never stored wrong (issue 13).

Times with and without offsets across both changes of the clocks, NaN and infinity, CSV
records with too many or too few fields, quoted line breaks, a BOM, a repeated header name, a
database busy in another process, and a load killed half-way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.logs.conftest import CANONICAL, write_csv, write_jsonl
from tests.logs.test_load import _events, _one_reject, _rows
from workbench.errors import LogsError
from workbench.logs import compute, load, loads, rejects
from workbench.logs.load import SCRATCH

CHICAGO = {**CANONICAL, "timezone": "America/Chicago"}
#: Riverside's clock in 2025: CST (UTC-6) until 2025-03-09 02:00, when clocks jump to 03:00
#: CDT (UTC-5); back to 01:00 CST at 2025-11-02 02:00 CDT, so 01:00-01:59 happens twice
#: (IANA tz database, America/Chicago).


def _row(event_id: str, ts: str, event_type: str = "deterioration", **more) -> dict:
    return {**_rows()[3], "event_id": event_id, "ts": ts, "event_type": event_type, **more}


def _times(project) -> dict[str, tuple[str, str]]:
    events = _events(project).set_index("event_id")
    return {i: (str(events.loc[i, "ts"]), str(events.loc[i, "local_ts"])) for i in events.index}


def test_offsets_are_honoured_and_clock_changes_refused_row_by_row(tmp_path, project):
    rows = [
        _row("spring-naive", "2025-03-09 01:50:00", "alert_fired", alert_id="S"),
        _row("spring-z", "2025-03-09T08:05:00Z", "alert_delivered", alert_id="S"),
        _row("spring-offset", "2025-03-09 03:10:00-05:00", "alert_acknowledged",
             alert_id="S", action="assessed_no_action"),
        _row("spring-gap", "2025-03-09 02:30:00"),
        _row("fall-cdt", "2025-11-02 01:30:00-05:00"),
        _row("fall-cst", "2025-11-02 01:30:00-0600"),
        _row("fall-twice", "2025-11-02 01:30:00"),
        _row("fall-z", "2025-11-02T07:45:00z"),
        _row("india", "2025-11-02 12:00:00+05:30"),
    ]
    report = load(project, write_csv(tmp_path / "log.csv", rows), CHICAGO)
    assert report.rejected_by_problem == {"ambiguous_time": 1, "nonexistent_time": 1}
    found = rejects(project).set_index("row")
    # Rows as a spreadsheet counts them, the header being row 1: the fourth record is row 5.
    assert found.loc[5, "problem"] == "nonexistent_time"  # record 4: 02:30 was skipped
    assert "'2025-03-09 02:30:00' never showed on the clocks" in found.loc[5, "reason"]
    assert found.loc[8, "problem"] == "ambiguous_time"  # record 7: 01:30 happened twice
    assert "showed twice" in found.loc[8, "reason"]
    # Each instant by hand from the offsets above; local_ts is that instant in Chicago.
    assert _times(project) == {
        "spring-naive": ("2025-03-09 07:50:00+00:00", "2025-03-09 01:50:00"),  # CST, UTC-6
        "spring-z": ("2025-03-09 08:05:00+00:00", "2025-03-09 03:05:00"),  # now CDT, UTC-5
        "spring-offset": ("2025-03-09 08:10:00+00:00", "2025-03-09 03:10:00"),
        "fall-cdt": ("2025-11-02 06:30:00+00:00", "2025-11-02 01:30:00"),
        "fall-cst": ("2025-11-02 07:30:00+00:00", "2025-11-02 01:30:00"),
        "fall-z": ("2025-11-02 07:45:00+00:00", "2025-11-02 01:45:00"),  # CST again
        "india": ("2025-11-02 06:30:00+00:00", "2025-11-02 01:30:00"),  # 12:00 - 5:30
    }


def test_an_all_utc_export_is_read_as_utc_whatever_the_sites_zone(tmp_path, project):
    rows = _rows()
    for row in rows:
        row["ts"] = row["ts"].replace(" ", "T") + "Z"
    report = load(project, write_csv(tmp_path / "log.csv", rows), CHICAGO)
    # Read as Chicago wall clock, the acknowledgement would still follow its alert: what
    # shows the offset is kept is the instant itself, 06:40 UTC = 01:40 CDT (UTC-5).
    assert report.rows_rejected == 0
    assert _times(project)["1"] == ("2025-03-31 06:40:00+00:00", "2025-03-31 01:40:00")


def test_json_lines_offsets_are_not_shifted_by_type_guessing(tmp_path, project):
    rows = _rows()
    for row in rows:  # every value with an offset: DuckDB's guess would make it TIMESTAMP
        row["ts"] = row["ts"].replace(" ", "T") + "-04:00"
    load(project, write_jsonl(tmp_path / "log.jsonl", rows), CHICAGO)
    # 06:40 at UTC-4 is 10:40 UTC, which Chicago (UTC-5 in March) shows as 05:40.
    assert _times(project)["1"] == ("2025-03-31 10:40:00+00:00", "2025-03-31 05:40:00")


def test_parquet_instants_and_wall_clock_times(tmp_path, project):
    # 1741506600 s after 1970-01-01 00:00 UTC is 2025-03-09 07:50:00 UTC (01:50 CST).
    pq.write_table(pa.table({"event_id": ["tz"], "ts": pa.array([1741506600], pa.timestamp(
        "s", tz="UTC")), "event_type": ["deterioration"]}), tmp_path / "instants.parquet")
    pq.write_table(pa.table({"event_id": ["wall", "gap"], "ts": pa.array(
        ["2025-03-09 01:50:00", "2025-03-09 02:30:00"]).cast(pa.timestamp("s")),
        "event_type": ["deterioration"] * 2}), tmp_path / "wall.parquet")
    mapping = {**CHICAGO, "columns": {k: k for k in ("event_id", "ts", "event_type")}}
    report = load(project, [tmp_path / "instants.parquet", tmp_path / "wall.parquet"], mapping)
    assert report.rejected_by_problem == {"nonexistent_time": 1}
    assert _times(project) == {"tz": ("2025-03-09 07:50:00+00:00", "2025-03-09 01:50:00"),
                               "wall": ("2025-03-09 07:50:00+00:00", "2025-03-09 01:50:00")}


def test_a_timestamp_format_with_an_offset_reads_instants(tmp_path, project):
    rows = _rows()
    rows[0]["ts"] = "31.03.2025 08:40 +0200"
    rows[1]["ts"] = "31.03.2025 06:40:09"  # no offset: does not match the format
    mapping = {**CHICAGO, "timestamp_format": "%d.%m.%Y %H:%M %z"}
    report = load(project, write_csv(tmp_path / "log.csv", rows[:2]), mapping)
    _one_reject(report, project, "bad_timestamp", 3, "expected %d.%m.%Y %H:%M %z")
    assert _times(project)["1"] == ("2025-03-31 06:40:00+00:00", "2025-03-31 01:40:00")


@pytest.mark.parametrize("form", ["csv", "jsonl", "parquet"])
def test_nan_and_infinity_are_rejects(tmp_path, project, form):
    rows = _rows()
    rows[0]["score"], rows[1]["threshold"] = float("nan"), float("inf")
    if form == "csv":
        path = write_csv(tmp_path / "log.csv", rows)  # written as nan and inf
    elif form == "jsonl":
        path = write_jsonl(tmp_path / "log.jsonl", rows)  # NaN and Infinity, as Python writes
    else:
        path = tmp_path / "log.parquet"
        pq.write_table(pa.Table.from_pylist([{**r, "score": None if r["score"] is None else
                                              float(r["score"]), "threshold": None if
                                              r["threshold"] is None else float(r["threshold"])}
                                             for r in rows]), path)
    report = load(project, path, CANONICAL)
    assert report.rejected_by_problem == {"unknown_value": 2}, str(report)
    assert all("NaN and infinity are refused" in m for m in report.messages)
    assert report.rows_loaded == 2  # rows 3 and 4 carry no score or threshold


def test_records_with_extra_or_missing_fields_are_rejects_and_rows_keep_their_numbers(
        tmp_path, project):
    header = ",".join(CANONICAL["columns"])  # 15 columns
    path = tmp_path / "log.csv"
    path.write_text(header + "\n"
                    '1,2025-03-31 06:40:00,deterioration' + "," * 12 + '"two\nlines"\n'
                    "2,2025-03-31 07:00:00,deterioration\n"  # 12 fields missing
                    "3,2025-03-31 08:00:00,deterioration" + "," * 12 + "x,y,z\n"  # 2 too many
                    "4,2025-03-31 09:00:00,deterioration" + "," * 12 + '"a ""quoted""\n'
                    'comment"\n'
                    "5,2025-03-31 10:00:00,deterioration" + "," * 14 + "\n",  # empty extra
                    encoding="utf-8")
    report = load(project, path, CANONICAL)
    assert report.rejected_by_problem == {"wrong_field_count": 2}, str(report)
    found = rejects(project).set_index("row")
    # Records 2 and 3 are rows 3 and 4: the header is row 1, as a spreadsheet counts.
    assert "fewer fields than the header (15)" in found.loc[3, "reason"]
    assert "more fields than the header (15)" in found.loc[4, "reason"]
    assert found.loc[4, "record"].startswith('"3,2025-03-31 08:00:00')
    events = _events(project).set_index("event_id")
    assert events.loc["1", "comment"] == "two\nlines"
    assert events.loc["4", "comment"] == 'a "quoted"\ncomment'
    # Rows count records as a spreadsheet does (header row 1; record 1 spans two lines but is
    # row 2); a trailing empty field more than the header holds no value and is dropped by
    # DuckDB's reader, so record 5 (row 6) loads.
    assert dict(zip(*_provenance(project), strict=True)) == {"1": 2, "4": 5, "5": 6}


def _provenance(project) -> tuple[list[str], list[int]]:
    import duckdb

    conn = duckdb.connect(str(project.path / "logs.duckdb"), read_only=True)
    try:
        found = conn.execute("SELECT event_id, row FROM events ORDER BY row").fetchall()
    finally:
        conn.close()
    return [e for e, _ in found], [r for _, r in found]


def test_a_bom_padded_values_and_a_header_only_file_load(tmp_path, project):
    rows = _rows()
    rows[0]["event_type"], rows[0]["score"] = " alert_fired ", " 63 "
    path = write_csv(tmp_path / "log.csv", rows)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    empty = tmp_path / "empty.csv"
    empty.write_text(path.read_text(encoding="utf-8-sig").splitlines()[0] + "\n")
    report = load(project, [path, empty], CANONICAL)
    assert (report.rows_read, report.rows_loaded) == (4, 4)  # the header-only file adds none
    events = _events(project).set_index("event_id")
    assert (events.loc["1", "event_type"], events.loc["1", "score"]) == ("alert_fired", 63)


def test_a_header_naming_a_column_twice_is_refused(tmp_path, project):
    path = tmp_path / "log.csv"
    path.write_text("event_id,ts,event_type,EVENT_TYPE\n1,2025-03-31 06:40:00,x,y\n")
    mapping = {**CANONICAL, "columns": {k: k for k in ("event_id", "ts", "event_type")}}
    with pytest.raises(LogsError, match="WB-LOGS-015.*'EVENT_TYPE' twice .fields 3 and 4"):
        load(project, path, mapping)
    assert not (project.path / "logs.duckdb").exists() or _events(project).empty


def _python(code: str) -> subprocess.Popen:
    """A second Python process (another kernel) running ``code`` with this checkout."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE,
                            text=True)


def test_logs_held_by_another_process_are_busy(tmp_path, project):
    load(project, write_csv(tmp_path / "log.csv", _rows()), CANONICAL)
    holder = _python(f"""
from pathlib import Path
import time
from workbench.logs import _store
conn = _store.connect(Path({str(project.path)!r}))
conn.execute("BEGIN TRANSACTION")
conn.execute("DELETE FROM events")
print("holding", flush=True)
time.sleep(60)
""")
    try:
        assert holder.stdout.readline().strip() == "holding"
        for attempt in (lambda: loads(project), lambda: compute(project, "alert_volume"),
                        lambda: load(project, write_csv(tmp_path / "b.csv", _rows("b")),
                                     CANONICAL)):
            with pytest.raises(LogsError, match="WB-LOGS-016.*busy.*Retry when"):
                attempt()
    finally:
        holder.kill()
        holder.wait()
    assert len(_events(project)) == 4  # the other process never committed its delete


def test_a_killed_load_leaves_no_scratch_files(tmp_path, project):
    load(project, write_csv(tmp_path / "log.csv", _rows()), CANONICAL)
    big = write_csv(tmp_path / "big.csv", [{**_rows("k")[3], "event_id": f"k{i}"}
                                           for i in range(300_000)])
    loader = _python(f"""
from workbench.logs import load_files
load_files({str(project.path)!r}, {str(big)!r}, {CANONICAL!r}, actor="kernel 2")
""")
    scratch = project.path / SCRATCH
    deadline = time.monotonic() + 60
    while not any(scratch.glob("*")) and loader.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert loader.poll() is None, "the load finished before it could be killed"
    os.kill(loader.pid, signal.SIGKILL)
    loader.wait()
    assert any(scratch.glob("*"))  # what kill -9 leaves behind
    load(project, write_csv(tmp_path / "next.csv", _rows("n")), CANONICAL)
    assert not scratch.exists()
    assert sorted(p.name for p in project.path.iterdir() if "logs" in p.name) == ["logs.duckdb"]
    assert len(_events(project)) == 8  # the first load and the next; nothing of the killed one
