"""Embeddings: each backend's vectors, the cache in the project, and the bad input refused."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from tests.conftest import write
from tests.semantic.conftest import LATER
from workbench import Project
from workbench.errors import SemanticError
from workbench.semantic import BACKENDS, cache, embeddings, find_backend


class Counting:
    """Wraps ``workbench.semantic.cache.encoder`` to count the texts each backend embeds."""

    def __init__(self, monkeypatch):
        self.texts = 0
        real = cache.encoder

        def counted(chosen, corpus=None, key=None):
            encode = real(chosen, corpus, key)

            def run(texts):
                self.texts += len(texts)
                return encode(texts)

            return run

        monkeypatch.setattr(cache, "encoder", counted)


@pytest.mark.parametrize("name", BACKENDS)
def test_every_backend_gives_one_unit_row_per_segment(interviews, offline_models, name):
    segments, vectors = embeddings(interviews._conn, "sentence", name)
    # 7 + 7 sentences (hand count, tests/semantic/conftest.py)
    assert len(segments) == 14 and vectors.shape == (14, find_backend(name).dimension)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert list(segments.columns[:7]) == ["segment_id", "doc_id", "document", "unit",
                                          "ordinal", "start", "end"]
    # the two alarm sentences are nearer each other than either is to a lab sentence
    text = segments["text"].tolist()
    alarm, ignored = text.index("The alarm went off all night."), \
        text.index("We ignored the alarm after a while.")
    lab = text.index("I check the lab values by hand.")
    assert vectors[alarm] @ vectors[ignored] > vectors[alarm] @ vectors[lab]


def test_a_second_call_reads_the_cache(interviews, offline_models, monkeypatch):
    counted = Counting(monkeypatch)
    first = embeddings(interviews._conn, "turn", "static")[1]
    assert counted.texts == 10  # 5 + 5 turns (hand count)
    # a fresh connection holds nothing in memory: the vectors come from the project file
    with Project.open(interviews.path) as again:
        second = embeddings(again._conn, "turn", "static")[1]
    assert counted.texts == 10, "nothing was embedded again"
    assert np.array_equal(first, second)


def test_a_new_document_is_embedded_alone(interviews, offline_models, monkeypatch, tmp_path):
    counted = Counting(monkeypatch)
    embeddings(interviews._conn, "sentence", "static")
    interviews.import_files(write(tmp_path, "later.txt", LATER), progress=False)
    segments, vectors = embeddings(interviews._conn, "sentence", "static")
    assert counted.texts == 14 + 3  # the 3 sentences of the new file only (hand count)
    assert len(segments) == vectors.shape[0] == 17


def test_tfidf_is_refitted_when_the_corpus_changes(interviews, monkeypatch, tmp_path):
    counted = Counting(monkeypatch)
    before = embeddings(interviews._conn, "sentence", "tfidf-svd")[1]
    interviews.import_files(write(tmp_path, "later.txt", LATER), progress=False)
    after = embeddings(interviews._conn, "sentence", "tfidf-svd")[1]
    # its space depends on every segment, so all 17 are embedded again in the new fit
    assert counted.texts == 14 + 17 and after.shape[0] == 17
    assert not np.allclose(before, after[:14])
    versions = interviews._conn.execute(
        "SELECT count(DISTINCT version) FROM embeddings WHERE backend = 'tfidf-svd'"
    ).fetchone()[0]
    assert versions == 1, "the old fit's vectors are dropped"


def test_tfidf_is_deterministic(interviews):
    first = embeddings(interviews._conn, "sentence", "tfidf-svd")[1]
    with interviews.atomic() as conn:
        conn.execute("DELETE FROM embeddings")
    with Project.open(interviews.path) as again:
        assert np.array_equal(first, embeddings(again._conn, "sentence", "tfidf-svd")[1])


def test_a_deleted_document_takes_its_embeddings_with_it(interviews, offline_models):
    embeddings(interviews._conn, "sentence", "static")
    interviews.delete_document("interview_P01.txt")
    stored = interviews._conn.execute(
        "SELECT d.name FROM embeddings e JOIN documents d USING (doc_id)").fetchall()
    assert [row[0] for row in stored] == ["interview_P02.txt"]
    segments, vectors = embeddings(interviews._conn, "sentence", "static")
    assert set(segments["document"]) == {"interview_P02.txt"} and vectors.shape[0] == 7


def test_an_unknown_backend_lists_the_known_ones(interviews):
    with pytest.raises(SemanticError, match="WB-SEMANTIC-001: backend='bert' is not one of: "
                       "static, minilm, tfidf-svd"):
        embeddings(interviews._conn, "sentence", "bert")


def test_a_backend_not_installed_names_the_package(interviews, monkeypatch):
    # a None entry in sys.modules is how Python marks a package as absent
    monkeypatch.setitem(sys.modules, "model2vec", None)
    with pytest.raises(SemanticError, match=r"WB-SEMANTIC-002: .*'static' needs the package "
                       r"model2vec.*pip install 'workbench\[topics\]'"):
        embeddings(interviews._conn, "sentence", "static")


def test_a_unit_with_no_segments_is_refused(project, tmp_path):
    project.import_files(write(tmp_path, "later.txt", LATER), progress=False)
    with pytest.raises(SemanticError, match="WB-SEMANTIC-005: the project has no turn"):
        embeddings(project._conn, "turn", "tfidf-svd")
    with pytest.raises(SemanticError, match="WB-SEMANTIC-004: unit='word'"):
        embeddings(project._conn, "word", "tfidf-svd")


def test_tfidf_needs_two_segments_to_fit(project, tmp_path):
    project.import_files(write(tmp_path, "one.txt", "Alarms."), progress=False)
    with pytest.raises(SemanticError, match="WB-SEMANTIC-003: TF-IDF"):
        embeddings(project._conn, "sentence", "tfidf-svd")
