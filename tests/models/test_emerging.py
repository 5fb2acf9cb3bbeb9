import re

import numpy as np
import pytest

from evaluation.emerging import holdout, paraphrase
from indexing.errors import InvalidInput
from models.emerging import CorpusDocument, Coverage, EmergingDetector, documents_from_jsonl
from models.titles import TitleQuery
from tests.fixtures.phrases import OPENINGS

NEW = "Rédiger des prompts pour l'IA générative"


def _docs(n_new=3, extra=()):
    docs = []
    for i in range(n_new):
        docs.append(
            CorpusDocument(
                f"o{i}",
                f"{OPENINGS[i]}\nConduire un poids lourd\n{NEW}\nTexte {i}",
                date=f"2026-0{i + 1}-01",
                employer=f"E{i}",
            )
        )
    for i, text in enumerate(extra):
        docs.append(CorpusDocument(f"x{i}", text, date="2025-06-01", employer="E9"))
    return docs


def test_new_phrases_are_candidates_and_known_items_are_covered(mini_emerging):
    report = mini_emerging.analyse(_docs(extra=("Une autre offre",) * 3), k=10)
    labels = [c.label for c in report.candidates]
    assert NEW in labels
    assert "Conduire un poids lourd" not in labels  # an existing competence, word for word
    assert report.covered >= 1
    new = report.candidates[labels.index(NEW)]
    assert new.documents == 3 and new.spread == 3
    assert [e.document for e in new.examples] == ["o0", "o1", "o2"]
    assert new.nearest and 0 <= new.novelty <= 1
    assert new.trend is not None and new.trend > 0  # cited more in the recent half


def test_rare_phrases_and_empty_corpora(mini_emerging):
    report = mini_emerging.analyse(_docs(n_new=1), k=10)
    assert NEW not in [c.label for c in report.candidates]  # one document is not a trend
    with pytest.raises(InvalidInput):
        mini_emerging.analyse([])


def test_coverage_without_an_item_no_longer_covers_it(mini_core, mini_emerging):
    blind = EmergingDetector(
        mini_core.referential,
        mini_core.encoder,
        Coverage(mini_core.referential, mini_core.indexes, exclude={"100003"}),
        mini_emerging.extractor,
    )
    labels = [c.label for c in blind.analyse(_docs(), k=10).candidates]
    assert "Conduire un poids lourd" in labels


def test_corpus_rows_in_offer_format():
    docs = documents_from_jsonl(
        [
            {
                "id": "a",
                "description": "texte",
                "intitule": "Data engineer (H/F)",
                "dateCreation": "2026-01-02T10:00:00Z",
                "codeNAF": "62.01Z",
            },
            {"text": "autre"},
        ]
    )
    assert (docs[0].title, docs[0].employer, docs[1].id) == ("Data engineer (H/F)", "62.01Z", "1")
    with pytest.raises(InvalidInput):
        documents_from_jsonl([{"text": 3}])


def test_holdout_sample_and_paraphrases_are_seeded(mini_ref):
    import random

    assert holdout(mini_ref, 1) == holdout(mini_ref, 1)
    text = paraphrase("Réaliser les soins (hygiène)", True, random.Random(0))
    assert "(" not in text and "soins" in text


def test_skill_likeness_learns_the_corpus_covered_phrases_as_skills(mini_emerging):
    # Phrases worded like the offer talk around them, which ROME labels alone would not
    # teach as skills (mean 0.25 without them): the corpus says ROME covers them.
    talk = {f"avantage salarié numéro {i}" for i in range(40)}
    skills = [f"avantage salarié carrosserie {i}" for i in range(40)]
    vectors = mini_emerging.encoder.encode(skills + sorted(talk))
    covered = list(range(len(skills)))
    likeness = mini_emerging._skill_likeness(talk, vectors, covered)
    assert likeness is not None
    assert likeness[: len(skills)].mean() > 0.5 > likeness[len(skills) :].mean()
    assert mini_emerging._skill_likeness(talk, vectors, [])[: len(skills)].mean() < 0.5
    # Too little offer talk to learn from: no model, every phrase neutral.
    assert mini_emerging._skill_likeness(set(sorted(talk)[:5]), vectors, covered) is None


def test_examples_name_each_document_once(mini_emerging):
    docs = [
        CorpusDocument(f"d{i}", f"{OPENINGS[i]}\n{NEW}\n{NEW} générative\n{OPENINGS[i + 2]}")
        for i in range(2)
    ]
    (candidate,) = [c for c in mini_emerging.analyse(docs, k=10).candidates if c.variants]
    assert candidate.variants == (f"{NEW} générative",)  # the two lines are one candidate
    assert [e.document for e in candidate.examples] == ["d0", "d1"]


