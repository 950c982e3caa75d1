"""A learned suggester scored as a coder: cross-validated predictions and their agreement.

The classifier is a class-balanced logistic regression on segment embeddings. Before its
suggestions are offered, every segment the human coder read is predicted by a model that did
not see its document (folds of whole documents, :mod:`.folds`); those predictions are the
codings of the pseudo-coder ``"suggestions"``, and its agreement with the human is computed with the
project's reliability statistics, as between two people.

References
----------
.. [1] Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology (2nd
   ed.), sec. 12.4, p. 241. Sage: "rely only on variables with reliabilities above
   alpha = .800. Consider variables with reliabilities between alpha = .667 and alpha = .800
   only for drawing tentative conclusions."
.. [2] Hastie, T., Tibshirani, R., Friedman, J. (2009). The Elements of Statistical Learning
   (2nd ed.), sec. 7.10: cross-validation estimates how a model does on data it was not
   fitted on.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from workbench.learn.examples import source
from workbench.reliability import ReliabilityWarning, krippendorff_alpha
from workbench.reliability.agreement import SUGGESTER, binary_alpha_interval
from workbench.reliability.kappas import cohen_kappa, percent_agreement

__all__ = ["RELIABLE", "REPORT_COLUMNS", "TENTATIVE", "LearnWarning", "agreement_report",
           "classifier", "cross_validated_scores", "verdict", "warn_if_untrusted"]

#: Krippendorff's (2004, p. 241) thresholds for alpha: reliable from .800, tentative from .667.
RELIABLE = 0.8
TENTATIVE = 0.667
#: The columns of :func:`agreement_report`, in order.
REPORT_COLUMNS = ["code_id", "code", "coder", "suggester", "backend", "unit", "documents",
                  "segments", "positive", "negative", "suggested", "alpha", "ci_low",
                  "ci_high", "kappa", "percent_agreement", "precision", "recall", "f1",
                  "scheme", "folds", "note", "seed", "threshold", "verdict"]


class LearnWarning(UserWarning):
    """A learned suggester agrees with its coder too little for its suggestions to be
    trusted (Krippendorff's alpha below .800, or below .667)."""


def classifier(seed: int):
    """The suggester's model: logistic regression (L2, C=1) with class weights inversely
    proportional to class frequency, so a rare code is not drowned by its absence."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(class_weight="balanced", max_iter=2000, random_state=seed)


def cross_validated_scores(vectors: np.ndarray, human: np.ndarray, fold: np.ndarray, *,
                           seed: int) -> np.ndarray:
    """Each segment's probability of the code from a model fitted on the other folds.

    Parameters
    ----------
    vectors
        One embedding row per labelled segment.
    human
        0/1 per segment: the coder's labels.
    fold
        The fold (0 to folds - 1) each segment is held out in: whole documents
        (:func:`workbench.learn.folds.document_folds`).
    seed
        The classifier's seed.

    Returns
    -------
    numpy.ndarray
        Each segment's predicted probability of the code, from the model that did not see
        its document.
    """
    score = np.empty(len(human), dtype=np.float64)
    for k in np.unique(fold):
        test = fold == k
        model = classifier(seed).fit(vectors[~test], human[~test])
        score[test] = model.predict_proba(vectors[test])[:, 1]
    return score


def verdict(alpha: float) -> str:
    """``reliable`` (alpha >= .800), ``tentative`` (>= .667) or ``unreliable`` (below, or
    undefined), after Krippendorff (2004, p. 241)."""
    if np.isfinite(alpha) and alpha >= RELIABLE:
        return "reliable"
    if np.isfinite(alpha) and alpha >= TENTATIVE:
        return "tentative"
    return "unreliable"


def agreement_report(human: np.ndarray, suggested: np.ndarray, *, about: dict,
                     n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Agreement of the suggester's cross-validated codings with the human's, one row.

    The two rows of 0/1 (coder, then ``"suggestions"``) over the labelled segments are
    reliability data for :func:`workbench.reliability.krippendorff_alpha` (nominal, binary
    presence as in :func:`workbench.reliability.agreement`), its unit bootstrap
    (``binary_alpha_interval``), Cohen's kappa and percent agreement; precision, recall and
    F1 take the human as the reference (scikit-learn's ``precision_recall_fscore_support``;
    NaN where undefined).

    Parameters
    ----------
    human, suggested
        0/1 per labelled segment.
    about
        code_id, code, coder, backend, unit, documents, scheme, folds, note, seed,
        threshold: copied into the row.

    Returns
    -------
    pandas.DataFrame
        One row, columns :data:`REPORT_COLUMNS`: segments (labelled), positive and negative
        (the human's), suggested (the suggester's positives), alpha, ci_low, ci_high (95%),
        kappa, percent_agreement, precision, recall, f1, and verdict (:func:`verdict`).
    """
    from sklearn.metrics import precision_recall_fscore_support

    table = np.vstack([human, suggested]).astype(np.int8)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReliabilityWarning)
        alpha = krippendorff_alpha(table)
        low, high = binary_alpha_interval(table, n_boot=n_boot, seed=seed)
        kappa = cohen_kappa(table[0], table[1])
        agree = percent_agreement(table)
    precision, recall, f1, _ = precision_recall_fscore_support(
        table[0], table[1], average="binary", zero_division=np.nan)
    row = {**about, "suggester": SUGGESTER, "segments": table.shape[1],
           "positive": int(table[0].sum()), "negative": int((table[0] == 0).sum()),
           "suggested": int(table[1].sum()), "alpha": alpha, "ci_low": low, "ci_high": high,
           "kappa": kappa, "percent_agreement": agree, "precision": float(precision),
           "recall": float(recall), "f1": float(f1), "verdict": verdict(alpha)}
    return pd.DataFrame([row])[REPORT_COLUMNS]


def warn_if_untrusted(report: pd.DataFrame) -> None:
    """Show a :class:`LearnWarning` when the report's alpha is below .800 (not an error:
    the suggestions are stored, and a person still decides on each)."""
    row = report.iloc[0]
    if row["verdict"] == "reliable":
        return
    limit = ("below .667, the least Krippendorff (2004, p. 241) accepts even for tentative "
             "conclusions" if row["verdict"] == "unreliable"
             else "between .667 and .800: good for tentative conclusions only (Krippendorff "
             "2004, p. 241)")
    who = source(row["coder"])
    warnings.warn(f"the suggester learned from {who} agrees with {who} on "
                  f"code {row['code']!r} with alpha = {row['alpha']:.3f} in cross-validation, "
                  f"{limit}. Treat its suggestions as leads to read, not as codings; code "
                  "more examples and learn again.", LearnWarning, stacklevel=4)
