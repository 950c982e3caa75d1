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
# # 7. Topics: themes nobody put in the codebook
#
# On the **fictional** Riverside case (or the project you give it), coded by hand. A codebook finds what its authors expected;
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
CODER = None  # whose codings the topics are compared with; None: whoever coded most
UNIT = "paragraph"
N_TOPICS = None  # None lets the data choose (by the silhouette)
GROUP_BY = None  # the case attribute to read topics against; None: the one with fewest values
SEED = 0

# %%
from pathlib import Path

from workbench import Project
from workbench.charts import topic_heatmap, topic_sizes, topics_over_time_chart
from workbench.contents import contents
from workbench.example import build_example

project = (Project.open(PROJECT) if (Path(PROJECT) / "project.sqlite").exists()
           else build_example(PROJECT, corpus=CORPUS, progress=False))
holds = contents(project)
CODER = CODER or (holds.coders[0] if holds.coders else None)
cases = project.cases()
spread = cases[list(holds.attributes)].nunique()
GROUP_BY = GROUP_BY or next(iter(spread[spread > 1].sort_values(kind="stable").index), None)
print(f"topics among {UNIT}s; compared with {CODER or 'nobody (nothing coded)'}'s codings; "
      f"read against {GROUP_BY or 'no attribute (the cases have none that varies)'}")

# %% [markdown]
# ## Find the topics
#
# One row per paragraph comes back, with its topic. On a corpus this size (about a thousand
# paragraphs) UMAP and HDBSCAN, BERTopic's defaults, are unreliable; with the number of topics
# given, the run uses PCA and k-means and records that it did. The same seed on the same
# paragraphs gives the same topics.

# %%
from workbench.errors import TopicsError

try:
    assigned = project.topics(UNIT, n_topics=N_TOPICS, seed=SEED)
except TopicsError as refused:
    if refused.code != "WB-TOPICS-005":  # only "too few segments" is a project's shape
        raise
    assigned = None
    print(f"This project is too small for topics, so the rest is skipped: {refused.message}")
if assigned is not None:
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
if assigned is not None:
    table = project.topic_table()
    display(table[["topic", "size", "share", "terms", "example_document", "example_speaker"]])
    display(topic_sizes(table))

# %% [markdown]
# ## Who talks about what, and when
#
# Shares within each value of `GROUP_BY` (on the example, set in its `report.yaml`: role): a
# column sums to 100%. Then the topics month by month (the documents' dates). Few documents per cell make these shares unstable; read them as
# pointers to passages, not as rates.

# %%
if assigned is None:
    pass
elif GROUP_BY:
    display(topic_heatmap(project.topic_shares(GROUP_BY), GROUP_BY))
else:
    print("The cases in this project have no attribute that varies, so this part is skipped.")

# %%
if assigned is None:
    pass
elif project.documents()["date"].notna().any():
    display(topics_over_time_chart(project.topics_over_time("month")))
else:
    print("No document in this project has a date, so this part is skipped.")

# %% [markdown]
# ## Topics against the codes
#
# For each topic, the code whose coded paragraphs it overlaps most (Jaccard), and how far the
# two ways of dividing the material agree overall: the adjusted Rand index and normalised
# mutual information are near 0 when topics and codes are unrelated and 1 when they coincide.
# Codes are about meaning and topics about wording, so low agreement is expected and is not
# an error of either.

# %%
if assigned is None:
    pass
elif CODER:
    display(project.topic_code_agreement(coder=CODER))
    against = project.topics_against_codes(coder=CODER)
    display(against[against["best"]][["name", "code", "segments", "precision", "recall",
                                       "jaccard"]])
else:
    print(holds.lacks("codings"))

# %% [markdown]
# ## Candidate codes
#
# Topics that fewer than a quarter of whose paragraphs carry any code. Read the examples: a
# candidate can be a real gap in the codebook, or talk nobody needs to code (greetings,
# logistics). `project.add_candidate_codes([topic], names={topic: "..."})` adds the ones worth
# keeping in one step, recorded in the codebook's changelog with the run id.

# %%
if assigned is None:
    pass
elif CODER:
    display(project.candidate_codes(coder=CODER)[["topic", "name", "size", "coverage",
                                                  "examples"]])
else:
    print(holds.lacks("codings"))
