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
# # Title resolution: error analysis
#
# Which grands domaines the resolver confuses, whether its confidence means what it says, and
# the most frequent fiche confusions. Data: `PASSERELLE_NB_OFFERS` (offers in the France Travail
# format); the core loads from the `PASSERELLE_*` settings, as the service does. Everything is
# computed by `evaluation.analysis`; this notebook only displays.

# %%
import matplotlib.pyplot as plt

from evaluation.analysis import load_core_from_env, offers_path_from_env, title_analysis

core = load_core_from_env()
result = title_analysis(core, offers_path_from_env())
print(f"{result['n']} offers with a gold fiche")

# %% [markdown]
# ## Confusions by grand domaine (gold rows, predicted columns)

# %%
domains = result["domains"]
fig, ax = plt.subplots(figsize=(7, 6))
ax.imshow(result["confusion"], cmap="Blues")
ax.set_xticks(range(len(domains)), domains)
ax.set_yticks(range(len(domains)), domains)
ax.set_xlabel("predicted grand domaine")
ax.set_ylabel("gold grand domaine")
for i, row in enumerate(result["confusion"]):
    for j, count in enumerate(row):
        if count:
            ax.text(j, i, str(count), ha="center", va="center", fontsize=8)
plt.show()

# %% [markdown]
# ## Calibration of the confidence

# %%
bins = [b for b in result["calibration"] if b["n"]]
fig, ax = plt.subplots(figsize=(5, 5))
ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect")
confidence = [b["confidence"] for b in bins]
ax.plot(confidence, [b["accuracy"] for b in bins], marker="o", label="resolver")
ax.set_xlabel("mean confidence in bin")
ax.set_ylabel("top-1 accuracy in bin")
ax.legend()
plt.show()
for b in result["calibration"]:
    print(b)

# %% [markdown]
# ## Most frequent confusions

# %%
for row in result["top_confusions"]:
    print(
        f"{row['n']:3d}  {row['gold']} {row['gold_label'][:40]:40} → "
        f"{row['predicted']} {row['predicted_label'][:40]}"
    )
