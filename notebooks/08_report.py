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
# # 8. The findings in one place
#
# What the project holds, gathered for a reader: the meta-inferences the researchers recorded
# (their claims about how the strands fit), the joint display behind them, the timeline, key
# quotes for the main codes, and how far the coders agreed. Nothing here is computed that the
# earlier notebooks do not explain; this page only brings it together. A part the project has
# nothing for says so in one sentence. By default it reads the **fictional** Riverside example.

# %% tags=["parameters"]
PROJECT = "riverside-study"
CORPUS = "../corpora/riverside"
CODER = None  # whose codings count; None: whoever coded most
CODES = None  # the main codes; None: the three most used codes
METRIC = "stale_share"  # the log metric the codes are set against in the joint display
QUOTES = 2  # key quotes shown per code

# %%
from pathlib import Path

from workbench import Project
from workbench.contents import contents
from workbench.example import build_example

project = (Project.open(PROJECT) if (Path(PROJECT) / "project.sqlite").exists()
           else build_example(PROJECT, corpus=CORPUS, progress=False))
holds = contents(project)
CODER = CODER or next(iter(holds.coders), None)
CODES = list(CODES or holds.coded[:3])
print(f"{PROJECT}: {len(holds.documents)} documents coded by "
      f"{', '.join(holds.coders) or 'nobody yet'}; logs: {'yes' if holds.logs else 'no'}; "
      f"timeline events: {len(holds.events)}; meta-inferences: {holds.inferences}")

# %%
project.summary()

# %% [markdown]
# ## Meta-inferences
# Each claim the researchers recorded, with how the qualitative and quantitative strands fit
# (confirmation, expansion, discordance; Fetters, Curry and Creswell 2013) and any flag saying
# its evidence changed since (a coding removed, a metric that no longer matches).

# %%
if holds.lacks("inferences"):
    print(holds.lacks("inferences"))
else:
    for claim in project.inferences().itertuples():
        print(f"{claim.claim}\n    fit: {claim.fit}; theme: {claim.theme}; status: "
              f"{claim.status}; flags: {', '.join(map(str, claim.flags)) or 'none'}\n")

# %% [markdown]
# Where the strands meet, by theme and source, on Farmer et al.'s (2006) scale.

# %%
if not holds.lacks("inferences"):
    display(project.convergence_matrix().wide)

# %% [markdown]
# ## The joint display
# Each main code beside `METRIC` over the ward-weeks (its mean with a 95% bootstrap interval),
# exemplar quotes, and the fit recorded for it (empty, with the reason, until one is).

# %%
if holds.lacks("logs", "codings"):
    print(holds.lacks("logs", "codings"))
else:
    display(project.display("side-by-side", coder=CODER, themes=dict.fromkeys(CODES, METRIC)))

# %% [markdown]
# ## The timeline
# The events the project records, and, where there are logs, the metric per unit and day with
# the codings placed at their time.

# %%
if holds.lacks("timeline"):
    print(holds.lacks("timeline"))
else:
    display(project.timeline()[["event_id", "label", "start", "end"]])

# %%
if not holds.lacks("logs", "codings"):
    display(project.display("timeline", metric=METRIC, codes=CODES, coder=CODER))

# %% [markdown]
# ## Key quotes
# The first `QUOTES` passages coded with each main code, exactly as stored, with their
# document.

# %%
if holds.lacks("codings"):
    print(holds.lacks("codings"))
else:
    for code in CODES:
        quotes = project.retrieve(code, coder=CODER).head(QUOTES)
        for quote in quotes.itertuples():
            print(f"{quote.code} ({quote.document}): {quote.text[:300]}\n")

# %% [markdown]
# ## How far the coders agreed
# Krippendorff's alpha between the two people who coded most, over sentences of the documents
# both coded, for the main codes and all codes together (notebook 3 explains it).

# %%
if holds.lacks("two coders"):
    print(holds.lacks("two coders"))
else:
    agreement = project.agreement(list(holds.coders[:2]))
    main = agreement["code_id"].isin(CODES) | (agreement["code"] == "(all codes)")
    display(agreement.loc[main, ["code", "alpha", "ci_low", "ci_high",
                                 "percent_agreement"]].round(2))
