#!/usr/bin/env bash
# Runs the bench against a fresh server: builds the server and the bench in Release, starts the server's own
# process on free loopback ports with a temporary SQLite database, a unique Orleans cluster id, raised rate limits
# and Warning-level logs, waits for /health/ready, runs the bench command given (with --url and --server-pid
# filled in), stops the server, and exits with the bench's code.
#
#   bench/with-server.sh run --rooms 50 --clients-per-room 8 --duration 20s
#   bench/with-server.sh compare --rooms 20 --clients-per-room 8 --think-ms 0 --round-pause-ms 0 --duration 20s
#
# BENCH_NO_BUILD=1 reuses the last Release build. BENCH_SERVER_ENV="Storage__MaxBatchSize=1 ..." adds settings.
# BENCH_SERVER_DLL=<path> runs another build of the server (e.g. a copy of the previous one, for a side-by-side run).
# BENCH_DATA_DIR=<dir> puts the database (poker.db) and the log there and keeps them.
# BENCH_SERVER_LOG=<file> keeps the server's log (e.g. with BENCH_SERVER_ENV=Logging__LogLevel__PlanningPoker.Server.Storage=Debug,
# whose BatchCommitted lines give every group commit's size and time).
set -euo pipefail

# The whole script is one function, parsed before it runs: editing this file during a long run cannot make bash
# read a shifted line (and, say, start the bench twice).
main() {
  cd "$(dirname "$0")/.."

  if [[ $# -lt 1 ]]; then
    echo "usage: bench/with-server.sh run|compare [bench options]" >&2
    exit 2
  fi
  command=$1
  shift

  if [[ "${BENCH_NO_BUILD:-}" != "1" ]]; then
    dotnet build src/PlanningPoker.Server/PlanningPoker.Server.csproj -c Release -nologo -v quiet
    dotnet build bench/PlanningPoker.Bench/PlanningPoker.Bench.csproj -c Release -nologo -v quiet
  fi

  server_dll=${BENCH_SERVER_DLL:-$PWD/artifacts/bin/PlanningPoker.Server/release/PlanningPoker.Server.dll}
  bench_dll=$PWD/artifacts/bin/PlanningPoker.Bench/release/PlanningPoker.Bench.dll

  # free_port sets $free to a port below the kernel's ephemeral range (so that no outgoing connection, the
  # bench's thousands included, can hold it), used by no socket in any state, distinct from those already taken
  # here. The silo and gateway ports must also stay below 64000 (Node options).
  read -r ephemeral_low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || ephemeral_low=32768
  high=$(( ephemeral_low > 64000 ? 64000 : ephemeral_low ))
  taken=()
  free_port() {
    local port
    for _ in $(seq 1 500); do
      port=$((10000 + RANDOM % (high - 10000)))
      if [[ " ${taken[*]-} " == *" $port "* ]]; then continue; fi
      if [[ -z "$(ss -Htan "( sport = :$port )" 2>/dev/null)" ]] && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        taken+=("$port")
        free=$port
        return 0
      fi
    done
    echo "no free port found" >&2
    return 1
  }

  free_port; http_port=$free
  free_port; silo_port=$free
  free_port; gateway_port=$free
  if [[ -n "${BENCH_DATA_DIR:-}" ]]; then data=$BENCH_DATA_DIR; mkdir -p "$data"; else data=$(mktemp -d); fi
  log="$data/server.log"
  url="http://127.0.0.1:$http_port"

  # Start the server's own process (not `dotnet run`, which would sit in between), so that $! is the pid the bench
  # reads in /proc. Its content root is the project folder.
  (
    cd src/PlanningPoker.Server
    # shellcheck disable=SC2086 # BENCH_SERVER_ENV is a list of NAME=value words
    exec env \
      Urls="$url" \
      Storage__ConnectionString="Data Source=$data/poker.db" \
      Node__SiloPort="$silo_port" Node__GatewayPort="$gateway_port" Node__ClusterId="bench-$$-$RANDOM" \
      Limits__RoomCreationsPerMinute=1000000 Limits__JoinsPerMinute=10000000 \
      Limits__HubCallsPerSecond=100000 Limits__HubCallBurst=100000 \
      Limits__ConnectionsPerAddress=1000000 Limits__HubCallsPerAddressPerSecond=10000000 \
      Limits__HubCallBurstPerAddress=10000000 Limits__MissedJoinsPerMinute=10000000 \
      Logging__LogLevel__Default=Warning \
      ${BENCH_SERVER_ENV:-} \
      dotnet "$server_dll"
  ) >"$log" 2>&1 &
  server_pid=$!

  stop_server() {
    if kill -0 "$server_pid" 2>/dev/null; then
      kill -TERM "$server_pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.25; done
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
    if [[ -n "${BENCH_SERVER_LOG:-}" ]]; then cp "$log" "$BENCH_SERVER_LOG"; fi
    if [[ -z "${BENCH_DATA_DIR:-}" ]]; then rm -rf "$data"; fi
  }
  trap stop_server EXIT

  for i in $(seq 1 240); do
    if curl -fsS "$url/health/ready" >/dev/null 2>&1; then
      break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "the server exited during start-up:" >&2
      cat "$log" >&2
      exit 1
    fi
    if [[ $i -eq 240 ]]; then
      echo "the server did not answer $url/health/ready within 60 s:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.25
  done
  echo "server pid $server_pid ready on $url (silo $silo_port, gateway $gateway_port, data $data)"
  # Let start-up work (JIT, Orleans' first timers) settle, so that the bench's idle CPU sample is closer to idle.
  sleep "${BENCH_SETTLE_SECONDS:-3}"

  set +e
  dotnet "$bench_dll" "$command" --url "$url" --server-pid "$server_pid" "$@"
  code=$?
  set -e

  if [[ $code -ne 0 ]]; then
    echo "server log (warnings and errors), last 50 lines:" >&2
    tail -n 50 "$log" >&2
  elif [[ -s "$log" ]]; then
    echo "server warnings/errors during the run: $(wc -l <"$log") lines; last 10:"
    tail -n 10 "$log"
  fi
  exit $code
}

main "$@"
exit $?
