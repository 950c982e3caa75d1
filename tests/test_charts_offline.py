"""Charts shown in a notebook need no internet: what the kernel writes, and what nbconvert makes
of it. (The browser test draws them in a real JupyterLab with the network blocked.)"""

from __future__ import annotations

import base64
import io
import json

import altair as alt
import nbformat
import pytest
from bs4 import BeautifulSoup
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from PIL import Image

from tests.conftest import P01, span
from workbench.charts import enable_offline, frequency_bars
from workbench.charts.offline import RENDERER, SCALE, VEGA_MIME

#: Where Altair's own renderers fetch Vega from.
CDNS = ("cdn.jsdelivr.net", "esm.sh", "unpkg.com")


@pytest.fixture
def renderer():
    """Altair's renderer as the test found it, put back afterwards."""
    before = alt.renderers.active
    yield
    alt.renderers.enable(before)


def test_importing_the_charts_switches_altair_to_the_offline_renderer():
    assert alt.renderers.active == RENDERER


def test_a_chart_in_a_notebook_is_vega_and_a_png_with_nothing_to_fetch(coded):
    project, docs = coded
    project.code(docs["interview_P01.txt"], *span(P01, "I checked the labs by hand."),
                 "manual-verification")
    chart = frequency_bars(project.frequencies("ward"), "ward")
    bundle, metadata = chart._repr_mimebundle_()
    assert set(bundle) == {VEGA_MIME, "image/png", "text/plain"}
    assert bundle["text/plain"] == "<chart: Codings per code by ward>"
    # JupyterLab draws the compiled Vega itself; nothing in it points at a CDN.
    assert bundle[VEGA_MIME]["marks"]
    assert not any(cdn in json.dumps(bundle) for cdn in CDNS)
    image = Image.open(io.BytesIO(base64.b64decode(bundle["image/png"])))
    assert image.format == "PNG"
    # Shown at the chart's own size: the PNG has SCALE pixels per chart pixel.
    assert metadata["image/png"] == {"width": image.width // SCALE,
                                     "height": image.height // SCALE,
                                     "needs_background": "light"}


def test_a_renderer_the_user_chose_is_kept(renderer):
    alt.renderers.enable("svg")
    enable_offline()
    assert alt.renderers.active == "svg"
    alt.renderers.enable("default")
    enable_offline()
    assert alt.renderers.active == RENDERER


def test_an_executed_notebook_exported_to_html_shows_the_chart_as_an_image(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import pandas as pd\nfrom workbench.logs import metric_chart\n"
        "frame = pd.DataFrame({'bucket_start': pd.to_datetime(['2025-03-03', '2025-03-10']),"
        " 'unit': ['4N', '4N'], 'stale_share': [0.04, 0.57]})\n"
        "metric_chart(frame, 'stale_share')")])
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    [output] = notebook.cells[0].outputs
    assert output["output_type"] == "execute_result"
    assert set(output["data"]) == {VEGA_MIME, "image/png", "text/plain"}
    page, _ = HTMLExporter().from_notebook_node(notebook)
    # The one chart is an inline PNG at the chart's size; the page loads no Vega from anywhere.
    soup = BeautifulSoup(page, features="html.parser")
    [image] = soup.select("img")
    assert image["src"].startswith("data:image/png;base64,")
    assert image["width"] == str(output["metadata"]["image/png"]["width"])
    assert soup.select('script[src*="vega"]') == []
