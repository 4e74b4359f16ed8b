#!/usr/bin/env bash
# Issue 14's estimation-insights benchmark against a fresh server: builds the server and the bench in Release, makes a
# fresh database (SQLite: a temporary file; PostgreSQL: a new database, dropped at the end), starts the server's own
# process on free loopback ports (it migrates the database), waits for /health/ready, and runs the bench's insights
# command, which makes an organisation of 50 teams through the API, seeds two years of their history into the
# database, checks that seeded rooms load, and measures the insights and history endpoints against their targets.
#
#   bench/insights.sh sqlite
#   bench/insights.sh postgres --requests 100
#
# POKER_BENCH_POSTGRES is the PostgreSQL server and credentials (default Host=127.0.0.1;Username=poker;Password=poker;
# Database=poker_bench); the run's database is that name plus _insights_<random> (the role needs CREATEDB).
# BENCH_NO_BUILD=1 reuses the last Release build; BENCH_SERVER_ENV="A=1 B=2" adds server settings;
# BENCH_DATA_DIR=<dir> keeps the server's log (and the SQLite file) there.
set -euo pipefail

# The whole script is one function, parsed before it runs (see with-server.sh).
main() {
  cd "$(dirname "$0")/.."

  if [[ $# -lt 1 || ( "$1" != sqlite && "$1" != postgres ) ]]; then
    echo "usage: bench/insights.sh sqlite|postgres [insights options]" >&2
    exit 2
  fi
  provider=$1
  shift

  if [[ "${BENCH_NO_BUILD:-}" != "1" ]]; then
    dotnet build src/PlanningPoker.Server/PlanningPoker.Server.csproj -c Release -nologo -v quiet
    dotnet build bench/PlanningPoker.Bench/PlanningPoker.Bench.csproj -c Release -nologo -v quiet
  fi

  server_dll=${BENCH_SERVER_DLL:-$PWD/artifacts/bin/PlanningPoker.Server/release/PlanningPoker.Server.dll}
  bench_dll=$PWD/artifacts/bin/PlanningPoker.Bench/release/PlanningPoker.Bench.dll

  # free_port as in with-server.sh: below the ephemeral range, unused in any state, not taken here yet.
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

  if [[ -n "${BENCH_DATA_DIR:-}" ]]; then data=$BENCH_DATA_DIR; mkdir -p "$data"; else data=$(mktemp -d); fi
  log="$data/server.log"
  database_created="" server_pid=""

  if [[ "$provider" == postgres ]]; then
    # The run's database, as with-cluster.sh makes it: the parts psql needs are read from the connection string.
    base=${POKER_BENCH_POSTGRES:-Host=127.0.0.1;Username=poker;Password=poker;Database=poker_bench}
    pg_host=127.0.0.1 pg_port=5432 pg_user=poker pg_password="" pg_database=poker_bench connection=""
    IFS=';' read -ra parts <<<"$base"
    for part in "${parts[@]}"; do
      [[ "$part" == *=* ]] || continue
      key=$(tr -d ' ' <<<"${part%%=*}" | tr '[:upper:]' '[:lower:]')
      value=${part#*=}
      case $key in
        host | server) pg_host=$value ;;
        port) pg_port=$value ;;
        username | user | userid) pg_user=$value ;;
        password) pg_password=$value ;;
        database) pg_database=$value; continue ;;
      esac
      connection+="$part;"
    done
    database="${pg_database}_insights_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
    connection+="Database=$database"
    psql_admin() {
      PGPASSWORD="$pg_password" PGCONNECT_TIMEOUT=5 psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -v ON_ERROR_STOP=1 -q -c "$1"
    }
    storage=(Storage__Provider=Postgres "Storage__ConnectionString=$connection")
  else
    connection="Data Source=$data/poker.db"
    storage=("Storage__ConnectionString=$connection")
  fi

  stop() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
      kill -TERM "$server_pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.25; done
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
    if [[ -n "$server_pid" ]]; then wait "$server_pid" 2>/dev/null || true; fi
    if [[ -n "$database_created" ]]; then
      psql_admin "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" || echo "could not drop database $database" >&2
    fi
    if [[ -z "${BENCH_DATA_DIR:-}" ]]; then rm -rf "$data"; fi
  }
  trap stop EXIT

  if [[ "$provider" == postgres ]]; then
    if ! psql_admin "CREATE DATABASE \"$database\""; then
      echo "could not create database $database on $pg_host:$pg_port as $pg_user (POKER_BENCH_POSTGRES)" >&2
      exit 1
    fi
    database_created=1
  fi

  free_port; http_port=$free
  free_port; silo_port=$free
  free_port; gateway_port=$free
  url="http://127.0.0.1:$http_port"
  (
    cd src/PlanningPoker.Server
    # shellcheck disable=SC2086 # BENCH_SERVER_ENV is a list of NAME=value words
    exec env \
      Urls="$url" \
      "${storage[@]}" \
      Node__SiloPort="$silo_port" Node__GatewayPort="$gateway_port" Node__ClusterId="bench-insights-$$-$RANDOM" \
      Logging__LogLevel__Default=Warning \
      ${BENCH_SERVER_ENV:-} \
      dotnet "$server_dll"
  ) >"$log" 2>&1 &
  server_pid=$!

  for i in $(seq 1 480); do
    if curl -fsS "$url/health/ready" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "the server exited during start-up:" >&2
      cat "$log" >&2
      exit 1
    fi
    if [[ $i -eq 480 ]]; then
      echo "the server did not answer $url/health/ready within 120 s:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.25
  done
  echo "server pid $server_pid ready on $url ($provider${database:+, database $database}; data $data); nproc $(nproc)"

  set +e
  dotnet "$bench_dll" insights --url "$url" --server-pid "$server_pid" --provider "$provider" --connection-string "$connection" "$@"
  code=$?
  set -e

  if [[ -s "$log" ]]; then
    echo "server warnings/errors during the run: $(grep -cE '^(warn|fail|crit):' "$log") entries; last 10 lines:"
    tail -n 10 "$log"
  fi
  exit $code
}

main "$@"
exit $?
