# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
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
# nurse carries per shift, how often they are dismissed, and the countermetric. On a project
# without logs it says so and skips every figure; charts mark the project's own timeline.

# %% tags=["parameters"]
PROJECT = "riverside-study"
CORPUS = "../corpora/riverside"
CHANGE = None  # the timeline moment that splits "before" from "after" for the countermetric;
# None: the middle one of the timeline's moments (the example's report.yaml sets
# "threshold-change")

# %%
from pathlib import Path

from workbench import Project
from workbench.contents import contents
from workbench.example import build_example
from workbench.logs import metric_chart

project = (Project.open(PROJECT) if (Path(PROJECT) / "project.sqlite").exists()
           else build_example(PROJECT, corpus=CORPUS, progress=False))
holds = contents(project)
TIMELINE = project.timeline() if holds.events else None
logged = not holds.lacks("logs")
print("" if logged else holds.lacks("logs"))

# %% [markdown]
# ## What was loaded
# Every load is recorded; rows that failed validation are kept with their reason and row
# number, never dropped. The example export loads cleanly; a real one rarely does (a common
# case: answers that seem to precede their alert in the hour the clocks go back, when local
# times without an offset are ambiguous).

# %%
if logged:
    display(project.log_loads()[["load_id", "loaded_at", "actor", "rows_loaded",
                                 "rows_rejected"]])

# %%
if logged:
    display(project.log_rejects().head())

# %% [markdown]
# ## Time to acknowledge, by ward and week
# Shaded bands are the timeline's periods and rules its moments: in the example, the
# lab-interface outage (31 March to 3 April) and the threshold change on 21 April.

# %%
if logged and holds.lacks("acknowledgements"):
    print(holds.lacks("acknowledgements"))
elif logged:
    ack = project.metrics("time_to_acknowledge", bucket="week", by=["unit"])
    display(metric_chart(ack, "median_minutes", timeline=TIMELINE,
                         title="Median minutes to acknowledge an alert"))

# %%
if logged:
    stale = project.metrics("stale_input_share", bucket="day", by=["unit"])
    display(metric_chart(stale, "stale_share", timeline=TIMELINE,
                         title="Share of alerts on stale inputs"))

# %% [markdown]
# ## Nights: alerts per nurse and dismissals

# %%
if logged and holds.lacks("shifts"):
    print(holds.lacks("shifts"))
elif logged:
    load = project.metrics("alerts_per_nurse_shift", bucket="week", by=["unit", "shift"])
    display(load.groupby(["unit", "shift"])["alerts_per_nurse_shift"].mean().unstack()
            .round(1))

# %%
if logged:
    display(project.metrics("dismissal_reasons", bucket="week", by=["unit"]).head(10))

# %% [markdown]
# ## The countermetric, honestly
# Deteriorations with no alert in the 12 hours before, in the weeks before and after `CHANGE`
# (in the example, after the threshold change it rises a little). Counts this small need an
# exact test before anyone reads a change into them.

# %%
from scipy.stats import fisher_exact  # noqa: E402

CHANGE = CHANGE or holds.middle_moment
skipped = holds.lacks("logs", "deteriorations", "timeline") or ("" if CHANGE else (
    "This project's timeline has no moment to split the weeks at, so this part is skipped."))
if skipped:
    print(skipped)
else:
    missed = project.metrics("missed_deteriorations", bucket="week", by=[])
    split = project.timeline().set_index("event_id").loc[CHANGE, "start"]
    periods = (missed.assign(after_change=missed["bucket_start"] >= split)
               .groupby("after_change")[["deteriorations", "missed"]].sum()
               .reindex([False, True], fill_value=0))
    display(periods.assign(share=periods["missed"] / periods["deteriorations"]).round(3))

# %%
if not skipped:
    table = [[periods.loc[flag, "missed"], periods.loc[flag, "deteriorations"]
              - periods.loc[flag, "missed"]] for flag in (False, True)]
    odds, p_value = fisher_exact(table)
    print(f"Fisher's exact test, before vs after {CHANGE} ({split:%Y-%m-%d}): "
          f"p = {p_value:.2f}")
