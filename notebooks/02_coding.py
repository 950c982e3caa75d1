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
# # 2. Coding: the codebook, coding by hand, and rule suggestions
#
# This notebook works on the **fictional** Riverside study by default, or on the project named
# in `PROJECT`. It shows the codebook, adapts the example's codebook to what the interviews
# say, opens the coding widget to code by hand, and then lets simple rules from the codebook
# suggest passages, which a person accepts or rejects. It ends by reading back what has been
# coded. Left as `None`, the parameters are read from the project: the coder who coded most,
# its first document, its most used code. A part the project has no material for says so.

# %% tags=["parameters"]
PROJECT = "riverside-study"
CORPUS = "../corpora/riverside"
CODER = None  # who codes here (every coding and decision is stored in this name); None:
# whoever coded most, or you when nobody has
DOCUMENT = None  # the document the coding widget opens first; None: the first one
CODE = None  # the code read back at the end; None: the most used code
ACCEPT = None  # the code whose first two suggestions are accepted; None: the most suggested

# %%
from pathlib import Path

from workbench import Project
from workbench.contents import contents
from workbench.example import build_example
from workbench.widgets import CodingView

if not (Path(PROJECT) / "project.sqlite").exists():
    build_example(PROJECT, corpus=CORPUS, progress=False).close()
with Project.open(PROJECT) as opened:
    holds = contents(opened)
CODER = CODER or next(iter(holds.coders), None)
project = Project.open(PROJECT, user=CODER)
CODER, DOCUMENT = project.user, DOCUMENT or next(iter(holds.documents), None)
CODE = CODE or next(iter(holds.coded), None)
print(f"coding as {CODER}; the widget opens {DOCUMENT}")
project.summary()

# %% [markdown]
# ## The codebook
# A codebook names the ideas you look for in the text, each with a definition and when (not)
# to use it. The example project holds workbench's sociotechnical codebook (60 codes in ten
# families); a project without one loads it (or its own YAML file) with
# `project.set_codebook(workbench.example.SOCIOTECHNICAL)`.

# %%
codes = project.codes()
if holds.lacks("codebook"):
    print(holds.lacks("codebook"))
else:
    display(codes.loc[codes["depth"] == 0, ["name", "definition"]])

# %% [markdown]
# ## Adapting it to the data
# Reading the field notes, the team saw nurses *batch* alerts on night shifts and *phone the
# lab* when results did not come through. These get their own codes, under the codes they
# refine, and one code gets a clearer name. Each change is a new codebook version with a line
# in the changelog, so a reader can tell which codebook any coding was made with. (Run again
# on the same project, this step is skipped: the codes are there already; so it is on a
# codebook without the three codes it builds on.)

# %%
adapts = {"alert-fatigue", "manual-verification", "workarounds"} <= set(codes["code_id"])
if not adapts:
    print("This step adapts the example's codebook, and this project's codebook lacks the "
          "codes it builds on, so it is skipped.")
elif "batching-alerts" not in set(codes["code_id"]):
    project.rename_code("workarounds", "Workarounds and shortcuts")
    project.add_code("Batching alerts", parent="alert-fatigue",
                     definition="Saving alerts up and answering them together at set "
                                "times, often on night shifts.",
                     patterns=["batch", "all at once", "in one go"])
    project.add_code("Phoning the lab", parent="manual-verification",
                     definition="Calling the laboratory for a result the interface has "
                                "not shown.",
                     patterns=["phone the lab", "ring the lab", "call the lab"])
project.codebook_versions()[["version", "at", "actor", "changelog"]]

