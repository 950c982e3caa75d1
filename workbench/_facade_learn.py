"""The learned-suggestions part of the ``Project`` facade: delegates to
:mod:`workbench.learn` with the project's connection and user."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.learn import LearnedSuggestions


class LearnFacade:
    """The method ``Project`` offers to learn a coder's code and suggest it elsewhere."""

    def learn_suggestions(self, code: str, *, coder: str | None = None,
                          unit: str = "sentence", backend: str | None = None, folds: int = 5,
                          threshold: float = 0.5, seed: int = 0) -> LearnedSuggestions:
        """Learn ``coder``'s (default: the project's user; ``"consensus"``: the reconciled
        layer) use of ``code`` from segment embeddings; report the learned suggester's
        agreement with the coder, cross-validated on folds of whole documents (alpha,
        kappa, precision, recall, F1; a ``LearnWarning`` below alpha .800); store its
        proposals on the documents the coder has not coded as pending suggestions, each with
        its score. None becomes a coding until accepted (``accept_suggestion``). The result
        prints as a summary; ``.agreement`` is the report as a DataFrame."""
        from workbench.learn import learn_suggestions

        return learn_suggestions(self._conn, code, coder=coder or self.user, actor=self.user,
                                 unit=unit, backend=backend, folds=folds,
                                 threshold=threshold, seed=seed)
