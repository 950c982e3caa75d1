"""Planted corpora for topics: interviews whose participants' turns each speak of one known
theme (or, in the null case, of none), written as real text files, imported, and coded by
'ana' through the library's own API."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from tests.conftest import write
from workbench import Project

#: Four planted themes, each a vocabulary of its own.
THEMES = {
    "alarms": [
        "alarm", "beeping", "alert", "silenced", "ignored", "false", "night", "buzzer",
        "ringing", "noise",
    ],
    "labs": [
        "lab", "results", "values", "stale", "paper", "recheck", "laboratory", "sample",
        "potassium", "chart",
    ],
    "staffing": [
        "staffing", "overtime", "shift", "rota", "tired", "colleagues", "handover", "agency",
        "cover",
    ],
    "families": [
        "family", "relatives", "visiting", "daughter", "worried", "explain", "visitors", "son",
    ],
}
#: Everyday words every turn draws from, whatever its theme.
COMMON = ["we", "then", "really", "it", "was", "about", "that", "so", "just", "because",
          "there", "they"]
#: The backend the tests embed with: fitted on the corpus in a second, nothing to distil.
BACKEND = "tfidf-svd"
CODEBOOK = "\n".join(["title: Planted themes", "version: 1", "codes:"] + [
    f"  - id: {name}\n    name: {name.capitalize()}\n    definition: Talk about {name}."
    for name in THEMES]) + "\n"


@dataclass(frozen=True)
class PlantedCorpus:
    """A project, the participants' speaker labels, and the planted theme of every
    participant turn (doc_id, start, end, theme) in document then position order."""

    project: Project
    participants: list[str]
    turns: pd.DataFrame


def build(project: Project, folder, *, documents: int = 12, answers: int = 10,
          themed: bool = True, seed: int = 0, code: tuple[str, ...] = tuple(THEMES),
          dates: bool = False) -> PlantedCorpus:
    """Write ``documents`` interviews of ``answers`` participant turns each (with an
    interviewer question before each), import them, set the four-code codebook, and code each
    participant turn whose theme is in ``code`` with that theme (coder 'ana').

    ``themed=False`` is the null case: every turn draws its words from all four vocabularies
    at once, and its 'theme' (and so its code) is drawn independently of its words.
    """
    rng = np.random.default_rng(seed)
    names = list(THEMES)
    pooled = [w for words in THEMES.values() for w in words]
    files, planted = [], []
    for number in range(documents):
        label, lines = f"P{number:02d}", []
        for _ in range(answers):
            theme = names[rng.integers(len(names))]
            source = THEMES[theme] if themed else pooled
            words = list(rng.choice(source, 6)) + list(rng.choice(COMMON, 4))
            rng.shuffle(words)
            lines.append(f"Interviewer: Tell me more.\n{label}: "
                         f"{' '.join(words).capitalize()}.\n")
            planted.append(theme)
        header = f"Interview recorded 2025-0{number % 3 + 1}-15\n\n" if dates else ""
        files.append(write(folder, f"interview_{label}.txt", header + "".join(lines)))
    project.import_files(files, kind="interview", progress=False)
    project.set_codebook(write(folder, "codebook.yaml", CODEBOOK))
    turns = project.segments("turn")
    turns = turns[turns["speaker"].str.fullmatch(r"P\d+", na=False)].reset_index(drop=True)
    turns = turns[["doc_id", "document", "start", "end"]].assign(theme=planted)
    coded = turns[turns["theme"].isin(code)]
    project.code_many(coded.assign(code=coded["theme"])[["doc_id", "start", "end", "code"]],
                      coder="ana")
    return PlantedCorpus(project, [f"P{n:02d}" for n in range(documents)], turns)


@pytest.fixture
def planted(project, tmp_path) -> PlantedCorpus:
    """Twelve interviews, 120 participant turns, four planted themes, every turn coded."""
    return build(project, tmp_path / "files")