def test_a_phrase_naming_a_rome_job_is_covered(mini_core, mini_emerging):
    title = "Vendeur en alimentation"  # appellation 20001, said as a skill phrase
    docs = [CorpusDocument(f"t{i}", f"{title}\nTexte {i}") for i in range(3)]
    assert title not in [c.label for c in mini_emerging.analyse(docs, k=10).candidates]
    blind = EmergingDetector(
        mini_core.referential,
        mini_core.encoder,
        Coverage(mini_core.referential, mini_core.indexes, exclude={"20001"}),
        mini_emerging.extractor,
    )
    assert title in [c.label for c in blind.analyse(docs, k=10).candidates]


class _Finds:
    """Phrase source that reports the given phrases: each at its first occurrence, wherever
    it sits; or, `listed`, at every place it is an item of a comma list."""

    def __init__(self, config, phrases, listed=False):
        self.config, self.wanted, self.listed = config, phrases, listed

    def phrases(self, texts):
        out = []
        for text in texts:
            found = []
            for phrase in self.wanted:
                if self.listed:
                    spans = [m.span() for m in re.finditer(rf"(?<=[:,] ){phrase}(?=[,.])", text)]
                else:
                    at = text.find(phrase)
                    spans = [] if at < 0 else [(at, at + len(phrase))]
                found += [(phrase.lower(), phrase, s, e, False) for s, e in spans]
            out.append(found)
        return out


def _finding(phrases, mini_core, mini_emerging, listed=False, coverage=None, config=None):
    """The mini detector with a phrase source that finds only `phrases` (see `_Finds`)."""
    return EmergingDetector(
        mini_core.referential,
        mini_core.encoder,
        coverage or mini_emerging.coverage,
        _Finds(mini_emerging.config, phrases, listed),
        config,
    )


def test_a_skill_written_as_one_outranks_the_same_words_in_prose(mini_core, mini_emerging):
    detector = _finding([NEW], mini_core, mini_emerging)

    def best(prefix):
        docs = [
            CorpusDocument(f"o{i}", f"Texte {i}\n{prefix}{NEW}\nFin", employer=f"E{i}")
            for i in range(3)
        ]
        return detector.analyse(docs, k=1).candidates[0]

    bullet, asked, prose = best("- "), best("Maîtrise de "), best("Nous aimons ")
    assert (bullet.stated, asked.stated, prose.stated) == (1.0, 1.0, 0.0)
    weight = mini_emerging.config.stated_weight
    assert 0 < weight < 1
    assert prose.score == pytest.approx(bullet.score * (1 - weight), abs=1e-3)


@pytest.mark.parametrize(
    ("before", "stated"),
    [
        ("Profil :\n- ", True),
        ("Vos missions :• ", True),  # bullets run into one line
        ("Missions\n  4. ", True),
        ("Bonnes connaissances en ", True),
        ("Capacité à ", True),
        ("Nous apportons des ", False),
        ("Data-", False),  # a hyphen inside a word is no bullet
    ],
)
def test_what_counts_as_written_as_a_skill(before, stated):
    from models.emerging import _stated

    text = before + "solutions logicielles"
    assert _stated(text, len(before)) is stated


def test_reposts_of_one_offer_count_once(mini_emerging):
    # Reposts differ by a detail (here the town): one employer said it once.
    offer = f"{OPENINGS[0]}\n{NEW}\nContrat à durée indéterminée, prise de poste rapide à {{}}"
    towns = ("Dijon", "Beaune", "Auxerre")
    copies = [CorpusDocument(f"r{i}", offer.format(town)) for i, town in enumerate(towns)]
    report = mini_emerging.analyse(copies, k=10)
    assert report.reposts == 2
    assert NEW not in [c.label for c in report.candidates]
    others = [CorpusDocument(f"o{i}", f"{OPENINGS[i]}\n{NEW}") for i in (1, 2)]
    report = mini_emerging.analyse(copies + others, k=10)
    (new,) = [c for c in report.candidates if c.label == NEW]
    assert (new.documents, new.independent, new.spread) == (5, 3, 3)


