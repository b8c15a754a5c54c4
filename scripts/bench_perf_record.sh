#!/bin/bash
# For a bench's BERTH_BENCH_BIN: runs `berth` under `perf record` with DWARF
# call graphs, the server by default, or the simulator with
# PROFILE=simulate; every other `berth` the bench starts runs as is.
#
#   REAL_BIN=target/release/berth PERF_OUT=/tmp/server.data \
#   BERTH_BENCH_BIN=scripts/bench_perf_record.sh <bench binary> --bench ...
#   perf script -i /tmp/server.data | inferno-collapse-perf | inferno-flamegraph > server.svg
#
# With PERF_EVENTS (comma-separated) it records those events instead, each
# with its arguments and no call graph, e.g. the store's page writes:
#
#   PERF_EVENTS=syscalls:sys_enter_pwrite64,syscalls:sys_enter_fdatasync ...
#   perf script -i /tmp/server.data -F comm,tid,time,event,trace \
#     | python3 scripts/checkpoint_page_writes.py
set -u
if { [ "${PROFILE:-server}" = simulate ] && [ "$1" = simulate ]; } ||
   { [ "${PROFILE:-server}" = server ] && [ "$1" != simulate ]; }; then
  if [ -n "${PERF_EVENTS:-}" ]; then
    exec perf record -e "$PERF_EVENTS" -o "$PERF_OUT" -- "$REAL_BIN" "$@"
  fi
  exec perf record -F "${PERF_FREQ:-299}" -e task-clock --call-graph dwarf,16384 \
    -o "$PERF_OUT" -- "$REAL_BIN" "$@"
fi
exec "$REAL_BIN" "$@"
