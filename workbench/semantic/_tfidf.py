"""TF-IDF and truncated SVD (latent semantic analysis) fitted on the project's segments.

References
----------
.. [1] Deerwester S et al. (1990). Indexing by latent semantic analysis. Journal of the
   American Society for Information Science 41(6), 391-407.
.. [2] Halko N, Martinsson PG, Tropp JA (2011). Finding structure with randomness. SIAM
   Review 53(2), 217-288 (the randomised SVD scikit-learn uses).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np

from workbench.errors import SemanticError
from workbench.semantic.backends import normalised

#: Seed of the randomised SVD: the same segments always give the same vectors.
SEED = 0
#: The last few fits, by the key of the corpus they were fitted on.
_FITS: OrderedDict[str, Callable[[Sequence[str]], np.ndarray]] = OrderedDict()
_KEEP = 4


def fitted(key: str, corpus: Sequence[str], dimension: int
           ) -> Callable[[Sequence[str]], np.ndarray]:
    """The fit on ``corpus`` (see :func:`fit`), made once for each ``key`` (a fingerprint of
    the corpus) and kept for the next searches."""
    if key not in _FITS:
        _FITS[key] = fit(corpus, dimension)
        while len(_FITS) > _KEEP:
            _FITS.popitem(last=False)
    return _FITS[key]


def fit(corpus: Sequence[str], dimension: int) -> Callable[[Sequence[str]], np.ndarray]:
    """Fit TF-IDF (sublinear term frequency) and a seeded SVD on ``corpus``; return the
    function that embeds texts in that space, ``dimension`` values per text (zero-padded
    when the corpus has fewer distinct words or segments than that)."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = TfidfVectorizer(sublinear_tf=True, dtype=np.float32)
    try:
        counts = words.fit_transform(list(corpus))
    except ValueError:
        counts = None
    rank = 0 if counts is None else min(dimension, counts.shape[0] - 1, counts.shape[1] - 1)
    if rank < 1:
        raise SemanticError(3, f"TF-IDF + SVD needs at least two segments and two distinct "
                            f"words to fit on; these {len(corpus)} segments have fewer. "
                            "Choose backend='static' or 'minilm', or another unit.")
    svd = TruncatedSVD(n_components=rank, random_state=SEED).fit(counts)

    def encode(texts: Sequence[str]) -> np.ndarray:
        reduced = svd.transform(words.transform(list(texts)))
        padded = np.zeros((len(texts), dimension), dtype=np.float32)
        padded[:, :reduced.shape[1]] = reduced
        return normalised(padded)

    return encode
