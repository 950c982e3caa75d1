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
# # 0. Quickstart: your first five minutes
#
# Run each cell in turn (Shift+Enter). This notebook opens a project, shows what it holds and
# its codebook, reads back one coded quote, and draws one chart. By default it opens the
# **fictional** Riverside example, building it from `CORPUS` the first time (a few seconds).
# To look at your own project instead, write its folder in `PROJECT` below.

# %% tags=["parameters"]
PROJECT = "riverside-study"  # the project folder (the one holding project.sqlite)
CORPUS = "../corpora/riverside"  # the example's files, used only to build the example
CODE = None  # the code whose quote is shown; None: the project's most used code
CODER = None  # whose codings are read; None: whoever coded most

# %%
from pathlib import Path

from workbench import Project
from workbench.charts import frequency_bars
from workbench.contents import contents
from workbench.example import build_example

project = (Project.open(PROJECT) if (Path(PROJECT) / "project.sqlite").exists()
           else build_example(PROJECT, corpus=CORPUS, progress=False))
holds = contents(project)
CODE = CODE or next(iter(holds.coded), None)
CODER = CODER or next(iter(holds.coders), None)
print(f"{PROJECT}: {len(holds.documents)} documents, {len(holds.codes)} codes, "
      f"coded by {', '.join(holds.coders) or 'nobody yet'}")

# %% [markdown]
# ## What the project holds
# One row per kind of document (interviews, field notes, survey answers): how many, how many
# words, and how many participants or respondents (cases) they belong to.

# %%
if holds.lacks("documents"):
    print(holds.lacks("documents"))
else:
    display(project.summary())

# %% [markdown]
# ## The codebook
# The codes are the ideas the researchers look for in the text. Here are the top-level codes
# with their definitions and how often each was used (`n_codings`, codes below them included).

# %%
if holds.lacks("codebook"):
    print(holds.lacks("codebook"))
else:
    codes = project.codes()
    display(codes.loc[codes["depth"] == 0, ["name", "definition", "n_codings"]])

# %% [markdown]
# ## One coded quote
# A coding ties a code to an exact passage of a document. Here is the first quote coded with
# `CODE`, with who coded it and 80 characters either side; the quote itself is
# between « and ».

# %%
if holds.lacks("codings"):
    print(holds.lacks("codings"))
else:
    quote = project.retrieve(CODE, context=80, coder=CODER).iloc[0]
    print(f"{quote['code']} ({quote['coder']}), {quote['document']}:\n")
    print(f"...{quote['before']}«{quote['text']}»{quote['after']}...")

# %% [markdown]
# ## One chart
# How often each code was applied, per kind of document: a count of codings, not of people.

# %%
if holds.lacks("codings"):
    print(holds.lacks("codings"))
else:
    counts = project.frequencies(by="kind", coder=CODER)
    display(frequency_bars(counts[counts["code_id"].isin(holds.coded[:10])], "kind"))

# %% [markdown]
# ## Where to go next
# * `01_corpus`: import your own interviews, field notes and survey answers.
# * `02_coding`: code by hand in the coding widget, and let rules suggest passages.
# * `03_reliability`: how far two coders agree, and reconciling them.
# * `04_logs`, `05_triangulation`, `06_joint_displays`: link what people said to what the
#   system's logs show.
# * `08_report`: the findings in one place.
#
# Run `workbench report PROJECT` in a terminal to run every notebook on your project and keep
# the executed pages as evidence.

# %%
print(f"Next: open 01_corpus with PROJECT = {PROJECT!r}.")
