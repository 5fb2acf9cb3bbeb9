#!/usr/bin/env bash
# Command 1: set everything up (venv, encoder build, indexes) and start the service on
# 127.0.0.1:8000 with the embedded defaults. Built artifacts are reused on the next run.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
passerelle setup
exec passerelle serve --no-build "$@"
