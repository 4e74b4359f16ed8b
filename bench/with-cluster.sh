#!/usr/bin/env bash
# Runs the bench against a fresh cluster of N nodes: builds the server and the bench in Release, creates a fresh
# PostgreSQL database, starts N server processes on free loopback ports sharing it (one Orleans cluster: same cluster
# id, ADO.NET clustering; node 1 first, which migrates the database, then the others together), with raised rate
# limits and Warning-level logs, waits for /health/ready on each, runs the bench command given (with every node's
# --url and --server-pid filled in), stops the nodes, drops the database, and exits with the bench's code.
#
#   bench/with-cluster.sh 3 run --rooms 100 --clients-per-room 8 --duration 20s --spread participant
#   BENCH_NGINX=1 bench/with-cluster.sh 3 run --rooms 100 --clients-per-room 8 --duration 20s
#
# POKER_BENCH_POSTGRES is the server and credentials (default Host=127.0.0.1;Username=poker;Password=poker;
# Database=poker_bench); the run's database is its Database name with a random suffix, created with psql (the role
# needs CREATEDB) and dropped at the end. BENCH_NGINX=1 puts nginx (/usr/sbin/nginx, the configuration of
# docs/operations.md) in front of the nodes and drives the bench through it (one URL; the pids are still the nodes').
# BENCH_NO_BUILD=1, BENCH_SERVER_ENV, BENCH_SERVER_DLL, BENCH_SETTLE_SECONDS as in with-server.sh.
# BENCH_DATA_DIR=<dir> keeps the nodes' logs (node1.log, ...) and nginx's there.
#
# Each node's start command is written to $data/node<i>.sh (same ports and settings; it appends to node<i>.log and
# writes its pid to node<i>.pid). For the failover command the bench also gets --node-url (each node's own address)
# and --restart-command (those scripts), in the order of --server-pid, and the nodes serve /metrics (loopback only):
#
#   bench/with-cluster.sh 3 failover --kills 10 --rooms 20 --clients-per-room 5
set -euo pipefail

