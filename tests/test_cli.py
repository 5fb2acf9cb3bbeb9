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
