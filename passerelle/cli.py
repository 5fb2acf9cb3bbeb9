"""`passerelle` command line: set-up, build, serve and query from a terminal.

This is the composition root: it picks the concrete encoder (models) and hands it to the index
builder (indexing), then starts the service.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from indexing.errors import ConfigError, InvalidInput, PasserelleError


def _settings(args: argparse.Namespace) -> Any:
    from service.settings import Settings

    overrides = {
        k: v
        for k, v in {
            "referential": getattr(args, "referential", None),
            "cache_dir": getattr(args, "cache_dir", None),
            "encoder": getattr(args, "encoder", None),
            "host": getattr(args, "host", None),
            "port": getattr(args, "port", None),
        }.items()
        if v is not None
    }
    try:
        return Settings(**overrides)
    except ValidationError as exc:  # a bad PASSERELLE_ variable: one line, not a traceback
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(problems) from None


class _Bars:
    """One tqdm bar per collection while the indexes are encoded."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self._tqdm = tqdm
        self._bars: dict[str, Any] = {}

    def __call__(self, name: str, done: int, total: int) -> None:
        bar = self._bars.get(name)
        if bar is None:
            bar = self._bars[name] = self._tqdm(
                total=total, desc=f"encoding {name}", unit="item", file=sys.stderr
            )
        bar.update(done - bar.n)
        if done >= total:
            bar.close()


def _load(args: argparse.Namespace, build: bool, serving: bool = False) -> Any:
    from models.runtime import Passerelle

    settings = _settings(args)
    return Passerelle.load(
        settings.core(serving),
        build_missing=build,
        progress=_Bars(),
        log=lambda m: print(m, file=sys.stderr),
    )


