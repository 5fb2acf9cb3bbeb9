import pytest
from pydantic import ValidationError

from service.settings import Settings


def test_env_prefix_and_defaults(monkeypatch):
    monkeypatch.setenv("PASSERELLE_ENCODER", "use")
    monkeypatch.setenv("PASSERELLE_PORT", "8123")
    settings = Settings()
    assert (settings.encoder, settings.port, settings.host) == ("use", 8123, "127.0.0.1")


def test_public_bind_must_be_deliberate():
    with pytest.raises(ValidationError, match="ALLOW_PUBLIC_BIND"):
        Settings(host="0.0.0.0")
    assert Settings(host="0.0.0.0", allow_public_bind=True).host == "0.0.0.0"


def test_unknown_encoder_is_refused():
    with pytest.raises(ValidationError):
        Settings(encoder="bert-large")


def test_a_misspelt_variable_is_refused_not_ignored(monkeypatch):
    monkeypatch.setenv("PASSERELLE_THREAD", "4")  # PASSERELLE_THREADS
    with pytest.raises(ValidationError, match=r"unknown setting.*PASSERELLE_THREAD.*THREADS"):
        Settings()
    monkeypatch.delenv("PASSERELLE_THREAD")
    monkeypatch.setenv("PASSERELLE_NB_OFFERS", "offers.jsonl")  # the notebooks' own
    assert Settings().threads is None


def test_the_core_part_gives_the_service_a_share_of_the_cores(monkeypatch):
    import os

    cores = len(os.sched_getaffinity(0))
    settings = Settings(heavy_requests=2, cv_workers=3)
    served, command_line = settings.core(serving=True), settings.core()
    assert served.encoder_threads() == max(1, cores // 2)
    assert command_line.encoder_threads() == cores
    assert served.cv_limits().workers == 3 and served.referential == settings.referential
    assert Settings(threads=3).core(serving=True).encoder_threads() == 3


def test_the_core_knows_the_server_settings_and_the_projects_variables():
    import re
    from pathlib import Path

    from models.settings import OTHER_VARIABLES, SERVER_SETTINGS, CoreSettings

    assert set(Settings.model_fields) - set(CoreSettings.model_fields) == SERVER_SETTINGS
    root = Path(__file__).resolve().parents[2]
    used = set()
    for path in [*root.glob("[a-z]*/**/*.py"), *root.glob("scripts/*.sh"), *root.glob("*.md")]:
        if ".venv" not in path.parts:
            used |= set(re.findall(r"PASSERELLE_[A-Z][A-Z_]*[A-Z]", path.read_text("utf-8")))
    settings = {f"PASSERELLE_{n.upper()}" for n in Settings.model_fields}
    assert used - settings - OTHER_VARIABLES <= {"PASSERELLE_THREAD"}  # the misspelling below


def test_a_bad_variable_is_one_line_on_the_command_line(monkeypatch, capsys):
    from passerelle.cli import main

    monkeypatch.setenv("PASSERELLE_THREADS", "many")
    assert main(["search", "boulanger"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error [ConfigError]: threads:") and "Traceback" not in err
