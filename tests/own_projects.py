"""Projects that are not the Riverside example, for running the notebooks on (issue 18).

Built through the library's API only. Neither uses a name of the example: other coders,
other documents, other codes, other units; one has no logs, no timeline and a single coder.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write
from workbench import Project
from workbench.triangulate.planted import build_planted_project

#: Coders of the two projects; the example's are ana and ben.
LOGGED_CODERS = ("mei", "tomas")
SOLE_CODER = "yusuf"
#: The meta-inference recorded in the logged project.
CLAIM = "Shift swaps are noted most in the weeks when alerts run on stale inputs."

_CODEBOOK = """
title: Canteen study codebook
version: 1
codes:
  - id: budget-pressure
    name: Budget pressure
    definition: Talk of money running short.
    patterns: [budget, cheaper]
  - id: peer-support
    name: Peer support
    definition: Colleagues helping each other.
    patterns: [help each other, covered for]
"""
_GROUP = ("Moderator: How did the new menu go?\n"
          "{who}: The budget was cut again, so we buy cheaper vegetables now.\n"
          "Moderator: Who helps when it gets busy?\n"
          "{who}: We help each other. Sam covered for me on Friday, Zoë 👍 too.\n")


def logged_project(folder: Path) -> Path:
    """A planted project (field notes on units A1 and B2, deployment logs, four weeks) with a
    timeline event ``new-rota``, a code ``shift-swaps`` coded by two people, mei and tomas,
    who disagree on some paragraphs, and one meta-inference (:data:`CLAIM`). Returns the
    project folder."""
    planted = build_planted_project(folder, 11, effect=3.0, units=("A1", "B2"), weeks=4,
                                    coder=LOGGED_CODERS[0])
    with planted.project as project:
        project.set_timeline([{"id": "new-rota", "at": "2025-03-17T07:00"}])
        project.add_code("Shift swaps", definition="Nurses swapping shifts to cover gaps.")
        paragraphs = project.segments("paragraph").groupby("doc_id").head(2)
        rows = paragraphs[["doc_id", "start", "end"]].assign(code="shift-swaps")
        project.code_many(rows, coder=LOGGED_CODERS[0])
        # tomas codes every other one of the same paragraphs: agreement and disagreement.
        project.code_many(rows.iloc[::2], coder=LOGGED_CODERS[1])
        project.infer(CLAIM, fit="expansion", qualitative=["shift-swaps"], theme="shift-swaps",
                      quantitative={"metric": "stale_share", "period": "week", "by": "unit",
                                    "filters": {"unit": "A1", "bucket_start": "2025-03-10"}},
                      author=LOGGED_CODERS[0])
    return folder / "study"


def sole_coder_project(folder: Path) -> Path:
    """Two focus groups coded by one person, with a ``team`` attribute and a codebook of its
    own; no logs, no timeline. Returns the project folder."""
    for who in ("K1", "K2"):
        write(folder / "files", f"focusgroup_{who}.txt", _GROUP.format(who=who))
    write(folder, "teams.csv", "participant_id,team\nK1,kitchen\nK2,front of house\n")
    write(folder, "codebook.yaml", _CODEBOOK)
    with Project.create(folder / "canteen", user=SOLE_CODER) as project:
        project.import_files(folder / "files", kind="interview",
                             attributes=folder / "teams.csv", progress=False)
        project.set_codebook(folder / "codebook.yaml")
        for doc in ("focusgroup_K1.txt", "focusgroup_K2.txt"):
            project.code_text(doc, "The budget was cut again", "budget-pressure")
            project.code_text(doc, "We help each other", "peer-support")
    return folder / "canteen"


def outputs(notebook) -> str:
    """Every output the executed notebook shows, as one text (plain text and HTML)."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(str(output.get("text", "")))
            parts.extend(str(v) for k, v in output.get("data", {}).items()
                         if k.startswith("text/"))
    return "\n".join(parts)
