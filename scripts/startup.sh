#!/usr/bin/env bash
# Start-up benchmark: seconds from `passerelle serve` to the first 200 of /ready, from built
# artifacts (run `passerelle setup` first). Usage: bash scripts/startup.sh [runs] [port]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
runs=${1:-3}
port=${2:-8765}
for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  PASSERELLE_ACCESS_LOG=false passerelle serve --no-build --port "$port" >/dev/null 2>&1 &
  pid=$!
  until curl -sf "localhost:$port/ready" >/dev/null 2>&1; do sleep 0.05; done
  end=$(date +%s.%N)
  python -c "print(f'ready in {$end - $start:.2f} s')"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