def test_a_job_title_counts_each_independent_offer(mini_emerging):
    docs = [CorpusDocument(f"t{i}", OPENINGS[i], title="Prompt engineer (H/F)") for i in range(3)]
    (title,) = [c for c in mini_emerging.analyse(docs, k=10).candidates if c.kind == "job_title"]
    assert title.label == "Prompt engineer"
    assert (title.documents, title.independent, title.spread) == (3, 3, 3)


def test_every_form_of_an_appellation_covers_titles(mini_emerging):
    # "Chauffeur / Chauffeuse de poids lourd": the words of the second form count too.
    assert mini_emerging.coverage.lexical("Chauffeuse de poids lourd", titles=True) == 1.0


def test_one_template_before_different_lists_counts_once(mini_emerging):
    # The same lead sentence in three offers of one group, each followed by its own text:
    # only the words before the mention match, and they are long enough to tell a copy.
    lead = "Vous apporterez vos compétences à nos équipes engagées auprès de grands comptes :"

    def labels(lead):
        docs = [
            CorpusDocument(f"g{i}", f"{OPENINGS[i]}\n{lead}\n{NEW}\n{OPENINGS[i + 1]}")
            for i in range(3)
        ]
        return [c.label for c in mini_emerging.analyse(docs, k=10).candidates]

    assert NEW not in labels(lead)
    assert NEW in labels("Profil recherché :")  # a short common header is no template


def test_reposts_do_not_make_a_trend(mini_emerging):
    def doc(i, text, date):
        return CorpusDocument(f"d{i}", text, date=date)

    tail = "Contrat à durée indéterminée, prise de poste rapide à {}"
    corpus = [
        doc(0, f"{OPENINGS[0]}\n{NEW}", "2026-01-01"),
        doc(1, f"{OPENINGS[1]}\n{NEW}", "2026-01-05"),
        doc(2, f"{OPENINGS[2]}\n{NEW}\n" + tail.format("Dijon"), "2026-06-01"),
        doc(3, OPENINGS[3], "2026-01-02"),
        doc(4, OPENINGS[4], "2026-06-02"),
    ]
    reposts = [
        doc(5 + n, corpus[2].text.replace("Dijon", t), "2026-06-03")
        for n, t in enumerate(("Beaune", "Auxerre"))
    ]

    def trend(docs):
        (new,) = [c for c in mini_emerging.analyse(docs, k=10).candidates if c.label == NEW]
        return new.trend

    assert trend(corpus) is not None
    assert trend(corpus + reposts) == trend(corpus)


def test_a_phrase_heading_a_colon_is_no_skill(mini_core, mini_emerging):
    header = "Le poste en quelques mots"
    detector = _finding([header], mini_core, mini_emerging)

    def labels(after):
        docs = [CorpusDocument(f"h{i}", f"{OPENINGS[i]}\n{header}{after}") for i in range(3)]
        return [c.label for c in detector.analyse(docs, k=10).candidates]

    assert header not in labels(" : vous préparez les commandes.")
    assert header not in labels("\xa0:\nvous préparez les commandes.")
    assert header in labels(", vous préparez les commandes.")


def test_a_skill_phrase_with_the_words_of_an_appellation_is_covered(mini_emerging):
    assert mini_emerging.coverage.names_title("VENDEUSE EN ALIMENTATION")
    assert not mini_emerging.coverage.names_title("alimentation")  # a piece is no name
    docs = [CorpusDocument(f"v{i}", f"{OPENINGS[i]}\nalimentation vendeuse") for i in range(3)]
    labels = [c.label for c in mini_emerging.analyse(docs, k=10).candidates]
    assert "alimentation vendeuse" not in labels


@pytest.mark.parametrize(
    ("text", "name", "among"),
    [
        ("Stack : Java, Spark, Databricks et Power BI.", "Databricks", True),
        ("Développer des jobs Spark, Hadoop ou Java pour l'ingestion.", "Hadoop", True),
        ("Postes basés à Annecy, Genève ou Lyon.", "Genève", False),  # no tool in the list
        ("Vous maîtrisez Databricks et Java.", "Databricks", False),  # a clause, not an item
        ("Stack (Java) ; Databricks, Kafka.", "Databricks", False),  # another clause
        ("Nos pôles : Cloud & Java.", "Cloud", False),  # "&" names a team, not a list
        ("Tech Lead Java / Kotlin F/H", "Kotlin", True),  # the gender mark is no item
    ],
)
def test_what_counts_as_listed_with_tools(mini_ref, text, name, among):
    from models.emerging import _among_tools, tool_savoirs

    tools = frozenset(tool_savoirs(mini_ref))
    assert "java" in tools  # "Langage Java", a ROME programming language
    start = text.index(name)
    assert bool(_among_tools(text, start, start + len(name), tools)) is among


