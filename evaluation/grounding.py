"""Is a found item's span saying it? A blind judgement set, and its tally.

    python -m evaluation.grounding sample --offers offers_dev.jsonl --exclude spans.jsonl \\
        labels.jsonl --out /tmp/grounding     # writes items.jsonl (for the judge) and key.jsonl
    python -m evaluation.grounding tally --dir /tmp/grounding   # after verdicts.jsonl is written

`items.jsonl` holds, shuffled, each found item's first span and the item's label, with a
number and nothing else (not which reading found it): what a judge sees. `key.jsonl` maps each
number to the offer id, the code and whether a clause statement found it. The judge writes
`verdicts.jsonl`: `{"n": 12, "supported": true}` per line. The files hold offer text: keep them
out of the repository (the API terms).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from evaluation.extraction import load_gold
from evaluation.offers import load_offers
from models.runtime import Passerelle
from models.settings import CoreSettings

SEED = 7
OFFERS = 30
MIN_CHARS = 300


def sample(offers_path: Path, exclude: list[Path], out: Path) -> int:
    taken = {g.id for path in exclude for g in load_gold(path)}
    pool = [
        o
        for o in load_offers(offers_path)
        if o.group == "ft-api" and o.id not in taken and len(o.description) >= MIN_CHARS
    ]
    chosen = random.Random(SEED).sample(pool, OFFERS)
    core = Passerelle.load(CoreSettings())
    rows = []
    for offer, extraction in zip(
        chosen,
        core.competences.extract_many([(o.description, o.title) for o in chosen]),
        strict=True,
    ):
        for item in extraction.found:
            span = item.spans[0]
            rows.append(
                (
                    {"span": span.text, "item": item.label},
                    {
                        "offer": offer.id,
                        "code": item.code_ogr,
                        "stated": item.probability is not None,
                    },
                )
            )
    core.close()
    random.Random(SEED).shuffle(rows)
    out.mkdir(parents=True, exist_ok=True)
    with (
        (out / "items.jsonl").open("w", encoding="utf-8") as items,
        (out / "key.jsonl").open("w", encoding="utf-8") as key,
    ):
        for n, (shown, hidden) in enumerate(rows):
            items.write(json.dumps({"n": n, **shown}, ensure_ascii=False) + "\n")
            key.write(json.dumps({"n": n, **hidden}) + "\n")
    return len(rows)


def tally(folder: Path) -> dict[str, object]:
    key = {r["n"]: r for r in map(json.loads, (folder / "key.jsonl").open(encoding="utf-8"))}
    verdicts = [json.loads(line) for line in (folder / "verdicts.jsonl").open(encoding="utf-8")]
    out: dict[str, object] = {"judged": len(verdicts), "of": len(key)}
    for name, keep in (
        ("all", lambda r: True),
        ("fiche_bound", lambda r: not r["stated"]),
        ("stated", lambda r: r["stated"]),
    ):
        rows = [v for v in verdicts if keep(key[v["n"]])]
        good = sum(bool(v["supported"]) for v in rows)
        out[name] = {
            "supported": good,
            "items": len(rows),
            "share": round(good / len(rows), 4) if rows else None,
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--offers", type=Path, required=True)
    s.add_argument("--exclude", type=Path, nargs="*", default=[])
    s.add_argument("--out", type=Path, required=True)
    t = sub.add_parser("tally")
    t.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "sample":
        print(f"{sample(args.offers, args.exclude, args.out)} found items written to {args.out}")
    else:
        print(json.dumps(tally(args.dir), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
