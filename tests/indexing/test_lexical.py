from indexing.lexical import LexicalIndex


def _index():
    return LexicalIndex.build(
        [
            ["Aide-soignant", "Aide-soignante"],
            ["Chauffeur de poids lourd", "Chauffeuse de poids lourd"],
            ["Développeur web"],
            [],
        ]
    )


def test_typos_still_find_the_right_item():
    index = _index()
    assert index.search("aide sognante", 1)[0][0] == 0
    assert index.search("chaufeur poids lour", 1)[0][0] == 1
    assert index.search("devlopeur", 1)[0][0] == 2


def test_best_form_counts_and_scores_are_cosines():
    index = _index()
    scores = index.scores("chauffeuse de poids lourd")
    assert scores[1] > 0.99
    assert all(0.0 <= s <= 1.0 + 1e-6 for s in scores)
    assert scores[3] == 0.0


def test_unknown_text_matches_nothing_and_words_are_exposed():
    index = _index()
    assert index.search("zzzz qqqq", 3) == []
    assert "soignante" in index.words


def test_round_trip(tmp_path):
    index = _index()
    index.save(tmp_path)
    again = LexicalIndex.load(tmp_path)
    assert again.search("aide soignant", 2) == index.search("aide soignant", 2)
