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
