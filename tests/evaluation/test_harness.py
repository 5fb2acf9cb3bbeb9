import json
from dataclasses import replace

import pytest

from evaluation import harness
from passerelle.cli import main
from tests.fixtures.offers import write_offers


def test_bootstrap_interval_brackets_the_mean_and_is_seeded():
    values = [1.0] * 70 + [0.0] * 30
    interval = harness.bootstrap_ci(values)
    assert interval is not None
    low, high = interval
    assert low < 0.7 < high and high - low < 0.25
    assert harness.bootstrap_ci(values) == (low, high)
    assert harness.bootstrap_ci([1.0]) is None


def test_runs_carry_their_context_and_compare(mini_core, tmp_path):
    offers = write_offers(tmp_path / "offers.jsonl")
    run = harness.run_titles(mini_core, offers)
    assert run.primary == "rome_top1" and run.n == 4
    assert run.context["encoder"]["name"] == mini_core.encoder.name
    assert run.context["referential"]["version"] == "999"
    assert run.data["sha256"] == harness.checksum(offers)
    low, high = run.ci95["rome_top1"]  # four offers with a gold code: an interval exists
    assert low <= run.metrics["rome_top1"] <= high
    log = tmp_path / "runs.jsonl"
    harness.append(log, run)
    changed = replace(
        run, id="later", metrics={**run.metrics, "rome_top1": run.metrics["rome_top1"] - 0.25}
    )
    harness.append(log, changed)
    rows = {r["metric"]: r for r in harness.compare(harness.read_log(log))}
    assert rows["rome_top1"]["delta"] == -0.25 and rows["rome_top1"]["primary"]
    with pytest.raises(KeyError):
        harness.compare(harness.read_log(log), "nope", "later")


def test_eval_all_then_compare_commands(mini_core, mini_cli_args, tmp_path, capsys):
    offers = str(write_offers(tmp_path / "offers.jsonl"))
    log = str(tmp_path / "runs.jsonl")
    args = [
        *mini_cli_args,
        "--log",
        log,
    ]
    assert main(["eval", "compare", *args]) == 1  # nothing yet
    for _ in range(2):
        code = main(
            ["eval", "all", "--offers", offers, "--skip", "matching", "emerging", "--json", *args]
        )
        assert code == 0
        runs = json.loads(capsys.readouterr().out)
    assert [r["task"] for r in runs] == ["titles", "competences", "cvs", "mobility"]
    assert len(harness.read_log(tmp_path / "runs.jsonl")) == 8
    assert main(["eval", "compare", *args]) == 0
    table = capsys.readouterr().out
    assert "rome_top1" in table and "held_out_recall@10" in table


def test_copies_of_one_offer_are_resampled_together():
    # Ten copies of one success among distinct failures: as ten observations they make the
    # interval look tight around 0.5; as one cluster, the mean swings with that one draw.
    values = [1.0] * 10 + [0.0] * 10
    alone = harness.bootstrap_ci(values)
    together = harness.bootstrap_ci(values, clusters=[0] * 10 + list(range(1, 11)))
    assert alone is not None and together is not None
    assert together[1] - together[0] > alone[1] - alone[0]
    assert harness.bootstrap_ci([1.0, None, 0.0], clusters=["a", "b", "c"]) is not None


def test_reposts_share_a_cluster_under_the_same_title(tmp_path):
    from evaluation.offers import load_offers

    text = (
        "Entreprise familiale de transport frigorifique, nous recherchons un conducteur de "
        "poids lourd pour des tournées régionales de nuit au départ de notre dépôt de {}."
    )
    rows = [
        {"id": "a", "intitule": "Chauffeur PL", "description": text.format("Dijon")},
        {"id": "b", "intitule": "Chauffeur PL (H/F)", "description": text.format("Beaune")},
        {"id": "c", "intitule": "Chauffeur PL", "description": text.format("Beaune")},
        {"id": "d", "intitule": "Magasinier", "description": text.format("Dijon")},
    ]
    path = tmp_path / "offers.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    keys = harness.offer_clusters(load_offers(path))
    assert keys[0] == keys[1] == keys[2] != keys[3]  # one job posted again; another, same pitch


def test_emerging_seeds_are_pooled_plant_by_plant(mini_core, tmp_path, monkeypatch):
    import evaluation.emerging as emerging_eval
    from indexing.errors import InvalidInput

    # Seed 2 planted twice as many items: pooled, each plant weighs the same.
    ranks = {1: [1, None, 3, None], 2: [None] * 7 + [40]}
    flagged = {1: 0.0, 2: 0.1}

    def holdout(ref, detector, indexes, texts, seed):
        found = sum(r is not None for r in ranks[seed])
        return {
            "seed": seed,
            "planted_held_out": len(ranks[seed]),
            "holdout_recall@50": found / len(ranks[seed]),
            "found_at_ranks": ranks[seed],
            "kept_flagged_share@50": flagged[seed],
            "missed": [],
        }

    monkeypatch.setattr(emerging_eval, "evaluate_holdout", holdout)
    monkeypatch.setattr(emerging_eval, "evaluate_titles", lambda *a: {"recent_flagged": 0.5})
    monkeypatch.setattr(type(mini_core), "load_emerging", lambda self: None)
    offers = write_offers(tmp_path / "offers.jsonl")

    pooled = harness.run_emerging(mini_core, offers, seeds=(1, 2))
    assert pooled.n == 12 and pooled.metrics["holdout_recall@50"] == 0.25
    assert pooled.metrics["holdout_recall@50_by_seed"] == [0.5, 0.125]
    assert pooled.metrics["kept_flagged_share@50"] == 0.05
    assert pooled.metrics["recent_flagged"] == 0.5 and pooled.params["seeds"] == [1, 2]
    one = harness.run_emerging(mini_core, offers, seeds=(2,))
    assert one.metrics["holdout_recall@50"] == 0.125 and "found_at_ranks" not in one.metrics
    with pytest.raises(InvalidInput):
        harness.run_emerging(mini_core, offers, seeds=())
