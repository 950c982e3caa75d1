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
# # 1. The corpus: import interviews, field notes and a survey
#
# This notebook reads what a project holds: by default the **fictional** Riverside case (an ML
# early-warning alert on three hospital wards), built from `CORPUS` the first time. Change
# `PROJECT` to read another project; it is opened, never rebuilt or changed. To show how
# import works, it first imports `CORPUS` into a scratch project beside it. A part the project
# has no material for (no speaker turns, no dated documents) says so and is skipped.

# %% tags=["parameters"]
PROJECT = "riverside-study"
CORPUS = "../corpora/riverside"
GROUP_BY = None  # case attributes to count interviews by; None: the two with fewest values

# %%
import shutil
from pathlib import Path

from workbench import Project
from workbench.contents import contents
from workbench.example import build_example

project = (Project.open(PROJECT) if (Path(PROJECT) / "project.sqlite").exists()
           else build_example(PROJECT, corpus=CORPUS, progress=False))
corpus = Path(CORPUS)
holds = contents(project)

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
demo = (corpus / "participants.csv").is_file()
if demo:
    scratch_dir = Path(PROJECT).with_name(f"{Path(PROJECT).name}-import-demo")
    shutil.rmtree(scratch_dir, ignore_errors=True)
    scratch = Project.create(scratch_dir)
    print(scratch.import_files(corpus / "interviews", kind="interview",
                               attributes=corpus / "participants.csv", progress=False))
else:
    print(f"The example corpus is not at {corpus}, so the import demonstration is skipped.")

# %%
if demo:
    print(scratch.import_files(corpus / "fieldnotes", kind="fieldnote",
                               attributes=corpus / "observations.csv", progress=False))

# %%
if demo:
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
# ## Documents per case attribute
# Interviews are linked to cases (participants); their attributes (in the example: role, ward,
# shift) say who spoke. `GROUP_BY` names the attributes to count by; by default the two with
# the fewest different values.

# %%
interviews = documents.loc[documents["kind"] == "interview", ["name", "case_id"]].merge(
    project.cases(), on="case_id", how="left")
spread = interviews[list(holds.attributes)].nunique()
GROUP_BY = GROUP_BY or spread[spread > 1].sort_values(kind="stable").index[:2].tolist()
if GROUP_BY:
    display(interviews.groupby(GROUP_BY).size().rename("interviews").reset_index())
elif interviews.empty:
    print("This project holds no interviews, so this part is skipped.")
else:
    print("The interviews in this project have no attributes that differ, so this part "
          "is skipped.")

# %% [markdown]
# ## Who speaks how much
# Words per speaker turn: in a semi-structured interview the participant should speak most.

# %%
if holds.lacks("turns"):
    print(holds.lacks("turns"))
else:
    turns = project.segments("turn")
    turns["words"] = turns["text"].str.split().str.len()
    share = turns.groupby(["document", "speaker"])["words"].sum().unstack(fill_value=0)
    display(share.head(14))

# %% [markdown]
# ## Documents over the study
# Dated documents by week and kind. In the example, the cluster of field notes in the week of
# 31 March is the lab-interface outage (see `timeline.yaml`).

# %%
dated = documents.dropna(subset=["date"]).copy()
if dated.empty:
    print("No document in this project has a date, so this part is skipped.")
else:
    dated["week"] = (dated["date"].astype("datetime64[ns]").dt.to_period("W-SUN")
                     .dt.start_time.dt.date)
    display(dated.pivot_table(index="week", columns="kind", values="name", aggfunc="count",
                              fill_value=0))

# %% [markdown]
# ## Reading one passage
# Every segment's offsets slice its document's text exactly; this is what codings will point at.
# Here, the first sentence of the first document.

# %%
if holds.lacks("documents"):
    print(holds.lacks("documents"))
else:
    first = project.segments("sentence").iloc[0]
    text = project.document(first["doc_id"]).text
    print(f"{first['document']}, characters {first['start']}-{first['end']}; the offsets "
          f"slice the text exactly: {text[first['start']:first['end']] == first['text']}")
    print(first["text"][:400])
