# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
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
# their evidence spans highlighted. Data: `PASSERELLE_NB_OFFERS`. Computed by
# `evaluation.analysis`; this notebook only displays.

# %%
import matplotlib.pyplot as plt
from IPython.display import HTML, display

from evaluation.analysis import competence_analysis, load_core_from_env, offers_path_from_env

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
