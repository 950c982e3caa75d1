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
# # 7. Topics: themes nobody put in the codebook
#
# The **fictional** Riverside case, coded by hand. A codebook finds what its authors expected;
# a topic model groups passages that use the same words and mean similar things, whatever the
# codebook says. This notebook finds topics among the paragraphs, reads them against the
# participants' roles and over time, compares them with the human codes, and offers the
# topics no code covers as **candidate codes**.
#
# Everything runs on this machine: the paragraphs are embedded with a model that ships inside
# an installed package (nothing is downloaded), the vectors are cached in the project, and
# BERTopic is given those vectors. Each run is stored with its parameters, the embedding model
# and the package versions, so a topic can be cited by its run id. Topics are a reading aid,
# not findings: a topic is a cluster of wording, and a person decides what it means.

# %% tags=["parameters"]
PROJECT = "riverside-study"
CORPUS = "../corpora/riverside"
CODER = "ana"  # whose codings the topics are compared with: ana coded every document
UNIT = "paragraph"
N_TOPICS = 8  # None lets the data choose (by the silhouette)
SEED = 0

# %%
from pathlib import Path

from workbench import Project
from workbench.charts import topic_heatmap, topic_sizes, topics_over_time_chart
from workbench.example import build_example

project = (Project.open(PROJECT) if (Path(PROJECT) / "project.sqlite").exists()
           else build_example(PROJECT, corpus=CORPUS, progress=False))

# %% [markdown]
# ## Find the topics
#
# One row per paragraph comes back, with its topic. On a corpus this size (about a thousand
# paragraphs) UMAP and HDBSCAN, BERTopic's defaults, are unreliable; with the number of topics
# given, the run uses PCA and k-means and records that it did. The same seed on the same
# paragraphs gives the same topics.

# %%
assigned = project.topics(UNIT, n_topics=N_TOPICS, seed=SEED)
run = project.topic_run()
print(f"run {run.run_id}: {run.n_segments} {run.unit}s, {run.n_topics} topics, "
      f"method {run.method}, embeddings {run.backend} ({run.version})")

# %% [markdown]
# ## The topic table
#
# Each topic's size, its terms weighted by class-based TF-IDF (how much more a word is used
# in this topic than in the others), and the paragraph closest to the topic's centre, with its
# document and speaker.

# %%
table = project.topic_table()
table[["topic", "size", "share", "terms", "example_document", "example_speaker"]]

# %%
topic_sizes(table)

# %% [markdown]
# ## Who talks about what, and when
#
# Shares within each role: a column sums to 100%. Then the topics month by month (the
# documents' dates). Few documents per cell make these shares unstable; read them as
# pointers to passages, not as rates.

# %%
topic_heatmap(project.topic_shares("role"), "role")

# %%
topics_over_time_chart(project.topics_over_time("month"))

# %% [markdown]
# ## Topics against the codes
#
# For each topic, the code whose coded paragraphs it overlaps most (Jaccard), and how far the
# two ways of dividing the material agree overall: the adjusted Rand index and normalised
# mutual information are near 0 when topics and codes are unrelated and 1 when they coincide.
# Codes are about meaning and topics about wording, so low agreement is expected and is not
# an error of either.

# %%
project.topic_code_agreement(coder=CODER)

# %%
against = project.topics_against_codes(coder=CODER)
against[against["best"]][["name", "code", "segments", "precision", "recall", "jaccard"]]

# %% [markdown]
# ## Candidate codes
#
# Topics that fewer than a quarter of whose paragraphs carry any code. Read the examples: a
# candidate can be a real gap in the codebook, or talk nobody needs to code (greetings,
# logistics). `project.add_candidate_codes([topic], names={topic: "..."})` adds the ones worth
# keeping in one step, recorded in the codebook's changelog with the run id.

# %%
project.candidate_codes(coder=CODER)[["topic", "name", "size", "coverage", "examples"]]
