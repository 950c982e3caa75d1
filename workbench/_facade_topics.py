"""The topics part of the ``Project`` facade: each method delegates to
:mod:`workbench.topics` with the project's connection (and user, for what it writes); a run
id of None means the project's most recent topic run."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from workbench import topics
from workbench.codebook import Code
from workbench.store import atomic


class TopicsFacade:
    """Methods ``Project`` offers for topics: discover, list and reopen runs, read them
    against attributes, time and codes, and add candidate codes."""

    def _run_id(self, run_id: str | None) -> str:
        return topics.latest_run_id(self._conn) if run_id is None else run_id

    def topics(self, unit: str = "turn", *, n_topics: int | None = None, seed: int = 0,
               where: Mapping[str, object] | None = None, backend: str | None = None,
               method: str | None = None, spoken_only: bool = True) -> pd.DataFrame:
        """Find topics among the segments of ``unit`` and store the run; returns one row per
        segment: run_id, doc_id, document, start, end, speaker, topic, closeness, text.
        ``spoken_only``: in documents with turns, only what someone said."""
        return topics.discover(self._conn, self.user, unit=unit, n_topics=n_topics,
                               seed=seed, where=where, backend=backend, method=method,
                               spoken_only=spoken_only)

    def topic_runs(self) -> pd.DataFrame:
        """The stored topic runs, newest first (id, unit, backend, method, parameters, ...)."""
        return topics.list_runs(self._conn)

    def topic_run(self, run_id: str | None = None) -> topics.TopicRun:
        """A stored run's record: parameters, backend, method, package versions, who, when."""
        return topics.open_run(self._conn, self._run_id(run_id))

    def topic_assignments(self, run_id: str | None = None) -> pd.DataFrame:
        """A stored run's segments and their topics (as :meth:`topics` returned them)."""
        return topics.assignments(self._conn, self._run_id(run_id))

    def topic_table(self, run_id: str | None = None) -> pd.DataFrame:
        """One row per topic: topic, name, size, share, terms (c-TF-IDF weights), example,
        example_document, example_speaker."""
        return topics.topic_table(self._conn, self._run_id(run_id))

    def topic_examples(self, run_id: str | None = None, n: int = 3) -> pd.DataFrame:
        """The ``n`` segments closest to each topic's centre, with document and speaker."""
        return topics.representatives(self._conn, self._run_id(run_id), n)

    def topic_shares(self, by: str, run_id: str | None = None) -> pd.DataFrame:
        """Topic shares per value of ``by`` (an attribute, ``speaker`` or ``document``)."""
        return topics.topic_shares(self._conn, self._run_id(run_id), by)

    def topics_over_time(self, every: str = "month", run_id: str | None = None
                         ) -> pd.DataFrame:
        """Topic shares per day, week, month, quarter or year of the documents' dates."""
        return topics.topics_over_time(self._conn, self._run_id(run_id), every)

    def topics_against_codes(self, run_id: str | None = None, *, coder: str | None = None
                             ) -> pd.DataFrame:
        """Topics crossed with codes: segments, precision, recall, jaccard, best code."""
        return topics.topic_code_overlap(self._conn, self._run_id(run_id), coder=coder)

    def topic_code_agreement(self, run_id: str | None = None, *, coder: str | None = None
                             ) -> pd.DataFrame:
        """Adjusted Rand index and NMI between topics and codes over the coded segments."""
        return topics.code_agreement(self._conn, self._run_id(run_id), coder=coder)

    def candidate_codes(self, run_id: str | None = None, *, coder: str | None = None
                        ) -> pd.DataFrame:
        """Topics no code covers, as candidate codes: name, terms, size, examples."""
        return topics.candidate_codes(self._conn, self._run_id(run_id), coder=coder)

    def add_candidate_codes(self, topics_to_add: list[int], run_id: str | None = None, *,
                            names: dict[int, str] | None = None,
                            coder: str | None = None) -> list[Code]:
        """Add candidate codes to the codebook in one transaction (changelog names the run)."""
        run_id = self._run_id(run_id)
        with atomic(self._conn):
            return topics.add_candidate_codes(self._conn, self.user, run_id, topics_to_add,
                                              names=names, coder=coder)
