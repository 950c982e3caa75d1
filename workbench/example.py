"""The Riverside example case (fictional): build a project from ``corpora/riverside``.

The notebooks and ``make demo`` start from this project: the corpus with its participants and
observation log, the sociotechnical codebook, the example hand coding by two invented coders
(ana codes everything, ben six interviews blind) located by their quotes, the generated
deployment logs of the alert (``logs.duckdb``), the timeline, the crosswalk between the
qualitative attributes and the log keys (``keys.yaml``), and ana's references placing
interview answers at timeline events (``references.csv``), and ana's meta-inferences joining the
two strands (``inferences.yaml``). The example's analysis choices
(``report.yaml``: the repair codes, the threshold change, the coders to compare) are copied into
the project folder, where ``workbench report`` finds them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import yaml

from workbench.errors import ProjectError, TriangulationError
from workbench.project import Project
from workbench.report.parameters import PARAMETERS_FILE
from workbench.safe_input import UnsafeYaml, load_yaml

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
    if (corpus / "inferences.yaml").is_file():
        record_inferences(project, corpus / "inferences.yaml")
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


def record_inferences(project: Project, path: Path) -> list[str]:
    """Record the meta-inferences of ``inferences.yaml`` through ``project.infer``, in one
    transaction, after the codings, timeline and logs they rest on are in.

    Each entry's codings are found by document, code and quote among its author's codings
    (coding ids differ per build); its metric query is run on the logs as
    :meth:`Project.infer` does. A file that is not such a list, or an entry whose keys or
    codings are not found or that ``infer`` refuses, is refused with the file and entry named
    (WB-PROJECT-014 to 016) and nothing from it recorded.

    Returns
    -------
    list of str : the inference ids, in the file's order.
    """
    given = _read_inferences(path)
    author = given["author"]
    codings = project.codings(coder=author)
    ids = []
    with project.atomic():
        for number, entry in enumerate(given["inferences"], start=1):
            qualitative = _evidence(codings, entry, path, number)
            try:
                ids.append(project.infer(
                    entry["claim"], fit=entry["fit"], theme=entry.get("theme"),
                    qualitative=qualitative, quantitative=entry.get("quantitative"),
                    rationale=" ".join(str(entry.get("rationale", "")).split()),
                    author=author))
            except TriangulationError as err:
                raise ProjectError(16, f"{path} entry {number}: {err} Nothing from the "
                                   "file was recorded.") from err
    return ids


def _read_inferences(path: Path) -> dict:
    """The file's ``author`` and ``inferences`` list, each entry a mapping with a claim and a
    fit; anything else refused (WB-PROJECT-014) with the file and entry named."""
    try:
        given = load_yaml(path.read_text(encoding="utf-8"))
    except (UnsafeYaml, yaml.YAMLError, UnicodeDecodeError) as err:
        raise ProjectError(14, f"{path} is not readable YAML ({err}). Fix the file.") from err
    if not isinstance(given, dict) or not isinstance(given.get("author"), str) or \
            not isinstance(given.get("inferences"), list):
        raise ProjectError(14, f"{path} must hold 'author: <coder>' and 'inferences:' a list "
                           "of entries (claim, fit, qualitative, quantitative).")
    for number, entry in enumerate(given["inferences"], start=1):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str)
                                                  for k in ("claim", "fit")):
            raise ProjectError(14, f"{path} entry {number}: each entry is a mapping with a "
                               "'claim' and a 'fit' (text).")
    return given


def _evidence(codings: pd.DataFrame, entry: dict, path: Path, number: int) -> list[str]:
    """An entry's qualitative evidence: its code names, then the ids of the codings it names
    by document, code and quote (WB-PROJECT-015 when one is not among the author's)."""
    qualitative = entry.get("qualitative") or {}
    if not isinstance(qualitative, dict):
        raise ProjectError(15, f"{path} entry {number}: 'qualitative' is a mapping with "
                           "'codes' and/or 'codings'.")
    ids = []
    for item in qualitative.get("codings") or []:
        if not isinstance(item, dict):
            raise ProjectError(15, f"{path} entry {number}: each coding is named by "
                               "document, code and quote.")
        found = codings[(codings["document"] == item.get("document")) &
                        (codings["code_id"] == item.get("code")) &
                        (codings["text"] == item.get("quote"))]
        if found.empty:
            raise ProjectError(15, f"{path} entry {number}: no {item.get('code')!r} coding "
                               f"of {str(item.get('quote'))[:60]!r} in "
                               f"{item.get('document')!r}. Copy the quote as coded.")
        ids.append(found["coding_id"].iloc[0])
    return [*(qualitative.get("codes") or []), *ids]


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
