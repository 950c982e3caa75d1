"""A short analysis notebook drawing one Altair chart, for the report page's tests."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write

#: Three wards and their alert counts (made up); the chart draws one bar per ward.
WARDS = {"3B": 12, "4A": 30, "5C": 7}

CHART_NOTEBOOK = f'''# %% [markdown]
# # Alerts per ward

# %% tags=["parameters"]
PROJECT = "study"
CORPUS = "corpus"

# %%
import altair as alt
import pandas as pd

import workbench.charts  # noqa: F401  (switches Altair to the offline renderer)

alerts = pd.DataFrame({{"ward": {list(WARDS)!r}, "alerts": {list(WARDS.values())!r}}})
alt.Chart(alerts, title="Alerts per ward").mark_bar().encode(
    x="ward:N", y="alerts:Q", tooltip=["ward", "alerts"])
'''


def write_chart_notebook(folder: Path) -> Path:
    """Write the notebook as ``folder/01_alerts.py`` (jupytext percent format)."""
    return write(folder, "01_alerts.py", CHART_NOTEBOOK)
