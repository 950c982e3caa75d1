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
#
# Left as `None`, the parameters come from the project: the coder who coded most and its two
# most used codes. The example's `report.yaml` sets the repair codes
# (`["manual-verification", "workarounds"]`) for `workbench report`. A project without logs
# or codings has nothing to join, and the notebook says so.

# %% tags=["parameters"]
PROJECT = "riverside-study"
CORPUS = "../corpora/riverside"
CODER = None  # whose codings count; None: whoever coded most (ana in the example)
CODES = None  # the themes (codes) to display; None: the two most used codes
METRIC = "stale_share"  # the log metric each theme is set against

# %%
from pathlib import Path

from workbench import Project
from workbench.contents import contents
from workbench.example import build_example

project = (Project.open(PROJECT) if (Path(PROJECT) / "project.sqlite").exists()
           else build_example(PROJECT, corpus=CORPUS, progress=False))
holds = contents(project)
CODER = CODER or next(iter(holds.coders), None)
CODES = list(CODES or holds.coded[:2])
joined = not holds.lacks("logs", "codings")
print(f"{CODER}'s codings of {', '.join(CODES)} against {METRIC}" if joined
      else holds.lacks("logs", "codings"))

# %% [markdown]
# ## Side-by-side
#
# Each theme (a code) is paired with the log metric that speaks to it (here `METRIC` for
# every theme; `themes=` takes one metric per code). The quantitative result is the metric's
# mean over the ward-weeks with its 95% bootstrap interval; the quotes are the stored text
# exactly, with document, speaker and date.

# %%
if joined:
    side = project.display("side-by-side", coder=CODER,
                           themes=dict.fromkeys(CODES, METRIC))
    display(side)

# %%
if joined:
    display(side.data[["theme", "value", "ci_low", "ci_high", "document", "speaker", "date",
                       "quote", "fit", "reason"]])

# %% [markdown]
# ## Statistics by theme
#
# Ward-weeks are split at the metric's median. Talk of each code per 1,000 words of material
# is compared between the two groups; a group without material would be listed as empty,
# with the reason, rather than as zero.

# %%
if joined:
    by_theme = project.display("by-theme", metric=METRIC, codes=CODES, coder=CODER)
    display(by_theme.data[["code", "group", "cells", "words", "codings", "per_1000",
                           "reason"]])

# %%
if joined:
    display(by_theme)

# %% [markdown]
# ## Case-ordered
#
# The ward-weeks with the highest metric come first (in the example, the outage week on 4N
# leads). Cells without material say so; they are not evidence of silence.

# %%
if joined:
    cases = project.display("case-ordered", metric=METRIC, codes=CODES, coder=CODER)
    display(cases.data.head(8)[["rank", "unit", "bucket_start", "value", "codes", "document",
                                "quote", "reason"]])

# %% [markdown]
# ## Timeline
#
# The metric per ward and day, the project's own timeline events as grey bands (a moment is a
# dashed line; none without a timeline), and the codings at their time. Hover over a mark to
# read the quote.

# %%
if joined:
    timeline = project.display("timeline", metric=METRIC, codes=CODES, coder=CODER)
    display(timeline)

# %% [markdown]
# ## Saving for readers
#
# The page opens offline (Vega is inlined) and carries a PNG for readers without JavaScript,
# then every row of the display with the quotes in full. What it cannot tell: a display shows
# where the strands meet; whether they confirm, expand or contradict each other is the
# researcher's meta-inference, recorded separately.

# %%
if joined:
    saved = timeline.save(Path(PROJECT).parent / "timeline.html")
    print(f"saved {saved.name}: {saved.stat().st_size:,} bytes")
