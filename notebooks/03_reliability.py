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
# # 3. How far do the coders agree?
#
# In the **fictional** Riverside study, ana coded every interview and field note and ben coded
# six interviews blind. This notebook measures two coders' agreement per code, reads the
# passages they disagree on, and reconciles them into a consensus layer that later analysis
# uses. On another project, `CODERS` defaults to the two people who coded most; a project
# coded by one person has no agreement to measure, and the notebook says so.

# %% tags=["parameters"]
PROJECT = "riverside-study"
CORPUS = "../corpora/riverside"
CODERS = None  # the two coders to compare; None: the two who coded most
FOLLOW_SECOND = None  # the code whose disagreements follow the second coder; None: the code
# they disagree on most

# %%
from pathlib import Path

from workbench import Project
from workbench.charts import agreement_chart, disagreement_heatmap
from workbench.contents import contents
from workbench.example import build_example

project = (Project.open(PROJECT) if (Path(PROJECT) / "project.sqlite").exists()
           else build_example(PROJECT, corpus=CORPUS, progress=False))
holds = contents(project)
CODERS = list(CODERS or holds.coders[:2])
comparable = not holds.lacks("two coders")
print(f"comparing {' and '.join(CODERS)}" if comparable else holds.lacks("two coders"))

# %% [markdown]
# ## Agreement per code
# Units are sentences in the documents both coded. For each code, a coder "applied" it to a
# sentence when one of their codings of it touches the sentence. Alpha near 1 is agreement;
# near 0, no better than chance. Krippendorff suggests relying on codes with alpha of .800 or
# more and drawing only tentative conclusions between .667 and .800.

# %%
if comparable:
    table = project.agreement(CODERS)
    counted = [f"coded_by_{coder}" for coder in CODERS]
    display(table.sort_values("alpha", ascending=False).head(15)[
        ["code", "alpha", "ci_low", "ci_high", "kappa", "percent_agreement", *counted]
    ].round(2))

# %% [markdown]
# The chart shows the 20 codes the two coders applied most often.

# %%
if comparable:
    busiest = table[counted].sum(axis=1).sort_values(ascending=False).index[:20]
    display(agreement_chart(table.loc[busiest]))

# %% [markdown]
# ## What counting by character hides
# NVivo compares coders character by character. Every character both coders left uncoded
# counts as agreement, so percent agreement looks high for rare codes. The last column says
# how much of the agreement is of that kind, for the two most used codes and all codes.

# %%
if comparable:
    by_character = project.agreement(CODERS, unit="character")
    shown = by_character["code_id"].isin(holds.coded[:2]) | (by_character["code"]
                                                              == "(all codes)")
    display(by_character.loc[shown, ["code", "alpha", "percent_agreement",
                                      "agreement_on_uncoded"]].round(3))

# %% [markdown]
# ## Where they disagree

# %%
if comparable:
    disagreements = project.disagreements(CODERS)
    display(disagreement_heatmap(disagreements))

# %%
if comparable:
    display(disagreements[["document", "text", "code", *CODERS]].head(10))

# %% [markdown]
# ## Reconciling
# After talking each disagreement through, the team records a decision: follow one coder or
# the other, keep both, or neither. Here, to show the call, the second coder's view decides
# `FOLLOW_SECOND` (by default the code they disagree on most; the example's `report.yaml`
# keeps ben's codings of *alert fatigue*, as ana agreed she had under-coded it) and the first
# coder's view decides the rest. Every decision is in the audit log; the consensus layer
# becomes what later analyses read.

# %%
if comparable:
    FOLLOW_SECOND = FOLLOW_SECOND or next(
        iter(disagreements["code_id"].value_counts().index), None)
    decisions = {row.disagreement_id: CODERS[1] for row in disagreements.itertuples()
                 if row.code_id == FOLLOW_SECOND}
    display(project.reconcile(CODERS, decisions, default=CODERS[0]))

# %%
if comparable:
    display(project.codings().groupby("coder").size())

# %% [markdown]
# Counts now need no `coder=`: they read the consensus layer in the reconciled documents
# and the one coder there everywhere else, each passage once. The `coder` column says which
# layer each number comes from.

# %%
if comparable:
    display(project.frequencies(by="kind").groupby("coder")["codings"].sum())

# %%
project.history().tail(3)[["at", "actor", "action", "entity_id", "after"]]

# %% [markdown]
# ## Coding on three laptops
# Blind double coding is usually done on separate machines. The lead hands each coder a copy
# of the project (`copy_for`; `blind=True` leaves the other coders' codings out), each codes in
# their own copy, and the lead merges the copies back (`merge`): codings come in under their
# coder, and agreement is then what it would be had they coded in one project. Here a scratch
# copy plays the lead's project, so this one gains only a line in its history.

# %%
import tempfile

laptops = Path(tempfile.mkdtemp(prefix="three-laptops-"))
team_ready = holds.lacks("documents", "codebook")
if team_ready:
    print(team_ready)
else:
    lead = Project.open(project.copy_for("lead", laptops / "lead"), user="lead")
    for coder in ("cy", "dee"):
        lead.copy_for(coder, laptops / coder, blind=True)

# %% [markdown]
# On their own laptops, cy and dee each code a few sentences of the project's first document
# with its two most used codes: the same first sentence alike, then one sentence each.

# %%
if not team_ready:
    sentences = project.segments("sentence")
    first_document = sentences[sentences["document"] == holds.documents[0]].head(3)
    TEAM_CODES = list(holds.codes[:2])
    for coder, later in (("cy", 1), ("dee", 2)):
        with Project.open(laptops / coder, user=coder) as copy:
            copy.code_segment(first_document["segment_id"].iloc[0], TEAM_CODES[0])
            if later < len(first_document):
                copy.code_segment(first_document["segment_id"].iloc[later], TEAM_CODES[-1])

# %% [markdown]
# Back with the lead: one merge, one transaction. The report says what each copy added and
# lists anything that needs a decision (a document whose text changed, a code only one side
# has, a memo edited on both sides); merging the same copy again adds nothing.

# %%
if not team_ready:
    report = lead.merge([laptops / "cy", laptops / "dee"])
    print(report)

# %%
if not team_ready:
    display(lead.agreement(["cy", "dee"], codes=TEAM_CODES)[
        ["code", "alpha", "percent_agreement", "coded_by_cy", "coded_by_dee"]].round(3))