# The whole script is one function, parsed before it runs (see with-server.sh).
main() {
  cd "$(dirname "$0")/.."

  if [[ $# -lt 2 || ! "$1" =~ ^[1-9][0-9]*$ ]]; then
    echo "usage: bench/with-cluster.sh N run|compare|failover [bench options]" >&2
    exit 2
  fi
  nodes=$1
  command=$2
  shift 2

  if [[ "${BENCH_NO_BUILD:-}" != "1" ]]; then
    dotnet build src/PlanningPoker.Server/PlanningPoker.Server.csproj -c Release -nologo -v quiet
    dotnet build bench/PlanningPoker.Bench/PlanningPoker.Bench.csproj -c Release -nologo -v quiet
  fi

  server_dll=${BENCH_SERVER_DLL:-$PWD/artifacts/bin/PlanningPoker.Server/release/PlanningPoker.Server.dll}
  bench_dll=$PWD/artifacts/bin/PlanningPoker.Bench/release/PlanningPoker.Bench.dll

  # The run's database: POKER_BENCH_POSTGRES's name (or poker_bench) plus a random suffix, on its server. The parts
  # psql needs are read from the connection string; the nodes get it whole, with the new name.
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
  database="${pg_database}_$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
  connection+="Database=$database"
  psql_admin() {
    PGPASSWORD="$pg_password" PGCONNECT_TIMEOUT=5 psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres -v ON_ERROR_STOP=1 -q -c "$1"
  }

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
  cluster_id="bench-$$-$RANDOM"
  pids=() urls=() logs=() scripts=() nginx_pid="" database_created=""
  # failover reads each node's room count from /metrics (Prometheus, loopback only) to say whether the killed node
  # hosted rooms; run and compare keep the settings they were measured with.
  node_env=()
  if [[ "$command" == failover ]]; then node_env=(Telemetry__Prometheus=true); fi

  stop_cluster() {
    local pid i restarted
    # Nodes the failover command started again (their scripts write their pid) are not this shell's children.
    for i in $(seq 1 "${#scripts[@]}"); do
      restarted=$(cat "$data/node$i.pid" 2>/dev/null || true)
      if [[ -n "$restarted" && " ${pids[*]} " != *" $restarted "* ]]; then pids+=("$restarted"); fi
    done
    if [[ -n "$nginx_pid" ]] && kill -0 "$nginx_pid" 2>/dev/null; then
      kill -TERM "$nginx_pid" 2>/dev/null || true
      wait "$nginx_pid" 2>/dev/null || true
    fi
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -KILL "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    done
    if [[ -n "$database_created" ]]; then
      psql_admin "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" || echo "could not drop database $database" >&2
    fi
    if [[ -z "${BENCH_DATA_DIR:-}" ]]; then rm -rf "$data"; fi
  }
  trap stop_cluster EXIT

  if ! psql_admin "CREATE DATABASE \"$database\""; then
    echo "could not create database $database on $pg_host:$pg_port as $pg_user (POKER_BENCH_POSTGRES)" >&2
    exit 1
  fi
  database_created=1

  # Each node is the server's own process (content root in the project folder, as in with-server.sh). Node 1 starts
  # alone and migrates the fresh database; the others start together once it is ready. Started all at once on a
  # fresh database, one node in two runs failed its migration ("42701: column facilitator_key of relation rooms
  # already exists"): EF's migration lock on PostgreSQL is held per migration transaction, so two migrators can
  # interleave (docs/performance.md, "Cluster: 1, 2 and 3 nodes").
  # Each node's start command is a script of its own, $data/node<i>.sh (same ports, same settings, its log appended,
  # its pid written to node<i>.pid), so that the failover command can start a node again after killing it.
  start_node() {
    local i=$1 http_port silo_port gateway_port url log script
    free_port; http_port=$free
    free_port; silo_port=$free
    free_port; gateway_port=$free
    url="http://127.0.0.1:$http_port"
    log="$data/node$i.log"
    script="$data/node$i.sh"
    {
      echo '#!/usr/bin/env bash'
      echo "# node $i of cluster $cluster_id, written by bench/with-cluster.sh: starts it (again) on the same ports."
      printf 'cd %q\n' "$PWD/src/PlanningPoker.Server"
      printf 'echo $$ >%q\n' "$data/node$i.pid"
      printf 'exec env'
      # shellcheck disable=SC2086 # BENCH_SERVER_ENV is a list of NAME=value words
      printf ' %q' \
        Urls="$url" \
        Storage__Provider=Postgres Storage__ConnectionString="$connection" \
        Node__SiloPort="$silo_port" Node__GatewayPort="$gateway_port" Node__AdvertisedAddress=127.0.0.1 \
        Node__ClusterId="$cluster_id" \
        Limits__RoomCreationsPerMinute=1000000 Limits__JoinsPerMinute=10000000 \
        Limits__HubCallsPerSecond=100000 Limits__HubCallBurst=100000 \
        Limits__ConnectionsPerAddress=1000000 Limits__HubCallsPerAddressPerSecond=10000000 \
        Limits__HubCallBurstPerAddress=10000000 Limits__MissedJoinsPerMinute=10000000 \
        Logging__LogLevel__Default=Warning \
        "${node_env[@]}" \
        ${BENCH_SERVER_ENV:-} \
        dotnet "$server_dll"
      printf ' >>%q 2>&1\n' "$log"
    } >"$script"
    chmod +x "$script"
    : >"$log"
    "$script" &
    pids+=("$!")
    urls+=("$url")
    logs+=("$log")
    scripts+=("$script")
    echo "node $i: pid ${pids[-1]} on $url (silo $silo_port, gateway $gateway_port, log $log, start command $script)"
  }

  wait_ready() {
    local n=$1 i
    for i in $(seq 1 480); do
      if curl -fsS "${urls[n]}/health/ready" >/dev/null 2>&1; then
        return 0
      fi
      if ! kill -0 "${pids[n]}" 2>/dev/null; then
        echo "node $((n + 1)) exited during start-up:" >&2
        cat "${logs[n]}" >&2
        exit 1
      fi
      sleep 0.25
    done
    echo "node $((n + 1)) did not answer ${urls[n]}/health/ready within 120 s:" >&2
    cat "${logs[n]}" >&2
    exit 1
  }

  start_node 1
  wait_ready 0
  for i in $(seq 2 "$nodes"); do start_node "$i"; done
  for n in $(seq 1 $((nodes - 1))); do wait_ready "$n"; done
  echo "cluster $cluster_id ready: $nodes nodes on database $database"

  target=$(IFS=,; echo "${urls[*]}")
  if [[ "${BENCH_NGINX:-}" == "1" ]]; then
    # The configuration docs/operations.md shows (tests/PlanningPoker.Server.Tests/Cluster/Nginx.cs), with room for
    # the bench's connections (each WebSocket holds two, client side and node side) within the hard limit on files.
    free_port; nginx_port=$free
    files=$(ulimit -Hn)
    if [[ "$files" == unlimited || "$files" -gt 65536 ]]; then files=65536; fi
    mkdir -p "$data/nginx"
    upstream=""
    for url in "${urls[@]}"; do upstream+="        server ${url#http://} max_fails=1 fail_timeout=2s;"$'\n'; done
    cat >"$data/nginx/nginx.conf" <<EOF
worker_processes 1;
worker_rlimit_nofile $files;
daemon off;
pid $data/nginx/nginx.pid;
events { worker_connections $((files - 64)); }
http {
    access_log off;
    client_body_temp_path $data/nginx/body;
    proxy_temp_path $data/nginx/proxy;
    fastcgi_temp_path $data/nginx/fastcgi;
    uwsgi_temp_path $data/nginx/uwsgi;
    scgi_temp_path $data/nginx/scgi;

    map \$http_upgrade \$connection_upgrade {
        default upgrade;
        ''      close;
    }

    upstream planning_poker {
        least_conn;
$upstream    }

    server {
        listen 127.0.0.1:$nginx_port;
        location / {
            proxy_pass http://planning_poker;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_buffering off;
            proxy_read_timeout 1h;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout http_502 http_503;
        }
    }
}
EOF
    /usr/sbin/nginx -p "$data/nginx" -c "$data/nginx/nginx.conf" -e "$data/nginx/error.log" >"$data/nginx/output.log" 2>&1 &
    nginx_pid=$!
    for i in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$nginx_port") 2>/dev/null; then break; fi
      if ! kill -0 "$nginx_pid" 2>/dev/null || [[ $i -eq 100 ]]; then
        echo "nginx did not listen on $nginx_port:" >&2
        cat "$data/nginx/output.log" "$data/nginx/error.log" >&2 2>/dev/null || true
        exit 1
      fi
      sleep 0.05
    done
    target="http://127.0.0.1:$nginx_port"
    echo "nginx pid $nginx_pid on $target in front of the nodes"
  fi

  # Let start-up work (JIT, Orleans' first timers, the membership settling) pass before the idle CPU sample.
  sleep "${BENCH_SETTLE_SECONDS:-3}"

  set +e
  extra=()
  if [[ "$command" == failover ]]; then
    # The nodes' own addresses (health, metrics) and start commands, in the order of the pids.
    extra=(--node-url "$(IFS=,; echo "${urls[*]}")" --restart-command "$(IFS=,; echo "${scripts[*]}")")
  fi
  dotnet "$bench_dll" "$command" --url "$target" --server-pid "$(IFS=,; echo "${pids[*]}")" "${extra[@]}" "$@"
  code=$?
  set -e

  for n in $(seq 0 $((nodes - 1))); do
    pid=$(cat "$data/node$((n + 1)).pid" 2>/dev/null || echo "${pids[n]}") # started again by failover: a new pid
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "node $((n + 1)) (pid $pid) is no longer running" >&2
    fi
    if [[ -s "${logs[n]}" ]]; then
      echo "node $((n + 1)) warnings/errors during the run: $(grep -cE '^(warn|fail|crit):' "${logs[n]}") entries, $(wc -l <"${logs[n]}") lines; last $([[ $code -ne 0 ]] && echo 30 || echo 10) lines:"
      tail -n "$([[ $code -ne 0 ]] && echo 30 || echo 10)" "${logs[n]}"
    fi
  done
  if [[ -n "$nginx_pid" && -s "$data/nginx/error.log" ]]; then
    echo "nginx error log: $(wc -l <"$data/nginx/error.log") lines; last 10:"
    tail -n 10 "$data/nginx/error.log"
  fi
  exit $code
}

main "$@"
exit $?
