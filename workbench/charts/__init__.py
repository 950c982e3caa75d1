"""Charts: one function per chart, a tidy DataFrame in, an Altair chart out."""

from workbench.charts.coding import cooccurrence_heatmap, frequency_bars, matrix_heatmap
from workbench.charts.reliability import agreement_chart, disagreement_heatmap

__all__ = ["agreement_chart", "cooccurrence_heatmap", "disagreement_heatmap",
           "frequency_bars", "matrix_heatmap"]
