"""The tests run on exactly the versions in requirements.lock (issue 13, item 9).

A generator or an analysis may depend on a library's behaviour (how a sort breaks ties, a
default that changed); a fresh machine that installed other versions would then produce other
data. Set-up installs from the lock; this test fails when the environment has drifted from it,
so CI on a fresh machine catches the difference instead of a figure quietly changing.
"""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.MULTILINE)


def _pins() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return {_normal(name): version for name, version in _PIN.findall(text)}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_installed_locked_package_has_its_locked_version():
    drifted = {}
    for name, version in _pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            drifted[name] = (version, "missing")
            continue
        if installed != version:
            drifted[name] = (version, installed)
    assert not drifted, f"environment differs from requirements.lock (locked, installed): {drifted}"


def test_every_declared_dependency_is_locked_with_hashes():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["dev"]
    names = {_normal(re.split(r"[<>=!~\[; ]", item, maxsplit=1)[0]) for item in declared}
    pins = _pins()
    assert sorted(names - set(pins)) == []
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    # Every pin is followed by at least one sha256: pip then refuses a file that differs.
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 6)[-1])
    assert all("--hash=sha256:" in block for block in blocks if _PIN.match(block))
