"""Helpers for the triangulation tests: field notes and deployment logs written as real files
(Markdown with front matter; a CSV export read through a mapping on Chicago's wall clock)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import RIVERSIDE, write
from workbench.example import build_example
from workbench.triangulate.planted import SOCIOTECHNICAL

#: A mapping for test logs written with canonical column names, times on the site's clock.
CHICAGO = {
    "timezone": "America/Chicago",
    "timestamp_format": "%Y-%m-%d %H:%M:%S",
    "shifts": {"day": "07:00", "night": "19:00"},
    "columns": {name: name for name in ("event_id", "ts", "event_type", "entity_id",
                                        "alert_id", "unit", "actor_role", "actor_id",
                                        "inputs_stale", "action", "reason", "outcome")},
}


def note(folder: Path, name: str, paragraphs: list[str], **front) -> Path:
    """A field note: front matter (date, ward, shift ...) and paragraphs, as an observer
    writes it."""
    head = "".join(f"{key}: {value}\n" for key, value in front.items())
    return write(folder, name, f"---\n{head}---\n" + "\n\n".join(paragraphs) + "\n")


def load_alerts(project, folder: Path, alerts: list[tuple], others: list[dict] = ()) -> None:
    """Load ``(ts, unit[, stale])`` alerts to nurse n1, and ``others`` (rows of canonical
    columns), as a CSV export read through :data:`CHICAGO`."""
    rows = [{"event_id": f"e{number}", "ts": ts, "event_type": "alert_fired",
             "entity_id": f"enc{number}", "alert_id": f"a{number}", "unit": unit,
             "actor_role": "nurse", "actor_id": "n1",
             "inputs_stale": str(bool(stale and stale[0])).lower()}
            for number, (ts, unit, *stale) in enumerate(alerts)]
    path = folder / "logs" / "events.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CHICAGO["columns"]))
        writer.writeheader()
        writer.writerows([*rows, *others])
    report = project.load_logs(path, CHICAGO)
    if report.rows_rejected:
        raise RuntimeError(f"test logs: {report.rows_rejected} rows rejected")


def start(project, folder: Path, notes: list[Path] = (), *, keys=None) -> None:
    """Import the notes, set the sociotechnical codebook and the unit key."""
    if notes:
        project.import_files(list(notes), progress=False)
    project.set_codebook(SOCIOTECHNICAL)
    project.set_keys(unit=keys or "ward")


def code(project, name: str, opening: str, code: str = "workarounds", unit: str = "paragraph"
         ) -> str:
    """Code the paragraph (or turn) of document ``name`` that starts with ``opening``; return
    the coding id."""
    paragraphs = project.segments(unit)
    hit = paragraphs[(paragraphs["document"] == name) &
                     paragraphs["text"].str.startswith(opening)].iloc[0]
    return project.code(hit["doc_id"], int(hit["start"]), int(hit["end"]), code).coding_id


def example_without_inferences(folder: Path) -> Path:
    """Build the example in ``folder`` from the Riverside corpus without its
    ``inferences.yaml`` (the corpus linked file by file beside it), for tests that count the
    meta-inferences they record themselves."""
    corpus = folder.parent / "riverside-corpus"
    corpus.mkdir()
    for entry in RIVERSIDE.iterdir():
        if entry.name != "inferences.yaml":
            (corpus / entry.name).symlink_to(entry)
    build_example(folder, corpus=corpus, progress=False).close()
    return folder


@pytest.fixture(scope="module")
def riverside(tmp_path_factory):
    """The Riverside example project, built once per module and open (a module may define
    its own ``riverside``, as test_riverside.py does with the folder)."""
    from workbench import Project

    folder = tmp_path_factory.mktemp("riverside") / "study"
    build_example(folder, progress=False).close()
    with Project.open(folder) as project:
        yield project
