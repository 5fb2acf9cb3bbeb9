"""The synthetic CV set, rendered by the test suite, parsed end to end.

With the mini referential the jobs cannot resolve to the set's fiches, but everything that does
not depend on the referential must be right on every file: sections, durations, languages and
driving licences, in both PDF layouts and both DOCX layouts."""

import json

import pytest

from evaluation.cvs.dataset import CVS
from evaluation.cvs.evaluate import evaluate_folder
from evaluation.cvs.render import GOLD_FILE, write_set
from passerelle.cli import main


@pytest.fixture(scope="module")
def cv_set(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cvset")
    write_set(folder)
    return folder


def test_the_set_has_at_least_fifteen_cvs_across_sectors_as_pdf_and_docx(cv_set):
    assert len(CVS) >= 15
    assert {cv.sector for cv in CVS} >= {
        "care",
        "building",
        "retail",
        "logistics",
        "it",
        "hospitality",
        "admin",
        "industry",
    }
    assert len(list(cv_set.glob("*.pdf"))) == len(list(cv_set.glob("*.docx"))) == len(CVS)
    gold = [json.loads(line) for line in (cv_set / GOLD_FILE).read_text().splitlines()]
    assert all(g["experiences"] and g["sections"] and g["competences"] for g in gold)


def test_layout_facts_are_read_from_every_file(mini_core, cv_set):
    summary, _ = evaluate_folder(mini_core.cvs, cv_set)
    assert summary["n"] == 2 * len(CVS)
    assert summary["section_accuracy"] == 1.0
    assert summary["duration_accuracy"] == 1.0
    assert summary["languages_recall"] == 1.0
    assert summary["licences_recall"] == 1.0
    assert summary["experience_title_rome_top1"] is not None


def test_eval_cvs_command(mini_cli_args, tmp_path, capsys):
    folder = tmp_path / "set"
    args = [
        "eval",
        "cvs",
        "--dir",
        str(folder),
        "--json",
        *mini_cli_args,
    ]
    assert main(args) == 2  # no gold file yet: says to add --make-set
    assert "--make-set" in capsys.readouterr().err
    assert main([*args, "--make-set"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"n", "experience_title_rome_top1", "section_accuracy", "competence_recall@10"} <= set(
        report
    )


def test_rendering_the_set_twice_gives_the_same_bytes(tmp_path, monkeypatch):
    # The harness records the CV set's checksum; a new one at every run would make
    # `eval compare` flag every CV run as made on different data.
    import time

    first = write_set(tmp_path / "a", CVS[:2])
    monkeypatch.setattr(time, "time", lambda: 2_000_000_000.0)  # zip entries take the clock
    second = write_set(tmp_path / "b", CVS[:2])
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
