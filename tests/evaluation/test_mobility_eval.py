import json

from evaluation.matching import evaluate as evaluate_matching
from evaluation.mobility import evaluate, official_targets, rank_metrics
from passerelle.cli import main


def test_rank_metrics_on_a_known_ranking():
    import numpy as np

    scores = np.array([[0, 0.9, 0.1, 0.5], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]])
    # Source 0: targets 1 (rank 1) and 2 (rank 3): AP = (1/1 + 2/3) / 2.
    metrics = rank_metrics(scores, {0: {1, 2}}, [0])
    assert metrics == {"recall@10": 1.0, "map": round((1 + 2 / 3) / 2, 4)}


def test_mobility_evaluation_reads_the_official_links(mini_core):
    prox = mini_core.mobility.proximity
    gold = official_targets(mini_core.referential, prox.fiches)
    assert sum(len(t) for t in gold.values()) == 4  # the mini release's links
    report = evaluate(prox)
    assert report["links"] == 4
    assert set(report["jaccard"]) == {"all", "tune", "held_out"}
    assert 0 < report["proximity"]["all"]["recall@10"] <= 1


def test_matching_evaluation_and_commands(mini_core, mini_cli_args, capsys):
    report = evaluate_matching(mini_core.matcher, n_fiches=5, min_items=2)
    assert report["n_fiches"] == 5
    assert 0 < report["affinity"]["mrr"] <= 1
    args = [
        *mini_cli_args,
    ]
    assert main(["eval", "mobility", "--json", *args]) == 0
    assert "relative_gain_recall@10_held_out" in json.loads(capsys.readouterr().out)
    assert main(["bench", "matching", "--profiles", "50", *args]) == 0
    assert json.loads(capsys.readouterr().out)["profiles"] == 50
