"""A real JupyterLab and a real Chromium for the widget's browser tests and benchmark.

JupyterLab runs as a subprocess on 127.0.0.1 with its own configuration, data, runtime and
IPython folders inside a temporary folder, so nothing reads or writes the user's settings.
Chromium is Debian's (``/usr/bin/chromium``); Playwright drives it and never downloads a
browser of its own.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: The marks of a module of browser tests: ``pytestmark = BROWSER_TESTS``; skipped where
#: Debian's Chromium is missing.
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: install Debian's "
                       "Chromium (`apt-get install chromium`, done by the Makefile) to run the "
                       "browser tests"),
]
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic",
                  "--no-first-run"]
#: JupyterLab plug-ins that would talk to the internet or pop up over the notebook.
_DISABLED = {"@jupyterlab/apputils-extension:announcements": True,
             "@jupyterlab/extensionmanager-extension": True}


@dataclass
class Lab:
    """A running JupyterLab: its address, token, notebook folder and process."""

    url: str
    token: str
    root: Path
    process: subprocess.Popen

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?token={self.token}&reset"

    def api(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(f"{self.url}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def stop(self) -> None:
        """Shut JupyterLab down (its kernels with it)."""
        if self.process.poll() is None:
            try:
                self.api("shutdown", method="POST")
                self.process.wait(timeout=20)
            except (OSError, urllib.error.URLError, subprocess.TimeoutExpired):
                self.process.terminate()
                self.process.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_lab(root: Path, home: Path, *, timeout: float = 90) -> Lab:
    """Start ``jupyter lab`` serving ``root``; its settings live under ``home``."""
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_DATA_DIR": str(home / "data"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "IPYTHONDIR": str(home / "ipython"), "JUPYTER_PLATFORM_DIRS": "1",
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                          os.environ.get("PYTHONPATH", "")])}
    labconfig = home / "config" / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    (labconfig / "page_config.json").write_text(json.dumps({"disabledExtensions": _DISABLED}))
    # Render every cell: with windowing, cells scrolled out of view change height later, and
    # the text under the mouse would move while a test drags.
    notebook_settings = home / "config" / "lab" / "user-settings" / "@jupyterlab" / \
        "notebook-extension"
    notebook_settings.mkdir(parents=True, exist_ok=True)
    (notebook_settings / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"}))
    log = (home / "lab.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--ServerApp.terminals_enabled=False",
         "--ServerApp.disable_check_xsrf=True", "--LabApp.expose_app_in_browser=True",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class="
         "jupyterlab.handlers.announcements.NeverCheckForUpdate",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    lab = Lab(f"http://127.0.0.1:{port}", token, root, process)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab stopped at start; see {home / 'lab.log'}")
        try:
            lab.api("status")
            return lab
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    lab.stop()
    raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s; see {home / 'lab.log'}")


def write_notebook(path: Path, cells: list[str]) -> Path:
    """Write an .ipynb of code cells for the Python 3 kernel."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    nbformat.write(notebook, path)
    return path


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a module's tests (a plugin of tests/conftest.py)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def launch_chromium(playwright):
    """Debian's Chromium, headless, with nothing that reaches the network by itself."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS,
                                      headless=True)


def open_notebook(page, lab: Lab, name: str, *, timeout: float = 60_000) -> None:
    """Open a notebook in JupyterLab and wait until its kernel is idle."""
    page.goto(lab.notebook_url(name))
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
                           "&& window.jupyterapp.shell.currentWidget.sessionContext",
                           timeout=timeout)
    wait_kernel_idle(page, timeout=timeout)


def wait_kernel_idle(page, *, timeout: float = 60_000) -> None:
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget; "
        "const k = w && w.sessionContext.session && w.sessionContext.session.kernel; "
        "return k && k.status === 'idle' && w.sessionContext.isReady; }", timeout=timeout)


_ALL_RUN = """() => {
  const cells = window.jupyterapp.shell.currentWidget.content.widgets
    .filter(c => c.model.type === 'code');
  const done = cells.every(c => c.model.executionCount !== null
    && (c.model.executionState ?? 'idle') !== 'running'
    && !(c.promptNode && c.promptNode.textContent.includes('*')));
  return done || (cells.some(c => c.model.executionCount !== null) ? null : false);
}"""


def run_all(page, *, timeout: float = 120_000) -> None:
    """Run every cell (Run > Run All Cells) and wait for the kernel to finish.

    If no cell has started after a while (the kernel connection was not quite ready), the
    command is given again.
    """
    deadline = time.monotonic() + timeout / 1000
    while time.monotonic() < deadline:
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        try:
            page.wait_for_function(f"() => ({_ALL_RUN})() !== false", timeout=20_000)
            break
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: give the command again
            continue
    page.wait_for_function(f"() => ({_ALL_RUN})() === true", timeout=timeout)
    wait_kernel_idle(page, timeout=timeout)


#: The screen point of one character of the shown document, found in the rendered text: the
#: left edge of the character at ``pos`` or, with ``after``, the right edge of the one before
#: it. Only reads the layout: the selection itself is made with the mouse.
_CHARACTER_POINT = """([root, pos, after]) => {
  const at = after ? pos - 1 : pos;
  const leaf = [...root.querySelectorAll('.wb-text .wb-t')]
    .find(l => +l.dataset.s <= at && at < +l.dataset.e);
  const node = leaf.firstChild;
  const chars = [...node.data];  // code points
  const before = chars.slice(0, at - +leaf.dataset.s).join('').length;  // UTF-16 units
  const range = document.createRange();
  range.setStart(node, before);
  range.setEnd(node, before + chars[at - +leaf.dataset.s].length);
  const rects = range.getClientRects();
  const box = after ? rects[rects.length - 1] : rects[0];
  return {x: after ? box.right - 1 : box.left + 1, y: box.top + box.height / 2};
}"""


def drag_select(page, widget, start: int, end: int) -> str:
    """Select code points ``start``-``end`` of the shown document by dragging the mouse from
    its first character to its last; returns the text the browser reports as selected.

    The end point is measured after the mouse button is down, because pressing it may make
    JupyterLab scroll the cell it activates.
    """
    widget.evaluate(f"""async (root) => {{
        [...root.querySelectorAll('.wb-text .wb-t')]
          .find(l => +l.dataset.s <= {start} && {start} < +l.dataset.e)
          .scrollIntoView({{block: 'center'}});
        for (let i = 0; i < 2; i++) await new Promise(requestAnimationFrame);
    }}""")
    first = widget.evaluate(f"(root) => ({_CHARACTER_POINT})([root, {start}, false])")
    page.mouse.move(first["x"], first["y"])
    page.mouse.down()
    last = widget.evaluate(f"(root) => ({_CHARACTER_POINT})([root, {end}, true])")
    page.mouse.move((first["x"] + last["x"]) / 2, last["y"], steps=4)
    page.mouse.move(last["x"], last["y"], steps=4)
    page.mouse.up()
    return page.evaluate("() => document.getSelection().toString()")
