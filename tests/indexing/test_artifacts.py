import json

import pytest

from indexing.artifacts import IndexSet, build_indexes
from indexing.errors import IndexMismatch
from models.encoders.fake import FakeEncoder


def test_build_writes_manifest_and_reuses_same_inputs(mini_ref, fake_encoder, tmp_path):
    folder, built = build_indexes(mini_ref, fake_encoder, tmp_path)
    assert built
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["encoder"] == {
        "name": fake_encoder.name,
        "fingerprint": fake_encoder.fingerprint,
        "dim": 256,
    }
    assert manifest["referential"] == {"release": "999", "checksum": mini_ref.release.checksum}
    assert manifest["collections"]["appellations"]["documents"] == 8
    assert {"built_at", "versions", "normalisation", "build_seconds"} <= manifest.keys()
    loaded = IndexSet.load(folder, fake_encoder, mini_ref).manifest
    assert loaded.built_at.tzinfo is not None and loaded.collections["appellations"].documents == 8
    again, built_again = build_indexes(mini_ref, fake_encoder, tmp_path)
    assert again == folder and not built_again
    assert not list(tmp_path.glob(".building-*"))


def test_other_encoder_gets_another_folder_and_is_refused_on_the_old_one(
    mini_ref, fake_encoder, tmp_path
):
    folder, _ = build_indexes(mini_ref, fake_encoder, tmp_path)
    other = FakeEncoder(dim=128)
    other_folder, _ = build_indexes(mini_ref, other, tmp_path)
    assert other_folder != folder
    with pytest.raises(IndexMismatch, match="Rebuild it with `passerelle build`"):
        IndexSet.load(folder, other, mini_ref)


def test_index_from_another_referential_is_refused(mini_ref, fake_encoder, tmp_path):
    folder, _ = build_indexes(mini_ref, fake_encoder, tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["referential"]["checksum"] = "0" * 64
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatch, match="built from referential"):
        IndexSet.load(folder, fake_encoder, mini_ref)


def test_missing_index_says_to_build(mini_ref, fake_encoder, tmp_path):
    with pytest.raises(IndexMismatch, match="passerelle build"):
        IndexSet.load(tmp_path / "nothing", fake_encoder, mini_ref)


def test_dense_and_lexical_search(mini_ref, fake_encoder, tmp_path):
    folder, _ = build_indexes(mini_ref, fake_encoder, tmp_path)
    index = IndexSet.load(folder, fake_encoder, mini_ref)["appellations"]
    dense = index.dense_search(fake_encoder.encode(["chauffeur poids lourd"]), 2)[0]
    assert dense[0].id == "11989"
    assert index.lexical_search("vendeuse boulangerie", 1)[0].id == "20002"
    assert index.vectors().shape == (8, 256)
