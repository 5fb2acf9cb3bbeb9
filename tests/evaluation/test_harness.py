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
    assert "rome_top1" in run.ci95 or run.metrics["rome_top1"] in (0.0, 1.0)
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
