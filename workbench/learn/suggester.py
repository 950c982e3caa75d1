"""Learned suggestions: a classifier learns one coder's code and proposes it elsewhere.

From the segments a coder read (:mod:`.examples`), a classifier on segment embeddings
(:mod:`workbench.semantic`) is first scored as a coder by cross-validation (:mod:`.scoring`),
then fitted on all of them and run on the segments of the documents the coder has not coded.
Its proposals go into the project's suggestions (:func:`workbench.coding.suggest.store_learned`)
with the model, its version and each score; none becomes a coding until a person accepts it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.codebook.store import code_names
from workbench.coding.codings import whole_number
from workbench.coding.suggest import store_learned, suggestions_frame
from workbench.corpus.segment import UNITS
from workbench.corpus.views import segments as segment_table
from workbench.errors import LearnError
from workbench.learn.examples import (
    MIN_NEGATIVE,
    MIN_POSITIVE,
    check_coder,
    check_examples,
    labelled,
    learnable_code,
    source,
)
from workbench.learn.folds import SCHEME, document_folds
from workbench.learn.scoring import (
    agreement_report,
    classifier,
    cross_validated_scores,
    warn_if_untrusted,
)
from workbench.semantic import embeddings, find_backend
from workbench.store import atomic

__all__ = ["LearnedSuggestions", "learn_suggestions"]

#: The columns of :attr:`LearnedSuggestions.predictions`.
PREDICTION_COLUMNS = ["segment_id", "doc_id", "document", "start", "end", "text", "human",
                      "fold", "score", "suggested"]


@dataclass(frozen=True, repr=False)
class LearnedSuggestions:
    """What one run of the learned suggester measured and proposed.

    ``agreement`` is the one-row agreement report (:func:`.scoring.agreement_report`);
    ``predictions`` the cross-validated prediction of every labelled segment (columns
    :data:`PREDICTION_COLUMNS`: human 0/1, fold, score, suggested 0/1); ``suggestions`` the
    pending suggestions this run stored (as ``project.suggestions()``); ``added``,
    ``replaced`` (pending ones of an earlier run) and ``already_suggested`` (spans decided
    before or pending from a pattern) count them; ``candidates`` is the number of segments
    in documents the coder has not coded.
    """

    agreement: pd.DataFrame
    predictions: pd.DataFrame
    suggestions: pd.DataFrame
    added: int
    replaced: int
    already_suggested: int
    candidates: int

    def summary(self) -> str:
        """The agreement report and the suggestions' count, in a few plain lines."""
        row = self.agreement.iloc[0]
        return "\n".join([
            f"learned suggester for code {row['code']!r} from the codings of "
            f"{source(row['coder'])} (backend {row['backend']}, unit {row['unit']})",
            f"cross-validated agreement with {source(row['coder'])} on {row['segments']} "
            "segments "
            f"({row['positive']} coded, {row['negative']} not) in {row['documents']} "
            f"documents, {row['folds']} folds of whole documents, seed {row['seed']}"
            + (f" ({row['note']})" if row["note"] else "") + ":",
            f"  alpha {row['alpha']:.3f} (95% CI {row['ci_low']:.3f} to {row['ci_high']:.3f}), "
            f"kappa {row['kappa']:.3f}, percent agreement {row['percent_agreement']:.3f}",
            f"  precision {row['precision']:.3f}, recall {row['recall']:.3f}, "
            f"F1 {row['f1']:.3f}",
            f"  verdict: {row['verdict']} (Krippendorff 2004: reliable from alpha .800, "
            "tentative from .667)",
            f"{self.added} suggestions stored for review among {self.candidates} segments "
            f"{row['coder']} has not coded ({self.replaced} pending ones of an earlier run "
            f"replaced, {self.already_suggested} spans already suggested or decided). None is "
            "a coding until a person accepts it: project.suggestions(\"pending\").",
        ])

    def __repr__(self) -> str:
        return self.summary()


def _check_options(unit: object, folds: object, threshold: object, seed: object) -> None:
    """Refuse folds outside 2..MIN_POSITIVE (WB-LEARN-005), a threshold outside (0, 1)
    (WB-LEARN-006), a seed that is not a whole number (WB-LEARN-007) and a unit that is not
    a kind of segment (WB-LEARN-008)."""
    if unit not in UNITS:
        raise LearnError(8, f"unit={unit!r} is not one of: {', '.join(UNITS)}.")
    if whole_number(folds) is None or not 2 <= folds <= min(MIN_POSITIVE, MIN_NEGATIVE):
        raise LearnError(5, f"folds={folds!r}: give a whole number from 2 to "
                         f"{min(MIN_POSITIVE, MIN_NEGATIVE)} (default 5).")
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) \
            or not 0 < threshold < 1:
        raise LearnError(6, f"threshold={threshold!r}: give a probability between 0 and 1 "
                         "(exclusive; default 0.5) above which a segment is suggested.")
    if whole_number(seed) is None:
        raise LearnError(7, f"seed={seed!r}: give a whole number (default 0).")


