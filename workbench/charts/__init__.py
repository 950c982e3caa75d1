"""Charts: one function per chart, a tidy DataFrame in, an Altair chart out.

Importing this package switches Altair to the offline renderer
(:func:`workbench.charts.offline.enable_offline`), so the charts show in JupyterLab and in
exported notebooks without the internet; ``save_chart`` writes a page that opens offline.
"""

from workbench.charts.coding import cooccurrence_heatmap, frequency_bars, matrix_heatmap
from workbench.charts.offline import enable_offline, save_chart
from workbench.charts.reliability import agreement_chart, disagreement_heatmap
from workbench.charts.topics import topic_heatmap, topic_sizes, topics_over_time_chart

enable_offline()

__all__ = ["agreement_chart", "cooccurrence_heatmap", "disagreement_heatmap",
           "enable_offline", "frequency_bars", "matrix_heatmap", "save_chart", "topic_heatmap",
           "topic_sizes", "topics_over_time_chart"]
