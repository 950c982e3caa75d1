"""Widgets for coding by hand in JupyterLab (anywidget: no JupyterLab extension to build)."""

from workbench.widgets.coding_view import CodingView

__all__ = ["CodingView"]
