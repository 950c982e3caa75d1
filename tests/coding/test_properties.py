"""Properties: codings survive any sequence of code, uncode, rename, merge and move."""

from __future__ import annotations

import shutil

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import CODEBOOK, P01, P02, write
from workbench import Project
from workbench.coding._intervals import overlapping_pairs
from workbench.errors import CodebookError, CodingError

operations = st.lists(st.one_of(
    st.tuples(st.just("code"), st.integers(0, 1), st.integers(0, 200), st.integers(1, 60),
              st.sampled_from(["repair", "manual-verification", "workaround", "trust",
                               "alert-fatigue"])),
    st.tuples(st.just("uncode"), st.integers(0, 50)),
    st.tuples(st.just("rename"), st.sampled_from(["trust", "workaround", "repair"]),
              st.text(alphabet="abcdefgh ", min_size=3, max_size=12)),
    st.tuples(st.just("merge"), st.sampled_from(["trust", "workaround", "alert-fatigue"]),
              st.sampled_from(["repair", "manual-verification", "trust"])),
    st.tuples(st.just("move"), st.sampled_from(["trust", "workaround", "alert-fatigue"]),
              st.sampled_from([None, "repair", "trust"])),
), min_size=1, max_size=25)


def _template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("template")
    with Project.create(folder / "study", user="ana") as project:
        write(folder, "a.txt", P01)
        write(folder, "b.txt", P02)
        write(folder, "codebook.yaml", CODEBOOK)
        project.import_files([folder / "a.txt", folder / "b.txt"], progress=False)
        project.set_codebook(folder / "codebook.yaml")
    return folder / "study"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_quotes_survive_any_sequence_of_operations(tmp_path_factory, ops):
    if not hasattr(test_quotes_survive_any_sequence_of_operations, "template"):
        test_quotes_survive_any_sequence_of_operations.template = _template(tmp_path_factory)
    folder = tmp_path_factory.mktemp("run") / "study"
    shutil.copytree(test_quotes_survive_any_sequence_of_operations.template, folder)
    with Project.open(folder, user="ana") as project:
        docs = project.documents()["doc_id"].tolist()
        texts = [project.document(d).text for d in docs]
        expected: dict[str, str] = {}  # coding_id -> quoted text
        for op in ops:
            try:
                if op[0] == "code":
                    _, which, start, length, code = op
                    start = min(start, len(texts[which]) - 1)
                    end = min(start + length, len(texts[which]))
                    made = project.code(docs[which], start, end, code)
                    expected[made.coding_id] = texts[which][start:end]
                elif op[0] == "uncode" and expected:
                    victim = sorted(expected)[op[1] % len(expected)]
                    project.uncode(victim)
                    del expected[victim]
                elif op[0] == "rename":
                    project.rename_code(op[1], op[2])
                elif op[0] == "merge":
                    project.merge_codes(op[1], op[2])
                elif op[0] == "move":
                    project.move_code(op[1], op[2])
            except (CodebookError, CodingError):
                pass  # refused (retired code, cycle, name taken): must change nothing
            stored = project.codings()
            assert dict(zip(stored["coding_id"], stored["text"], strict=True)) == expected
            codes = project.codes(include_retired=True).set_index("code_id")["status"]
            assert (codes[stored["code_id"]] == "active").all(), \
                "every coding points at an active code"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 60), st.integers(1, 20)),
                max_size=40), st.integers(0, 6))
def test_overlapping_pairs_equal_the_brute_force_answer(spans, slack):
    group = np.array([g for g, _, _ in spans], dtype=np.int64)
    start = np.array([s for _, s, _ in spans], dtype=np.int64)
    end = start + np.array([n for _, _, n in spans], dtype=np.int64)
    first, second = overlapping_pairs(group, start, end, slack)
    found = {tuple(sorted(p)) for p in zip(first.tolist(), second.tolist(), strict=True)}
    brute = {(i, j) for i in range(len(spans)) for j in range(i + 1, len(spans))
             if group[i] == group[j] and start[i] < end[j] + slack
             and start[j] < end[i] + slack}
    assert found == brute and len(found) == len(first)
