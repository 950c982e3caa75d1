"""Reconciling: the consensus layer holds exactly what was decided, unit by unit, and never
replaces a person's codings."""

from __future__ import annotations

import pytest

from tests.conftest import P01, span
from workbench.errors import ReliabilityError

# P01's sentences (tests/conftest.py, split by the default sentence splitter; speaker labels
# are not part of a sentence): s1 "I checked the labs by hand." s2 "Then we kept a paper list
# on the whiteboard." s3 "Did you trust the score?" s4 "Not that week." s5 "There were too
# many alerts, honestly."
THREE_SENTENCES = "Did you trust the score?\nP01: Not that week. There were too many alerts"
TWO_SENTENCES = "I checked the labs by hand. Then we kept a paper list on the whiteboard."


@pytest.fixture
def long_and_short(coded):
    """ana codes trust over s3-s5 and workaround over s1-s2; ben codes trust in s4 only."""
    project, docs = coded
    doc = docs["interview_P01.txt"]
    project.code(doc, *span(P01, THREE_SENTENCES), "trust", coder="ana")
    project.code(doc, *span(P01, TWO_SENTENCES), "workaround", coder="ana")
    project.code(doc, *span(P01, "Not that week."), "trust", coder="ben")
    return project, doc


def _decisions(project, **by_text):
    table = project.disagreements(["ana", "ben"])
    return {row.disagreement_id: by_text[f"{row.code_id}: {row.text}"]
            for row in table.itertuples()}


def test_a_long_span_does_not_carry_a_code_into_a_sentence_decided_against_it(long_and_short):
    project, doc = long_and_short
    decisions = _decisions(project, **{
        "trust: Did you trust the score?": "ana",
        "trust: There were too many alerts, honestly.": "neither",
        "workaround: I checked the labs by hand.": "ana",
        "workaround: Then we kept a paper list on the whiteboard.": "ana"})
    summary = project.reconcile(["ana", "ben"], decisions)
    layer = project.codings(coder="consensus")
    got = sorted(zip(layer["code_id"], layer["text"], strict=True))
    # By hand: trust keeps s3 (decided ana) and s4 (agreed), each its own extent; s5 was
    # decided 'neither', so none of ana's span over it is kept (the old code copied ana's
    # whole span, s3 to the middle of s5, into the layer). Workaround: s1 and s2 both follow
    # ana, one span running on: joined into one coding, the space between them included.
    assert got == [("trust", "Did you trust the score?"), ("trust", "Not that week."),
                   ("workaround", TWO_SENTENCES)]
    assert "There were" not in " ".join(layer["text"])
    # Codings per decision: agreed 1 (trust in s4), ana 2 (trust s3, workaround s1-s2).
    assert dict(summary.values.tolist()) == {"agreed": 1, "ana": 2}
    # The coders' own codings are untouched: 3 of them, plus the 3 consensus codings.
    assert len(project.codings(coder="*")) == 6
    assert len(project.codings(coder="ana", doc_id=doc)) == 2


def test_deciding_against_one_of_two_sentences_keeps_only_the_other(long_and_short):
    project, _ = long_and_short
    decisions = _decisions(project, **{
        "trust: Did you trust the score?": "ben",
        "trust: There were too many alerts, honestly.": "both",
        "workaround: I checked the labs by hand.": "neither",
        "workaround: Then we kept a paper list on the whiteboard.": "ana"})
    project.reconcile(["ana", "ben"], decisions)
    layer = project.codings(coder="consensus")
    # s3 follows ben, who did not code it: uncoded. s4 agreed. s5 'both': ana's part of it
    # (up to "alerts"), ben has nothing there. Workaround keeps s2 only.
    assert sorted(zip(layer["code_id"], layer["text"], strict=True)) == [
        ("trust", "Not that week."), ("trust", "There were too many alerts"),
        ("workaround", "Then we kept a paper list on the whiteboard.")]


def test_a_person_named_consensus_is_never_wiped_by_reconcile(long_and_short):
    project, doc = long_and_short
    # A project from before the name was reserved: a person coded as 'consensus'. The coding
    # API now refuses that name (WB-CODING-015), so the old row is written as an older
    # workbench wrote it: a manual coding under that coder name.
    coded = project.code(doc, *span(P01, "Not that week."), "trust", coder="carl")
    with project.atomic() as conn:
        conn.execute("UPDATE codings SET coder = 'consensus' WHERE coding_id = ?",
                     (coded.coding_id,))
    with pytest.raises(ReliabilityError) as caught:
        project.reconcile(["ana", "ben"], {}, default="both")
    message = str(caught.value)
    assert message.startswith("WB-RELIABILITY-044: coder 'consensus' has 1 coding(s)")
    assert "origin manual" in message and "interview_P01.txt" in message
    human = project.codings(coder="consensus")
    assert human["origin"].tolist() == ["manual"] and human["text"].tolist() == [
        "Not that week."]
    assert (project.history()["action"] == "reconcile").sum() == 0


def test_reconciling_again_replaces_only_the_layer_it_made(long_and_short):
    project, _ = long_and_short
    project.reconcile(["ana", "ben"], {}, default="neither")
    # default 'neither': only the agreed unit (trust in s4) is in the layer.
    assert project.codings(coder="consensus")["text"].tolist() == ["Not that week."]
    project.reconcile(["ana", "ben"], {}, default="ana")
    layer = project.codings(coder="consensus")
    assert set(layer["origin"]) == {"consensus"}
    # ana everywhere: trust in s3 (ana), s4 (agreed) and s5 (ana) are three codings, as
    # pieces are joined only within one decision; workaround s1-s2 is one. 3 + 1 = 4.
    assert len(layer) == 4


def test_reconciling_again_records_each_replaced_consensus_coding_as_it_was(long_and_short):
    project, _ = long_and_short
    project.reconcile(["ana", "ben"], {}, default="neither")
    first = project.codings(coder="consensus")
    project.reconcile(["ana", "ben"], {}, default="ana")
    history = project.history()
    removed = history[history["action"] == "uncode (reconcile again)"]
    # the first layer held one coding (trust in s4, the one agreed unit; see the test above),
    # and the history keeps what it was, as project.uncode records a removal
    assert removed["entity_id"].tolist() == first["coding_id"].tolist()
    before = removed["before"].iloc[0]
    assert '"coder": "consensus"' in before and '"code_id": "trust"' in before
    assert removed["after"].tolist() == ['{"status": "removed"}']
