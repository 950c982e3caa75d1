"""Charts without the internet: HTML with Vega's JavaScript inlined, and static images.

Altair's default HTML and its ``JupyterChart`` load Vega from a CDN (jsdelivr, esm.sh), which
a hospital network or an air-gapped analysis machine may block, and which would tell a third
party when a study's charts are opened. Here everything comes from the ``vl-convert-python``
package: its bundled Vega, Vega-Lite and vega-embed for HTML and for JupyterLab, and its own
renderer for PNG and SVG. An exported page also carries the chart as a PNG inside
``<noscript>``, for readers (and archives) without JavaScript.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import altair as alt
import vl_convert

from workbench.errors import ProjectError

__all__ = ["FORMATS", "enable_offline", "save_chart", "standalone_html", "to_png", "to_svg"]

#: What :func:`save_chart` writes, by file suffix.
FORMATS = (".html", ".png", ".svg")
#: Pixels per chart pixel in a PNG: sharp on a high-density screen and in print.
SCALE = 2


def enable_offline() -> None:
    """Draw Altair charts in JupyterLab with the bundled JavaScript (no CDN)."""
    alt.renderers.enable("jupyter", offline=True)


def _spec(chart: alt.TopLevelMixin) -> dict:
    return chart.to_dict()


def _vega_lite_version() -> str:
    """The Vega-Lite version Altair writes specs for, as vl-convert names it (``6.4``)."""
    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def to_png(chart: alt.TopLevelMixin, *, scale: int = SCALE) -> bytes:
    """The chart as a PNG image."""
    return vl_convert.vegalite_to_png(_spec(chart), vl_version=_vega_lite_version(),
                                      scale=scale)


def to_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as an SVG document."""
    return vl_convert.vegalite_to_svg(_spec(chart), vl_version=_vega_lite_version())


def standalone_html(chart: alt.TopLevelMixin, *, title: str = "workbench chart",
                    body: str = "") -> str:
    """A self-contained page: the interactive chart with Vega inlined, the same chart as a
    PNG for readers without JavaScript, then ``body`` (already-escaped HTML, e.g. a table).

    The page loads nothing from the network: every script is inline and the image is a
    ``data:`` URI.
    """
    page = vl_convert.vegalite_to_html(_spec(chart), vl_version=_vega_lite_version(),
                                       bundle=True, renderer="svg")
    png = base64.b64encode(to_png(chart)).decode("ascii")
    fallback = (f'<noscript><img alt="{html.escape(title)}" '
                f'src="data:image/png;base64,{png}"></noscript>')
    page = page.replace("<title>Chart</title>", f"<title>{html.escape(title)}</title>", 1)
    head, tail = page.rsplit("</body>", 1)
    return f"{head}{fallback}\n{body}\n</body>{tail}"


def save_chart(chart: alt.TopLevelMixin, path: str | Path, *, title: str = "workbench chart",
               body: str = "") -> Path:
    """Write the chart as ``.html`` (:func:`standalone_html`), ``.png`` or ``.svg``, chosen by
    the file's suffix; the file is written whole or not at all."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ProjectError(20, f"{path.name}: cannot save a chart as '{suffix or 'no suffix'}'. "
                           f"Name the file with one of {', '.join(FORMATS)}.")
    if suffix == ".png":
        content: bytes = to_png(chart)
    else:
        text = (standalone_html(chart, title=title, body=body) if suffix == ".html"
                else to_svg(chart))
        content = text.encode("utf-8")
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(content)
    partial.replace(path)
    return path
