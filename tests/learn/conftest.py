"""A planted corpus for learned suggestions, generated here: sentences that carry a theme
(alarms) or not, in field notes, coded by a simulated coder whose error rate is known."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from tests.conftest import write

#: Words of the planted theme and of everything else; a sentence draws three of one list.
THEME = ["alarm", "alarms", "beeping", "siren", "alert", "alerts", "buzzer", "ringing",
         "pager", "chime"]
OTHER = ["coffee", "handover", "lunch", "parking", "roster", "laundry", "printer", "garden",
         "uniform", "canteen"]
FRAMES = ["The {} and the {} were there {}.", "We talked about {} then {} and {} again.",
          "Someone mentioned {} with {} near {}."]
TIMES = ["today", "tonight", "at noon", "on Monday", "later", "early"]
#: Documents 0-5 are coded by the simulated coder; 6-9 are left for suggestions.
DOCUMENTS, CODED, SENTENCES = 10, 6, 30
CODEBOOK = """
title: Learning test
version: 1
codes:
  - id: alarms
    name: Alarms
    definition: Talk of alarms and alerts.
  - id: other
    name: Other
    definition: Anything else.
"""


def planted_sentences(rng: random.Random) -> list[tuple[str, bool]]:
    """One document's sentences, each (text, carries the theme); about a third carry it."""
    out = []
    for _ in range(SENTENCES):
        theme = rng.random() < 1 / 3
        words = rng.sample(THEME if theme else OTHER, 2)
        frame = rng.choice(FRAMES)
        out.append((frame.format(*words, rng.choice(TIMES)).capitalize(), theme))
    return out


def import_sentences(project, folder, documents: dict[str, list[tuple[str, object]]]
                     ) -> dict[str, pd.DataFrame]:
    """Import ``documents`` (name -> [(sentence, label)]) as field notes, set the codebook and
    return each document's sentence segments, checked to be exactly its planted sentences."""
    files = [write(folder, name, " ".join(text for text, _ in sentences) + "\n")
             for name, sentences in documents.items()]
    project.import_files(files, kind="fieldnote", progress=False)
    project.set_codebook(write(folder, "codebook.yaml", CODEBOOK))
    segments = project.segments("sentence")
    found = {}
    for name, sentences in documents.items():
        mine = segments[segments["document"] == name].reset_index(drop=True)
        assert mine["text"].tolist() == [text for text, _ in sentences], "one segment a sentence"
        found[name] = mine
    return found


def build(project, folder, *, error_rate: float, related: bool = True, seed: int = 7):
    """Import the planted documents, set the codebook and let coder ana code documents
    0-5: she codes a sentence 'alarms' when it carries the theme (``related``) or at random
    with the theme's frequency (not ``related``), and each of her decisions is flipped with
    probability ``error_rate``. Returns (project, truth): truth has one row per sentence
    (doc_id, start, end, theme, coded)."""
    rng = random.Random(seed)
    documents = {f"notes_{i:02d}.txt": planted_sentences(rng) for i in range(DOCUMENTS)}
    found = import_sentences(project, folder, documents)
    rows = []
    for name, sentences in documents.items():
        mine = found[name]
        for sentence, (_, theme) in zip(mine.itertuples(), sentences, strict=True):
            decision = theme if related else rng.random() < 1 / 3
            coded = (decision != (rng.random() < error_rate)) \
                if int(name[6:8]) < CODED else False
            rows.append((sentence.doc_id, sentence.start, sentence.end, theme, coded))
    truth = pd.DataFrame(rows, columns=["doc_id", "start", "end", "theme", "coded"])
    codings = truth[truth["coded"]].assign(code="alarms")[["doc_id", "start", "end", "code"]]
    project.code_many(codings, coder="ana", origin="manual")
    return project, truth


@pytest.fixture
def planted(project, tmp_path):
    """The planted corpus coded by ana with a 5% error rate."""
    return build(project, tmp_path, error_rate=0.05)


@pytest.fixture
def unrelated(project, tmp_path):
    """The planted corpus coded by ana at random, whatever the sentences say."""
    return build(project, tmp_path, error_rate=0.0, related=False)


#: Words any sentence of the leaky corpus may draw, whether coded or not.
FILLER = ["morning", "ward", "patient", "nurse", "corridor", "shift", "desk", "chart",
          "visit", "bed", "doctor", "family"]
#: The leaky corpus's documents, all coded by ana, and their sentences.
LEAKY_DOCUMENTS, LEAKY_SENTENCES = 8, 30


def leaky_sentences(index: int, rng: random.Random) -> list[tuple[str, bool]]:
    """One document of the leaky corpus: each sentence is coded (about a third) or not, and
    carries a marker word of its own document for coded and another for uncoded sentences,
    so within a document the marker gives the code away while no word does across
    documents (the filler words are drawn regardless of the code)."""
    letter = "abcdefghij"[index]
    marked, unmarked = f"zel{letter}quon", f"vor{letter}thip"
    out = []
    for _ in range(LEAKY_SENTENCES):
        coded = rng.random() < 1 / 3
        words = rng.sample(FILLER, 2)
        out.append((f"The {words[0]} and the {words[1]} with "
                    f"{marked if coded else unmarked} {rng.choice(TIMES)}.".capitalize(),
                    coded))
    return out


@pytest.fixture
def leaky(project, tmp_path):
    """Field notes whose code ana's codings follow only a per-document marker word: each
    document has its own. Returns the project; ana coded every note."""
    rng = random.Random(11)
    documents = {f"leaky_{i:02d}.txt": leaky_sentences(i, rng) for i in range(LEAKY_DOCUMENTS)}
    found = import_sentences(project, tmp_path, documents)
    rows = []
    for name, sentences in documents.items():
        rows += [(s.doc_id, s.start, s.end, "alarms")
                 for s, (_, coded) in zip(found[name].itertuples(), sentences, strict=True)
                 if coded]
    project.code_many(pd.DataFrame(rows, columns=["doc_id", "start", "end", "code"]),
                      coder="ana", origin="manual")
    return project
