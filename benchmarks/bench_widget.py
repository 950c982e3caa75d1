"""Benchmark: the coding widget in a real JupyterLab and Chromium, on a long coded transcript.

A seeded synthetic interview of 20,000 words (400 turns, with accents and emoji) carries 500
codings, many overlapping. Measured in the browser, in the same run:

* render: the widget redraws the whole text with its highlights (the "Show" filter, no
  kernel involved), against the bare time to set the same text, escaped, without
  highlights, as the innerHTML of a div of the same size and font (target < 1 s);
* open: from the click on "next document" to the 20,000-word transcript drawn with its
  highlights (kernel, project, transfer, render), against opening a 100-word document;
* apply: from the click on a code (a passage selected with the mouse) to the new highlight
  on screen, "Saved" shown (target < 200 ms), against a round trip to the kernel (opening
  the 100-word document). Only the turns the new coding touches are redrawn.

Each time runs to the next painted frame (two requestAnimationFrame callbacks).

    .venv/bin/python benchmarks/bench_widget.py [--repeat 10]

Needs Debian's Chromium at /usr/bin/chromium (the Makefile installs it) and the dev
packages (jupyterlab, playwright).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
from pathlib import Path

import jupyterlab
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.widgets.lab import (  # noqa: E402
    CHROMIUM,
    drag_select,
    launch_chromium,
    open_notebook,
    run_all,
    start_lab,
    write_notebook,
)
from workbench import Project  # noqa: E402

VOCABULARY = ("the alert fired again on the ward and we had to check the labs by hand because "
              "the score was stale nurse night shift handover paper list whiteboard rapid "
              "response café Zoë naïve 👍 🙂 outreach patient obs chart threshold override "
              "dismiss reason trust numbers staffing agency")

#: Two rAF callbacks: the time includes style, layout and the paint of the next frame.
NEXT_FRAME = "await new Promise(requestAnimationFrame); await new Promise(requestAnimationFrame);"

RENDER = f"""async (root) => {{
  const select = root.querySelector('.wb-show');
  const times = [];
  for (let i = 0; i < 10; i++) {{
    const start = performance.now();
    select.value = i % 2 ? '' : select.options[1].value;
    select.dispatchEvent(new Event('change'));
    {NEXT_FRAME}
    times.push(performance.now() - start);
  }}
  select.value = ''; select.dispatchEvent(new Event('change'));
  return times.filter((_, i) => i % 2);  // the redraws with every highlight
}}"""

BARE = f"""async (root) => {{
  const pane = root.querySelector('.wb-text');
  const text = pane.textContent;
  const div = document.createElement('div');
  div.className = 'wb-text';
  div.style.cssText = `width:${{pane.clientWidth}}px; position:absolute; left:-99999px;`;
  root.querySelector('.wb-main').appendChild(div);
  const escaped = text.replace(/[&<>]/g, c => ({{'&': '&amp;', '<': '&lt;', '>': '&gt;'}})[c]);
  const times = [];
  for (let i = 0; i < 3; i++) {{
    div.innerHTML = '';
    {NEXT_FRAME}
    const start = performance.now();
    div.innerHTML = escaped;
    div.offsetHeight;
    {NEXT_FRAME}
    times.push(performance.now() - start);
  }}
  div.remove();
  return times;
}}"""

#: Time from a pointer-down inside ``root`` matching ``selector`` to the status line showing
#: a new answer of ``kind``, plus the next frame.
CLICK_TO_STATUS = f"""(root, [selector, kind]) => {{ window.benchTimer = new Promise((resolve) => {{
  let start = null;
  const status = root.querySelector('.wb-status');
  const before = +(status.dataset.n || 0);
  root.addEventListener('pointerdown', (event) => {{
    if (event.target.closest(selector)) start = performance.now();
  }}, {{capture: true, once: true}});
  const observer = new MutationObserver(async () => {{
    if (start === null || +(status.dataset.n || 0) <= before || status.dataset.kind !== kind)
      return;
    observer.disconnect();
    {NEXT_FRAME}
    resolve(performance.now() - start);
  }});
  observer.observe(status, {{attributes: true, childList: true, subtree: true}});
}}); }}"""


def timed_click(widget, selector: str, kind: str, target: str) -> float:
    """Milliseconds from clicking ``target`` to a new status of ``kind``, painted."""
    widget.evaluate(CLICK_TO_STATUS, [selector, kind])
    widget.locator(target).click()
    return widget.page.evaluate("() => window.benchTimer")


def transcript(words: int, seed: int = 7) -> str:
    """A fictional interview of about ``words`` words in alternating turns."""
    rng = random.Random(seed)
    words_used = VOCABULARY.split()
    turns, count, n = [], 0, 0
    while count < words:
        speaker = "Interviewer" if n % 2 == 0 else "P01"
        length = rng.randint(8, 30) if speaker == "Interviewer" else rng.randint(40, 110)
        turns.append(f"{speaker}: " + " ".join(rng.choice(words_used) for _ in range(length)) + ".")
        count, n = count + length + 1, n + 1
    return "Interview P01 (synthetic, for the benchmark)\n\n" + "\n".join(turns) + "\n"


def build(folder: Path, n_codings: int, seed: int = 11) -> dict:
    """The benchmark project: a short and a long transcript, 500 codings on the long one."""
    (folder / "a_short_P02.txt").write_text(transcript(100, seed=3), encoding="utf-8")
    long_text = transcript(20_000)
    (folder / "b_long_P01.txt").write_text(long_text, encoding="utf-8")
    rng = random.Random(seed)
    with Project.create(folder / "study", user="ana") as project:
        project.import_files([folder / "a_short_P02.txt", folder / "b_long_P01.txt"],
                             progress=False)
        project.set_codebook(REPO / "codebooks" / "sociotechnical.yaml")
        codes = project.codes()
        leaves = codes.loc[~codes["code_id"].isin(codes["parent_id"]), "code_id"].tolist()
        doc = project.documents().set_index("name").loc["b_long_P01.txt", "doc_id"]
        text = project.document(doc).text
        starts = sorted(rng.sample(range(len(text) - 500), n_codings))
        rows = pd.DataFrame({"doc_id": doc, "start": starts,
                             "end": [s + rng.randint(20, 400) for s in starts],
                             "code": [rng.choice(leaves) for _ in starts]})
        project.code_many(rows, coder="ana", origin="manual")
        edges = sorted([(s, 1) for s in rows["start"]] + [(e, -1) for e in rows["end"]])
        depth = max(pd.Series([step for _, step in edges]).cumsum())
        return {"words": len(text.split()), "characters": len(text),
                "turns": len(project.segments("turn", doc)), "codings": n_codings,
                "depth": int(depth), "text": text}


def measure(root: Path, text: str, repeat: int) -> dict:
    from playwright.sync_api import sync_playwright

    write_notebook(root / "bench.ipynb", [
        "from workbench import Project\nfrom workbench.widgets import CodingView\n"
        "project = Project.open('study', user='ana')",
        "view = CodingView(project, coder='ana', document='a_short_P02.txt')\nview",
    ])
    lab = start_lab(root, root / "jupyter")
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            open_notebook(page, lab, "bench.ipynb")
            run_all(page)
            widget = page.locator(".wb-cv").first
            widget.locator(".wb-t").first.wait_for()
            opened = []
            for _ in range(repeat):  # long, then short, then long ...
                for kind in ("long", "short"):
                    opened.append((kind, timed_click(widget, ".wb-next", "info", ".wb-next")))
            widget.locator(".wb-next").click()  # leave the long one open
            page.wait_for_function("(root) => root.querySelectorAll('.wb-c').length > 400",
                                   arg=widget.element_handle())
            result = {
                "open_long": [t for k, t in opened if k == "long"],
                "open_short": [t for k, t in opened if k == "short"],
                "render": widget.evaluate(RENDER),
                "bare": widget.evaluate(BARE),
                "apply": [],
                "browser": f"Chromium {browser.version}",
            }
            for i in range(repeat):
                start = text.index("nurse", 2_000 + 9_000 * i)
                drag_select(page, widget, start, start + 40)
                result["apply"].append(timed_click(
                    widget, ".wb-code", "saved", '.wb-code[data-code="manual-verification"]'))
            browser.close()
            return result
    finally:
        lab.stop()


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values):7.0f} ms (max {max(values):.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--codings", type=int, default=500)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium (make install does it).")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        facts = build(root, args.codings)
        times = measure(root, facts["text"], args.repeat)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
          f"{platform.release()}, Python {platform.python_version()}, JupyterLab "
          f"{jupyterlab.__version__}, {times['browser']}")
    print(f"document: {facts['words']:,} words, {facts['characters']:,} characters, "
          f"{facts['turns']} turns, {facts['codings']} codings (up to {facts['depth']} "
          "overlapping)")
    print(f"{'':34}{'widget (median)':>28}   baseline in the same run")
    print(f"{'render text with highlights':34}{_ms(times['render']):>28}   bare innerHTML, "
          f"no highlights: {_ms(times['bare']).strip()}   target < 1000 ms")
    print(f"{'open it (click to painted)':34}{_ms(times['open_long']):>28}   open a 100-word "
          f"document: {_ms(times['open_short']).strip()}   target < 1000 ms")
    print(f"{'apply a code (click to shown)':34}{_ms(times['apply']):>28}   a round trip to the "
          f"kernel (the 100-word document): {_ms(times['open_short']).strip()}   target < 200 ms")


if __name__ == "__main__":
    main()
