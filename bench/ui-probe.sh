#!/usr/bin/env bash
# Measures the browser UI's first visit as people get it: publishes the server (Release, trimmed WebAssembly,
# precompressed assets), starts the published build on a free loopback port with a temporary SQLite database,
# runs `PlanningPoker.Bench ui` (Chromium: bytes over the network, time until interactive), then stops it.
#
#   bench/ui-probe.sh [--runs 5] [--chromium /usr/bin/chromium]
set -euo pipefail

main() {
  cd "$(dirname "$0")/.."
  out=$(mktemp -d)
  dotnet publish src/PlanningPoker.Server/PlanningPoker.Server.csproj -c Release -o "$out/app" -nologo -v quiet
  dotnet build bench/PlanningPoker.Bench/PlanningPoker.Bench.csproj -c Release -nologo -v quiet
  port=$(( 20000 + RANDOM % 10000 ))
  url="http://127.0.0.1:$port"
  (
    cd "$out/app"
    exec env Urls="$url" Storage__ConnectionString="Data Source=$out/poker.db" \
      Node__SiloPort=$(( port + 1 )) Node__GatewayPort=$(( port + 2 )) Node__ClusterId="ui-$$" \
      Logging__LogLevel__Default=Warning dotnet PlanningPoker.Server.dll
  ) >"$out/server.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$out"' EXIT
  for _ in $(seq 1 240); do
    curl -fsS "$url/health/ready" >/dev/null 2>&1 && break
    kill -0 $pid 2>/dev/null || { cat "$out/server.log" >&2; exit 1; }
    sleep 0.25
  done
  echo "published build: $(du -sh "$out/app/wwwroot/_framework" | cut -f1) in wwwroot/_framework (uncompressed and .br/.gz copies)"
  dotnet artifacts/bin/PlanningPoker.Bench/release/PlanningPoker.Bench.dll ui --url "$url" "$@"
}

main "$@"
