# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 4. What the deployment logs say
#
# The **fictional** Riverside logs record every Lookout alert and what people did with it. This
# notebook checks what was loaded (and rejected), then computes the figures the interviews
# talk about: how fast alerts are acknowledged, how many fire on stale inputs, how many each
# nurse carries per shift, how often they are dismissed, and the countermetric.

# %% tags=["parameters"]
PROJECT = "riverside-study"
CORPUS = "../corpora/riverside"

# %%
from pathlib import Path

from workbench import Project
from workbench.example import build_example
from workbench.logs import metric_chart

project = (Project.open(PROJECT) if (Path(PROJECT) / "project.sqlite").exists()
           else build_example(PROJECT, corpus=CORPUS, progress=False))
TIMELINE = Path(CORPUS) / "timeline.yaml"

# %% [markdown]
# ## What was loaded
# Every load is recorded; rows that failed validation are kept with their reason and row
# number, never dropped. The example export loads cleanly; a real one rarely does (a common
# case: answers that seem to precede their alert in the hour the clocks go back, when local
# times without an offset are ambiguous).

# %%
project.log_loads()[["load_id", "loaded_at", "actor", "rows_loaded", "rows_rejected"]]

# %%
project.log_rejects().head()

# %% [markdown]
# ## Time to acknowledge, by ward and week
# The shaded band is the lab-interface outage (31 March to 3 April); the rule marks the
# threshold change on 21 April.

# %%
ack = project.metrics("time_to_acknowledge", bucket="week", by=["unit"])
metric_chart(ack, "median_minutes", timeline=TIMELINE,
             title="Median minutes to acknowledge an alert")

# %%
stale = project.metrics("stale_input_share", bucket="day", by=["unit"])
metric_chart(stale, "stale_share", timeline=TIMELINE, title="Share of alerts on stale inputs")

# %% [markdown]
# ## Nights: alerts per nurse and dismissals

# %%
load = project.metrics("alerts_per_nurse_shift", bucket="week", by=["unit", "shift"])
load.groupby(["unit", "shift"])["alerts_per_nurse_shift"].mean().unstack().round(1)

# %%
project.metrics("dismissal_reasons", bucket="week", by=["unit"]).head(10)

# %% [markdown]
# ## The countermetric, honestly
# Deteriorations with no alert in the 12 hours before. After the threshold change it rises a
# little. Counts this small need an exact test before anyone reads a change into them.

# %%
from scipy.stats import fisher_exact  # noqa: E402

missed = project.metrics("missed_deteriorations", bucket="week", by=[])
missed["after_change"] = missed["bucket_start"] >= "2025-04-21"
periods = missed.groupby("after_change")[["deteriorations", "missed"]].sum()
table = [[periods.loc[flag, "missed"], periods.loc[flag, "deteriorations"]
          - periods.loc[flag, "missed"]] for flag in (False, True)]
odds, p_value = fisher_exact(table)
print(periods.assign(share=periods["missed"] / periods["deteriorations"]).round(3))
print(f"Fisher's exact test, before vs after: p = {p_value:.2f}")
