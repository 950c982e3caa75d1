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
#
# Left as `None`, the parameters come from the project: the coder who coded most, its two
# most used codes, the middle moment of its timeline. The example keeps its choices in the
# project's `report.yaml` (the repair codes, the threshold change, alert fatigue), which
# `workbench report` applies. A part the project has no material for (no logs, no timeline)
# says so and is skipped.

# %% tags=["parameters"]
PROJECT = "riverside-study"
CORPUS = "../corpora/riverside"
CODER = None  # whose codings count; None: whoever coded most (ana in the example)
CODES = None  # the codes read against the logs; None: the two most used codes
METRIC = "stale_share"  # the log metric the codes are read against (the system's gap)
EVENT = None  # the timeline moment to look before and after; None: the middle moment
THEME = None  # the code read around EVENT and by shift; None: the first of CODES
BY = "unit"  # the log key the cells are cut by (see project.keys())
PERIOD = "week"  # the cells' length in time: "shift", "day" or "week"

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
EVENT = EVENT or holds.middle_moment
THEME = THEME or next(iter(CODES), None)
METRICS = [METRIC, *(["median_minutes"] if not holds.lacks("acknowledgements") else [])]
linked = not holds.lacks("logs", "codings")
print(f"{CODER}'s codings of {', '.join(CODES)} against {', '.join(METRICS)}" if linked
      else holds.lacks("logs", "codings"))

# %% [markdown]
# ## The crosswalk and the timeline
# Documents and participants say `ward` ("4N", "hospital-wide"); the logs say `unit`.
# `keys.yaml` says which attribute carries each log key and how values translate: a
# hospital-wide informant speaks for every unit (`*`).

# %%
project.keys()

# %%
if holds.lacks("timeline"):
    print(holds.lacks("timeline"))
else:
    display(project.timeline()[["event_id", "start", "end", "open_ended"]])

# %% [markdown]
# ## Interviews are retrospective
# An interview in May about "the week the labs stopped crossing" is about March. Only the
# answers the researcher linked to a timeline event or a period are placed in time; the rest
# are listed as unplaced, not dropped and not guessed.

# %%
references = project.references()
if references.empty:
    print("No interview answer in this project has been placed in time yet.")
else:
    display(references[["doc_id", "event_id", "period_start", "period_end"]])

# %% [markdown]
# ## The mixed matrix
# One row per ward and week: the material observed in or spoken about it (documents, words),
# each repair code's count and density per 1,000 words, and the log metrics of the same cell.

# %%
if linked:
    matrix = project.mixed_matrix(by=BY, period=PERIOD, codes=CODES, metrics=METRICS,
                                  coder=CODER)
    display(matrix.cells.head(12))

# %%
if linked:
    display(matrix.notes)

# %% [markdown]
# Any cell can be opened: here the quotes behind the unit and week with the most codings (in
# the example, 4 North in the week of the lab-interface outage).

# %%
if linked:
    busiest = matrix.cells.loc[matrix.cells[CODES].sum(axis=1).idxmax()]
    display(matrix.quotes(**{BY: busiest[BY]}, bucket_start=busiest["bucket_start"])[
        ["document", "code", "precision", "text"]])

# %% [markdown]
# ## The codes against the system's gap
# Is talk of the codes denser where the metric is higher (in the example: repair talk where
# more alerts fired on stale inputs)? The statement says how strong the association is, how
# sure we can be, and what the number of cells allows.

# %%
if linked:
    gap = project.repair_gap(METRIC, CODES, coder=CODER)
    print(gap)

# %%
if linked:
    display(gap.hotspots[["unit", "bucket_start", "gap", "repair", "words", "repair_per_1000",
                          "quotes"]])

# %% [markdown]
# ## Before and after an event: what moved, and what we cannot tell
# Alert volume in the three weeks before and after `EVENT` (in the example, the threshold
# change on 21 April), the countermetric where the logs record deteriorations (deteriorations
# with no alert in the 12 hours before), and the talk of `THEME` (in the example, alert
# fatigue).
# Each difference has a bootstrap interval; "cannot tell" means the interval includes no
# change.

# %%
if linked and EVENT is None:
    print("This project's timeline has no moment to look around, so this part is skipped.")
elif linked:
    around = ["alerts", *(["missed_share"] if not holds.lacks("deteriorations") else [])]
    display(project.around(EVENT, "21D", metrics=around, codes=[THEME], coder=CODER))

# %% [markdown]
# ## Night shifts
# The same ward-week cells cut by shift (by the hour the shift starts): alerts per nurse and
# dismissals against talk of `THEME`.

# %%
if linked and holds.lacks("acknowledgements", "shifts"):
    print(holds.lacks("acknowledgements", "shifts"))
elif linked:
    shifts = project.mixed_matrix(by="unit", period="shift", codes=[THEME],
                                  metrics=["alerts_per_nurse_shift", "dismissal_rate"],
                                  coder=CODER)
    cells = shifts.cells.assign(starts=shifts.cells["bucket_start"].dt.strftime("%H:%M"))
    display(cells.groupby("starts").agg(
        {"alerts_per_nurse_shift": "mean", "dismissal_rate": "mean", THEME: "sum",
         "words": "sum"}))

# %% [markdown]
# ## Two silences in the example
# These two readings need the example's timeline and codes; on another project they are
# skipped. **Talk with no trace in the logs.** New-graduate nurses started on 14 April without formal
# training; experienced nurses taught them on shift. The talk about informal training rises
# after that date; no log metric moves with it: the logs cannot see this work.

# %%
example = linked and "new-graduate-cohort" in holds.events and "informal-training" in holds.codes
if example:
    display(project.around("new-graduate-cohort", "14D", codes=["informal-training"],
                           metrics=["median_minutes", "alerts_per_nurse_shift"], coder=CODER))
else:
    print("This project has no 'new-graduate-cohort' event or 'informal-training' code, so "
          "the example's two silences are skipped.")

# %% [markdown]
# **A log pattern nobody mentions.** Alerts that fire around shift handover (06:45-07:30,
# 18:45-19:30) wait longer to be acknowledged. How often does anyone talk about handover?

# %%
if example:
    waits = project.metrics("time_to_acknowledge", bucket="week", by=["hour_of_day"])
    by_hour = waits.groupby("hour_of_day")["median_minutes"].median().round(1)
    sentences = project.segments("sentence")
    mentions = sentences[sentences["text"].str.contains("handover", case=False)]
    print(f"median minutes to acknowledge in the hours holding handover (06 h, 19 h): "
          f"{by_hour.loc[[6, 19]].tolist()}; in the other hours: "
          f"{by_hour.drop([6, 19]).median()}")
    print(f"sentences mentioning handover: {len(mentions)}, in "
          f"{mentions['document'].nunique()} field note(s), none about the wait")

# %% [markdown]
# ## What this cannot tell
# The weeks are not independent draws: the same wards recur, and what was observed depends on
# when the researchers were on the ward. The association describes these cells; it is evidence
# to read with the quotes, not a population estimate. Cells without material say nothing
# either way, and the unplaced passages (interview answers nobody linked to a time) are listed:

# %%
if linked:
    display(gap.unplaced.groupby(["what", "reason"]).size())
