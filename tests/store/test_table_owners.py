"""Each table has one writer, and the facade, CLI and widget hold no SQL (issue 14).

The checks read workbench's own source files, the REFI-QDA exchange (``refi_qda/``)
included: it works through the corpus, codebook and coding functions like every package.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import workbench

PACKAGE = Path(workbench.__file__).parent


def _sources() -> dict[str, str]:
    return {p.relative_to(PACKAGE).as_posix(): p.read_text(encoding="utf-8")
            for p in PACKAGE.rglob("*.py")}


@pytest.mark.parametrize(("table", "owners"), [
    ("codings", {"coding/codings.py"}),
    ("codes", {"codebook/store.py"}),
    # documents and segments arrive by the import's copy; later changes are manage's
    ("documents", {"corpus/_scratch.py", "corpus/manage.py"}),
    ("segments", {"corpus/_scratch.py"}),
    # merging coders' copies (team/) writes these through their owners too (issue 20)
    ("memos", {"coding/memos.py"}),
    ("suggestions", {"coding/suggest.py"}),
    ("audit", {"store/audit.py", "coding/codings.py"}),
    ("meta", {"store/project_file.py", "store/schema.py"}),
    ("embeddings", {"semantic/cache.py"}),
    ("topic_runs", {"topics/runs.py"}),
    ("topic_assignments", {"topics/runs.py"}),
    ("topic_terms", {"topics/runs.py"}),
])
def test_each_table_is_written_by_its_owner_only(table, owners):
    write = re.compile(rf"(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+(main\.)?"
                       rf"{table}\b")
    writers = {name for name, text in _sources().items() if write.search(text)}
    assert writers == owners


@pytest.mark.parametrize("query", [
    r"SELECT\s+code_id,\s*name\s+FROM\s+codes",
    r"FROM\s+documents\s+WHERE\s+\(?doc_id\s*=\s*\?",
    r"SELECT\s+doc_id,\s*name\s+FROM\s+documents",
    r"SELECT\s+doc_id,\s*n_chars\s+FROM\s+documents",
])
def test_a_look_up_is_written_once(query):
    # one query text per look-up, in the package that owns the table (corpus.views,
    # codebook.store); reliability/agreement.py still has its own copies (see issue 14)
    found = [name for name, text in _sources().items()
             if re.search(query, text) and name != "reliability/agreement.py"]
    assert len(found) == 1, found


def test_the_facade_cli_and_widget_hold_no_sql():
    sql = re.compile(r"\.execute(many)?\(|read_sql|\bSELECT\b|\bINSERT\b|\bUPDATE\b")
    facade = [name for name in _sources()
              if name in ("project.py", "cli.py") or name.startswith(("_facade", "widgets/"))]
    assert "project.py" in facade
    assert [name for name in facade if sql.search(_sources()[name])] == []
