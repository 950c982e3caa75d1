"""The Riverside example case (fictional): build a project from ``corpora/riverside``.

The notebooks and ``make demo`` start from this project. Later steps of the analysis
(codebook, coding, logs) add to :func:`build_example` as they are built.
"""

from __future__ import annotations

from pathlib import Path

from workbench.errors import ProjectError
from workbench.project import Project

#: The example corpus shipped in the repository, next to the package.
RIVERSIDE = Path(__file__).resolve().parents[1] / "corpora" / "riverside"


def build_example(directory: str | Path, *, corpus: str | Path = RIVERSIDE,
                  progress: bool = True) -> Project:
    """Create a project in ``directory`` holding the Riverside interviews, notes and survey.

    Interviews are joined to ``participants.csv`` (role, ward, shift, tenure), field notes to
    the observers' log ``observations.csv`` (date, ward, shift, observer); survey respondents
    become cases with their answers' other columns as attributes.
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
    return project
