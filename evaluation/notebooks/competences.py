# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Competence extraction: precision and recall by rubrique, and the spans
#
# Precision of what was *found* in the text, recall of the top 10 (found, then suggested)
# against the recruiters' codes, per rubrique (savoir-faire, savoirs), and a few offers with
# their evidence spans highlighted, and how reliable the probability of a stated item is.
# Data: `PASSERELLE_NB_OFFERS`, and `PASSERELLE_NB_GOLD` (annotated mentions) for the
# reliability curve. Computed by `evaluation.analysis`; this notebook only displays.

# %%
import matplotlib.pyplot as plt
from IPython.display import HTML, display

from evaluation.analysis import (
    competence_analysis,
    extraction_reliability,
    gold_path_from_env,
    load_core_from_env,
    offers_path_from_env,
)

core = load_core_from_env()
result = competence_analysis(core, offers_path_from_env())
print(f"{result['n']} offers with recruiter-chosen competences")

# %%
rubriques = list(result["by_rubrique"])
precision = [result["by_rubrique"][r]["precision_found"] or 0 for r in rubriques]
recall = [result["by_rubrique"][r]["recall@10"] or 0 for r in rubriques]
fig, ax = plt.subplots(figsize=(6, 4))
x = range(len(rubriques))
ax.bar([i - 0.2 for i in x], precision, width=0.4, label="precision of found items")
ax.bar([i + 0.2 for i in x], recall, width=0.4, label="recall@10")
ax.set_xticks(list(x), rubriques)
ax.set_ylim(0, 1)
ax.legend()
plt.show()
for rubrique, row in result["by_rubrique"].items():
    print(rubrique, row)

# %% [markdown]
# ## Offers with their evidence spans

# %%
for example in result["examples"]:
    display(HTML(f"<h4>{example['title']}</h4>{example['html']}"))

# %% [markdown]
# ## Reliability of the stated items' probability
#
# Each item a clause states carries the statement model's probability that the span says it
# (or a sibling under its macro-compétence). Calibrated, the share right in each bin is about
# its mean probability: points on the diagonal.

# %%
gold = gold_path_from_env()
if gold is None:
    print("set PASSERELLE_NB_GOLD to annotated mentions of these offers for the curve")
else:
    rows = extraction_reliability(core, gold, offers_path_from_env())
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
    ax.plot([r["mean_probability"] for r in rows], [r["share_right"] for r in rows], marker="o")
    ax.set_xlabel("probability given")
    ax.set_ylabel("share right (lenient)")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    plt.show()
    for r in rows:
        print(r)
