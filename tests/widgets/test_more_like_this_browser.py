""""More like this" in a real JupyterLab: select with the mouse, list the passages like it,
open one (in another document) and code it.

The static model is distilled first in this process, into the session's folder
(``WORKBENCH_MODEL_CACHE``, which the Jupyter server and its kernel inherit), and the notebook
searches once before the widget opens, as a researcher who searched before would have: the
test is of the widget, not of the first load of the model (which can outlast the widget's
reply window on a loaded two-core machine; the widget then shows the answer when it comes).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import span
from tests.widgets.conftest import NURSE, ZOE, build_study
from tests.widgets.lab import (
    BROWSER_TESTS,
    drag_select,
    open_notebook,
    run_all,
    start_lab,
    write_notebook,
)
from tests.widgets.test_coding_view_browser import act, pick, stored

pytestmark = BROWSER_TESTS

NOTEBOOK = "similar.ipynb"


@pytest.fixture(scope="module")
def lab(tmp_path_factory, model_cache):
    root = tmp_path_factory.mktemp("lab")
    with build_study(root) as project:
        project.similar("a first search distils the static model", top=1)
    write_notebook(root / NOTEBOOK, [
        "from workbench import Project\nfrom workbench.widgets import CodingView\n\n"
        "project = Project.open('study', user='ana')\n"
        "project.similar('a search loads the model in this kernel', top=1);",
        "CodingView(project, coder='ana', document='interview_N07.txt')",
    ])
    server = start_lab(root, tmp_path_factory.mktemp("jupyter"))
    yield server
    server.stop()


def test_more_like_this_opens_the_passage_ready_to_code(lab, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    open_notebook(page, lab, NOTEBOOK)
    run_all(page)
    view = page.locator(".wb-cv").first
    view.locator(".wb-t").first.wait_for()
    start, end = span(NURSE, "we had to recheck everything by hand")
    assert drag_select(page, view, start, end) == NURSE[start:end]
    status = act(view, lambda: view.locator(".wb-more").click())
    assert status.startswith("10 passages like “we had to recheck everything by hand”")
    rows = view.locator(".wb-like")
    expect(rows).to_have_count(10)
    # the nearest passage (as the kernel-side test finds) is in the other interview
    expect(rows.first).to_contain_text("I'd recheck the obs myself.")
    expect(rows.first).to_contain_text("interview_Z02.txt")
    act(view, lambda: rows.first.click())
    expect(view.locator(".wb-docs option:checked")).to_contain_text("interview_Z02.txt")
    expect(view.locator(".wb-selection")).to_contain_text("“I'd recheck the obs myself.”")
    # the passage is selected: picking a code codes exactly it
    assert pick(view, "manual-verification").startswith("Saved: “I'd recheck the obs myself.”")
    with stored(lab) as project:
        codings = project.codings(coder="ana")
    passage = span(ZOE, "I'd recheck the obs myself.")
    assert codings[["start", "end"]].values.tolist() == [list(passage)]
    page.close()
