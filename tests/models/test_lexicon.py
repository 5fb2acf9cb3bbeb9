from models.lexicon import french_words


def test_french_words_are_read_once_then_from_the_cache(tmp_path):
    words = french_words(tmp_path)
    assert {"partiel", "proche", "traumatologue", "caviste"} <= words
    assert "sognante" not in words and "chaufeur" not in words  # typos are not words
    cached = list(tmp_path.glob("french-words-*.txt"))
    assert len(cached) == 1
    cached[0].write_text("seulement\nces\nmots", encoding="utf-8")
    assert french_words(tmp_path) == {"seulement", "ces", "mots"}  # read back, not rebuilt
