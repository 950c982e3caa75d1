"""Invariants of merging (hypothesis): any order gives the same project (codings with their
ids, memos with their texts, the same findings), merging again adds nothing, and every
coding each coder made arrives, once, when a coder made it on two laptops."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import P01, span
from tests.team.conftest import PASSAGES, build, code_passages, doc_id
from workbench import Project

#: The copies handed out: ana codes on two laptops, ben on one.
COPIES = (("ana", "ana"), ("ana-desktop", "ana"), ("ben", "ben"))
#: Every passage any coder of tests/team/conftest.py marks: what a coder may pick from.
CHOICES = sorted({pair for pairs in PASSAGES.values() for pair in pairs})
#: When the lead edits the shared memo in the project: not, before or after the coders do.
LEAD_EDITS = ("no", "before", "after")


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The lead's project with ana's first passage coded and a memo on interview P01 before
    copies go out."""
    folder = tmp_path_factory.mktemp("base")
    with build(folder / "lead", folder / "files") as project:
        code_passages(project, "ana", PASSAGES["ana"][:1])
        project.memo("document", doc_id(project), "first reading")
        yield project


def _code(copy: Project, folder: str, coder: str, pairs) -> None:
    """Code ``pairs`` in ``copy``, each coding with a memo naming the laptop."""
    for passage, code in pairs:
        copy.code(doc_id(copy), *span(P01, passage), code, coder=coder,
                  memo=f"{folder}: {passage}")


def _end_state(project: Project) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every layer's codings (ids and times included) and every memo, in a fixed order."""
    return (project.codings("all").sort_values("coding_id").reset_index(drop=True),
            project.memos().sort_values("memo_id").reset_index(drop=True))


def _findings(reports) -> set[tuple]:
    """What the reports of a sequence of merges found, as a set (which copy found it and
    how many are left out: they depend on the order by nature)."""
    found = pd.concat([r.findings for r in reports])
    return set(found[["finding", "coder", "document", "code"]].itertuples(index=False))


def _keys(codings: pd.DataFrame) -> set[tuple]:
    return set(codings[["coder", "start", "end", "code_id"]].itertuples(index=False))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(picks=st.lists(st.lists(st.sampled_from(CHOICES), max_size=3, unique=True),
                      min_size=3, max_size=3),
       memo_edits=st.lists(st.booleans(), min_size=3, max_size=3),
       lead_edits=st.sampled_from(LEAD_EDITS), ana_removes=st.booleans(),
       order=st.permutations(range(3)))
def test_merge_is_order_independent_idempotent_and_keeps_every_coding(
        base, tmp_path_factory, picks, memo_edits, lead_edits, ana_removes, order):
    work = tmp_path_factory.mktemp("example")
    memo = base.memos("document")["memo_id"].iloc[0]
    base.copy_for("lead", work / "lead")
    if lead_edits == "before":
        with Project.open(work / "lead", user="lead") as lead:
            lead.edit_memo(memo, "the lead's reading, early")
    copies, arrive, removed = [], set(), set()
    for (folder, coder), pairs, edits in zip(COPIES, picks, memo_edits, strict=True):
        base.copy_for(coder, work / folder)
        with Project.open(work / folder, user=coder) as copy:
            _code(copy, folder, coder, pairs)
            if folder == "ana" and ana_removes:
                removed.add(copy.codings("ana")["coding_id"].iloc[0])
                copy.uncode(next(iter(removed)))
            if edits:
                copy.edit_memo(memo, f"{folder}'s reading")
            active = copy.codings("all")
        arrive |= _keys(active[~active["coding_id"].isin(removed)])
        copies.append(work / folder)
    if lead_edits == "after":
        with Project.open(work / "lead", user="lead") as lead:
            lead.edit_memo(memo, "the lead's reading, late")
    with Project.open(work / "lead", user="lead") as lead:
        ends = []
        for n, sequence in enumerate([copies, [copies[i] for i in order]]):
            lead.copy_for("lead", work / f"lead{n}")
            with Project.open(work / f"lead{n}", user="lead") as merged:
                reports = [merged.merge(copy) for copy in sequence]  # one merge per copy
                state = _end_state(merged)
                again = merged.merge(list(reversed(sequence)))
                assert again.added().empty
                for before, after in zip(state, _end_state(merged), strict=True):
                    pd.testing.assert_frame_equal(after, before)
                ends.append((*state, _findings(reports)))
    (codings, memos, found), (codings_2, memos_2, found_2) = ends
    pd.testing.assert_frame_equal(codings, codings_2)
    pd.testing.assert_frame_equal(memos, memos_2)
    assert found == found_2
    # every coding arrives (one made before the copies, unless ana removed it, and each
    # laptop's picks), under its coder; one made on both of ana's laptops arrives once
    assert _keys(codings) == arrive
    # a coding made on both of ana's laptops arrives once; only the passage coded before the
    # copies went out may be held twice, when a laptop coded it again (as in one project)
    first = (*span(P01, PASSAGES["ana"][0][0]), PASSAGES["ana"][0][1])
    again_coded = codings[["coder", "start", "end", "code_id"]].value_counts()
    assert all(n == 1 for (coder, *key), n in again_coded.items() if tuple(key) != first)
    assert memos.set_index("memo_id").loc[memo, "text"] == _latest(memo_edits, lead_edits)


def _latest(memo_edits: list[bool], lead_edits: str) -> str:
    """The shared memo's last edit: made in this order, the lead's early edit, then each
    laptop's (in ``COPIES`` order), then the lead's late edit; so its time is the latest."""
    texts = ["first reading"] + ["the lead's reading, early"] * (lead_edits == "before")
    texts += [f"{folder}'s reading" for (folder, _), edits in zip(COPIES, memo_edits,
                                                                   strict=True) if edits]
    return (texts + ["the lead's reading, late"] * (lead_edits == "after"))[-1]