# %% [markdown]
# ## Coding by hand
# The widget below shows one document at a time. Select a passage with the mouse, then click
# a code in the list on the right (type in the filter box to find one). The passage is
# underlined in the code's colour; overlapping codings stack their underlines, and clicking a
# highlight lists every coding there, with a button to remove your own and a box for a memo.
# Speaker turns are framed in the speaker's colour. The line at the bottom says "Saved" once
# the project holds your change: closing the browser or the kernel after that loses nothing.
#
# Keys: `1`-`9` apply the numbered code, `/` filters the codes, `Enter` applies the marked
# code, `Delete` removes the coding in focus, `m` writes a memo, `a`/`r` accept or reject the
# suggestion in focus, `n`/`p` move to the next or previous document, `?` shows them all.
# `CodingView(project, coder=CODER, blind=True)` shows only your own codings, for coding the
# same documents as a colleague without seeing theirs; the "only mine" box in the widget hides
# the others' codings for a moment. Your own codings are underlined with a solid line, each
# other coder's with their own dashes (the legend is at the top right, and the count there
# says how many codings are yours and how many are others'). A small pen marks a coding with
# a memo; hover over it to read the memo's first line.
#
# **After reopening this notebook the widget is gone**: the cell below shows "Error
# displaying widget: model not found" (or nothing) until you run it again, because a widget
# lives in the running kernel, not in the saved notebook. Run the cells above it and this
# one again (or Run > Run All Cells): the widget comes back with everything you coded, which
# is in the project, not in the notebook. (Run outside JupyterLab, as in the test suite, the
# widget shows nothing; the rest of the notebook does not depend on it.)

# %%
view = CodingView(project, coder=CODER, document=DOCUMENT) if DOCUMENT else None
view if view else print(holds.lacks("documents"))

# %% [markdown]
# What you code above is in the project at once; so are the codings made before.

# %%
project.codings(coder=CODER)[["document", "code", "text"]].tail()

# %% [markdown]
# ## Rule suggestions
# Many codes carry *patterns*: short phrases that often signal them ("recheck", "paper list").
# `project.suggest()` finds every sentence matching a pattern (as a phrase, in any grammatical
# form) and stores it as a suggestion. A suggestion is never a coding until a person accepts
# it; the widget lists the current document's suggestions with Accept and Reject buttons.

# %%
suggested = project.suggest()
suggested["code"].value_counts().head(10)

# %% [markdown]
# The same decisions can be made in code. Here, to show the calls, the first two suggestions
# of `ACCEPT` (by default the most suggested code) are accepted and the next one is rejected;
# in a study, read each sentence before deciding.

# %%
ACCEPT = ACCEPT or next(iter(suggested["code_id"].value_counts().index), None)
chosen = suggested.loc[suggested["code_id"] == ACCEPT, "suggestion_id"]
if chosen.empty:
    print("No code in this codebook has patterns found in the text, so there are no "
          "suggestions to decide.")
else:
    for suggestion_id in chosen.head(2):
        project.accept_suggestion(suggestion_id, coder=CODER)
    for suggestion_id in chosen.iloc[2:3]:
        project.reject_suggestion(suggestion_id, coder=CODER)
    decided = project.suggestions().query("status != 'pending'")
    display(decided[["document", "code", "status", "decided_by", "text"]])

# %% [markdown]
# ## How good are the rules?
# Against the coder's own hand coding: *precision* is the share of a code's suggestions that
# overlap a hand coding of it, *recall* the share of hand codings a suggestion found. Rules
# that rarely hit are worth rewriting; high recall with low precision means the rule is a
# net, not a judge. This says nothing about codes nobody has coded by hand yet. The codes with
# the most hand codings come first.

# %%
quality = project.suggestion_quality(CODER)
quality.sort_values(["codings", "recall"], ascending=False)[
    ["code", "suggestions", "precision", "codings", "recall"]].round(2).head(12)

# %% [markdown]
# ## Reading back
# Every quote for `CODE` (and the codes below it), with 80 characters either side and who
# said it. When several people coded (ana and ben in the example) and no consensus layer
# exists yet, every count and retrieval says whose coding it reads: here `CODER`'s
# (`coder="all"` would show every coder, side by side, in the `coder` column).

# %%
if holds.lacks("codings"):
    print(holds.lacks("codings"))
else:
    quotes = project.retrieve(CODE, context=80, coder=CODER)
    display(quotes[["document", "kind", "coder", "code", "before", "text", "after"]].head(8))

# %% [markdown]
# How often each code was applied, by kind of document: a count of codings, not of people,
# so one talkative participant can weigh heavily. Reliability between coders comes in
# notebook 3.

# %%
frequencies = project.frequencies(by="kind", coder=CODER)
table = frequencies.pivot_table(index="code", columns="kind", values="codings",
                                aggfunc="sum", fill_value=0)
table.loc[table.sum(axis=1).sort_values(ascending=False).index].head(12)
