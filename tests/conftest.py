from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from indexing.loader import load_referential
from indexing.referential import Referential
from models.emerging import Coverage, EmergingConfig, EmergingDetector
from models.encoders.fake import FakeEncoder
from models.runtime import Passerelle
from models.settings import CoreSettings
from service.app import create_app
from service.settings import Settings
from tests.fixtures.mini_rome import write_release
from tests.fixtures.phrases import LinePhrases


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
def mini_config(mini_release: Path, tmp_path_factory: pytest.TempPathFactory) -> CoreSettings:
    return CoreSettings(
        referential=mini_release,
        cache_dir=tmp_path_factory.mktemp("cache"),
        encoder="fake",
        threads=1,
    )


@pytest.fixture(scope="session")
def mini_core(mini_config: CoreSettings) -> Passerelle:
    return Passerelle.load(mini_config, build_missing=True)


@pytest.fixture(scope="session")
def mini_cli_args(mini_config: CoreSettings) -> list[str]:
    """The command-line options that point `passerelle` at the mini release and its cache."""
    return [
        "--encoder",
        "fake",
        "--referential",
        str(mini_config.referential),
        "--cache-dir",
        str(mini_config.cache_dir),
    ]


@pytest.fixture(scope="session")
def mini_settings(mini_config: CoreSettings) -> Settings:
    return Settings(
        referential=mini_config.referential,
        cache_dir=mini_config.cache_dir,
        encoder="fake",
        threads=1,
        emerging=False,
    )


@pytest.fixture()
def client(mini_settings: Settings, mini_core: Passerelle) -> Iterator[TestClient]:
    # The CV readers start on the first file: 2 processes per test would cost more than the test.
    app = create_app(mini_settings, loader=lambda _s: mini_core, defer_background=True)
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="session")
def mini_emerging(mini_core: Passerelle) -> EmergingDetector:
    """The detector on the mini release, with a line-based phrase source instead of spaCy."""
    config = EmergingConfig.load()
    return EmergingDetector(
        mini_core.referential,
        mini_core.encoder,
        Coverage(mini_core.referential, mini_core.indexes),
        LinePhrases(config),
    )


@pytest.fixture()
def emerging_client(
    mini_settings: Settings, mini_core: Passerelle, mini_emerging: EmergingDetector
) -> Iterator[TestClient]:
    settings = mini_settings.model_copy(update={"emerging": True})
    app = create_app(
        settings, loader=lambda _s: mini_core, emerging_loader=lambda _c: mini_emerging
    )
    with TestClient(app) as c:
        for _ in range(100):  # the detector loads in a background thread
            if app.state.emerging is not None:
                break
            time.sleep(0.01)
        yield c