def cmd_setup(args: argparse.Namespace) -> int:
    """Build the encoder (if needed) and the indexes (if needed); print what was done."""
    started = time.perf_counter()
    core = _load(args, build=True)
    manifest = core.indexes.manifest
    print(
        f"referential v{core.referential.release.version} "
        f"({core.referential.release.checksum[:12]}): {core.referential.counts()}"
    )
    print(f"encoder {core.encoder.name} ({core.encoder.fingerprint}), dim {core.encoder.dim}")
    print(
        f"indexes {core.indexes.folder} built in {manifest.build_seconds} s "
        f"(at {manifest.built_at.isoformat()})"
    )
    for name, info in manifest.collections.items():
        print(f"  {name:<18} {info.documents:>6} items  {info.seconds:>6} s")
    print(f"ready in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from indexing.artifacts import FORMAT_VERSION, build_indexes
    from indexing.loader import load_referential
    from indexing.manifest import IndexManifest
    from models.encoders.registry import ensure_e5, load_encoder
    from models.settings import DEFAULT_REFERENTIAL

    settings = _settings(args)
    started = time.perf_counter()
    ref = load_referential(settings.referential, tree_fallback=DEFAULT_REFERENTIAL)
    print(f"loaded referential v{ref.release.version} in {time.perf_counter() - started:.1f} s")
    if settings.encoder == "e5":
        ensure_e5(settings.cache_dir, lambda m: print(m, file=sys.stderr))
    encoder = load_encoder(settings.encoder, settings.cache_dir, settings.encoder_threads())
    folder, built = build_indexes(
        ref, encoder, settings.cache_dir / "indexes", _Bars(), force=args.force
    )
    manifest = IndexManifest.read(folder, FORMAT_VERSION)
    verb = "built" if built else "already built (use --force to rebuild)"
    print(f"{verb}: {folder}")
    for name, info in manifest.collections.items():
        print(f"  {name:<18} {info.documents:>6} items  {info.seconds:>6} s")
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0


def _log_config(access_log: bool) -> dict[str, Any]:
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["line"] = {"format": "%(message)s"}
    config["handlers"]["access_json"] = {
        "class": "logging.StreamHandler",
        "formatter": "line",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["passerelle"] = {"handlers": ["default"], "level": "INFO"}
    config["loggers"]["passerelle.access"] = {
        "handlers": ["access_json"] if access_log else [],
        "level": "INFO" if access_log else "WARNING",
        "propagate": False,
    }
    return config


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from service.app import create_app

    settings = _settings(args)
    # Loaded once, here (building what is missing unless --no-build), and handed to the app.
    core = _load(args, build=not args.no_build, serving=True)
    app = create_app(settings, loader=lambda _settings: core, defer_background=True)

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            app.state.start_background()  # listening: CV readers and spaCy may load now

    # Uvicorn's own access log is off (its lines carry query strings); ours is one JSON line
    # per request on stdout, with the route template and never what was sent.
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=False,
        log_config=_log_config(settings.access_log),
    )
    Server(config).run()
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    core = _load(args, build=False)
    for r in core.search(args.collection, args.query, args.k):
        print(
            f"{r.score:.3f}  {r.id:<8} {r.label}   (dense {r.dense:.3f}, lexical {r.lexical:.3f})"
        )
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    from models.titles import TitleQuery

    core = _load(args, build=False)
    query = TitleQuery(args.title, args.description, naf=args.naf, sector=args.sector)
    result = core.titles.resolve(query, k=args.k)
    print(
        f"searched: {result.cleaned!r}"
        + (f"  (rewrites: {', '.join(result.rewrites)})" if result.rewrites else "")
    )
    if result.abstained:
        print(f"low confidence: best score under {core.titles.config.abstain_threshold}")
    for c in result.candidates:
        why = ", ".join(f"{e.kind} {e.score:.2f}" for e in c.evidence)
        print(
            f"{c.score:.3f}  {c.fiche.code_rome}  {c.appellation.label}  "
            f"[{c.appellation.code_ogr}]  ({why})"
        )
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    """Tag a text file, or every offer of a JSONL file (resumable batch with --out)."""
    from service.schemas import OfferTagsOut, TagOptions

    core = _load(args, build=False)
    options = TagOptions(max_suggested=args.max_suggested)
    if args.file.suffix != ".jsonl":
        extraction = core.competences.extract(args.file.read_text(encoding="utf-8"), args.title)
        print(OfferTagsOut.of(extraction, options).model_dump_json(indent=2))
        return 0
    from tqdm import tqdm

    from evaluation.offers import load_offers

    offers = load_offers(args.file)
    done: set[str] = set()
    out = args.out or args.file.with_suffix(".tags.jsonl")
    if out.exists():  # resume: skip offers already written
        with out.open(encoding="utf-8") as fh:
            done = {json.loads(line)["id"] for line in fh if line.strip()}
    todo = [o for o in offers if o.id not in done]
    with (
        out.open("a", encoding="utf-8") as fh,
        tqdm(total=len(todo), desc="tagging", unit="offer", file=sys.stderr) as bar,
    ):
        for start in range(0, len(todo), 32):  # job queries of 32 offers encoded together
            chunk = todo[start : start + 32]
            extractions = core.competences.extract_many([(o.description, o.title) for o in chunk])
            for offer, extraction in zip(chunk, extractions, strict=True):
                tags = OfferTagsOut.of(extraction, options).model_dump(mode="json")
                fh.write(json.dumps({"id": offer.id, **tags}, ensure_ascii=False) + "\n")
            fh.flush()  # a crash loses at most one chunk; the rerun resumes after it
            bar.update(len(chunk))
    print(f"{len(todo)} tagged, {len(done)} already in {out}", file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from evaluation.offers import load_offers
    from evaluation.titles import resolve_offers, summarise

    if args.task in ("all", "compare", "emerging"):
        return _harness(args)
    if args.task == "cvs":
        return _eval_cvs(args)
    if args.task in ("mobility", "matching"):
        return _eval_mobility(args)
    if args.task == "titles" and args.holdout_appellations:
        return _eval_holdout_titles(args)
    if args.offers is None:
        raise InvalidInput(f"eval {args.task} needs --offers FILE.jsonl")
    if args.task == "competences":
        return _eval_competences(args)
    if args.task == "extraction":
        return _eval_extraction(args)
    core = _load(args, build=False)
    offers = load_offers(args.offers)
    modes = {"title": [False], "description": [True], "both": [False, True]}[args.mode]
    results = {}
    for use_description in modes:
        from tqdm import tqdm

        with tqdm(total=len(offers), desc="resolving", file=sys.stderr, disable=args.json) as bar:
            outcomes = resolve_offers(
                core.titles,
                offers,
                use_description,
                progress=lambda n: bar.update(n - bar.n),
                use_naf=args.naf,
            )
        results["description" if use_description else "title"] = summarise(
            outcomes, core.referential
        )
    report: object = results if len(results) > 1 else next(iter(results.values()))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        for mode, summary in results.items():
            print(f"== {mode}")
            _print_table(
                summary,
                ["n", "rome_top1", "rome_top5", "parent_top1", "appellation_top1", "abstained"],
            )
    return 0


def _eval_holdout_titles(args: argparse.Namespace) -> int:
    from evaluation.holdout_titles import evaluate

    core = _load(args, build=False)

    def progress(done: int, total: int) -> None:
        if not args.json:
            print(f"fold {done}/{total}", file=sys.stderr)

    report = evaluate(core, k=args.folds, seed=args.seed, progress=progress)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_table(report, ["titles", "folds", "fiche_top1", "fiche_top5", "parent_top1"])
    return 0


def _eval_competences(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from evaluation.competences import extract_offers, summarise
    from evaluation.offers import load_offers

    core = _load(args, build=False)
    offers = [o for o in load_offers(args.offers) if o.competences or o.qualites]
    with tqdm(total=len(offers), desc="tagging", file=sys.stderr, disable=args.json) as bar:
        outcomes = extract_offers(core.competences, offers, lambda n: bar.update(n - bar.n))
    summary = summarise(outcomes, core.referential, core.competences.config.old_labels)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        _print_table(summary, ["n", "rp@5", "recall@10", "macro_rp@5", "savoir_etre_f1"])
    return 0


def _eval_extraction(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from evaluation import extraction

    if args.gold is None:
        raise InvalidInput("eval extraction needs --gold FILE.jsonl (annotated mentions)")
    gold, offers = extraction.load(args.gold, args.offers)
    core = _load(args, build=False)
    with tqdm(total=len(gold), desc="tagging", file=sys.stderr, disable=args.json) as bar:
        report = extraction.evaluate(
            core.competences,
            gold,
            offers,
            lambda n: bar.update(n - bar.n),
            min_probability=args.min_probability,
        )
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    rows = {"all": report, **report["halves"]}
    print(
        f"{'set':<6} {'offers':>6} {'found/o':>7}  lenient R / P   strict R / P   "
        "R by kind (lenient: sf, savoir, se, contexte)"
    )
    for name, r in rows.items():
        kinds = " ".join(
            f"{v:.3f}" if v is not None else "-" for v in r["lenient"]["recall_by_kind"].values()
        )
        print(
            f"{name:<6} {r['offers']:>6} {r['found_per_offer']:>7}  "
            f"{r['lenient']['recall']:.3f} / {r['lenient']['precision']:.3f}   "
            f"{r['strict']['recall']:.3f} / {r['strict']['precision']:.3f}   {kinds}"
        )
    print("\nreliability of the stated items' probability (all offers; lenient hit)")
    print(f"{'p from':>7} {'to':>5} {'items':>6} {'mean p':>7} {'right':>6}")
    for row in report["reliability"]:
        print(
            f"{row['from']:>7.2f} {row['to']:>5.2f} {row['items']:>6} "
            f"{row['mean_probability']:>7.3f} {row['share_right']:>6.3f}"
        )
    return 0


def _eval_cvs(args: argparse.Namespace) -> int:
    from evaluation.cvs.evaluate import evaluate_folder
    from evaluation.cvs.render import GOLD_FILE, write_set

    if args.dir is None:
        raise InvalidInput("eval cvs needs --dir DIR (a folder of CVs with gold.jsonl)")
    if args.make_set:
        files = write_set(args.dir)
        print(f"wrote {len(files)} synthetic CVs and {GOLD_FILE} to {args.dir}", file=sys.stderr)
    if not (args.dir / GOLD_FILE).exists():
        raise InvalidInput(
            f"{args.dir} has no {GOLD_FILE}; add --make-set to write the synthetic CV set there"
        )
    core = _load(args, build=False)
    summary, _ = evaluate_folder(core.cvs, args.dir)
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        _print_table(
            summary,
            ["n", "experience_title_rome_top1", "section_accuracy", "competence_recall@10"],
        )
    return 0


def _run_log(args: argparse.Namespace) -> Path:
    if args.log is not None:
        return Path(args.log)
    return Path(_settings(args).cache_dir) / "runs.jsonl"


def _harness(args: argparse.Namespace) -> int:
    """eval all / eval emerging (runs appended to the run log) and eval compare."""
    from evaluation import harness

    log = _run_log(args)
    if args.task == "compare":
        try:
            rows = harness.compare(harness.read_log(log), *(args.runs or [None, None]))
        except KeyError as exc:
            raise InvalidInput(f"{exc.args[0]}; list runs with `eval compare` on {log}") from None
        if not rows:
            print(f"nothing to compare in {log}: run `passerelle eval all` twice", file=sys.stderr)
            return 1
        print(f"{'task':<12}{'metric':<34}{'before':>10}{'after':>10}{'delta':>10}  runs")
        for r in rows:
            mark = "*" if r["primary"] else " "
            data = "" if r["same_data"] else "  (different data)"
            print(
                f"{r['task']:<12}{mark}{r['metric']:<33}{r['before']!s:>10}{r['after']!s:>10}"
                f"{r['delta']:>+10}  {r['runs']}{data}"
            )
        return 0
    if args.offers is None:
        raise InvalidInput(f"eval {args.task} needs --offers FILE.jsonl")
    core = _load(args, build=False)
    skip = set(args.skip or [])
    seeds = args.seeds or [args.seed]
    runners: list[tuple[str, Callable[[], Any]]] = []
    if args.task == "emerging":
        runners = [("emerging", lambda: harness.run_emerging(core, args.offers, seeds=seeds))]
    else:
        import tempfile

        from evaluation.cvs.render import write_set

        cvs_dir = args.dir
        if cvs_dir is None:
            cvs_dir = Path(tempfile.mkdtemp(prefix="passerelle-cvs-"))
            write_set(cvs_dir)
        runners = [
            ("titles", lambda: harness.run_titles(core, args.offers)),
            ("competences", lambda: harness.run_competences(core, args.offers)),
            ("cvs", lambda: harness.run_cvs(core, cvs_dir)),
            ("mobility", lambda: harness.run_mobility(core)),
            ("matching", lambda: harness.run_matching(core, n_fiches=args.fiches)),
            ("emerging", lambda: harness.run_emerging(core, args.offers, seeds=seeds)),
        ]
    runs = []
    for name, runner in runners:
        if name in skip:
            continue
        print(f"running {name}…", file=sys.stderr)
        run = runner()
        harness.append(log, run)
        runs.append(run)
    if args.json:
        from dataclasses import asdict

        print(json.dumps([asdict(r) for r in runs], indent=2, ensure_ascii=False))
        return 0
    print(f"{'task':<12}{'primary metric':<30}{'value':>10}  {'95% CI':<18}{'n':>6}  run")
    for r in runs:
        ci = r.ci95.get(r.primary)
        ci_text = f"[{ci[0]}, {ci[1]}]" if ci else "-"
        print(
            f"{r.task:<12}{r.primary:<30}{r.metrics.get(r.primary)!s:>10}  {ci_text:<18}"
            f"{r.n:>6}  {r.id}"
        )
    print(f"appended to {log}; compare with `passerelle eval compare`", file=sys.stderr)
    return 0


def _eval_mobility(args: argparse.Namespace) -> int:
    core = _load(args, build=False)
    if args.task == "matching":
        from evaluation.matching import evaluate as evaluate_matching

        report = evaluate_matching(core.matcher, n_fiches=args.fiches, seed=args.seed)
        print(json.dumps(report, indent=2))
        return 0
    from evaluation.mobility import evaluate, tune

    proximity = core.mobility.proximity
    if args.tune:
        best, weights = tune(proximity)
        print(json.dumps({"tune_recall@10": best, "weights": weights}, indent=2))
        return 0
    report = evaluate(proximity)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{'method':<28}{'part':<10}{'recall@10':>12}{'map':>10}")
    for method in ("jaccard", "proximity", "proximity_competences_only"):
        for part, m in report[method].items():
            print(f"{method:<28}{part:<10}{m['recall@10']:>12}{m['map']:>10}")
    print(f"relative gain on recall@10 (held-out): {report['relative_gain_recall@10_held_out']}")
    return 0


def cmd_emerging(args: argparse.Namespace) -> int:
    """Analyse a corpus (JSONL) for skills and job titles the referential does not cover."""
    import csv

    from tqdm import tqdm

    from models.emerging import documents_from_jsonl

    if not args.corpus.exists():
        raise InvalidInput(f"{args.corpus} does not exist; give a JSONL corpus")
    with args.corpus.open(encoding="utf-8") as f:
        try:
            rows = [json.loads(line) for line in f if line.strip()]
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{args.corpus}: line {exc.lineno} is not JSON") from None
    documents = documents_from_jsonl(rows)
    core = _load(args, build=False)
    detector = core.load_emerging()
    with tqdm(total=len(documents), desc="reading", unit="doc", file=sys.stderr) as bar:
        report = detector.analyse(documents, k=args.k, progress=lambda n: bar.update(n - bar.n))
    args.out.mkdir(parents=True, exist_ok=True)
    from dataclasses import asdict

    (args.out / "emerging.json").write_text(
        json.dumps(asdict(report), indent=2, ensure_ascii=False), encoding="utf-8"
    )
    with (args.out / "emerging.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(
            [
                "rank",
                "label",
                "kind",
                "documents",
                "independent",
                "spread",
                "novelty",
                "trend",
                "stated",
                "score",
                "variants",
                "nearest",
                "macro_competence",
                "fiches",
                "listed_with",
                "example",
            ]
        )
        for rank, c in enumerate(report.candidates, start=1):
            writer.writerow(
                [
                    rank,
                    c.label,
                    c.kind,
                    c.documents,
                    c.independent,
                    c.spread,
                    c.novelty,
                    c.trend,
                    c.stated,
                    c.score,
                    " | ".join(c.variants),
                    " | ".join(n.label for n in c.nearest),
                    c.macro_competence.label if c.macro_competence else "",
                    " | ".join(f.code for f in c.fiches),
                    " | ".join(t.label for t in c.listed_with),
                    c.examples[0].snippet if c.examples else "",
                ]
            )
    print(
        f"{report.documents} documents, {report.phrases} frequent phrases, {report.covered} "
        f"covered by ROME; {len(report.candidates)} candidates in {args.out}",
        file=sys.stderr,
    )
    return 0


def cmd_cv(args: argparse.Namespace) -> int:
    """Parse one CV file and print the result as JSON (the same as the HTTP response)."""
    from service.cv_schemas import CVParseOut

    core = _load(args, build=False)
    result = core.cvs.parse_bytes(args.file.read_bytes(), None, args.file.name)
    print(CVParseOut.of(result, include_text=False).model_dump_json(indent=2))
    return 0


def _print_table(summary: dict[str, Any], metrics: list[str]) -> None:
    """Metrics of all offers, then of each source group."""
    rows = [("all", summary), *summary.get("groups", {}).items()]
    widths = [max(12, len(m) + 2) for m in metrics]
    print(f"{'group':<10}" + "".join(f"{m:>{w}}" for m, w in zip(metrics, widths, strict=True)))
    for name, block in rows:
        cells = (f"{block.get(m)!s:>{w}}" for m, w in zip(metrics, widths, strict=True))
        print(f"{name:<10}" + "".join(cells))


def cmd_bench(args: argparse.Namespace) -> int:
    from evaluation.bench import bench_titles, http_load
    from evaluation.offers import load_offers

    if args.task == "matching":
        from evaluation.bench import bench_matching

        matching = bench_matching(_load(args, build=False), args.profiles, http=args.http)
        print(json.dumps(matching, indent=2))
        return 0
    if args.task == "cvs":
        from evaluation.bench import bench_cvs

        print(json.dumps(bench_cvs(_load(args, build=False), args.repeat), indent=2))
        return 0
    if args.offers is None:
        raise InvalidInput(f"bench {args.task} needs --offers FILE.jsonl")
    core = _load(args, build=False)
    if args.task == "offers":
        from evaluation.bench import bench_offers

        offers = [o for o in load_offers(args.offers) if len(o.description) >= args.min_chars]
        report_offers = bench_offers(core, offers, args.repeat, cold=args.cold)
        if args.http:
            offer_bodies = [{"title": o.title, "text": o.description} for o in offers]
            report_offers["http_one_offer"] = http_load(
                f"{args.http}/v1/offers/tag", offer_bodies, args.concurrency
            )
        print(json.dumps(report_offers, indent=2))
        return 0
    titles = [o.title for o in load_offers(args.offers)]
    report: dict[str, Any] = {"in_process": bench_titles(core, titles)}
    if args.http:
        descriptions = {o.title: o.description for o in load_offers(args.offers)}
        bodies: list[dict[str, Any]] = [{"titles": [{"title": t}]} for t in titles]
        report["http_title_only"] = http_load(
            f"{args.http}/v1/titles/resolve", bodies, args.concurrency
        )
        bodies = [{"titles": [{"title": t, "description": descriptions[t]}]} for t in titles]
        report["http_with_description"] = http_load(
            f"{args.http}/v1/titles/resolve", bodies, args.concurrency
        )
    print(json.dumps(report, indent=2))
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--referential", type=Path, help="RefRomeCsv folder or zip (default: shipped v460)"
    )
    p.add_argument("--cache-dir", type=Path, help="where built encoders and indexes live")
    p.add_argument("--encoder", choices=("e5", "use", "fake"), help="default: e5")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="passerelle", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    commands: list[tuple[str, Callable[[argparse.Namespace], int], str]] = [
        ("setup", cmd_setup, "build the encoder and indexes if missing, then report"),
        ("build", cmd_build, "build the index artifacts"),
        ("serve", cmd_serve, "start the HTTP service (builds what is missing first)"),
        ("search", cmd_search, "hybrid search in one collection"),
        ("resolve", cmd_resolve, "resolve a job title to ROME appellations and fiches"),
        ("tag", cmd_tag, "tag competences in a text file or a JSONL of offers"),
        ("cv", cmd_cv, "parse a CV file (PDF, DOCX, text) and print its profile as JSON"),
        ("emerging", cmd_emerging, "find skills and job titles a corpus uses that ROME lacks"),
        ("eval", cmd_eval, "evaluate a task model on labelled data"),
        ("bench", cmd_bench, "measure speed (in process, and HTTP with --http URL)"),
    ]
    for name, func, help_text in commands:
        sp = sub.add_parser(name, help=help_text)
        _common(sp)
        sp.set_defaults(func=func)
        if name == "build":
            sp.add_argument("--force", action="store_true", help="rebuild even if present")
        if name == "serve":
            sp.add_argument("--host")
            sp.add_argument("--port", type=int)
            sp.add_argument(
                "--no-build", action="store_true", help="fail instead of building missing artifacts"
            )
        if name == "resolve":
            sp.add_argument("title")
            sp.add_argument("--description", help="offer text, to choose between close fiches")
            sp.add_argument("--naf", help="employer NAF code (47.11F), favours its sector's fiches")
            sp.add_argument("--sector", help="or a ROME secteur d'activité code (110)")
            sp.add_argument("-k", type=int, default=5)
        if name == "eval":
            sp.add_argument(
                "task",
                choices=(
                    "titles",
                    "competences",
                    "extraction",
                    "cvs",
                    "mobility",
                    "matching",
                    "emerging",
                    "all",
                    "compare",
                ),
            )
            sp.add_argument(
                "--naf",
                action="store_true",
                help="titles: also send each offer's codeNAF as context",
            )
            sp.add_argument("--log", type=Path, help="all, emerging, compare: the JSONL run log")
            sp.add_argument("--skip", nargs="*", help="all: tasks to leave out")
            sp.add_argument("--runs", nargs=2, help="compare: two run ids (default: last two)")
            sp.add_argument(
                "--offers",
                type=Path,
                help="titles, competences: JSONL offers in the France Travail API format",
            )
            sp.add_argument(
                "--gold",
                type=Path,
                help="extraction: annotated mentions (JSONL {id, mentions}) of --offers offers",
            )
            sp.add_argument(
                "--min-probability",
                type=float,
                help="extraction: found items' probability floor (default: the model's)",
            )
            sp.add_argument("--dir", type=Path, help="cvs: a folder of CV files with gold.jsonl")
            sp.add_argument(
                "--make-set",
                action="store_true",
                help="cvs: first write the synthetic CV set (PDF + DOCX + gold.jsonl) into --dir",
            )
            sp.add_argument(
                "--mode",
                choices=("title", "description", "both"),
                default="description",
                help="title only, title + description (default), or both",
            )
            sp.add_argument(
                "--tune",
                action="store_true",
                help="mobility: search the blend weights on the tuning half and print them",
            )
            sp.add_argument("--fiches", type=int, default=300, help="matching: fiches sampled")
            sp.add_argument(
                "--seed", type=int, default=0, help="matching, emerging, titles: generator seed"
            )
            sp.add_argument(
                "--holdout-appellations",
                action="store_true",
                help="titles: resolve each appellation with a resolver built without it",
            )
            sp.add_argument("--folds", type=int, default=5, help="titles --holdout-appellations")
            sp.add_argument(
                "--seeds",
                type=int,
                nargs="+",
                help="emerging: several hold-out seeds, pooled (overrides --seed)",
            )
            sp.add_argument("--json", action="store_true")
        if name == "tag":
            sp.add_argument("file", type=Path, help="a text file, or a .jsonl of offers")
            sp.add_argument("--title", help="job title of a text file")
            sp.add_argument("--out", type=Path, help="JSONL results (default FILE.tags.jsonl)")
            sp.add_argument("--max-suggested", type=int, default=30)
        if name == "bench":
            sp.add_argument("task", choices=("titles", "offers", "cvs", "matching"))
            sp.add_argument(
                "--profiles", type=int, default=10_000, help="matching: profiles per request"
            )
            sp.add_argument(
                "--repeat",
                type=int,
                default=1,
                help="offers: passes over the file (memory check); cvs: parses of the 2-page CV",
            )
            sp.add_argument("--offers", type=Path, help="titles, offers: JSONL offers")
            sp.add_argument(
                "--http",
                help="base URL of a running service on loopback, e.g. http://127.0.0.1:8000",
            )
            sp.add_argument("--concurrency", type=int, default=8)
            sp.add_argument(
                "--cold",
                action="store_true",
                help="offers: empty the query caches before each pass (throughput over passes)",
            )
            sp.add_argument(
                "--min-chars",
                type=int,
                default=0,
                help="offers: only offers whose description has at least this many characters",
            )
        if name == "cv":
            sp.add_argument("file", type=Path, help="a CV as PDF, DOCX or text")
        if name == "emerging":
            sp.add_argument("--corpus", type=Path, required=True, help="JSONL: {id, text, ...}")
            sp.add_argument("--out", type=Path, required=True, help="folder for JSON and CSV")
            sp.add_argument("-k", type=int, default=100, help="candidates to report")
        if name == "search":
            sp.add_argument("query")
            sp.add_argument("--collection", default="appellations")
            sp.add_argument("-k", type=int, default=10)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except PasserelleError as exc:
        print(f"error [{exc.code}]: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
