"""Charts: one function per chart, a tidy DataFrame in, an Altair chart out."""

from workbench.charts.coding import cooccurrence_heatmap, frequency_bars, matrix_heatmap

__all__ = ["cooccurrence_heatmap", "frequency_bars", "matrix_heatmap"]
