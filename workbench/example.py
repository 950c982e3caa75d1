"""The Riverside example case (fictional): build a project from ``corpora/riverside``.

The notebooks and ``make demo`` start from this project: the corpus with its participants and
observation log, the sociotechnical codebook, the example hand coding by two invented coders
(ana codes everything, ben six interviews blind) located by their quotes, the generated
deployment logs of the alert (``logs.duckdb``), the timeline, the crosswalk between the
qualitative attributes and the log keys (``keys.yaml``), and ana's references placing
interview answers at timeline events (``references.csv``). The example's analysis choices
(``report.yaml``: the repair codes, the threshold change, the coders to compare) are copied into
the project folder, where ``workbench report`` finds them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from workbench.errors import ProjectError
from workbench.project import Project
from workbench.report.parameters import PARAMETERS_FILE

#: The example corpus shipped in the repository, next to the package.
RIVERSIDE = Path(__file__).resolve().parents[1] / "corpora" / "riverside"
SOCIOTECHNICAL = Path(__file__).resolve().parents[1] / "codebooks" / "sociotechnical.yaml"


def build_example(directory: str | Path, *, corpus: str | Path = RIVERSIDE,
                  progress: bool = True) -> Project:
    """Create a project in ``directory`` holding the Riverside interviews, notes and survey,
    the sociotechnical codebook and the example codings.

    Interviews are joined to ``participants.csv`` (role, ward, shift, tenure), field notes to
    the observers' log ``observations.csv`` (date, ward, shift, observer); survey respondents
    become cases with their answers' other columns as attributes. The corpus's
    ``report.yaml``, when it has one, is copied to ``directory`` as the project's report
    parameters (:mod:`workbench.report.parameters`).
    """
    corpus = Path(corpus)
    if not (corpus / "timeline.yaml").is_file():
        raise ProjectError(9, f"{corpus} does not hold the Riverside example corpus "
                           "(no timeline.yaml). Run from a clone of the workbench repository.")
    project = Project.create(directory, user="example")
    with project.atomic():
        project.import_files(corpus / "interviews", kind="interview",
                             attributes=corpus / "participants.csv", progress=progress)
        project.import_files(corpus / "fieldnotes", kind="fieldnote",
                             attributes=corpus / "observations.csv", progress=progress)
        project.import_files(corpus / "survey", kind="survey", progress=progress)
        project.set_codebook(SOCIOTECHNICAL)
        for path in sorted((corpus / "codings").glob("*.csv")):
            rows = pd.read_csv(path, keep_default_na=False)
            ids = project.code_many(locate_quotes(project, rows, path.stem), origin="manual")
            for coding_id, memo in zip(ids, rows.get("memo", [""] * len(ids)), strict=True):
                if memo:
                    project.memo("coding", coding_id, memo, author=path.stem)
    if (corpus / "logs" / "events").is_dir():
        project.load_logs(corpus / "logs" / "events", corpus / "logs" / "mapping.yaml")
    with project.atomic():
        project.set_timeline(corpus / "timeline.yaml")
        project.set_keys(corpus / "keys.yaml")
        if (corpus / "references.csv").is_file():
            refer_turns(project, pd.read_csv(corpus / "references.csv", comment="#",
                                             keep_default_na=False))
    if (corpus / PARAMETERS_FILE).is_file():
        shutil.copyfile(corpus / PARAMETERS_FILE, Path(project.path) / PARAMETERS_FILE)
    return project


def refer_turns(project: Project, rows: pd.DataFrame) -> list[str]:
    """Place the interview answers (turns) holding each quote at a timeline event or a period:
    ana's judgement, as a researcher records it (``references.csv``)."""
    located = locate_quotes(project, rows.assign(code="", coder=""), "references")
    turns = project.segments("turn")
    ids = []
    for found, row in zip(located.itertuples(index=False), rows.itertuples(index=False),
                          strict=True):
        turn = turns[(turns["doc_id"] == found.doc_id) & (turns["start"] <= found.start) &
                     (turns["end"] >= found.end)].iloc[0]
        period = (row.period_start, row.period_end) if not row.event else None
        ids.append(project.refer(doc=found.doc_id, start=int(turn["start"]),
                                 end=int(turn["end"]), event=row.event or None, period=period))
    return ids


def locate_quotes(project: Project, rows: pd.DataFrame, coder: str) -> pd.DataFrame:
    """Turn (document, code, quote, occurrence) rows into codings with offsets.

    The quote is found verbatim in the document's canonical text (its ``occurrence``-th
    appearance); a quote that is not there stops the build with the row named.
    """
    names = project.documents().set_index("name")["doc_id"]
    out = []
    for line, row in enumerate(rows.itertuples(index=False), start=2):
        if row.document not in names:
            raise ProjectError(11, f"{coder}.csv line {line}: no document '{row.document}'.")
        text = project.document(names[row.document]).text
        start = -1
        for _ in range(int(row.occurrence or 1)):
            start = text.find(row.quote, start + 1)
            if start < 0:
                break
        if start < 0:
            raise ProjectError(12, f"{coder}.csv line {line}: the quote is not in "
                               f"{row.document}: {row.quote[:60]!r}. Copy it from the text.")
        out.append({"doc_id": names[row.document], "start": start,
                    "end": start + len(row.quote), "code": row.code, "coder": coder})
    return pd.DataFrame(out, columns=["doc_id", "start", "end", "code", "coder"])