def _top_of_three(detector, line):
    """The best candidate of three documents that each write `line` after their own opening."""
    docs = [CorpusDocument(f"t{i}", f"{OPENINGS[i]}\n{line}") for i in range(3)]
    return detector.analyse(docs, k=1).candidates[0]


def test_a_name_listed_with_tools_ranks_as_a_skill(mini_core, mini_emerging):
    # e5 (here the fake encoder) puts an unknown name far from every item: by closeness alone
    # it would rank as offer talk. The list it sits in says it is a tool.
    detector = _finding(["Databricks"], mini_core, mini_emerging)
    with_a_rome_tool = _top_of_three(detector, "Partenaires : Java, Databricks, Kafka.")
    with_unknown_names = _top_of_three(detector, "Partenaires : Databricks, Kafka, Airflow.")
    assert with_a_rome_tool.stated == 1.0
    assert with_a_rome_tool.score > with_unknown_names.score
    # The curator sees which ROME tool it was listed beside.
    assert [(t.code, t.label, t.mentions) for t in with_a_rome_tool.listed_with] == [
        ("200003", "Langage Java", 3)
    ]
    assert with_unknown_names.listed_with == ()


def test_names_a_word_for_software_lists_are_tools(mini_core, mini_emerging):
    # ROME names none of them, but "cloud" says what they are.
    detector = _finding(["Databricks"], mini_core, mini_emerging)
    best = _top_of_three(detector, "Environnements cloud (Databricks, Kafka).")
    assert best.label == "Databricks" and best.stated == 1.0
    assert best.listed_with == ()  # beside no tool ROME knows


@pytest.mark.parametrize(
    ("text", "name", "listed"),
    [
        ("Gérer les environnements cloud (AWS, Azure, GCP).", "Azure", True),
        ("Outils : Jira, Confluence.", "Jira", True),
        ("cloud souverain (Scaleway, OVHcloud) et on-prem", "Scaleway", True),
        ("Nos partenaires : AWS, Google, Microsoft.", "Google", False),  # what, not which tool
        ("Agences (Annecy, Genève).", "Genève", False),
        ("Outils : Jira.", "Jira", False),  # one name is no list
        ("Vous maîtrisez les outils AWS, Azure.", "Azure", False),  # no list opens there
    ],
)
def test_what_a_word_for_software_opens(text, name, listed):
    from models.emerging import _listed_as_tools

    start = text.index(name)
    assert _listed_as_tools(text, start, start + len(name)) is listed


def test_offers_relayed_as_html_are_read_as_text(mini_core, mini_emerging):
    # "&#xa0;" ends in a semicolon: read raw, each item of this list is a clause of its own.
    detector = _finding(["Databricks"], mini_core, mini_emerging)
    docs = [
        CorpusDocument(f"h{i}", f"{OPENINGS[i]}&lt;br /&gt;Outils :&#xa0;Java,&#xa0;Databricks.")
        for i in range(3)
    ]
    best = detector.analyse(docs, k=1).candidates[0]
    assert best.label == "Databricks" and best.stated == 1.0
    assert all("&" not in e.snippet and "  " not in e.snippet for e in best.examples)


@pytest.mark.parametrize(
    ("text", "phrase", "stated"),
    [
        ("Missions :\n- Contrôler les éclairages défectueux", "Contrôler", True),
        ("Signaler les anomalies\n(éclairages défectueux, fuites d'eau)", "éclairages", False),
        ("Maîtrise des outils (Excel, Covadis)", "Covadis", False),
        ("Maîtrise de Covadis", "Covadis", True),
    ],
)
def test_words_in_an_aside_are_not_written_as_a_skill(text, phrase, stated):
    from models.emerging import _stated

    assert _stated(text, text.index(phrase)) is stated


def test_tool_names_leave_out_words_other_labels_use(mini_ref):
    from models.emerging import tool_savoirs

    names = set(tool_savoirs(mini_ref))
    assert {"java", "langage java"} <= names  # the name, and the label written as a name
    # "Java" is also in one appellation ("Développeur / Développeuse Java"): had ROME used it in
    # that many labels outside software, it would be an ordinary word, not a tool's name.
    assert "java" not in tool_savoirs(mini_ref, elsewhere=1)


