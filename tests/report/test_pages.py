"""The HTML page of an executed notebook: charts kept as PNG and Vega spec, the Vega bundle
inlined once, nothing loaded from the network; the .ipynb keeps the full mime bundle (issue 18).

The page's drawing in Chromium is tested in ``test_pages_browser.py``.
"""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import altair as alt
import nbformat
import pandas as pd

from tests.report.chart_notebook import WARDS, write_chart_notebook
from workbench import Project
from workbench.charts.offline import VEGA_MIME, notebook_bundle
from workbench.report import run_report
from workbench.report.pages import notebook_html


class Sources(HTMLParser):
    """The ``src`` and ``href`` of every ``<script>``, ``<link>`` and ``<img>`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "link", "img"}:
            self.found += [(tag, value) for name, value in attrs
                           if name in {"src", "href"} and value]


def sources(page: str) -> list[tuple[str, str]]:
    parser = Sources()
    parser.feed(page)
    return parser.found


def _chart(title: str) -> alt.Chart:
    frame = pd.DataFrame({"ward": list(WARDS), "alerts": list(WARDS.values())})
    return alt.Chart(frame, title=title).mark_bar().encode(x="ward:N", y="alerts:Q")


def test_two_charts_share_one_inlined_bundle_and_nothing_is_fetched():
    outputs = []
    for title in ("Alerts per ward", "Alerts again"):
        data, metadata = notebook_bundle(_chart(title).to_dict())
        outputs.append(nbformat.v4.new_output("display_data", data=data, metadata=metadata))
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Two charts; $\\kappa$ stays TeX source."),
        nbformat.v4.new_code_cell("charts", outputs=outputs, execution_count=1)])
    before = nbformat.writes(notebook)
    page = notebook_html(notebook)
    assert nbformat.writes(notebook) == before  # the notebook itself is not changed
    assert page.count('<figure class="wb-chart">') == 2
    assert page.count("window.vegaEmbed=") == 1  # the bundle, once per page
    # Every script, stylesheet and image is inline: no http(s) source, PNGs as data: URIs.
    assert [s for s in sources(page) if re.match(r"(?i)https?:", s[1])] == []
    assert [tag for tag, value in sources(page)] == ["img", "img"]
    assert all(value.startswith("data:image/png;base64,") for _, value in sources(page))


def test_page_without_charts_has_no_bundle():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "print(1)", outputs=[nbformat.v4.new_output("stream", name="stdout", text="1\n")])])
    page = notebook_html(notebook)
    assert "vegaEmbed" not in page and sources(page) == []


def test_report_keeps_the_mime_bundle_in_the_notebook_and_a_figure_in_the_page(tmp_path):
    Project.create(tmp_path / "study", user="ana").close()
    write_chart_notebook(tmp_path / "notebooks")
    run = run_report(tmp_path / "study", notebooks_dir=tmp_path / "notebooks",
                     out=tmp_path / "out", progress=False)
    executed = nbformat.read(run / "01_alerts.ipynb", as_version=4)
    [chart] = [o for c in executed.cells for o in c.get("outputs", []) if "data" in o]
    assert {VEGA_MIME, "image/png", "text/plain"} <= set(chart["data"])
    page = (run / "01_alerts.html").read_text(encoding="utf-8")
    [(_, png)] = sources(page)
    # The page's fallback image is the notebook's PNG, byte for byte.
    assert base64.b64decode(png.split(",", 1)[1]) == base64.b64decode(chart["data"]["image/png"])
    assert page.count('<figure class="wb-chart">') == 1
