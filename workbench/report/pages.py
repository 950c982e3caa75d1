"""The standalone HTML page of an executed notebook, with interactive charts and nothing fetched.

nbconvert shows a chart's PNG only: it does not know the Vega mime type a notebook stores for
the charts of :mod:`workbench.charts.offline`. Here each such output becomes a figure holding
the PNG and the chart's Vega spec; Vega, Vega-Lite and vega-embed, as bundled by
``vl-convert-python``, are inlined once at the end of a page that has charts, and draw each
chart in place of its PNG (with tooltips, as in JupyterLab). A reader without JavaScript, or a
chart that fails to draw, keeps the PNG. The page asks for nothing over the network: the
scripts nbconvert's template would load from CDNs (RequireJS, MathJax, Mermaid, the widget
manager) are left out, so TeX in markdown shows as its source and widgets as their text.
"""

from __future__ import annotations

import copy
import html
import json
import re
from functools import cache

import jinja2
import vl_convert
from nbconvert import HTMLExporter

from workbench.charts.offline import VEGA_MIME

__all__ = ["CHART_CLASS", "notebook_html"]

#: The class of the ``<figure>`` holding one chart (its PNG, its spec, then its drawing).
CHART_CLASS = "wb-chart"
_TEMPLATE_NAME = "workbench_offline.html.j2"
#: nbconvert's JupyterLab page without the blocks that load scripts from the network.
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
"""
#: Draws each chart figure with vega-embed, then hides its PNG; a chart that fails keeps it.
_DRAW = f"""
for (const figure of document.querySelectorAll("figure.{CHART_CLASS}")) {{
  const spec = JSON.parse(figure.querySelector("script.wb-chart-spec").textContent);
  const target = document.createElement("div");
  figure.appendChild(target);
  vegaEmbed(target, spec, {{renderer: "svg",
                           actions: {{export: true, source: false, compiled: false,
                                      editor: false}}}})
    .then(() => {{ figure.querySelector("img").hidden = true; }})
    .catch((error) => {{ target.remove(); console.error(error); }});
}}
"""


def _inline_script(code: str) -> str:
    """JavaScript ``code`` safe inside a ``<script>`` element: no ``</script`` closes it early.

    Only that sequence is escaped (``<\\/script`` means the same in a string, a template or a
    regular expression); escaping every ``</`` would break regular expressions such as
    ``/</g`` in the bundle.
    """
    return re.sub(r"(?i)</(script)", r"<\\/\1", code)


def _inline_json(value: object) -> str:
    """``value`` as JSON safe inside a ``<script>`` element (``\\/`` is JSON for ``/``)."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


@cache
def _vega_scripts() -> str:
    """The inline Vega, Vega-Lite and vega-embed bundle (about 0.9 MB) and the drawing code.

    Built once per process: ``vl_convert.javascript_bundle`` takes seconds.
    """
    bundle = _inline_script(vl_convert.javascript_bundle())
    return (f'<script type="text/javascript">{bundle}</script>\n'
            f'<script type="text/javascript">{_DRAW}</script>\n')


def _figure(data: dict, metadata: dict) -> str:
    """A chart's figure: its PNG (sized as in the notebook) and its Vega spec as JSON."""
    size = metadata.get("image/png", {})
    dimensions = "".join(f' {side}="{int(size[side])}"' for side in ("width", "height")
                         if side in size)
    label = html.escape(str(data.get("text/plain", "chart")))
    spec = _inline_json(data[VEGA_MIME])
    return (f'<figure class="{CHART_CLASS}"><img alt="{label}"{dimensions} '
            f'src="data:image/png;base64,{data["image/png"]}">'
            f'<script type="application/json" class="wb-chart-spec">{spec}</script></figure>')


def _with_figures(notebook) -> tuple[object, int]:
    """A copy of ``notebook`` whose chart outputs are HTML figures; how many there are."""
    shown = copy.deepcopy(notebook)
    charts = 0
    for cell in shown.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if VEGA_MIME in data and "image/png" in data:
                output["data"] = {"text/html": _figure(data, output.get("metadata", {}))}
                output["metadata"] = {}
                charts += 1
    return shown, charts


def notebook_html(notebook) -> str:
    """The standalone HTML page of an executed ``notebook``; the notebook is not changed.

    Returns
    -------
    str
        nbconvert's JupyterLab page, every script inline: charts stored by
        :func:`workbench.charts.offline.notebook_bundle` are drawn by the inlined vega-embed
        over their PNG, which stays for readers without JavaScript.
    """
    exporter = HTMLExporter(extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
                            template_file=_TEMPLATE_NAME)
    shown, charts = _with_figures(notebook)
    body, _ = exporter.from_notebook_node(shown)
    if not charts:
        return body
    head, tail = body.rsplit("</body>", 1)
    return f"{head}{_vega_scripts()}</body>{tail}"