def test_a_tool_name_of_several_words_is_found_inside_a_list_item():
    from models.emerging import _among_tools

    text = "Développer des modèles de Machine Learning, Deep Learning et LLM/RAG."
    start = text.index("LLM")
    assert _among_tools(text, start, start + 3, frozenset({"machine learning"}))
    assert not _among_tools(text, start, start + 3, frozenset({"learning machine"}))


@pytest.mark.parametrize(("listed_with", "documents"), [("Java", 3), ("Airflow", None)])
def test_a_name_listed_with_a_known_tool_counts_where_prose_mentions_it(
    mini_core, mini_emerging, listed_with, documents
):
    detector = _finding(["MLOps"], mini_core, mini_emerging, listed=True)
    docs = [
        CorpusDocument("l", f"{OPENINGS[0]}\nPartenaires : {listed_with}, MLOps, Kafka."),
        CorpusDocument("p1", f"{OPENINGS[1]}\nConcevoir des pipelines MLOps complets."),
        CorpusDocument("p2", f"{OPENINGS[2]}\nDes architectures MLOps robustes."),
        CorpusDocument("x", f"{OPENINGS[3]}\nNos outils MLOpsFlow et mlops."),  # not the name
    ]
    found = {c.label: c for c in detector.analyse(docs, k=5).candidates}
    if documents is None:  # no tool ROME knows in the list: one document names it
        assert "MLOps" not in found
    else:
        assert found["MLOps"].documents == documents
        assert found["MLOps"].stated == 1.0


def test_the_tool_list_not_e5_says_a_listed_name_is_a_skill(mini_core, mini_emerging, monkeypatch):
    # e5 has never seen "MLOps" and the corpus classifier finds it unlike a skill; the list
    # it sits in, beside a tool ROME knows, says otherwise. A phrase in no list keeps the
    # classifier's word.
    docs = [
        CorpusDocument(f"l{i}", f"{OPENINGS[i]}\nOutils : Java, MLOps, Kafka.\n- {NEW}")
        for i in range(3)
    ]

    def score(phrase, listed, likeness):
        detector = _finding([phrase], mini_core, mini_emerging, listed=listed)
        monkeypatch.setattr(
            detector, "_skill_likeness", lambda talk, vectors, covered: likeness(len(vectors))
        )
        return detector.analyse(docs, k=1).candidates[0].score

    def unlike(n):
        return np.full(n, 0.2)

    def neutral(n):
        return None

    assert score("MLOps", True, unlike) == pytest.approx(score("MLOps", True, neutral))
    assert score(NEW, False, unlike) == pytest.approx(0.2 * score(NEW, False, neutral), abs=1e-3)


def test_a_team_list_teaches_no_tools(mini_ref, mini_emerging):
    from models.emerging import _among_tools, tool_savoirs

    tools = frozenset(tool_savoirs(mini_ref))
    text = "Une équipe agile (PO, Développeuse Java, Java, QA)."
    start = text.index("PO")
    assert _among_tools(text, start, start + 2, tools) == {"java"}
    # "Développeuse Java" is an appellation's form, word for word: the PO is a role.
    assert not _among_tools(text, start, start + 2, tools, mini_emerging.coverage.is_job_name)
    assert not mini_emerging.coverage.is_job_name("Développeuse")


def test_a_name_listed_beside_a_learned_name_is_a_tool_too(mini_core, mini_emerging):
    detector = _finding(["LLM", "RAG", "Qdrant"], mini_core, mini_emerging, listed=True)
    docs = [
        CorpusDocument("a", f"{OPENINGS[0]}\nOutils : Java, LLM."),  # LLM: beside a ROME tool
        CorpusDocument("b", f"{OPENINGS[1]}\nModèles : LLM, RAG."),  # RAG: beside LLM
        CorpusDocument("c", f"{OPENINGS[2]}\nDépasser les approches RAG classiques."),
        CorpusDocument("d", f"{OPENINGS[3]}\nBases : RAG, Qdrant."),
        CorpusDocument("e", f"{OPENINGS[4]}\nUne base Qdrant rapide."),
    ]
    found = {c.label: c for c in detector.analyse(docs, k=10).candidates}
    # Listed; its prose mention counts too, as a tool's.
    assert sorted(e.document for e in found["RAG"].examples) == ["b", "c", "d"]
    assert found["RAG"].stated == 1.0
    assert found["RAG"].listed_with == ()  # beside no tool ROME knows
    # One round only: Qdrant, listed beside a name learned in that round, is not a tool, so
    # its prose mention is not read and one document is no candidate.
    assert "Qdrant" not in found


