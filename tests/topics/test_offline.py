"""BERTopic is given vectors, never a model: a run works with the network unreachable and
makes no connection attempt, and no Hugging Face model folder appears."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import NO_NETWORK, REPO
from tests.topics.conftest import BACKEND

#: Runs in a fresh process: every socket connection fails (and is recorded) before workbench,
#: BERTopic or any Hugging Face library is imported.
RUN = NO_NETWORK + """
from workbench import Project

with Project.open(sys.argv[1]) as project:
    frame = project.topics("turn", n_topics=4, where={"speaker": json.loads(sys.argv[2])},
                           backend=sys.argv[3])
with open(sys.argv[4], "w") as out:
    json.dump({"segments": len(frame), "topics": int(frame["topic"].nunique()),
               "attempts": attempts}, out)
"""


def test_topics_run_with_the_network_unreachable(planted, tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE")}
    env.update(PYTHONPATH=str(REPO), HTTP_PROXY="http://127.0.0.1:9",
               HTTPS_PROXY="http://127.0.0.1:9", HF_ENDPOINT="http://127.0.0.1:9",
               HF_HOME=str(tmp_path / "hf"))
    result = tmp_path / "result.json"
    run = subprocess.run([sys.executable, "-c", RUN, str(planted.project.path),
                          json.dumps(planted.participants), BACKEND, str(result)],
                         env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    found = json.loads(result.read_text())
    # 120 participant turns, 4 topics asked (tests/topics/conftest.py)
    assert (found["segments"], found["topics"]) == (120, 4)
    assert found["attempts"] == [], "no connection was even tried"
    assert not (tmp_path / "hf" / "hub").exists(), "no model was fetched into a hub cache"
