"""The parameter files are read strictly: a misspelt, missing or mistyped key fails at load."""

from pathlib import Path

import pytest
import yaml

from indexing.errors import ConfigError
from models.affinity import AffinityConfig
from models.competences import ExtractionConfig
from models.configfile import CONFIG_DIR, SECTIONS
from models.emerging import EmergingConfig
from models.matching import MatchingConfig
from models.mobility import MobilityConfig
from models.proximity import ProximityConfig
from models.titles import TitleConfig


def _copy(tmp_path: Path, name: str, change) -> Path:
    raw = yaml.safe_load((CONFIG_DIR / name).read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_every_shipped_file_loads_with_every_key_read():
    assert set(SECTIONS) == {p.name for p in CONFIG_DIR.glob("*.yaml")}
    for load in (
        ExtractionConfig.load,
        EmergingConfig.load,
        TitleConfig.load,
        AffinityConfig.load,
        MatchingConfig.load,
        ProximityConfig.load,
        MobilityConfig.load,
    ):
        load()  # raises on a key no code reads


def test_a_misspelt_key_is_refused_with_its_path(tmp_path):
    def misspell(raw):
        raw["ranking"]["order_decy"] = raw["ranking"].pop("order_decay")

    path = _copy(tmp_path, "competences.yaml", misspell)
    with pytest.raises(ConfigError, match="missing key 'order_decay'"):
        ExtractionConfig.load(path)

    def add(raw):
        raw["weights"]["contxt"] = 0.5

    with pytest.raises(ConfigError, match=r"unknown key\(s\) titles.yaml.weights.contxt"):
        TitleConfig.load(_copy(tmp_path, "titles.yaml", add))


def test_a_wrong_type_and_an_unknown_section_are_refused(tmp_path):
    def retype(raw):
        raw["matching"]["core_bonus"] = "a lot"

    with pytest.raises(ConfigError, match=r"mobility\.yaml:matching: expected a number, found 'a"):
        MatchingConfig.load(_copy(tmp_path, "mobility.yaml", retype))

    def boolean(raw):
        raw["affinity"]["semantic_k"] = True  # YAML's "yes": not a count

    with pytest.raises(ConfigError, match="expected a whole number, found True"):
        AffinityConfig.load(_copy(tmp_path, "mobility.yaml", boolean))

    def words_as_list(raw):
        raw["generic"] = ["a", "list"]  # the file writes words as one string

    with pytest.raises(ConfigError, match="expected text, found list"):
        EmergingConfig.load(_copy(tmp_path, "emerging.yaml", words_as_list))

    def bad_pattern(raw):
        raw["boilerplate"] = ["(unclosed"]

    with pytest.raises(ConfigError, match="wrong type or form"):
        ExtractionConfig.load(_copy(tmp_path, "competences.yaml", bad_pattern))

    def extra(raw):
        raw["matchng"] = {}

    with pytest.raises(ConfigError, match=r"unknown section.*matchng"):
        AffinityConfig.load(_copy(tmp_path, "mobility.yaml", extra))
