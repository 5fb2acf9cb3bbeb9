#!/usr/bin/env bash
# Command 2: lint, type-check and run the whole test suite (real-model, spaCy, notebook and
# property-based tests included: the e5 encoder is built once into .cache/ if missing). Extra
# arguments go to pytest (a later -m narrows the selection again).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
python -c 'from models.encoders.registry import ensure_e5; from models.settings import DEFAULT_CACHE; ensure_e5(DEFAULT_CACHE)'
ruff check .
mypy .
python -m pytest -m "" "$@"