def test_a_name_a_rome_job_is_named_after_is_covered(mini_core, mini_emerging):
    # Without the savoir "Langage Java", ROME still names a job after Java.
    blind = _finding(
        ["Java", "gériatrie"],
        mini_core,
        mini_emerging,
        listed=True,
        coverage=Coverage(mini_core.referential, mini_core.indexes, exclude={"200003"}),
    )
    docs = [
        CorpusDocument(f"j{i}", f"{OPENINGS[i]}\nOutils : Java, gériatrie, soins.")
        for i in range(3)
    ]
    labels = [c.label for c in blind.analyse(docs, k=10).candidates]
    # "Développeur / Développeuse Java" holds the name; "gériatrie", a word of a job title
    # ("Aide-soignant en gériatrie") but no name, is not covered by it.
    assert "Java" not in labels and "gériatrie" in labels


def test_a_known_name_under_the_word_for_its_kind_is_covered(mini_core, mini_emerging):
    found = ["applications JAVA", "applications KOTLIN", "JAVA lutherie"]
    detector = _finding(found, mini_core, mini_emerging, listed=True)
    # "JAVA lutherie" on a line of its own, where the openings make its context differ.
    docs = [
        CorpusDocument(
            f"k{i}",
            f"Outils : JAVA lutherie.\n{OPENINGS[i]}\nOutils : applications JAVA, "
            "applications KOTLIN.",
        )
        for i in range(3)
    ]
    labels = [c.label for c in detector.analyse(docs, k=10).candidates]
    # "Langage Java" names JAVA; nothing in ROME names KOTLIN.
    assert "applications JAVA" not in labels and "applications KOTLIN" in labels
    # A name is what a phrase is about only when no word of it is rarer in ROME's labels
    # ("CAP métallier": many diplomas are CAPs, one is the metalworker's).
    assert "JAVA lutherie" in labels


def test_a_word_cut_by_the_clause_window_is_not_read(mini_ref):
    from models.emerging import _among_tools

    # 200 characters before "LLM" the window cuts "Vos" into "os", the name of a ROME tool.
    text = "Vos missions " + "x" * 180 + " Azure, LLM, RAG"
    start = text.index("LLM")
    assert text[start - 200 : start - 198] == "os"
    assert not _among_tools(text, start, start + 3, frozenset({"os"}))
    listed = "Outils : os, LLM."
    at = listed.index("LLM")
    assert _among_tools(listed, at, at + 3, frozenset({"os"})) == {"os"}  # a whole word is


def test_a_list_is_read_within_its_clause(mini_ref):
    from models.emerging import _among_tools, tool_savoirs

    # A tool 300 characters before, with no full stop between: not an item of this list.
    text = "Java, " + "x " * 150 + ", Databricks, Kafka"
    start = text.index("Databricks")
    assert not _among_tools(
        text, start, start + len("Databricks"), frozenset(tool_savoirs(mini_ref))
    )


def _reading_titles(mini_core, mini_emerging):
    """The mini detector, with the title resolver that places candidates by their offers."""
    return EmergingDetector(
        mini_core.referential,
        mini_core.encoder,
        mini_emerging.coverage,
        mini_emerging.extractor,
        titles=mini_core.titles,
    )


def test_a_skill_goes_to_the_fiches_of_the_offers_that_ask_for_it(mini_core, mini_emerging):
    detector = _reading_titles(mini_core, mini_emerging)
    titles = ["Développeur Java (H/F)", "Développeuse Java", "Aide-soignant", None]
    docs = [
        CorpusDocument(f"j{i}", f"{OPENINGS[i]}\n{NEW}", title=title)
        for i, title in enumerate(titles)
    ]
    new = next(c for c in detector.analyse(docs, k=10).candidates if c.label == NEW)
    # Three titled offers: two developers, one nurse aide; the untitled one does not vote.
    assert [(f.code, f.similarity) for f in new.fiches] == [("M1805", 0.6667), ("J1501", 0.3333)]
    # Without titles (or without a resolver), the fiches of the nearest ROME items.
    untitled = [CorpusDocument(d.id, d.text) for d in docs]
    fallback = next(c for c in detector.analyse(untitled, k=10).candidates if c.label == NEW)
    listed_by = {
        code
        for near in fallback.nearest
        for code, links in mini_core.referential.links.items()
        if near.code in (*links.savoir_faire, *links.savoirs)
    }
    assert fallback.fiches and {f.code for f in fallback.fiches} <= listed_by


