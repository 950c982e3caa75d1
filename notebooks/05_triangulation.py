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
# # 5. Triangulation: where human labour fills the system's gaps
#
# The **fictional** Riverside case again. The interviews and field notes are coded; the alert's
# deployment logs are loaded. This notebook links the two by **ward** and **week**, and asks
# where repair work (nurses re-checking labs, keeping lists, phoning) goes with the system's
# own gaps (alerts on stale inputs), and where the two strands are silent about each other.
#
# Three rules keep it honest: keys go through a stated crosswalk; every coded passage is placed
# in time from what the project knows (a field note's shift, a jotting's minute, a survey's
# submission) or from a reference the researcher made, never by guessing; and a week without
# material is "no data", not "no mention".

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
# ## The crosswalk and the timeline
# Documents and participants say `ward` ("4N", "hospital-wide"); the logs say `unit`.
# `keys.yaml` says which attribute carries each log key and how values translate: a
# hospital-wide informant speaks for every unit (`*`).

# %%
project.keys()

# %%
project.timeline()[["event_id", "start", "end", "open_ended"]]

# %% [markdown]
# ## Interviews are retrospective
# An interview in May about "the week the labs stopped crossing" is about March. Only the
# answers the researcher linked to a timeline event or a period are placed in time; the rest
# are listed as unplaced, not dropped and not guessed.

# %%
project.references()[["doc_id", "event_id", "period_start", "period_end"]]

# %% [markdown]
# ## The mixed matrix
# One row per ward and week: the material observed in or spoken about it (documents, words),
# each repair code's count and density per 1,000 words, and the log metrics of the same cell.

# %%
matrix = project.mixed_matrix(by="unit", period="week", codes=REPAIR,
                              metrics=["stale_share", "median_minutes"], coder=CODER)
matrix.cells.head(12)

# %%
matrix.notes

# %% [markdown]
# Any cell can be opened: the quotes behind 4 North in the week of the lab-interface outage.

# %%
matrix.quotes(unit="4N", bucket_start="2025-03-31")[["document", "code", "precision", "text"]]

# %% [markdown]
# ## Repair work against the system's gap
# Is repair talk denser where more alerts fired on stale inputs? The statement says how strong
# the association is, how sure we can be, and what the number of cells allows.

# %%
gap = project.repair_gap("stale_share", REPAIR, coder=CODER)
print(gap)

# %%
gap.hotspots[["unit", "bucket_start", "gap", "repair", "words", "repair_per_1000", "quotes"]]

# %% [markdown]
# ## The threshold change: what moved, and what we cannot tell
# Alert volume before and after 21 April, and the countermetric (deteriorations with no alert
# in the 12 hours before). Each difference has a bootstrap interval; "cannot tell" means the
# interval includes no change.

# %%
project.around("threshold-change", "21D", metrics=["alerts", "missed_share"],
               codes=["alert-fatigue"], coder=CODER)

# %% [markdown]
# ## Night shifts
# The same ward-week cells cut by shift: alerts per nurse and dismissals against alert-fatigue
# talk, day against night.

# %%
shifts = project.mixed_matrix(by="unit", period="shift", codes=["alert-fatigue"],
                              metrics=["alerts_per_nurse_shift", "dismissal_rate"], coder=CODER)
cells = shifts.cells.assign(shift=shifts.cells["bucket_start"].dt.hour.map({7: "day", 19: "night"}))
cells.groupby("shift")[["alerts_per_nurse_shift", "dismissal_rate", "alert-fatigue", "words"]].agg(
    {"alerts_per_nurse_shift": "mean", "dismissal_rate": "mean", "alert-fatigue": "sum",
     "words": "sum"})

# %% [markdown]
# ## Two silences
# **Talk with no trace in the logs.** New-graduate nurses started on 14 April without formal
# training; experienced nurses taught them on shift. The talk about informal training rises
# after that date; no log metric moves with it: the logs cannot see this work.

# %%
project.around("new-graduate-cohort", "14D", codes=["informal-training"],
               metrics=["median_minutes", "alerts_per_nurse_shift"], coder=CODER)

# %% [markdown]
# **A log pattern nobody mentions.** Alerts that fire around shift handover (06:45-07:30,
# 18:45-19:30) wait longer to be acknowledged. How often does anyone talk about handover?

# %%
waits = project.metrics("time_to_acknowledge", bucket="week", by=["hour_of_day"])
by_hour = waits.groupby("hour_of_day")["median_minutes"].median().round(1)
sentences = project.segments("sentence")
mentions = sentences[sentences["text"].str.contains("handover", case=False)]
print(f"median minutes to acknowledge in the hours holding handover (06 h, 19 h): "
      f"{by_hour.loc[[6, 19]].tolist()}; in the other hours: {by_hour.drop([6, 19]).median()}")
print(f"sentences mentioning handover: {len(mentions)}, in {mentions['document'].nunique()} "
      "field note(s), none about the wait")

# %% [markdown]
# ## What this cannot tell
# The weeks are not independent draws: the same wards recur, and what was observed depends on
# when the researchers were on the ward. The association describes these cells; it is evidence
# to read with the quotes, not a population estimate. Cells without material say nothing
# either way, and the unplaced passages (interview answers nobody linked to a time) are listed:

# %%
gap.unplaced.groupby(["what", "reason"]).size()
