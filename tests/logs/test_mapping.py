"""Mappings: a bad one is refused before any file is read, naming the field at fault."""

from __future__ import annotations

from datetime import time

import pytest

from tests.logs.conftest import CANONICAL, RIVERSIDE_LOGS
from workbench.errors import LogsError
from workbench.logs import read_mapping


def test_the_riverside_mapping_reads():
    mapping = read_mapping(RIVERSIDE_LOGS / "mapping.yaml")
    assert mapping.columns["ts"] == "EVENT_TS" and mapping.timezone == "America/Chicago"
    assert mapping.values["event_type"]["ACK"] == "alert_acknowledged"
    assert mapping.values["inputs_stale"] == {"Y": True, "N": False}
    assert (mapping.shifts.day, mapping.shifts.night) == (time(7), time(19))
    again = read_mapping(mapping.as_dict())  # stored with each load, read back for the shifts
    assert (again.columns, again.values, again.shifts) == (mapping.columns, mapping.values,
                                                           mapping.shifts)


@pytest.mark.parametrize(("change", "number", "words"), [
    ({"columns": {"ts": "T", "event_type": "E"}}, 3, "columns.event_id is missing"),
    ({"columns": {**CANONICAL["columns"], "when": "T"}}, 4, "columns.when is not a canonical"),
    ({"timezone": "America/Chicgo"}, 5, "timezone 'America/Chicgo' is not a known time zone"),
    ({"timezone": None}, 5, "'timezone' is missing"),
    ({"values": {"event_type": {"ACK": "acknowledged"}}}, 6,
     "values.event_type maps to 'acknowledged', which is not an event type"),
    ({"values": {"comment": {"x": "y"}}}, 6, "values.comment cannot be translated"),
    ({"values": {"inputs_stale": {"Y": "yes"}}}, 6, "values.inputs_stale must map each code"),
    ({"shifts": {"day": "19:00", "night": "07:00"}}, 7, "shifts.day (19:00) must start before"),
    ({"shifts": {"day": "7 am"}}, 7, "shifts.day '7 am' is not a time of day"),
    ({"colums": {}}, 2, "unknown key(s) colums"),
])
def test_a_bad_mapping_names_the_field(change, number, words):
    with pytest.raises(LogsError) as caught:
        read_mapping({**CANONICAL, **change})
    assert caught.value.code == f"WB-LOGS-{number:03d}"
    assert words in str(caught.value)


def test_a_mapping_file_that_is_missing_or_not_yaml(tmp_path):
    with pytest.raises(LogsError, match="WB-LOGS-001: mapping file .* does not exist"):
        read_mapping(tmp_path / "nope.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("columns: [event_id: \n")
    with pytest.raises(LogsError, match="WB-LOGS-001: broken.yaml is not valid YAML"):
        read_mapping(broken)
