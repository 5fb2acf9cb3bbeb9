"""The evaluation notebooks run end to end on the mini release, so they cannot rot; and each
.ipynb says what its paired .py (the reviewed text) says."""

import json
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

from tests.fixtures.offers import write_offers

NOTEBOOKS = Path(__file__).resolve().parents[2] / "evaluation" / "notebooks"
NAMES = ("titles_errors", "competences", "emerging")


@pytest.mark.parametrize("name", NAMES)
def test_ipynb_is_in_sync_with_its_py(name):
    text = jupytext.read(NOTEBOOKS / f"{name}.py")
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    assert [c.source for c in text.cells] == [c.source for c in notebook.cells], (
        f"run `jupytext --sync evaluation/notebooks/{name}.py`"
    )


@pytest.mark.slow  # a Jupyter kernel per notebook
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_end_to_end(name, mini_core, mini_config, tmp_path, monkeypatch):
    monkeypatch.setenv("PASSERELLE_REFERENTIAL", str(mini_config.referential))
    monkeypatch.setenv("PASSERELLE_CACHE_DIR", str(mini_config.cache_dir))
    monkeypatch.setenv("PASSERELLE_ENCODER", "fake")
    monkeypatch.setenv("PASSERELLE_NB_OFFERS", str(write_offers(tmp_path / "offers.jsonl")))
    monkeypatch.setenv("PASSERELLE_NB_DOCUMENTS", "4")
    monkeypatch.setenv("PASSERELLE_NB_PLANTED", "1")
    gold = tmp_path / "gold.jsonl"
    mention = {"quote": "Conduire un poids lourd", "kind": "savoir_faire", "codes": ["100003"]}
    gold.write_text(json.dumps({"id": "n2", "mentions": [mention]}) + "\n", encoding="utf-8")
    monkeypatch.setenv("PASSERELLE_NB_GOLD", str(gold))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(Path(__file__).resolve().parents[2])}},
    )
    client.execute()
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors
    printed = "".join(
        o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs
    )
    assert printed  # each notebook shows its figures as text too
