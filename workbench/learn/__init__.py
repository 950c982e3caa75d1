"""Learned suggestions, scored as a coder before they are trusted.

:func:`learn_suggestions` learns one coder's use of a code from segment embeddings, reports
the cross-validated agreement of the learned suggester with that coder (Krippendorff's alpha,
kappa, precision, recall, F1) and stores its proposals as suggestions a person accepts or
rejects. See the README's "Learned suggestions".
"""

from workbench.learn.examples import MIN_NEGATIVE, MIN_POSITIVE
from workbench.learn.scoring import RELIABLE, TENTATIVE, LearnWarning
from workbench.learn.suggester import LearnedSuggestions, learn_suggestions

__all__ = [
    "MIN_NEGATIVE",
    "MIN_POSITIVE",
    "RELIABLE",
    "TENTATIVE",
    "LearnWarning",
    "LearnedSuggestions",
    "learn_suggestions",
]
