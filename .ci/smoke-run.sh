#!/usr/bin/env bash
# Starts the product the way the README says, waits for /health/live, and stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${SMOKE_PORT:-5099}
log=$(mktemp)
data=$(mktemp -d)
Urls="http://127.0.0.1:$port" dotnet run -c Release --no-build --project src/PlanningPoker.Server >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/health/live" >/dev/null 2>&1; then
    # The pages are rendered by the server first, and load Blazor's script (fingerprinted) to start the app.
    # Read whole, then searched: "curl | grep -q" fails when grep stops reading before curl has written it all (23).
    home=$(curl -fsS "http://127.0.0.1:$port/")
    grep -q "Planning Poker" <<<"$home"
    page=$(curl -fsS "http://127.0.0.1:$port/rooms/0000000000000000")
    script=$(grep -o '_framework/blazor\.web[^"]*\.js' <<<"$page" | head -n 1 || true)
    [[ -n "$script" ]]
    curl -fsS -o /dev/null "http://127.0.0.1:$port/$script"
    echo "server answered /health/live, and served the UI at / and /rooms/…, on port $port"
    exit 0
  fi
  if ! kill -0 $pid 2>/dev/null; then
    echo "server exited early:" >&2; cat "$log" >&2; exit 1
  fi
  sleep 0.5
done
echo "server did not answer /health/live within 60 s:" >&2
cat "$log" >&2
exit 1
