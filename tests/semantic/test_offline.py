"""The offline guarantee: every backend embeds with the network unreachable, the static model
is distilled without it, and nothing needs ``HF_HUB_OFFLINE`` set by the user."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import NO_NETWORK, REPO

#: Runs in a fresh process: every socket connection fails (and is recorded) before workbench
#: or any Hugging Face library is imported.
RUN = NO_NETWORK + """
from workbench.semantic import BACKENDS, encoder, find_backend

texts = ["The alarm rang all night.", "We ignored the alarm.", "I check the labs by hand."]
shapes = {name: list(encoder(find_backend(name), texts)(texts).shape) for name in BACKENDS}
with open(sys.argv[1], "w") as out:
    json.dump({"shapes": shapes, "attempts": attempts}, out)
"""


def test_every_backend_works_with_the_network_unreachable(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")}
    # a fresh model folder, so the static model is distilled inside this offline process;
    # proxies and the hub's address point at a closed port, should anything try them
    env.update(PYTHONPATH=str(REPO), WORKBENCH_MODEL_CACHE=str(tmp_path / "models"),
               HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9",
               HF_ENDPOINT="http://127.0.0.1:9", HF_HOME=str(tmp_path / "hf"))
    result = tmp_path / "result.json"
    run = subprocess.run([sys.executable, "-c", RUN, str(result)], env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    found = json.loads(result.read_text())
    # 3 texts; 256 dimensions for static and tfidf-svd (zero-padded), 384 for MiniLM
    assert found["shapes"] == {"static": [3, 256], "minilm": [3, 384], "tfidf-svd": [3, 256]}
    assert found["attempts"] == [], "no connection was even tried"
    assert (tmp_path / "models").is_dir() and not (tmp_path / "hf" / "hub").exists()
