from evaluation.emerging import without_twins
from models.emerging import Coverage


def test_only_held_out_items_without_a_kept_twin_are_planted(mini_core):
    ref, indexes = mini_core.referential, mini_core.indexes

    def plantable(held: set[str]) -> set[str]:
        return without_twins(ref, indexes, held, Coverage(ref, indexes, exclude=held))

    # "Réaliser les soins d'hygiène et de confort du patient" stays worded in ROME by its
    # macro-compétence "Réaliser des soins d'hygiène et de confort": not really held out.
    assert plantable({"100001", "100003"}) == {"100003"}
    # Held out together, neither has a kept twin any more.
    assert plantable({"100001", "300100"}) == {"100001", "300100"}
