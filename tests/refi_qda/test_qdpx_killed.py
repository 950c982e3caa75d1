"""An import killed half-way (kill -9, a power cut) leaves the target folder as it was, so the
same import run again works."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
import zipfile

from workbench import Project

N_SOURCES = 300


def many_sources(path):
    """A real .qdpx of ``N_SOURCES`` interviews, each coded once: slow enough to kill."""
    user, code = "6B0F2C1E-0000-4000-8000-000000000001", "6B0F2C1E-0000-4000-8000-000000000002"
    sources, files = [], {}
    for n in range(N_SOURCES):
        guid = f"6B0F2C1E-0000-4000-8001-{n:012d}"
        files[f"sources/{guid}.txt"] = (f"Interview {n}. The alerts came all night. "
                                        f"We checked the labs by hand.\n")
        sources.append(
            f'<TextSource guid="{guid}" name="interview_{n:03d}.txt" '
            f'plainTextPath="internal://{guid}.txt"><PlainTextSelection '
            f'guid="6B0F2C1E-0000-4000-8002-{n:012d}" startPosition="0" endPosition="9">'
            f'<Coding guid="6B0F2C1E-0000-4000-8003-{n:012d}" creatingUser="{user}">'
            f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection></TextSource>')
    qde = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '
           f'name="many" origin="test"><Users><User guid="{user}" name="tess"/></Users>'
           f'<CodeBook><Codes><Code guid="{code}" name="Alerts" isCodable="true"/></Codes>'
           f'</CodeBook><Sources>{"".join(sources)}</Sources></Project>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for name, text in files.items():
            archive.writestr(name, text)
    return path


IMPORT = textwrap.dedent("""
    import sys
    from workbench import Project
    Project.import_qdpx(sys.argv[1], sys.argv[2], user="tess")
""")


def _started(parent, target) -> bool:
    """Has the import made its database yet (in the target, or a folder it builds in)?"""
    return (target / "project.sqlite").exists() or any(
        parent.glob(f".{target.name}.importing-*/project.sqlite"))


def test_a_killed_import_does_not_block_the_retry(tmp_path):
    archive = many_sources(tmp_path / "many.qdpx")
    target = tmp_path / "study"
    running = subprocess.Popen([sys.executable, "-c", IMPORT, str(archive), str(target)])
    deadline = time.monotonic() + 120
    while not _started(tmp_path, target) and time.monotonic() < deadline:
        time.sleep(0.01)
    running.send_signal(signal.SIGKILL)
    assert running.wait() == -signal.SIGKILL, "the import ended before it could be killed"
    # Killed with its database half-written: the target holds no project, and the retry
    # imports every source (before, the half-made project.sqlite refused it: WB-INTEROP-032).
    assert not (target / "project.sqlite").exists()
    report = Project.import_qdpx(archive, target, user="tess")
    assert len(report.documents) == N_SOURCES and report.n_codings == N_SOURCES
    with Project.open(target) as project:
        # Each source's first 9 characters, "Interview", coded once (many_sources).
        assert project.codings(coder="tess")["text"].tolist() == ["Interview"] * N_SOURCES
    # The half-built folder the killed import left beside the target is gone.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many.qdpx", "study"]


def test_an_import_into_an_empty_or_a_busy_folder_keeps_what_is_there(tmp_path):
    archive = many_sources(tmp_path / "many.qdpx")
    empty, busy = tmp_path / "empty", tmp_path / "busy"
    empty.mkdir()
    busy.mkdir()
    (busy / "notes.txt").write_text("my own notes")
    Project.import_qdpx(archive, empty, user="tess")
    Project.import_qdpx(archive, busy, user="tess")
    assert (empty / "project.sqlite").exists()
    assert sorted(p.name for p in busy.iterdir()) == ["notes.txt", "project.sqlite"]
    assert (busy / "notes.txt").read_text() == "my own notes"
