"""Derived tables are kept between starts, keyed by the release, and rebuilt when unreadable."""

import dataclasses

from models.derived import cached


def test_a_table_is_built_once_then_read_back(mini_ref, tmp_path):
    calls = []

    def build():
        calls.append(1)
        return {"stems": ("vente",)}

    assert cached(tmp_path, "t", mini_ref, build) == {"stems": ("vente",)}
    assert cached(tmp_path, "t", mini_ref, build) == {"stems": ("vente",)}
    assert calls == [1]
    (file,) = tmp_path.glob("t-*.pickle")
    file.write_bytes(b"not a pickle")
    assert cached(tmp_path, "t", mini_ref, build) == {"stems": ("vente",)} and calls == [1, 1]


def test_another_release_gets_another_table(mini_ref, tmp_path):
    other = dataclasses.replace(
        mini_ref, release=dataclasses.replace(mini_ref.release, checksum="0" * 64)
    )
    cached(tmp_path, "t", mini_ref, lambda: 1)
    assert cached(tmp_path, "t", other, lambda: 2) == 2
    assert len(list(tmp_path.glob("t-*.pickle"))) == 2


def test_the_core_reads_the_same_stems_it_would_compute(mini_core):
    from models.evidence import ItemMatcher

    fresh = ItemMatcher(mini_core.referential, mini_core.competences.config.evidence)
    loaded = mini_core.competences.matcher
    assert fresh.stem_table() == {c: loaded.item_stems(c) for c in fresh.stem_table()}
