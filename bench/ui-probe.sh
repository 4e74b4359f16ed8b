#!/usr/bin/env bash
# Measures the browser UI's first visit as people get it: publishes the server (Release, trimmed WebAssembly,
# precompressed assets), starts the published build on a free loopback port with a temporary SQLite database,
# runs `PlanningPoker.Bench ui` (Chromium, per profile: bytes over the network and time until the join form is
# usable, then until the app is interactive), then stops it.
#
#   bench/ui-probe.sh [--runs 5] [--profiles desktop,cpu4x,cpu4x-9mbit-150ms] [--chromium /usr/bin/chromium]
#
# UI_PROBE_APP=<dir> measures a build published before (e.g. the previous commit's, for a side-by-side run)
# instead of publishing this tree.
set -euo pipefail

main() {
  cd "$(dirname "$0")/.."
  out=$(mktemp -d)
  if [[ -n "${UI_PROBE_APP:-}" ]]; then
    app=$UI_PROBE_APP
  else
    app=$out/app
    dotnet publish src/PlanningPoker.Server/PlanningPoker.Server.csproj -c Release -o "$app" -nologo -v quiet
  fi
  dotnet build bench/PlanningPoker.Bench/PlanningPoker.Bench.csproj -c Release -nologo -v quiet
  port=$(( 20000 + RANDOM % 10000 ))
  url="http://127.0.0.1:$port"
  (
    cd "$app"
    exec env Urls="$url" Storage__ConnectionString="Data Source=$out/poker.db" \
      Node__SiloPort=$(( port + 1 )) Node__GatewayPort=$(( port + 2 )) Node__ClusterId="ui-$$" \
      Limits__RoomCreationsPerMinute=100000 Limits__JoinsPerMinute=100000 \
      Logging__LogLevel__Default=Warning dotnet PlanningPoker.Server.dll
  ) >"$out/server.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$out"' EXIT
  for _ in $(seq 1 240); do
    curl -fsS "$url/health/ready" >/dev/null 2>&1 && break
    kill -0 $pid 2>/dev/null || { cat "$out/server.log" >&2; exit 1; }
    sleep 0.25
  done
  echo "published build $app: $(du -sh "$app/wwwroot/_framework" | cut -f1) in wwwroot/_framework (uncompressed and .br/.gz copies)"
  dotnet artifacts/bin/PlanningPoker.Bench/release/PlanningPoker.Bench.dll ui --url "$url" "$@"
}

main "$@"
