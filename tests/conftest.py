from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexing.loader import load_referential
from indexing.referential import Referential
from models.encoders.fake import FakeEncoder
from models.runtime import Passerelle, RuntimeConfig
from service.app import create_app
from service.settings import Settings
from tests.fixtures.mini_rome import write_release


@pytest.fixture(scope="session")
def mini_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_release(tmp_path_factory.mktemp("rome") / "mini")


@pytest.fixture(scope="session")
def mini_ref(mini_release: Path) -> Referential:
    return load_referential(mini_release)


@pytest.fixture(scope="session")
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture(scope="session")
def mini_config(mini_release: Path, tmp_path_factory: pytest.TempPathFactory) -> RuntimeConfig:
    return RuntimeConfig(
        referential=mini_release,
        cache_dir=tmp_path_factory.mktemp("cache"),
        encoder="fake",
        threads=1,
    )


@pytest.fixture(scope="session")
def mini_core(mini_config: RuntimeConfig) -> Passerelle:
    return Passerelle.load(mini_config, build_missing=True)


@pytest.fixture(scope="session")
def mini_settings(mini_config: RuntimeConfig) -> Settings:
    return Settings(
        referential=mini_config.referential,
        cache_dir=mini_config.cache_dir,
        encoder="fake",
        threads=1,
    )


@pytest.fixture()
def client(mini_settings: Settings, mini_core: Passerelle) -> Iterator[TestClient]:
    app = create_app(mini_settings, loader=lambda _s: mini_core)
    with TestClient(app) as c:
        yield c
