"""Charts without the internet: in notebooks, in saved HTML, and as static images.

Altair's default HTML and its ``JupyterChart`` load Vega from a CDN (jsdelivr, esm.sh), which
a hospital network or an air-gapped analysis machine may block, and which would tell a third
party when a study's charts are opened. Here nothing is fetched:

* in a notebook, :func:`enable_offline` makes Altair write a chart as a Vega spec, compiled by
  ``vl-convert-python``, which JupyterLab draws with the Vega it ships itself, next to a PNG
  of the same chart: nbconvert's HTML, GitHub and readers without JavaScript show the PNG.
  Both are stored in the notebook, so a reopened notebook still shows its charts;
* a saved page (:func:`standalone_html`) inlines the Vega, Vega-Lite and vega-embed bundled
  by ``vl-convert-python``, with the chart as a PNG inside ``<noscript>``;
* PNG and SVG come from ``vl-convert-python``'s own renderer.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import altair as alt
import vl_convert

from workbench.errors import ProjectError

__all__ = ["FORMATS", "RENDERER", "enable_offline", "notebook_bundle", "save_chart",
           "standalone_html", "to_png", "to_svg"]

#: What :func:`save_chart` writes, by file suffix.
FORMATS = (".html", ".png", ".svg")
#: Pixels per chart pixel in a PNG: sharp on a high-density screen and in print.
SCALE = 2
#: The name of the Altair renderer that :func:`enable_offline` switches to.
RENDERER = "workbench-offline"
#: The mime type JupyterLab's own Vega extension draws (``@jupyterlab/vega5-extension``).
VEGA_MIME = "application/vnd.vega.v5+json"


def notebook_bundle(spec: dict) -> tuple[dict, dict]:
    """What a notebook stores and shows for a chart: (mime bundle, its metadata).

    The bundle holds the chart as Vega (compiled from ``spec``, a Vega-Lite dict, by
    ``vl-convert-python``), which JupyterLab draws with the Vega it ships, interactive and
    with tooltips, even in a notebook that is not trusted; as a PNG, which nbconvert's HTML
    and viewers without Vega show, at the chart's size; and as a line of text.
    """
    vega = vl_convert.vegalite_to_vega(spec, vl_version=_vega_lite_version())
    png = vl_convert.vega_to_png(vega, scale=SCALE)
    width, height = _png_size(png)
    bundle = {VEGA_MIME: vega, "image/png": base64.b64encode(png).decode("ascii"),
              "text/plain": f"<chart: {_title(spec)}>"}
    # SVG rather than Vega's default canvas: the labels stay text a reader can search and copy.
    return bundle, {VEGA_MIME: {"embed_options": {"renderer": "svg"}},
                    "image/png": {"width": width // SCALE, "height": height // SCALE,
                                  "needs_background": "light"}}


def _title(spec: dict) -> str:
    """The chart's title as one line of text (Vega-Lite allows a string, lines, or a dict)."""
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else str(text)


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its IHDR chunk (PNG specification, 11.2.2)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


alt.renderers.register(RENDERER, notebook_bundle)


def enable_offline() -> None:
    """Show Altair charts in notebooks without the internet (:func:`notebook_bundle`).

    Only Altair's own default is replaced: a renderer the user chose (``alt.renderers.enable``
    or the ``ALTAIR_RENDERER`` variable) is kept.
    """
    if alt.renderers.active == "default":
        alt.renderers.enable(RENDERER)


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
