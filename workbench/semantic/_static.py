"""A static embedding model distilled on this machine from the bundled all-MiniLM-L6-v2.

model2vec's own ``distill`` needs its ``distill`` extra (the ``skeletoken`` package), which
workbench does not install; this module follows the same recipe [1]_ with the packages it
has: every token of MiniLM's vocabulary is passed through the transformer on its own
(``[CLS] token [SEP]``, mean-pooled), the vectors are reduced to 256 dimensions by PCA and
weighted by the SIF coefficient under a Zipf prior on the vocabulary's order [2]_, and the
result is saved as a model2vec ``StaticModel`` in :func:`model_folder`. Distilling takes
about half a minute on two cores, once per machine; after that a text's vector is the mean of
its tokens' vectors, thousands of segments per second.

References
----------
.. [1] Tulkens S, van Dongen T (2024). Model2Vec: fast state-of-the-art static embeddings.
   https://github.com/MinishLab/model2vec (``distill``: token embeddings, PCA, SIF weights).
.. [2] Arora S, Liang Y, Ma T (2017). A simple but tough-to-beat baseline for sentence
   embeddings. ICLR (the SIF weight a / (a + p(w)), a = 1e-4).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

from workbench.semantic.backends import find_backend, go_offline, normalised

#: Dimensions kept by PCA and the SIF coefficient, as model2vec's ``distill`` defaults.
DIMENSIONS = 256
SIF = 1e-4
#: Vocabulary tokens per forward pass while distilling.
BATCH = 1024


def model_folder() -> Path:
    """Where the distilled model is kept: ``$WORKBENCH_MODEL_CACHE`` if set, else
    ``$XDG_CACHE_HOME/workbench/models`` (``~/.cache/workbench/models``), in a folder named
    after the versions it was distilled from, so a new release distils afresh."""
    root = os.environ.get("WORKBENCH_MODEL_CACHE")
    if not root:
        cache_home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        root = Path(cache_home) / "workbench" / "models"
    stamp = find_backend("static").version.replace(";", "_").replace("==", "-")
    return Path(root) / f"minilm-static-{stamp}"


def _token_vectors() -> tuple[np.ndarray, Path]:
    """Each vocabulary token's MiniLM vector (``[CLS] token [SEP]``, mean-pooled), in id
    order, and the tokenizer file they belong to."""
    import torch

    from workbench.semantic._minilm import model

    transformer = model()[0]
    tokenizer = transformer.tokenizer
    ids = np.arange(len(tokenizer.get_vocab()))
    rows = []
    with torch.inference_mode():
        for first in range(0, len(ids), BATCH):
            batch = torch.tensor(ids[first:first + BATCH]).unsqueeze(1)
            inputs = torch.cat([torch.full_like(batch, tokenizer.cls_token_id), batch,
                                torch.full_like(batch, tokenizer.sep_token_id)], dim=1)
            out = transformer.auto_model(input_ids=inputs,
                                         attention_mask=torch.ones_like(inputs))
            rows.append(out.last_hidden_state.mean(dim=1).numpy())
    return np.vstack(rows), Path(transformer.tokenizer.name_or_path) / "tokenizer.json"


def distil(folder: Path) -> None:
    """Distil the static model and save it in ``folder`` (written aside, then moved in
    whole, so a crash never leaves half a model)."""
    from model2vec import StaticModel
    from sklearn.decomposition import PCA
    from tokenizers import Tokenizer

    vectors, tokenizer_file = _token_vectors()
    reduced = PCA(n_components=DIMENSIONS, random_state=0).fit_transform(vectors)
    zipf = 1.0 / np.arange(1, len(reduced) + 1)
    weights = SIF / (SIF + zipf / zipf.sum())
    static = StaticModel(vectors=(reduced * weights[:, None]).astype(np.float32),
                         tokenizer=Tokenizer.from_file(str(tokenizer_file)), normalize=True,
                         base_model_name="sentence-transformers/all-MiniLM-L6-v2")
    folder.parent.mkdir(parents=True, exist_ok=True)
    aside = Path(tempfile.mkdtemp(prefix=".distilling-", dir=folder.parent))
    static.save_pretrained(str(aside))
    try:
        aside.rename(folder)
    except OSError:
        # another process distilled it first: keep theirs
        shutil.rmtree(aside)


@cache
def model():
    """The static model, distilled first if this machine has none yet."""
    go_offline()
    from model2vec import StaticModel

    folder = model_folder()
    if not (folder / "model.safetensors").exists():
        distil(folder)
    return StaticModel.from_pretrained(str(folder))


def encode(texts: Sequence[str]) -> np.ndarray:
    """One L2-normalised float32 row of 256 values per text."""
    vectors = model().encode(list(texts), use_multiprocessing=False, show_progress_bar=False)
    return normalised(vectors)
