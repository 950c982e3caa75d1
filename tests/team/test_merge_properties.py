"""Invariants of merging (hypothesis): any order gives the same project, merging again adds
nothing, and every coding each coder made arrives."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.team.conftest import PASSAGES, build, code_passages
from workbench import Project

CODERS = ("ana", "ben", "cy")
#: Every passage any coder of tests/team/conftest.py marks: what a coder may pick from.
CHOICES = sorted({pair for pairs in PASSAGES.values() for pair in pairs})


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The lead's project with ana's first passage already coded before copies go out."""
    folder = tmp_path_factory.mktemp("base")
    with build(folder / "lead", folder / "files") as project:
        code_passages(project, "ana", PASSAGES["ana"][:1])
        yield project


def _state(project: Project) -> pd.DataFrame:
    return project.codings("all").sort_values("coding_id").reset_index(drop=True)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(picks=st.lists(st.lists(st.sampled_from(CHOICES), max_size=4, unique=True),
                      min_size=3, max_size=3),
       ana_removes=st.booleans(), order=st.permutations(range(3)))
def test_merge_is_order_independent_idempotent_and_keeps_every_coding(
        base, tmp_path_factory, picks, ana_removes, order):
    work = tmp_path_factory.mktemp("example")
    copies = []
    for coder, pairs in zip(CODERS, picks, strict=True):
        folder = work / coder
        base.copy_for(coder, folder)
        with Project.open(folder, user=coder) as copy:
            if pairs:
                code_passages(copy, coder, pairs)
            if coder == "ana" and ana_removes:
                copy.uncode(copy.codings("ana")["coding_id"].iloc[0])
        copies.append(folder)
    states = []
    for n, sequence in enumerate([copies, [copies[i] for i in order]]):
        lead_folder = base.copy_for("lead", work / f"lead{n}")
        with Project.open(lead_folder, user="lead") as lead:
            for copy in sequence:  # one copy at a time: each its own merge
                lead.merge(copy)
            merged = _state(lead)
            again = lead.merge(list(reversed(sequence)))
            assert again.added().empty
            pd.testing.assert_frame_equal(_state(lead), merged)
            states.append(merged)
    pd.testing.assert_frame_equal(*states)
    # every coding arrives: the one made before the copies (unless ana removed it) and each
    # coder's picks, under that coder
    counts = states[0]["coder"].value_counts().to_dict()
    expected = {c: len(p) for c, p in zip(CODERS, picks, strict=True) if p}
    expected["ana"] = expected.get("ana", 0) + (0 if ana_removes else 1)
    assert counts == {c: n for c, n in expected.items() if n}
