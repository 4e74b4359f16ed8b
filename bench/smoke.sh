#!/usr/bin/env bash
# Load smoke test for CI: builds the server and the bench in Release, starts the server on free loopback ports
# (temporary SQLite database, unique Orleans cluster id, raised rate limits; see with-server.sh), waits for
# /health/ready, runs a small load with --smoke (exit 1 on any error, faulted or unexpectedly closed connection,
# or no completed round), stops the server, and exits with the bench's code.
#
#   SMOKE_ROOMS (20)  SMOKE_CLIENTS (5)  SMOKE_DURATION (10s); extra arguments go to the bench.
#   BENCH_NO_BUILD=1 reuses the last Release build.
set -euo pipefail
cd "$(dirname "$0")"
exec ./with-server.sh run \
  --rooms "${SMOKE_ROOMS:-20}" --clients-per-room "${SMOKE_CLIENTS:-5}" --duration "${SMOKE_DURATION:-10s}" \
  --warmup 2s --smoke "$@"
