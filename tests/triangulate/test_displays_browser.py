"""Exported joint displays open in a real Chromium with the network blocked, and are drawn.

Every request the page makes that is not the file itself is aborted and recorded; the test
fails if there was any. The chart counts as drawn when Vega's SVG holds the marks the display
needs and a screenshot of it is far from blank.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from tests.conftest import SCREENSHOTS
from tests.widgets.lab import (
    BROWSER_TESTS,
    )

pytestmark = BROWSER_TESTS

REPAIR = ["manual-verification", "workarounds"]






def open_offline(browser, path):
    """Open ``path`` with every other request aborted; (page, the requests that tried)."""
    page = browser.new_page(viewport={"width": 1600, "height": 1200})
    tried = []

    def block(route):
        if route.request.url == path.as_uri():
            route.continue_()
            return
        tried.append(route.request.url)
        route.abort()

    page.route("**/*", block)
    page.goto(path.as_uri())
    page.wait_for_selector("#vega-chart svg .mark-text, #vega-chart svg .mark-rect",
                           timeout=30_000)
    return page, tried


def ink(page) -> int:
    """Pixels of the drawn chart that are not (near) white."""
    shot = Image.open(io.BytesIO(page.locator("#vega-chart").screenshot())).convert("L")
    return int((np.asarray(shot) < 200).sum())


@pytest.mark.parametrize(("kind", "options", "mark", "least"), [
    # 36 cells (3 wards x 12 weeks): one bar each.
    ("case-ordered", {"metric": "stale_share", "codes": REPAIR}, ".mark-rect path", 36),
    # 3 wards x 84 days of logs: one line per ward; the outage is a band on each.
    ("timeline", {"metric": "stale_share", "codes": REPAIR}, ".mark-line path", 3),
    # 2 themes x 3 quotes: six quote lines in the quotes column (and more in the others).
    ("side-by-side", {"themes": {"manual-verification": "stale_share",
                                 "workarounds": "stale_share"}}, ".mark-text text", 6),
])
def test_an_exported_display_is_drawn_offline(riverside, browser, tmp_path, kind, options,
                                              mark, least):
    path = riverside.display(kind, coder="ana", **options).save(tmp_path / f"{kind}.html")
    page, tried = open_offline(browser, path)
    try:
        assert tried == []
        assert page.locator(f"#vega-chart svg {mark}").count() >= least
        # A blank area is all white; a drawn chart has thousands of dark pixels.
        assert ink(page) > 2000
        if kind == "timeline":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.locator("#vega-chart").screenshot(path=SCREENSHOTS / "timeline_display.png")
    finally:
        page.close()


def test_without_javascript_the_page_shows_the_image_and_the_table(riverside, browser,
                                                                    tmp_path):
    path = riverside.display("case-ordered", metric="stale_share", codes=REPAIR,
                             coder="ana").save(tmp_path / "cases.html")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(path.as_uri())
        image = page.locator("noscript img, img[alt='workbench: case-ordered display']")
        assert image.count() == 1
        assert page.locator("table tr").count() == 37  # a header and 36 cells
    finally:
        context.close()
