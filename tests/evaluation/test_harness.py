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