def _reading_descriptions(mini_core, mini_emerging, monkeypatch, seen=None):
    """`_reading_titles`, with a resolver that reads an offer about a web application as a
    Java developer's: the fake encoder cannot read a description, so this stands in for it.
    The queries it receives go to `seen`."""
    resolve = mini_core.titles.resolve

    def reading(query, k=5):
        if seen is not None:
            seen.append(query)
        if query.description and "application web" in query.description:
            return resolve(TitleQuery("Développeur Java"), k)
        return resolve(query, k)

    monkeypatch.setattr(mini_core.titles, "resolve", reading)
    return _reading_titles(mini_core, mini_emerging)


def test_a_new_title_goes_where_the_offers_bearing_it_go(mini_core, mini_emerging, monkeypatch):
    # The title alone names no ROME job; read with its offer's text, the resolver places it.
    seen: list[TitleQuery] = []
    detector = _reading_descriptions(mini_core, mini_emerging, monkeypatch, seen)
    docs = [
        CorpusDocument(f"t{i}", f"{OPENINGS[i]}\nDévelopper une application web", "Tech Lead")
        for i in range(3)
    ]
    (title,) = [c for c in detector.analyse(docs, k=10).candidates if c.kind == "job_title"]
    assert title.label == "Tech Lead"
    assert [(f.code, f.similarity) for f in title.fiches] == [("M1805", 1.0)]
    assert {q.description for q in seen if q.description} == {d.text for d in docs}


def test_a_skill_of_offers_whose_titles_alone_are_unsure_goes_by_their_text(
    mini_core, mini_emerging, monkeypatch
):
    detector = _reading_descriptions(mini_core, mini_emerging, monkeypatch)
    docs = [
        CorpusDocument(
            f"u{i}", f"{OPENINGS[i]}\n{NEW}\nDévelopper une application web", "Tech Lead"
        )
        for i in range(3)
    ]
    assert mini_core.titles.resolve(TitleQuery("Tech Lead")).abstained
    new = next(c for c in detector.analyse(docs, k=10).candidates if c.label == NEW)
    assert [(f.code, f.similarity) for f in new.fiches] == [("M1805", 1.0)]


def test_a_name_rome_never_wrote_raises_a_skill(mini_core, mini_emerging):
    from dataclasses import replace

    def scores(bonus):
        detector = _finding(
            ["ateliers Java", "ateliers Kotlin"],
            mini_core,
            mini_emerging,
            listed=True,
            config=replace(mini_emerging.config, unknown_name_bonus=bonus),
        )
        docs = [
            CorpusDocument(f"n{i}", f"{OPENINGS[i]}\nOutils : ateliers Java, ateliers Kotlin.")
            for i in range(3)
        ]
        return {c.label: c.score for c in detector.analyse(docs, k=10).candidates}

    assert mini_emerging.config.unknown_name_bonus > 0  # on in the shipped configuration
    plain, raised = scores(0.0), scores(0.5)
    assert raised["ateliers Kotlin"] == pytest.approx(1.5 * plain["ateliers Kotlin"], abs=1e-3)
    assert raised["ateliers Java"] == plain["ateliers Java"]  # "Langage Java" wrote it


def test_a_name_no_offer_places_goes_to_no_fiche(mini_core, mini_emerging):
    detector = _finding(["Databricks"], mini_core, mini_emerging)
    docs = [CorpusDocument(f"d{i}", f"{OPENINGS[i]}\nOutils : Java, Databricks.") for i in range(3)]
    (name,) = [c for c in detector.analyse(docs, k=10).candidates if c.label == "Databricks"]
    assert name.nearest  # still shown, for what they are worth
    assert name.fiches == ()  # but not turned into a placement by its letters


def test_praise_is_no_part_of_the_words_a_phrase_is_covered_by(mini_emerging):
    # "Concevoir une base de données": praise leaves its words, another qualifier does not.
    docs = [
        CorpusDocument(
            f"p{i}", f"{OPENINGS[i]}\nbase de données robuste\nbase de données relationnelle"
        )
        for i in range(3)
    ]
    labels = [c.label for c in mini_emerging.analyse(docs, k=10).candidates]
    assert "base de données relationnelle" in labels
    assert "base de données robuste" not in labels


