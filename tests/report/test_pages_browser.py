"""An executed report's HTML page in headless Chromium with the network blocked: the chart is
drawn by the inlined vega-embed (an SVG with one bar per ward, a tooltip on hover), nothing is
fetched, and with JavaScript off the PNG shows instead (issue 18).

A screenshot of the drawn chart goes to ``tests.conftest.SCREENSHOTS`` (``report_chart.png``).
"""

from __future__ import annotations

import pytest

from tests.conftest import SCREENSHOTS
from tests.report.chart_notebook import WARDS, write_chart_notebook
from tests.test_charts_offline_browser import ink, offline_page
from tests.widgets.lab import BROWSER_TESTS
from workbench import Project
from workbench.report import run_report

pytestmark = BROWSER_TESTS

FIGURE = "figure.wb-chart"


@pytest.fixture(scope="module")
def page_path(tmp_path_factory):
    """The HTML page of a report run of the one-chart notebook on an empty project."""
    folder = tmp_path_factory.mktemp("report-page")
    Project.create(folder / "study", user="ana").close()
    write_chart_notebook(folder / "notebooks")
    run = run_report(folder / "study", notebooks_dir=folder / "notebooks", out=folder / "out",
                     progress=False)
    return run / "01_alerts.html"


def test_report_chart_is_drawn_by_javascript_offline(page_path, browser):
    page, tried = offline_page(browser, page_path.as_uri())
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    try:
        page.goto(page_path.as_uri())
        figure = page.locator(FIGURE)
        page.wait_for_function(f"() => document.querySelector('{FIGURE} svg .mark-rect')",
                               timeout=30_000)
        # One bar per ward of the notebook's table; the PNG hidden once the SVG is drawn.
        bars = figure.locator("svg .mark-rect.role-mark path")
        assert bars.count() == len(WARDS)
        assert figure.locator("img").is_hidden()
        drawn = figure.locator("svg").first
        assert ink(drawn) > 2000  # a blank SVG is all white; three bars and axes are not
        bars.nth(1).hover()  # the second ward, 4A (WARDS)
        tooltip = page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible", timeout=10_000)
        assert "4A" in tooltip.inner_text() and str(WARDS["4A"]) in tooltip.inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        figure.screenshot(path=SCREENSHOTS / "report_chart.png")
        assert tried == [] and failed == []
    finally:
        page.close()


def test_without_javascript_the_png_shows(page_path, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(page_path.as_uri())
        image = page.locator(f"{FIGURE} img")
        assert image.is_visible()
        assert image.evaluate("(img) => img.complete && img.naturalWidth > 0")
        assert ink(image) > 2000
        assert page.locator(f"{FIGURE} svg").count() == 0
    finally:
        context.close()
