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
# # 3. How far do the coders agree?
#
# In the **fictional** Riverside study, ana coded every interview and field note and ben coded
# six interviews blind. This notebook measures their agreement per code, reads the passages
# they disagree on, and reconciles them into a consensus layer that later analysis uses.

# %% tags=["parameters"]
PROJECT = "riverside-study"
CORPUS = "../corpora/riverside"
CODERS = ["ana", "ben"]

# %%
from pathlib import Path

from workbench import Project
from workbench.charts import agreement_chart, disagreement_heatmap
from workbench.example import build_example

project = (Project.open(PROJECT) if (Path(PROJECT) / "project.sqlite").exists()
           else build_example(PROJECT, corpus=CORPUS, progress=False))

# %% [markdown]
# ## Agreement per code
# Units are sentences in the six interviews both coded. For each code, a coder "applied" it to a
# sentence when one of their codings of it touches the sentence. Alpha near 1 is agreement;
# near 0, no better than chance. Krippendorff suggests relying on codes with alpha of .800 or
# more and drawing only tentative conclusions between .667 and .800.

# %%
table = project.agreement(CODERS)
table.sort_values("alpha", ascending=False).head(15)[
    ["code", "alpha", "ci_low", "ci_high", "kappa", "percent_agreement", "coded_by_ana",
     "coded_by_ben"]].round(2)

# %%
agreement_chart(table[table[[f"coded_by_{c}" for c in CODERS]].sum(axis=1) >= 10])

# %% [markdown]
# ## What counting by character hides
# NVivo compares coders character by character. Every character both coders left uncoded
# counts as agreement, so percent agreement looks high for rare codes. The last column says
# how much of the agreement is of that kind.

# %%
by_character = project.agreement(CODERS, unit="character")
by_character.set_index("code").loc[["Alert fatigue", "Manual verification", "(all codes)"],
                                   ["alpha", "percent_agreement", "agreement_on_uncoded"]].round(3)

# %% [markdown]
# ## Where they disagree

# %%
disagreements = project.disagreements(CODERS)
disagreement_heatmap(disagreements)

# %%
disagreements[["document", "text", "code", *CODERS]].head(10)

# %% [markdown]
# ## Reconciling
# After talking each disagreement through, the team records a decision: follow ana, follow
# ben, keep both, or neither. Here, for the example, ben's codings of *alert fatigue* are
# kept (ana agreed she had under-coded it) and ana's view decides the rest. Every decision is in
# the audit log; the consensus layer becomes what later analyses read.

# %%
decisions = {row.disagreement_id: "ben" for row in disagreements.itertuples()
             if row.code_id == "alert-fatigue"}
project.reconcile(CODERS, decisions, default="ana")

# %%
project.codings().groupby("coder").size()

# %% [markdown]
# Counts now need no `coder=`: they read the consensus layer in the six reconciled interviews
# and ana's coding (the only coder there) everywhere else, each passage once. The `coder`
# column says which layer each number comes from.

# %%
project.frequencies(by="role").groupby("coder")["codings"].sum()

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
lead = Project.open(project.copy_for("lead", laptops / "lead"), user="lead")
for coder in ("cy", "dee"):
    lead.copy_for(coder, laptops / coder, blind=True)

# %% [markdown]
# On their own laptops, cy and dee each code a little of interview P02.

# %%
P02 = "interview_P02.txt"
with Project.open(laptops / "cy", user="cy") as cy:
    cy.code_text(P02, "four of us for twenty-eight beds", "staffing")
    cy.code_text(P02, "The thirty-minute thing is the problem.", "rules-and-protocols")
with Project.open(laptops / "dee", user="dee") as dee:
    dee.code_text(P02, "four of us for twenty-eight beds", "staffing")
    dee.code_text(P02, "pulling their cannula out for the third time", "workflow-fit")

# %% [markdown]
# Back with the lead: one merge, one transaction. The report says what each copy added and
# lists anything that needs a decision (a document whose text changed, a code only one side
# has, a memo edited on both sides); merging the same copy again adds nothing.

# %%
report = lead.merge([laptops / "cy", laptops / "dee"])
print(report)

# %%
lead.agreement(["cy", "dee"], codes=["staffing", "rules-and-protocols", "workflow-fit"])[
    ["code", "alpha", "percent_agreement", "coded_by_cy", "coded_by_dee"]].round(3)
