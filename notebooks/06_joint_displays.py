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
# # 6. Joint displays: both strands of evidence side by side
#
# The **fictional** Riverside case, coded and with its deployment logs. Mixed-methods
# researchers integrate what the interviews and field notes say with what the numbers show in
# **joint displays** (Guetterman, Fetters and Creswell 2015). This notebook draws four:
#
# * **side-by-side**: each theme with its log metric, exemplar quotes, and the fit and
#   meta-inference the researcher recorded (empty, with the reason, until one is recorded);
# * **statistics by theme**: how often a theme is coded where a log metric is high or low;
# * **case-ordered**: ward-weeks sorted by a metric, with what was coded there;
# * **timeline**: a metric's series per ward, the project's timeline events as bands, and coded
#   passages placed at their time (a jotting's minute as a point, a shift or an event as a span).
#
# Each display is a table (`.data`) and a chart (`.chart`); `.save("x.html")` writes a page
# that opens without the internet, with a still image for readers without JavaScript.

# %% tags=["parameters"]
PROJECT = "riverside-study"
CORPUS = "../corpora/riverside"
CODER = "ana"  # whose codings count: ana coded every document
REPAIR = ["manual-verification", "workarounds"]

# %%
from pathlib import Path

from workbench import Project
from workbench.example import build_example

project = (Project.open(PROJECT) if (Path(PROJECT) / "project.sqlite").exists()
           else build_example(PROJECT, corpus=CORPUS, progress=False))

# %% [markdown]
# ## Side-by-side
#
# Each theme (a code) is paired with the log metric that speaks to it. The quantitative result
# is the metric's mean over the ward-weeks with its 95% bootstrap interval; the quotes are the
# stored text exactly, with document, speaker and date.

# %%
side = project.display("side-by-side", coder=CODER,
                       themes={"manual-verification": "stale_share",
                               "workarounds": "stale_share",
                               "alert-fatigue": "alerts_per_nurse_shift"})
side

# %%
side.data[["theme", "value", "ci_low", "ci_high", "document", "speaker", "date", "quote",
           "fit", "reason"]]

# %% [markdown]
# ## Statistics by theme
#
# Ward-weeks are split at the median stale share. Repair talk per 1,000 words of material is
# compared between the two groups; a group without material would be listed as empty, with
# the reason, rather than as zero.

# %%
by_theme = project.display("by-theme", metric="stale_share", codes=REPAIR, coder=CODER)
by_theme.data[["code", "group", "cells", "words", "codings", "per_1000", "reason"]]

# %%
by_theme

# %% [markdown]
# ## Case-ordered
#
# The ward-weeks with the most stale inputs come first: the outage week on 4N leads. Cells
# without material say so; they are not evidence of silence.

# %%
cases = project.display("case-ordered", metric="stale_share", codes=REPAIR, coder=CODER)
cases.data.head(8)[["rank", "unit", "bucket_start", "value", "codes", "document", "quote",
                    "reason"]]

# %% [markdown]
# ## Timeline
#
# Stale share per ward and day, the project's own timeline events as grey bands (a moment is a
# dashed line), and the repair codings at their time. Hover over a mark to read the quote.

# %%
timeline = project.display("timeline", metric="stale_share", codes=REPAIR, coder=CODER)
timeline

# %% [markdown]
# ## Saving for readers
#
# The page opens offline (Vega is inlined) and carries a PNG for readers without JavaScript,
# then every row of the display with the quotes in full. What it cannot tell: a display shows
# where the strands meet; whether they confirm, expand or contradict each other is the
# researcher's meta-inference, recorded separately.

# %%
saved = timeline.save(Path(PROJECT).parent / "timeline.html")
saved.name, saved.stat().st_size > 0
