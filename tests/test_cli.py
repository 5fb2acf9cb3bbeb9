from passerelle.cli import main


def test_build_then_search_from_the_command_line(mini_release, tmp_path, capsys):
    args = ["--referential", str(mini_release), "--cache-dir", str(tmp_path), "--encoder", "fake"]
    assert main(["build", *args]) == 0
    out = capsys.readouterr().out
    assert "built:" in out and "appellations" in out
    assert main(["build", *args]) == 0
    assert "already built" in capsys.readouterr().out
    assert main(["search", "vendeuse boulangerie", *args, "-k", "1"]) == 0
    assert "20002" in capsys.readouterr().out


def test_errors_are_printed_not_raised(tmp_path, capsys):
    code = main(
        [
            "build",
            "--referential",
            str(tmp_path / "missing"),
            "--encoder",
            "fake",
            "--cache-dir",
            str(tmp_path),
        ]
    )
    assert code == 2
    assert "not found" in capsys.readouterr().err


def _offers_file(tmp_path):
    import json

    offers = [
        {
            "id": "o1",
            "source": "synthetic-api-a",
            "intitule": "Aide-soignant (H/F)",
            "description": "Réaliser les soins d'hygiène et de confort du patient. Rigueur.",
            "romeCode": "J1501",
            "appellationlibelle": "Aide-soignant(e)",
            "competences": [{"code": "100001", "libelle": "Soins", "exigence": "E"}],
            "qualitesProfessionnelles": [{"libelle": "Faire preuve de rigueur et de précision"}],
        },
        {
            "id": "o2",
            "source": "synthetic-it-b",
            "intitule": "Développeur web",
            "description": "Développer une application web. Concevoir une base de données.",
            "romeCode": "M1805",
            "competences": [{"code": "100006", "libelle": "BD", "exigence": "S"}],
            "qualitesProfessionnelles": ["Travailler en équipe"],
        },
    ]
    path = tmp_path / "offers.jsonl"
    path.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in offers) + "\n")
    return path


def test_eval_titles_and_competences_print_the_documented_keys(mini_release, tmp_path, capsys):
    import json

    args = ["--referential", str(mini_release), "--cache-dir", str(tmp_path), "--encoder", "fake"]
    assert main(["build", *args]) == 0
    capsys.readouterr()
    offers = str(_offers_file(tmp_path))
    assert main(["eval", "titles", "--offers", offers, "--json", *args]) == 0
    titles = json.loads(capsys.readouterr().out)
    assert titles["n"] == 2 and titles["rome_top1"] == 1.0
    assert titles["appellation_top1"] == 1.0
    assert set(titles["groups"]) == {"synthetic-api", "synthetic-it"}
    assert main(["eval", "competences", "--offers", offers, "--json", *args]) == 0
    comp = json.loads(capsys.readouterr().out)
    assert {"n", "rp@5", "recall@10", "macro_rp@5", "savoir_etre_f1", "groups"} <= comp.keys()
    assert comp["rp@5"] == 1.0  # both gold items are found in the texts


def test_tag_batch_is_resumable(mini_release, tmp_path, capsys):
    import json

    args = ["--referential", str(mini_release), "--cache-dir", str(tmp_path), "--encoder", "fake"]
    assert main(["build", *args]) == 0
    offers = _offers_file(tmp_path)
    out = tmp_path / "tags.jsonl"
    out.write_text(json.dumps({"id": "o1"}) + "\n")  # as if interrupted after the first
    assert main(["tag", str(offers), "--out", str(out), *args]) == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["id"] for line in lines] == ["o1", "o2"]
    assert lines[1]["job"]["candidates"][0]["fiche"]["code_rome"] == "M1805"
    assert "1 tagged, 1 already" in capsys.readouterr().err


def test_a_missing_artifact_is_one_line_with_its_code_not_a_traceback(tmp_path, capsys):
    code = main(["search", "boulanger", "--cache-dir", str(tmp_path), "--encoder", "e5"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error [ArtifactMissing]: no e5 encoder") and "passerelle setup" in err
    assert "Traceback" not in err
