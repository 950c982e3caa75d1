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
# # 1. The corpus: import interviews, field notes and a survey
#
# This notebook reads what a project holds: by default the **fictional** Riverside case (an ML
# early-warning alert on three hospital wards), built from `CORPUS` the first time. Change
# `PROJECT` to read another project; it is opened, never rebuilt or changed. To show how
# import works, it first imports `CORPUS` into a scratch project beside it.

# %% tags=["parameters"]
PROJECT = "riverside-study"
CORPUS = "../corpora/riverside"

# %%
import shutil
from pathlib import Path

from workbench import Project
from workbench.example import build_example

project = (Project.open(PROJECT) if (Path(PROJECT) / "project.sqlite").exists()
           else build_example(PROJECT, corpus=CORPUS, progress=False))
corpus = Path(CORPUS)

# %% [markdown]
# ## Import
# Interviews arrive as Word files, plain-text transcripts, and captions from recorded calls.
# `participants.csv` gives each participant's role, ward and shift; it joins to the
# transcripts by the participant id in the file name. Everything in one call is imported, or
# nothing is.
#
# The import runs into a scratch project, `<PROJECT>-import-demo` beside `PROJECT` (made
# afresh each time this notebook runs), so the project this notebook reads is left as it is.

# %%
scratch_dir = Path(PROJECT).with_name(f"{Path(PROJECT).name}-import-demo")
shutil.rmtree(scratch_dir, ignore_errors=True)
scratch = Project.create(scratch_dir)
print(scratch.import_files(corpus / "interviews", kind="interview",
                           attributes=corpus / "participants.csv", progress=False))

# %%
print(scratch.import_files(corpus / "fieldnotes", kind="fieldnote",
                           attributes=corpus / "observations.csv", progress=False))

# %%
print(scratch.import_files(corpus / "survey", kind="survey", progress=False))
scratch.close()

# %% [markdown]
# ## What the project holds
# From here on, the notebook reads `PROJECT`.

# %%
project.summary()

# %%
documents = project.documents()
documents[["name", "kind", "format", "date", "n_words", "n_turns", "speakers"]].head(20)

# %% [markdown]
# ## Documents per role and ward
# Interviews are linked to cases (participants); their attributes say who spoke.

# %%
interviews = documents.loc[documents["kind"] == "interview", ["name", "case_id"]].merge(
    project.cases(), on="case_id", how="left")
interviews.groupby(["role", "ward"]).size().rename("interviews").reset_index()

# %% [markdown]
# ## Who speaks how much
# Words per speaker turn: in a semi-structured interview the participant should speak most.

# %%
turns = project.segments("turn")
turns["words"] = turns["text"].str.split().str.len()
share = turns.groupby(["document", "speaker"])["words"].sum().unstack(fill_value=0)
share.head(14)

# %% [markdown]
# ## Field notes over the study
# Observation shifts by week and ward: the cluster in the week of 31 March is the lab-interface
# outage (see `timeline.yaml`).

# %%
notes = documents[documents["kind"] == "fieldnote"].copy()
notes["week"] = (notes["date"].astype("datetime64[ns]").dt.to_period("W-SUN")
                 .dt.start_time.dt.date)
notes.pivot_table(index="week", columns="ward", values="name", aggfunc="count", fill_value=0)

# %% [markdown]
# ## Reading one passage
# Every segment's offsets slice its document's text exactly; this is what codings will point at.

# %%
first = turns[turns["speaker"] == "P01"].iloc[0]
text = project.document(first["doc_id"]).text
assert text[first["start"]:first["end"]] == first["text"]
print(first["text"][:400])