def learn_suggestions(conn: sqlite3.Connection, code: str, *, coder: str, actor: str,
                      unit: str = "sentence", backend: str | None = None, folds: int = 5,
                      threshold: float = 0.5, seed: int = 0, n_boot: int = 1000
                      ) -> LearnedSuggestions:
    """Learn ``coder``'s use of ``code``, score it as a coder, store its suggestions.

    Parameters
    ----------
    conn
        The project's connection.
    code
        The code to learn (id or exact name; active).
    coder
        The person whose codings it learns from (not a layer name).
    actor
        Who ran it (the audit entry's actor).
    unit
        The segments it labels and suggests: ``sentence``, ``paragraph`` or ``turn``.
    backend
        The embedding backend (:data:`workbench.semantic.BACKENDS`; None: the default).
    folds, seed
        Cross-validation in ``folds`` folds of whole documents (fewer when the coder read
        fewer documents: :mod:`.folds`); the same seed gives the same suggestions.
    threshold
        A segment is suggested (and, in cross-validation, counted as coded by the
        suggester) when its probability is at least this.
    n_boot
        Bootstrap samples for alpha's interval.

    Returns
    -------
    LearnedSuggestions
        The agreement report, the cross-validated predictions and the stored suggestions.

    Raises
    ------
    LearnError
        001-004 (see :mod:`.examples`), 005-008 for options, 009-010 for too few documents
        to cross-validate by document (:mod:`.folds`); SemanticError for a backend
        that is unknown or not installed. Nothing is stored then.

    Warns
    -----
    LearnWarning
        When alpha is below .800 (Krippendorff 2004, p. 241); the suggestions are stored.
    """
    _check_options(unit, folds, threshold, seed)
    code_id, coder = learnable_code(conn, code), check_coder(conn, coder)
    chosen = find_backend(backend)
    name = code_names(conn)[code_id]
    examples = labelled(conn, segment_table(conn, unit), code_id, coder)
    check_examples(examples, name, coder, unit)
    plan = document_folds(examples[examples["read"]], folds=int(folds), seed=int(seed),
                          code=name, coder=coder)
    segments, vectors = embeddings(conn, unit, chosen.name)
    table = labelled(conn, segments, code_id, coder)
    read = table["read"].to_numpy()
    human = table.loc[read, "human"].to_numpy()
    fold = plan.fold.loc[table.loc[read, "segment_id"]].to_numpy()
    score = cross_validated_scores(vectors[read], human, fold, seed=int(seed))
    suggested = (score >= threshold).astype(np.int8)
    report = agreement_report(human, suggested, n_boot=n_boot, seed=int(seed), about={
        "code_id": code_id, "code": name, "coder": coder, "backend": chosen.name,
        "unit": unit, "documents": plan.documents, "scheme": SCHEME, "folds": plan.folds,
        "note": plan.note, "seed": int(seed), "threshold": threshold})
    predictions = table.loc[read, PREDICTION_COLUMNS[:6]].assign(
        human=human, fold=fold, score=score, suggested=suggested).reset_index(drop=True)
    model = classifier(int(seed)).fit(vectors[read], human)
    unread = table.loc[~read, ["doc_id", "start", "end"]].assign(
        score=model.predict_proba(vectors[~read])[:, 1] if (~read).any() else [])
    label, version = _model_stamp(chosen, coder, unit, plan.folds, threshold, seed)
    with atomic(conn):
        counts = store_learned(conn, unread[unread["score"] >= threshold], code_id=code_id,
                               rule=f"learned from {source(coder)}", model=label,
                               model_version=version, actor=actor,
                               details=_audited(report))
    warn_if_untrusted(report)
    pending = suggestions_frame(conn, "pending")
    mine = pending[(pending["code_id"] == code_id) & (pending["model"] == label)]
    return LearnedSuggestions(report, predictions, mine.reset_index(drop=True),
                              candidates=int((~read).sum()), **counts)


def _model_stamp(chosen, coder: str, unit: str, folds: int, threshold: float,
                 seed: int) -> tuple[str, str]:
    """The model's label (classifier, backend, unit, coder) and version (every package and
    setting that could change its suggestions)."""
    from sklearn import __version__ as sklearn_version

    label = (f"logistic regression on {chosen.name} {unit} embeddings, learned from "
             f"{source(coder)}")
    version = (f"scikit-learn=={sklearn_version};{chosen.version};folds={int(folds)};"
               f"cv={SCHEME};seed={int(seed)};threshold={threshold}")
    return label, version


def _audited(report: pd.DataFrame) -> dict:
    """The agreement figures the audit entry keeps with the run (plain JSON numbers)."""
    row = report.iloc[0]
    return {"coder": row["coder"], "unit": row["unit"], "segments": int(row["segments"]),
            "documents": int(row["documents"]), "scheme": row["scheme"],
            "folds": int(row["folds"]), "note": row["note"],
            **{k: None if pd.isna(row[k]) else float(row[k])
               for k in ("alpha", "ci_low", "ci_high", "precision", "recall", "f1")},
            "verdict": row["verdict"]}
