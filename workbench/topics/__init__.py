"""Topics: emergent themes found by BERTopic over the cached segment embeddings, stored as
runs that can be reopened and cited, and read against the human codes.

:func:`discover` fits and stores a run (see :mod:`.clustering` for the method chosen on small
corpora); :mod:`.runs` lists and reopens runs; :mod:`.tables` gives the topic table, shares by
attribute and over time; :mod:`.codes` compares topics with codings and turns the topics no
code covers into candidate codes. Nothing is downloaded: BERTopic is given the vectors of
:func:`workbench.semantic.embeddings` and no embedding model.
"""

from workbench.topics.clustering import METHODS, check_method, minimum
from workbench.topics.codes import (
    add_candidate_codes,
    candidate_codes,
    code_agreement,
    topic_code_overlap,
)
from workbench.topics.discover import discover
from workbench.topics.runs import TopicRun, assignments, latest_run_id, list_runs, open_run
from workbench.topics.tables import (
    representatives,
    topic_names,
    topic_shares,
    topic_table,
    topics_over_time,
)

__all__ = [
    "METHODS",
    "TopicRun",
    "add_candidate_codes",
    "assignments",
    "candidate_codes",
    "check_method",
    "code_agreement",
    "discover",
    "latest_run_id",
    "list_runs",
    "minimum",
    "open_run",
    "representatives",
    "topic_code_overlap",
    "topic_names",
    "topic_shares",
    "topic_table",
    "topics_over_time",
]
