"""Read a ROME 4.0 `RefRomeCsv` release (folder or zip) into a validated `Referential`.

One loader for every release: files are found by their official names
(`unix_<table>_v<NNN>_utf8.csv`) whatever the version, so a v461 folder or zip drops in. The
competence tree labels (domaines, enjeux, objectifs) come from an `arborescence_competences*.csv`
in the release; a release without one borrows them from `tree_fallback` (normally the shipped
release), since those labels rarely change, and any code left unlabelled is an error.
"""

from __future__ import annotations

import csv
import hashlib
import io
import pickle
import re
import zipfile
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from indexing.errors import ReferentialError
from indexing.referential import (
    Appellation,
    Competence,
    Contexte,
    CoreLevel,
    Domaine,
    Enjeu,
    Fiche,
    FicheFlags,
    FicheLinks,
    MacroCompetence,
    MobilityLink,
    Objectif,
    Referential,
    ReleaseInfo,
    Savoir,
    Sector,
)
from indexing.textnorm import typography

csv.field_size_limit(10_000_000)

# Exact counts of releases we have checked by hand; other releases get integrity checks only.
KNOWN_COUNTS: dict[str, dict[str, int]] = {
    "460": {
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
}

# Files that are not UTF-8 despite their name.
_ENCODINGS = {"arborescence_secteur_naf": "cp1252"}
_NAME = re.compile(r"^(?:.*/)?unix_(?P<table>[a-z_]+?)_v(?P<version>\d+)_utf8\.csv$")
_TREE = re.compile(r"^(?:.*/)?(?:unix_)?arborescence_competences[^/]*\.csv$")


@dataclass(frozen=True, slots=True)
class _Row:
    file: str
    line: int  # 1-based line of the row's start in the file (header is line 1)
    data: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.data[key]

    def fail(self, message: str) -> ReferentialError:
        return ReferentialError(f"{self.file}, row at line {self.line}: {message}")


class _Release:
    """The files of one release, from a folder or a zip archive."""

    def __init__(self, source: Path) -> None:
        self.source = source
        if not source.exists():
            raise ReferentialError(
                f"referential release not found at {source}: give a RefRomeCsv folder or zip "
                "(setting PASSERELLE_REFERENTIAL or --referential)"
            )
        self._zip = zipfile.ZipFile(source) if source.is_file() else None
        names = (
            self._zip.namelist()
            if self._zip
            else [str(p.relative_to(source)) for p in sorted(source.rglob("*.csv"))]
        )
        self.tables: dict[str, str] = {}
        versions: set[str] = set()
        self.tree_file: str | None = None
        for name in names:
            m = _NAME.match(name)
            if m:
                self.tables[m["table"]] = name
                versions.add(m["version"])
            elif _TREE.match(name):
                self.tree_file = name
        if "arborescence_competences" in self.tables:
            self.tree_file = self.tables["arborescence_competences"]
        if not self.tables:
            raise ReferentialError(
                f"{source}: no unix_<table>_v<NNN>_utf8.csv file found; is it a RefRomeCsv release?"
            )
        if len(versions) != 1:
            raise ReferentialError(f"{source}: files of several releases mixed: {sorted(versions)}")
        self.version = versions.pop()
        self._digest = hashlib.sha256()

    def checksum(self) -> str:
        return self._digest.hexdigest()

    def _bytes(self, name: str) -> bytes:
        data = self._zip.read(name) if self._zip else (self.source / name).read_bytes()
        self._digest.update(name.rsplit("/", 1)[-1].encode())
        self._digest.update(data)
        return data

    def rows(self, table: str, required: tuple[str, ...]) -> Iterator[_Row]:
        name = self.tables.get(table)
        if name is None:
            raise ReferentialError(
                f"{self.source}: missing file unix_{table}_v{self.version}_utf8.csv; "
                "the release is incomplete, download the full RefRomeCsv archive"
            )
        yield from self._rows_of(name, required, _ENCODINGS.get(table, "utf-8"))

    def tree_rows(self, required: tuple[str, ...]) -> Iterator[_Row] | None:
        if self.tree_file is None:
            return None
        return self._rows_of(self.tree_file, required, "utf-8")

    def _rows_of(self, name: str, required: tuple[str, ...], encoding: str) -> Iterator[_Row]:
        short = name.rsplit("/", 1)[-1]
        raw = self._bytes(name)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ReferentialError(
                f"{short}, line {line}: not valid {encoding} ({exc.reason}); "
                f"re-export the file as {encoding}"
            ) from None
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ReferentialError(
                f"{short}: missing column(s) {missing}; found {reader.fieldnames}. "
                "Is this the right file of the release?"
            )
        for record in reader:
            # reader.line_num is the line where the record ends; good enough to find it.
            yield _Row(short, reader.line_num, {k: (v or "").strip() for k, v in record.items()})


def _flag(value: str) -> bool | None:
    return {"O": True, "N": False}.get(value.upper()) if value else None


def load_referential(source: Path, tree_fallback: Path | None = None) -> Referential:
    """Load and validate a release. Raises `ReferentialError` on broken input."""
    release = _Release(source)
    domaines, enjeux, objectifs = _load_tree(release, tree_fallback)
    macros, competences = _load_competences(release, objectifs)
    savoirs = {
        r["code_ogr_savoir"]: Savoir(
            code_ogr=r["code_ogr_savoir"],
            label=typography(r["libelle_savoir"]),
            categorie=r["categorie_savoir"],
            sous_categorie=r["sous_categorie_savoir"],
            transition_eco=_flag(r["transition_eco"]),
            transition_num=_flag(r["transition_num"]),
        )
        for r in release.rows(
            "referentiel_savoir",
            (
                "code_ogr_savoir",
                "libelle_savoir",
                "categorie_savoir",
                "sous_categorie_savoir",
                "transition_eco",
                "transition_num",
            ),
        )
    }
    contextes = {
        r["code_ogr"]: Contexte(
            code_ogr=r["code_ogr"],
            label=typography(r["libelle_cont_travail"]),
            type_code=r["code_type_cont_trav"],
            type_label=typography(r["libelle_type_cont_trav"]),
        )
        for r in release.rows(
            "referentiel_contexte_travail",
            ("code_ogr", "libelle_cont_travail", "code_type_cont_trav", "libelle_type_cont_trav"),
        )
    }
    fiches = _load_fiches(release)
    appellations = _load_appellations(release, fiches)
    links = _load_links(release, fiches, appellations, competences, macros, savoirs, contextes)
    mobility = _load_mobility(release, fiches)
    sectors = _load_sectors(release, fiches)
    referential = Referential(
        release=ReleaseInfo(
            version=release.version, checksum=release.checksum(), source=str(source)
        ),
        domaines=domaines,
        enjeux=enjeux,
        objectifs=objectifs,
        macros=macros,
        competences=competences,
        savoirs=savoirs,
        contextes=contextes,
        fiches=fiches,
        appellations=appellations,
        links=links,
        mobility=mobility,
        sectors=sectors,
    )
    _check_counts(referential)
    return referential


_TREE_COLUMNS = (
    "code_domaine_competence",
    "domaine_competence",
    "code_enjeu",
    "enjeu",
    "code_objectif",
    "objectif",
)


def _load_tree(
    release: _Release, fallback: Path | None
) -> tuple[dict[str, Domaine], dict[str, Enjeu], dict[str, Objectif]]:
    rows = release.tree_rows(_TREE_COLUMNS)
    if rows is None:
        if fallback is None or fallback.resolve() == release.source.resolve():
            raise ReferentialError(
                f"{release.source}: no arborescence_competences*.csv, and no fallback release "
                "to borrow the domaine/enjeu/objectif labels from"
            )
        fb = _Release(fallback)
        rows = fb.tree_rows(_TREE_COLUMNS)
        if rows is None:
            raise ReferentialError(f"{fallback}: no arborescence_competences*.csv either")
    domaines: dict[str, Domaine] = {}
    enjeux: dict[str, Enjeu] = {}
    objectifs: dict[str, Objectif] = {}
    for r in rows:
        d, e, o = r["code_domaine_competence"], r["code_enjeu"], r["code_objectif"]
        if not (d and e.startswith(d) and o.startswith(e)):
            raise r.fail(f"inconsistent tree codes domaine={d!r} enjeu={e!r} objectif={o!r}")
        domaines.setdefault(d, Domaine(d, typography(r["domaine_competence"])))
        enjeux.setdefault(e, Enjeu(e, typography(r["enjeu"]), d))
        objectifs.setdefault(o, Objectif(o, typography(r["objectif"]), e))
    return domaines, enjeux, objectifs


def _load_competences(
    release: _Release, objectifs: dict[str, Objectif]
) -> tuple[dict[str, MacroCompetence], dict[str, Competence]]:
    macros: dict[str, MacroCompetence] = {}
    pending: list[_Row] = []
    for r in release.rows(
        "referentiel_competence",
        (
            "code_ogr",
            "nature",
            "libelle_competence",
            "definition",
            "code_ogr_macro_comp",
            "code_macro_comp",
            "cat_comp",
            "sous_cat_comp",
            "transition_eco",
            "transition_num",
        ),
    ):
        if r["nature"] == "Macro-compétence":
            code = r["code_macro_comp"]
            objectif = code[:3]
            if objectif not in objectifs:
                raise r.fail(f"macro-compétence code {code!r}: unknown objectif {objectif!r}")
            macros[r["code_ogr"]] = MacroCompetence(
                code_ogr=r["code_ogr"],
                code=code,
                label=typography(r["libelle_competence"]),
                objectif=objectif,
                savoir_etre=r["cat_comp"].startswith("Savoir-être"),
                sous_categorie=r["sous_cat_comp"],
                transition_eco=_flag(r["transition_eco"]),
                transition_num=_flag(r["transition_num"]),
            )
        elif r["nature"] == "Compétence":
            pending.append(r)
        else:
            raise r.fail(f"unknown nature {r['nature']!r} (expected Compétence/Macro-compétence)")
    competences: dict[str, Competence] = {}
    for r in pending:
        macro = r["code_ogr_macro_comp"]
        if macro not in macros:
            raise r.fail(f"compétence {r['code_ogr']}: unknown macro-compétence {macro!r}")
        competences[r["code_ogr"]] = Competence(
            code_ogr=r["code_ogr"],
            label=typography(r["libelle_competence"]),
            definition=typography(r["definition"]),
            macro=macro,
            sous_categorie=r["sous_cat_comp"],
            transition_eco=_flag(r["transition_eco"]),
            transition_num=_flag(r["transition_num"]),
        )
    return macros, competences


def _load_fiches(release: _Release) -> dict[str, Fiche]:
    texts: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for r in release.rows(
        "texte", ("code_rome", "libelle_type_texte", "position_phrase", "libelle_texte")
    ):
        position = int(r["position_phrase"]) if r["position_phrase"].isdigit() else 0
        texts[(r["code_rome"], r["libelle_type_texte"])].append(
            (position, typography(r["libelle_texte"]))
        )
    domains = {
        r["code_rome"]: r
        for r in release.rows(
            "cr_gd_dp",
            (
                "code_rome",
                "code_grand_domaine",
                "libelle_grand_domaine",
                "code_domaine_professionel",
                "libelle_domaine_professionel",
            ),
        )
    }

    def text(code: str, kind: str) -> str:
        sentences = (
            t if t[-1:] in ".!?:;" else t + "." for _, t in sorted(texts.get((code, kind), []))
        )
        return " ".join(sentences)

    fiches: dict[str, Fiche] = {}
    rows = list(
        release.rows(
            "referentiel_code_rome",
            (
                "code_rome",
                "code_ogr",
                "libelle_rome",
                "transition_eco",
                "transition_num",
                "transition_demo",
                "emploi_reglemente",
                "emploi_cadre",
                "code_rome_parent",
            ),
        )
    )
    for r in rows:
        code = r["code_rome"]
        dom = domains.get(code)
        if dom is None:
            raise r.fail(f"fiche {code} has no grand domaine in unix_cr_gd_dp")
        fiches[code] = Fiche(
            code_rome=code,
            code_ogr=r["code_ogr"],
            label=typography(r["libelle_rome"]),
            parent=r["code_rome_parent"] or code,
            flags=FicheFlags(
                transition_eco=r["transition_eco"],
                transition_num=_flag(r["transition_num"]),
                transition_demo=_flag(r["transition_demo"]),
                emploi_reglemente=_flag(r["emploi_reglemente"]),
                emploi_cadre=_flag(r["emploi_cadre"]),
            ),
            grand_domaine=dom["code_grand_domaine"],
            grand_domaine_label=typography(dom["libelle_grand_domaine"]),
            domaine_pro=dom["code_domaine_professionel"],
            domaine_pro_label=typography(dom["libelle_domaine_professionel"]),
            definition=text(code, "definition"),
            acces=text(code, "acces_metier"),
        )
    for r in rows:
        if fiches[r["code_rome"]].parent not in fiches:
            raise r.fail(f"unknown code_rome_parent {r['code_rome_parent']!r}")
    return fiches


def _load_appellations(release: _Release, fiches: dict[str, Fiche]) -> dict[str, Appellation]:
    out: dict[str, Appellation] = {}
    for r in release.rows(
        "referentiel_appellation",
        (
            "code_ogr",
            "libelle_appellation_long",
            "libelle_appellation_court",
            "code_rome",
            "classification",
            "peu_usite",
            "emploi_cadre",
            "emploi_reglemente",
        ),
    ):
        if r["code_rome"] not in fiches:
            raise r.fail(f"appellation {r['code_ogr']}: unknown code_rome {r['code_rome']!r}")
        out[r["code_ogr"]] = Appellation(
            code_ogr=r["code_ogr"],
            label=typography(r["libelle_appellation_long"]),
            label_court=typography(r["libelle_appellation_court"]),
            code_rome=r["code_rome"],
            principale=r["classification"].upper() == "PRINCIPALE",
            peu_usite=_flag(r["peu_usite"]) is True,
            emploi_cadre=_flag(r["emploi_cadre"]),
            emploi_reglemente=_flag(r["emploi_reglemente"]),
        )
    return out


def _load_links(
    release: _Release,
    fiches: dict[str, Fiche],
    appellations: dict[str, Appellation],
    competences: dict[str, Competence],
    macros: dict[str, MacroCompetence],
    savoirs: dict[str, Savoir],
    contextes: dict[str, Contexte],
) -> dict[str, FicheLinks]:
    lists: dict[str, dict[str, list[str]]] = {code: defaultdict(list) for code in fiches}
    # (bloc, rubrique) → (list name, tables the code must be in)
    slots: dict[tuple[str, str], tuple[str, tuple[Mapping[str, object], ...]]] = {
        ("2", ""): ("appellations", (appellations,)),
        ("5", "1"): ("savoir_faire", (competences, macros)),
        ("5", "2"): ("savoir_etre", (macros,)),
        ("5", "3"): ("savoirs", (savoirs,)),
        ("6", ""): ("contextes", (contextes,)),
    }
    for r in release.rows(
        "liens_rome_referentiels", ("code_rome", "code_compo_bloc", "code_rubrique", "code_ogr")
    ):
        if r["code_rome"] not in fiches:
            raise r.fail(f"unknown code_rome {r['code_rome']!r}")
        slot = slots.get((r["code_compo_bloc"], r["code_rubrique"]))
        if slot is None:
            continue  # bloc 1 is the fiche itself
        name, tables = slot
        if not any(r["code_ogr"] in t for t in tables):
            raise r.fail(f"unknown code_ogr {r['code_ogr']!r} for {name}")
        lists[r["code_rome"]][name].append(r["code_ogr"])

    core: dict[str, dict[str, CoreLevel]] = defaultdict(dict)
    levels = {
        "Principale": CoreLevel.PRINCIPALE,
        "Émergente": CoreLevel.EMERGENTE,
        "Emergente": CoreLevel.EMERGENTE,
    }
    for r in release.rows("coherence_item", ("code_rome", "code_ogr", "coeur_metier")):
        if r["code_rome"] not in fiches:
            raise r.fail(f"unknown code_rome {r['code_rome']!r}")
        level = levels.get(r["coeur_metier"])
        if level is not None:
            core[r["code_rome"]][r["code_ogr"]] = level
    return {
        code: FicheLinks(
            appellations=tuple(lst["appellations"]),
            savoir_faire=tuple(lst["savoir_faire"]),
            savoir_etre=tuple(lst["savoir_etre"]),
            savoirs=tuple(lst["savoirs"]),
            contextes=tuple(lst["contextes"]),
            core=core.get(code, {}),
        )
        for code, lst in lists.items()
    }


def _load_mobility(
    release: _Release, fiches: dict[str, Fiche]
) -> dict[str, tuple[MobilityLink, ...]]:
    out: dict[str, list[MobilityLink]] = defaultdict(list)
    for r in release.rows("rubrique_mobilite", ("code_rome", "code_rome_cible", "numero_ordre")):
        for col in ("code_rome", "code_rome_cible"):
            if r[col] not in fiches:
                raise r.fail(f"unknown {col} {r[col]!r}")
        order = int(r["numero_ordre"]) if r["numero_ordre"].isdigit() else 0
        out[r["code_rome"]].append(MobilityLink(r["code_rome"], r["code_rome_cible"], order))
    return {k: tuple(sorted(v, key=lambda m: m.order)) for k, v in out.items()}


def _load_sectors(release: _Release, fiches: dict[str, Fiche]) -> dict[str, Sector]:
    """NAF divisions and ROME secteurs d'activité with their fiches. Optional: a release
    without these files loads with no sectors (titles then ignore NAF context)."""
    tables = (
        ("arborescence_secteur_naf", "naf", "code_secteur_naf", "libelle_secteur_naf"),
        (
            "arborescence_secteur_activite",
            "activite",
            "code_sect_activite",
            "libelle_sect_activite",
        ),
    )
    grouped: dict[str, tuple[str, set[str]]] = {}
    for table, kind, code_col, label_col in tables:
        if table not in release.tables:
            continue
        for r in release.rows(table, (code_col, label_col, "code_rome")):
            if r["code_rome"] not in fiches:
                raise r.fail(f"unknown code_rome {r['code_rome']!r}")
            key = f"{kind}:{r[code_col]}"
            grouped.setdefault(key, (typography(r[label_col]), set()))[1].add(r["code_rome"])
    return {k: Sector(k, label, frozenset(codes)) for k, (label, codes) in grouped.items()}


def _check_counts(referential: Referential) -> None:
    expected = KNOWN_COUNTS.get(referential.release.version)
    counts = referential.counts()
    if expected is not None:
        wrong = {k: (counts[k], v) for k, v in expected.items() if counts[k] != v}
        if wrong:
            detail = ", ".join(
                f"{k}: found {got}, expected {want}" for k, (got, want) in wrong.items()
            )
            raise ReferentialError(
                f"{referential.release.source}: release v{referential.release.version} is "
                f"incomplete or altered ({detail}); use an untouched RefRomeCsv archive"
            )
    empty = [
        k for k in ("fiches", "appellations", "competences", "macro_competences") if not counts[k]
    ]
    if empty:
        raise ReferentialError(f"{referential.release.source}: no rows for {empty}")


# Bump when the parsed model or the loader's checks change: old caches are then ignored.
CACHE_FORMAT = "2"  # 2: sectors (NAF divisions, secteurs d'activité)


def _source_digest(source: Path) -> str:
    h = hashlib.sha256(CACHE_FORMAT.encode())
    files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
    for path in files:
        h.update(str(path.relative_to(source) if path != source else path.name).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:24]


def load_referential_cached(
    source: Path, cache_dir: Path, tree_fallback: Path | None = None
) -> Referential:
    """`load_referential`, keeping the validated result in `cache_dir`, keyed by the bytes of
    the release: parsing and checking the CSV files takes ~3 s of a ~7 s start-up, reading the
    cached result a fraction of that. The cache is our own artifact, never user input."""
    if not source.exists():
        return load_referential(source, tree_fallback)  # raises the usual clear error
    path = cache_dir / "referential" / f"{_source_digest(source)}.pickle"
    if path.exists():
        try:
            with path.open("rb") as fh:
                cached = pickle.load(fh)
            if isinstance(cached, Referential):
                return cached
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            pass  # unreadable or stale: rebuild it below
    referential = load_referential(source, tree_fallback)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(referential, fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
    return referential
