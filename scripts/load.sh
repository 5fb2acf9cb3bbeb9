#!/usr/bin/env bash
# The load benchmark (docs/benchmarks.md, "Robustness and load"): installs locust (the `load`
# extra), starts the service on 127.0.0.1:8765 with the built artifacts, sends the hostile
# inputs, the realistic mix at 8 and 32 users for 60 s each and a burst of 32 maximal tag
# requests, then stops it. Extra arguments go to `python -m evaluation.load.run`, e.g.
#   bash scripts/load.sh --offers ../shared/eval/offers_dev.jsonl --out load.json
set -euo pipefail
PASSERELLE_EXTRAS="build-encoder,dev,load" . "$(dirname "${BASH_SOURCE[0]}")/env.sh"
passerelle setup >/dev/null
python -m evaluation.load.run "$@"
