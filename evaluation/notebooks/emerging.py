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
# # Emerging skills: candidates, clusters and the hold-out recall curve
#
# The candidates the detector proposes on the offers of `PASSERELLE_NB_OFFERS`, their
# clusters of variants, and the recall curve of the hold-out simulation (held-out items found
# among the top k). Sizes: `PASSERELLE_NB_DOCUMENTS` (default 400) and
# `PASSERELLE_NB_PLANTED` (default 30). Computed by `evaluation.analysis`; display only.

# %%
import os

import matplotlib.pyplot as plt

from evaluation.analysis import emerging_analysis, load_core_from_env, offers_path_from_env

core = load_core_from_env()
result = emerging_analysis(
    core,
    offers_path_from_env(),
    documents=int(os.environ.get("PASSERELLE_NB_DOCUMENTS", "400")),
    planted=int(os.environ.get("PASSERELLE_NB_PLANTED", "30")),
)

# %% [markdown]
# ## Candidates
#
# Each with the fiche of the offers that cite it (or of its nearest ROME items), and the ROME
# tools a name was listed beside.

# %%
for c in result["candidates"][:30]:
    print(
        f"{c['rank']:3d} {c['kind']:9} {c['independent']:4d} docs  {c['label'][:50]:50} "
        f"→ {(c['fiche'] or '')[:40]} (nearest: {(c['nearest'] or '')[:40]})"
        + (f" listed with {', '.join(c['listed_with'][:2])}" if c["listed_with"] else "")
    )

# %% [markdown]
# ## Clusters of variants

# %%
for cluster in result["clusters"]:
    print(cluster["label"], "←", "; ".join(cluster["variants"]))

# %% [markdown]
# ## Hold-out recall curve

# %%
curve = result["recall_curve"]
fig, ax = plt.subplots(figsize=(6, 4))
ax.plot([p["k"] for p in curve], [p["recall"] for p in curve])
ax.set_xlabel("top k candidates")
ax.set_ylabel("held-out items found")
ax.set_ylim(0, 1)
plt.show()
print(result["holdout"])