def test_words_many_labels_use_weigh_less_in_the_lexical_test(mini_emerging):
    coverage = mini_emerging.coverage
    # Three of five stems shared with "Réaliser des soins d'hygiène et de confort" (a plain
    # Jaccard of 0.6, the coverage floor), but those are words several labels use, and the one
    # that says what is cared for is no label's.
    assert coverage.lexical("soins d'hygiène et de confort du cheval", titles=False) < 0.6
    # Also 3 of 5 with "Surveiller l'état de santé d'un patient", but words no other label uses.
    distinctive = coverage.lexical("surveiller l'état de santé du cheval", titles=False)
    assert distinctive > coverage.lexical("soins d'hygiène et de confort du cheval", titles=False)


def test_a_savoir_named_by_another_kind_is_covered(mini_emerging):
    coverage = mini_emerging.coverage
    # ROME's "Techniques de vente", written as offers write it.
    assert coverage.lexical("méthodes de vente", titles=False) == 1.0
    assert coverage.lexical("principes de la vente", titles=False) == 1.0
    # The kind word is no licence to call any phrase holding "vente" covered.
    assert coverage.lexical("méthodes de vente aux enchères en ligne", titles=False) < 0.6


def test_a_tool_is_romes_only_as_rome_writes_it(mini_core, mini_emerging):
    # "Azure" stems to the "azur" of a ROME label's "Côte d'Azur"; "Conforte", a tool here,
    # to the "confort" of "Réaliser des soins d'hygiène et de confort".
    detector = _finding(["Conforte", "Confort"], mini_core, mini_emerging)
    docs = [
        CorpusDocument(f"b{i}", f"{OPENINGS[i]}\nOutils : Java, Conforte, Confort.")
        for i in range(3)
    ]
    labels = [c.label for c in detector.analyse(docs, k=10).candidates]
    assert "Conforte" in labels
    assert "Confort" not in labels  # written as ROME writes it
    assert mini_emerging.coverage.writes("Langage JAVA")
    assert not mini_emerging.coverage.writes("Conforte")


def test_a_rule_named_by_another_word_for_rules_is_covered(mini_emerging):
    coverage = mini_emerging.coverage
    # ROME's "Règles d'hygiène et d'asepsie", as offers write it.
    assert coverage.lexical("consignes d'hygiène", titles=False) == 1.0
    assert coverage.lexical("normes d'hygiène", titles=False) == 1.0
    assert coverage.lexical("consignes d'hygiène alimentaire en cuisine", titles=False) < 0.6


def test_just_over_the_semantic_floor_the_item_must_hold_the_phrases_anchor(
    mini_emerging, monkeypatch
):
    from models.emerging import NearItem

    coverage = mini_emerging.coverage
    # "cheval" is no label's word, so it anchors the phrase; "patient" is the item's own.
    assert not coverage.shares_anchor("soins d'hygiène et de confort du cheval", ["100001"])
    assert coverage.shares_anchor("état de santé du patient", ["100002"])
    phrase = "soins d'hygiène et de confort du cheval"
    docs = [CorpusDocument(f"c{i}", f"{OPENINGS[i]}\n{phrase}") for i in range(3)]

    def labels_at(similarity: float) -> list[str]:
        near = NearItem(
            "100001",
            "Réaliser les soins d'hygiène et de confort du patient",
            "competence",
            similarity,
        )
        monkeypatch.setattr(coverage, "nearest", lambda v, titles, k=3: [[near]] * len(v))
        return [c.label for c in mini_emerging.analyse(docs, k=10).candidates]

    floor, band = mini_emerging.config.semantic, mini_emerging.config.anchored_below
    assert floor < band
    assert phrase in labels_at((floor + band) / 2)  # close, but not about the same thing
    assert phrase not in labels_at(band)  # close enough to be the item, whatever its words


def test_e5_reads_a_phrase_without_its_praise_or_vague_quantities(mini_emerging, monkeypatch):
    import models.emerging as emerging

    encoded: list[str] = []
    real = emerging._encode_each

    def spy(encoder, texts):
        encoded.extend(texts)
        return real(encoder, texts)

    monkeypatch.setattr(emerging, "_encode_each", spy)
    phrase = "tâches administratives diverses"
    docs = [CorpusDocument(f"v{i}", f"{OPENINGS[i]}\n{phrase}") for i in range(3)]
    labels = [c.label for c in mini_emerging.analyse(docs, k=10).candidates]
    assert "tâches administratives" in encoded  # what the phrase is compared by
    assert phrase not in encoded
    assert phrase in labels  # the curator still reads what the offers wrote
