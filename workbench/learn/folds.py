"""The cross-validation folds of a learned suggester: whole documents, never split.

A learned suggester proposes a code on documents its coder has not read. Its cross-validated
agreement estimates how it does there only if every held-out segment comes from a document
the model did not see: segments of one document share words, names and topics that travel
with the code inside that document and nowhere else, and a model trained on a document's
other segments scores its held-out ones too well. So the folds are **grouped by document**
(scikit-learn's ``StratifiedGroupKFold``, shuffled with the seed: each document in exactly
one fold, the folds' shares of positive segments kept as alike as whole documents allow).

- When the coder read fewer documents than the folds asked for, there are as many folds as
  documents (one document held out at a time), and the report's ``note`` says so.
- Fewer than two documents cannot be cross-validated by document (WB-LEARN-009), and a fold
  whose training documents hold no positive or no negative segment cannot be fitted
  (WB-LEARN-010); both refusals name the documents needed and present.

References
----------
.. [1] Roberts, D. R., et al. (2017). Cross-validation strategies for data with temporal,
   spatial, hierarchical, or phylogenetic structure. Ecography 40(8), 913-929: dependent
   observations must be kept in the same fold (block cross-validation), or the estimate
   is optimistic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.errors import LearnError

__all__ = ["SCHEME", "Folds", "document_folds"]

#: How the folds are made, as the report, the model version and the audit record it.
SCHEME = "StratifiedGroupKFold by document"


@dataclass(frozen=True)
class Folds:
    """The fold each labelled segment is held out in, and how they were made.

    ``fold`` is indexed by segment_id; ``folds`` is the number used, ``documents`` the
    number of documents read, ``note`` a plain sentence when fewer folds than asked were
    used (else empty).
    """

    fold: pd.Series
    folds: int
    documents: int
    note: str


def document_folds(read: pd.DataFrame, *, folds: int, seed: int, code: str,
                   coder: str) -> Folds:
    """Assign each labelled segment's document to one of ``folds`` folds.

    Parameters
    ----------
    read
        The labelled segments (segment_id, doc_id, document, human).
    folds, seed
        Folds asked for, and the seed of the shuffle.
    code, coder
        Named in the messages.

    Returns
    -------
    Folds
        The fold of every segment (by segment_id) and the scheme's counts.

    Raises
    ------
    LearnError
        WB-LEARN-009 for fewer than two documents read; WB-LEARN-010 when a fold's training
        documents hold no positive (or no negative) segment.
    """
    from sklearn.model_selection import StratifiedGroupKFold

    documents = read["doc_id"].nunique()
    if documents < 2:
        raise LearnError(9, f"{coder} has coded {documents} document: the suggester is scored "
                         "on documents it did not learn from, so at least 2 are needed (with "
                         "fewer documents than folds, one is held out at a time). Code "
                         f"{code!r} (or any code) in more documents.")
    human = read["human"].to_numpy()
    used = min(folds, documents)
    splitter = StratifiedGroupKFold(n_splits=used, shuffle=True, random_state=seed)
    fold = np.empty(len(read), dtype=np.int64)
    for k, (train, test) in enumerate(splitter.split(np.zeros(len(read)), human,
                                                     read["doc_id"].to_numpy())):
        _check_training(read.iloc[train], read.iloc[test], code, coder)
        fold[test] = k
    note = "" if used == folds else (
        f"{folds} folds asked, {documents} documents read: {used} folds, one document held "
        "out at a time")
    return Folds(pd.Series(fold, index=read["segment_id"].to_numpy()), used, documents, note)


def _check_training(train: pd.DataFrame, test: pd.DataFrame, code: str, coder: str) -> None:
    """Refuse a fold whose training documents lack positive or negative segments (010)."""
    missing = [kind for kind, value in (("positive", 1), ("negative", 0))
               if not (train["human"] == value).any()]
    if not missing:
        return
    positive = sorted(set(train.loc[train["human"] == 1, "document"])
                      | set(test.loc[test["human"] == 1, "document"]))
    raise LearnError(10, f"cannot score the suggester of {code!r} on whole documents: holding "
                     f"out {', '.join(sorted(set(test['document'])))} leaves no "
                     f"{missing[0]} segment in {coder}'s other documents. {coder} applied "
                     f"{code!r} in {len(positive)} document(s) ({', '.join(positive)}); at "
                     "least 2 with the code and 2 without are needed, spread so that every "
                     f"fold keeps some of each. Code {code!r} in more documents, or ask for "
                     "fewer folds.")
