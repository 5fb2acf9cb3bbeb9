import shutil
import zipfile
from pathlib import Path

import pytest

from indexing.errors import ReferentialError, UnknownCode
from indexing.loader import load_referential
from indexing.referential import CoreLevel, Kind
from models.settings import DEFAULT_REFERENTIAL


def test_mini_release_loads_every_part(mini_ref):
    counts = mini_ref.counts()
    assert counts["fiches"] == 5
    assert counts["appellations"] == 8
    assert counts["competences"] == 8
    assert counts["macro_competences"] == 6
    assert counts["savoir_etre"] == 2
    assert counts["mobility_links"] == 4
    assert mini_ref.release.version == "999"
    assert len(mini_ref.release.checksum) == 64


def test_competence_path_goes_up_the_tree(mini_ref):
    path = mini_ref.path("100003")
    assert (path.domaine.code, path.enjeu.code, path.objectif.code, path.macro.code) == (
        "3",
        "3A",
        "3A1",
        "3A101",
    )
    assert path.macro.label == "Conduire un véhicule de transport"


def test_fiche_links_keep_rubriques_and_core_levels(mini_ref):
    links = mini_ref.fiche_links("M1805")
    assert links.savoir_faire == ("100005", "100006")
    assert links.savoir_etre == ("300465", "300490")
    assert links.level("100005") is CoreLevel.PRINCIPALE
    assert links.level("100006") is CoreLevel.EMERGENTE
    assert links.level("200003") is CoreLevel.LISTED


def test_fiche_carries_parent_texts_and_flags(mini_ref):
    fiche = mini_ref.fiche("D1107")
    assert fiche.parent == "D1106"
    assert fiche.definition == "Vend du pain et des viennoiseries en boulangerie."
    assert mini_ref.fiche("J1501").flags.transition_demo is True


def test_kinds_and_unknown_codes(mini_ref):
    assert mini_ref.kind_of("300465") is Kind.SAVOIR_ETRE
    assert mini_ref.kind_of("200002") is Kind.SAVOIR
    with pytest.raises(UnknownCode, match="Z9999"):
        mini_ref.fiche("Z9999")


def test_zip_and_folder_give_the_same_referential(mini_release, tmp_path, mini_ref):
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in mini_release.iterdir():
            zf.write(f, f"RefRomeCsv/{f.name}")
    from_zip = load_referential(archive)
    assert from_zip.release.checksum == mini_ref.release.checksum
    assert from_zip.counts() == mini_ref.counts()


def _broken_copy(mini_release: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "broken"
    shutil.copytree(mini_release, copy)
    return copy


def test_missing_file_is_named(mini_release, tmp_path):
    copy = _broken_copy(mini_release, tmp_path)
    (copy / "unix_rubrique_mobilite_v999_utf8.csv").unlink()
    with pytest.raises(ReferentialError, match="missing file unix_rubrique_mobilite_v999"):
        load_referential(copy)


def test_wrong_encoding_names_file_and_line(mini_release, tmp_path):
    copy = _broken_copy(mini_release, tmp_path)
    path = copy / "unix_referentiel_savoir_v999_utf8.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    with pytest.raises(
        ReferentialError,
        match=r"unix_referentiel_savoir_v999_utf8.csv, line 2: "
        r"not valid utf-8",
    ):
        load_referential(copy)


def test_unknown_code_in_links_names_file_and_row(mini_release, tmp_path):
    copy = _broken_copy(mini_release, tmp_path)
    path = copy / "unix_liens_rome_referentiels_v999_utf8.csv"
    path.write_text(path.read_text() + '"J1501","5","3","777777"\n')
    with pytest.raises(ReferentialError, match=r"liens_rome_referentiels.*line \d+.*'777777'"):
        load_referential(copy)


def test_missing_column_is_reported(mini_release, tmp_path):
    copy = _broken_copy(mini_release, tmp_path)
    path = copy / "unix_referentiel_appellation_v999_utf8.csv"
    path.write_text(path.read_text().replace('"code_rome"', '"code_metier"', 1))
    with pytest.raises(ReferentialError, match=r"missing column\(s\) \['code_rome'\]"):
        load_referential(copy)


def test_release_without_tree_borrows_labels_from_fallback(mini_release, tmp_path):
    copy = _broken_copy(mini_release, tmp_path)
    (copy / "arborescence_competences_mini.csv").unlink()
    with pytest.raises(ReferentialError, match="no arborescence_competences"):
        load_referential(copy)
    ref = load_referential(copy, tree_fallback=mini_release)
    assert ref.path("100001").enjeu.label == "Soin"


def test_not_a_release(tmp_path):
    with pytest.raises(ReferentialError, match="not found"):
        load_referential(tmp_path / "nowhere")
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(ReferentialError, match="is it a RefRomeCsv release"):
        load_referential(tmp_path)


@pytest.mark.full_referential
def test_shipped_v460_has_the_official_counts():
    ref = load_referential(DEFAULT_REFERENTIAL)
    assert ref.release.version == "460"
    assert ref.counts() == {
        "domaines": 6,
        "enjeux": 32,
        "objectifs": 84,
        "macro_competences": 507,
        "savoir_etre": 16,
        "competences": 17_810,
        "savoirs": 15_354,
        "contextes": 179,
        "fiches": 1_584,
        "parents": 532,
        "appellations": 13_120,
        "mobility_links": 14_912,
    }
    # Every competence reaches a domaine through the tree.
    assert all(ref.path(code).domaine.code in ref.domaines for code in ref.competences)
    core = [lv for links in ref.links.values() for lv in links.core.values()]
    assert core.count(CoreLevel.PRINCIPALE) > 0 and core.count(CoreLevel.EMERGENTE) > 0


def test_cached_load_reuses_the_validated_referential(mini_release, tmp_path, mini_ref):
    from indexing.loader import load_referential_cached

    first = load_referential_cached(mini_release, tmp_path)
    (cached,) = (tmp_path / "referential").glob("*.pickle")
    assert first.release.checksum == mini_ref.release.checksum
    cached.write_bytes(b"not a pickle")  # a damaged cache is rebuilt, not trusted
    again = load_referential_cached(mini_release, tmp_path)
    assert again.counts() == mini_ref.counts()
    with pytest.raises(ReferentialError, match="not found"):
        load_referential_cached(tmp_path / "missing", tmp_path)
