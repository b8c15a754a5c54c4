#!/bin/bash
# Runs `berth` as a child, for a bench's BERTH_BENCH_BIN: when the bench
# stops it with SIGTERM, appends to $STAT_OUT the child's user and system
# CPU so far, in clock ticks (from /proc/<pid>/stat), and each thread
# name's voluntary / involuntary context switches, then forwards the signal.
#
#   STAT_OUT=/tmp/cpu.txt REAL_BIN=target/release/berth \
#   BERTH_BENCH_BIN=scripts/bench_server_cpu.sh <bench binary> --bench ...
set -u
"$REAL_BIN" "$@" &
pid=$!
report() {
  local cpu switches
  # utime and stime, fields 14 and 15, counted after the command name,
  # which may hold spaces.
  cpu=$(sed 's/.*) //' "/proc/$pid/stat" | awk '{print "user_ticks=" $12, "system_ticks=" $13}')
  switches=$(for task in /proc/"$pid"/task/*; do
      printf '%s %s\n' "$(tr ' ' _ < "$task/comm")" \
        "$(awk '/^(non)?voluntary_ctxt_switches/ {printf "%s ", $2}' "$task/status")"
    done | awk '{v[$1] += $2; n[$1] += $3} END {for (t in v) printf "%s:%d/%d ", t, v[t], n[t]}')
  echo "$cpu $switches" >> "$STAT_OUT"
}
trap 'report; kill -TERM "$pid"' TERM
wait "$pid"
# The first wait returns when the trap runs; this one waits for the exit.
wait "$pid"
