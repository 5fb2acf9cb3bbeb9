"""Leave-appellation-out: folds never empty a fiche, and a held-out title is truly gone."""

from evaluation.holdout_titles import eligible, evaluate, folds, without


def test_folds_leave_every_fiche_an_appellation(mini_ref):
    items = eligible(mini_ref)
    assert items and all(len(mini_ref.links[h.fiche].appellations) >= 2 for h in items)
    parts = folds(items, 2, seed=3)
    assert sorted(h.code_ogr for p in parts for h in p) == sorted(h.code_ogr for h in items)
    for part in parts:
        held = {h.code_ogr for h in part}
        for h in part:
            assert set(mini_ref.links[h.fiche].appellations) - held


def test_a_held_out_appellation_leaves_the_index_and_the_referential(mini_core):
    held = eligible(mini_core.referential)[0]
    ref, indexes = without(mini_core.referential, mini_core.indexes, {held.code_ogr})
    assert held.code_ogr not in ref.appellations
    assert held.code_ogr not in indexes["appellations"].ids
    assert all(held.code_ogr not in links.appellations for links in ref.links.values())
    assert len(indexes["appellations"].ids) == len(mini_core.indexes["appellations"].ids) - 1


def test_the_measure_reports_top1_top5_and_parent(mini_core):
    report = evaluate(mini_core, k=2, seed=0)
    assert report["titles"] == len(eligible(mini_core.referential))
    for key in ("fiche_top1", "fiche_top5", "parent_top1"):
        assert 0.0 <= report[key] <= 1.0
    assert report["fiche_top1"] <= report["fiche_top5"]
