"""Charts in a real JupyterLab, in Chromium, with the network blocked: drawn, and nothing fetched.

A JupyterLab server runs on 127.0.0.1 on the fictional Riverside project. Every request the
page makes to another host is aborted and recorded, as on a machine without the internet; the
test fails if there was any. A chart counts as drawn when JupyterLab's Vega output holds an SVG
with the marks the chart needs and a screenshot of it is far from blank. The notebook saved by
JupyterLab is then exported with nbconvert, as a reader would share it, and that page too must
show the chart (as its PNG) with the network blocked.
"""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import jupytext
import nbformat
import numpy as np
import pytest
from nbconvert import HTMLExporter
from PIL import Image

from tests.conftest import REPO, RIVERSIDE
from tests.widgets.lab import (
    BROWSER_TESTS,
    open_notebook,
    run_all,
    start_lab,
    write_notebook,
)
from workbench import Project
from workbench.example import build_example

pytestmark = BROWSER_TESTS

NOTEBOOK = "charts.ipynb"
CELLS = [
    "from workbench import Project\nfrom workbench.charts import frequency_bars\n"
    "from workbench.logs import metric_chart\n\nproject = Project.open('study')",
    "frequency_bars(project.frequencies('role', coder='ana'), 'role')",
    "stale = project.metrics('stale_input_share', bucket='week', by=['unit'])\n"
    "metric_chart(stale, 'stale_share')",
]
#: The project's notebooks that draw charts, and the call in the first cell that draws one.
FIRST_CHART = {"03_reliability": "agreement_chart(", "04_logs": "metric_chart(",
               "06_joint_displays": "project.display("}
VEGA = ".jp-RenderedVegaCommon5"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    build_example(root / "study", corpus=RIVERSIDE, progress=False).close()
    write_notebook(root / NOTEBOOK, CELLS)
    for name in FIRST_CHART:
        nbformat.write(up_to_first_chart(name, root), root / f"{name}.ipynb")
    server = start_lab(root, tmp_path_factory.mktemp("jupyter"))
    yield server
    server.stop()


def up_to_first_chart(name: str, root) -> nbformat.NotebookNode:
    """The project's notebook ``name`` on the project in ``root``, cut after its first chart."""
    notebook = jupytext.read(REPO / "notebooks" / f"{name}.py")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    last = next((c for c in code if FIRST_CHART[name] in c.source), None)
    assert last is not None, f"{name}.py no longer calls {FIRST_CHART[name]}: update FIRST_CHART"
    for cell in code:
        if "parameters" in cell.metadata.get("tags", []):
            cell.source += f"\nPROJECT = {str(root / 'study')!r}\nCORPUS = {str(RIVERSIDE)!r}\n"
    notebook.cells = notebook.cells[:notebook.cells.index(last) + 1]
    # A plain .ipynb: jupytext's pairing with the .py would refuse to open a cut copy.
    notebook.metadata.pop("jupytext", None)
    return notebook




def offline_page(browser, allowed: str):
    """A page on which every request outside ``allowed`` (a URL prefix) is aborted and
    recorded; (page, the URLs that were tried)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1800})
    tried: list[str] = []

    def block(route):
        if route.request.url.startswith(allowed):
            route.continue_()
            return
        tried.append(route.request.url)
        route.abort()

    page.route("**/*", block)
    return page, tried


def ink(element) -> int:
    """Pixels of a drawn element that are not (near) white."""
    shot = Image.open(io.BytesIO(element.screenshot())).convert("L")
    return int((np.asarray(shot) < 200).sum())


def drawn_charts(page, count: int, *, timeout: float = 60_000):
    """Wait until ``count`` Vega outputs hold an SVG with marks; the outputs."""
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{VEGA}')]"
        f".filter(o => o.querySelector('svg .mark-group, svg path')).length >= {count}",
        timeout=timeout)
    return page.locator(VEGA)


def test_workbench_charts_are_drawn_in_jupyterlab_offline(lab, browser, tmp_path_factory):
    with Project.open(lab.root / "study") as project:
        frequencies = project.frequencies("role", coder="ana")
        stale = project.metrics("stale_input_share", bucket="week", by=["unit"])
    page, tried = offline_page(browser, lab.url)
    try:
        open_notebook(page, lab, NOTEBOOK)
        run_all(page)
        charts = drawn_charts(page, 2)
        assert charts.count() == 2
        bars, lines = charts.nth(0), charts.nth(1)
        # One bar per row of the table the chart draws (a code in a role with codings).
        assert bars.locator("svg .mark-rect.role-mark path").count() == len(frequencies)
        # One line per ward, and one point per ward-week (point=True); the legend's symbols are
        # not marks.
        assert lines.locator("svg .mark-line.role-mark path").count() == stale["unit"].nunique()
        assert lines.locator("svg .mark-symbol.role-mark path").count() == len(stale)
        # A blank output is all white; a drawn chart has thousands of dark pixels.
        assert ink(bars) > 2000 and ink(lines) > 2000
        shots = tmp_path_factory.mktemp("screenshots")
        bars.screenshot(path=shots / "frequency_bars.png")
        lines.screenshot(path=shots / "metric_chart.png")
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model"
                               ".dirty", timeout=15_000)
        assert tried == []
    finally:
        page.close()
    exported_page_shows_the_chart(lab, browser)


def exported_page_shows_the_chart(lab, browser) -> None:
    """The notebook JupyterLab saved, exported to HTML by nbconvert, shows both charts as
    images with the network blocked."""
    notebook = nbformat.read(lab.root / NOTEBOOK, as_version=4)
    body, _ = HTMLExporter().from_notebook_node(notebook)
    path = lab.root / "charts.html"
    path.write_text(body, encoding="utf-8")
    page, tried = offline_page(browser, path.as_uri())
    try:
        page.goto(path.as_uri())
        images = page.locator(".jp-OutputArea-output img")
        assert images.count() == 2
        for i in range(2):
            assert images.nth(i).evaluate("(img) => img.complete && img.naturalWidth > 0")
            assert ink(images.nth(i)) > 2000
        # nbconvert's own page asks for RequireJS and MathJax (cdnjs), and reads without them;
        # no chart asks for anything.
        assert {urlsplit(url).netloc for url in tried} <= {"cdnjs.cloudflare.com"}
        assert not any("vega" in url for url in tried)
    finally:
        page.close()


def test_the_first_chart_of_each_notebook_is_drawn_offline(lab, browser):
    """The project's notebooks, each in its own tab and kernel, run side by side up to their
    first chart: the kernel switches to the offline renderer by itself, and the chart shows."""
    pages = {name: offline_page(browser, lab.url) for name in FIRST_CHART}
    try:
        for name, (page, _) in pages.items():
            open_notebook(page, lab, f"{name}.ipynb")
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        for name, (page, tried) in pages.items():
            chart = drawn_charts(page, 1, timeout=180_000).first
            assert chart.locator("svg .role-mark path, svg .role-mark text").count() > 10, name
            assert ink(chart) > 2000, name
            assert tried == [], name
    finally:
        for page, _ in pages.values():
            page.close()
