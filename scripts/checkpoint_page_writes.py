#!/usr/bin/env python3
"""Counts the page writes of the store's checkpoint thread, from
`perf script -F comm,tid,time,event,trace` of a server recorded with
PERF_EVENTS=syscalls:sys_enter_pwrite64,syscalls:sys_enter_fdatasync
(see bench_perf_record.sh) on standard input.

Each checkpoint ends in a sync of redb's file; a page written more than once
between two syncs was written out early and written again (see the
thirty-first session in BENCHMARKS.md)."""
import re
import sys

EVENT = re.compile(
    r"\s*(?P<comm>\S+)\s+\d+\s+[\d.]+:\s+syscalls:sys_enter_(?P<call>\w+):"
    r" fd: 0x[0-9a-f]+(?:, buf: \S+, count: 0x(?P<count>[0-9a-f]+), pos: 0x(?P<pos>[0-9a-f]+))?"
)


def checkpoints(lines):
    """Yields the (offset, bytes) writes of each checkpoint thread sync."""
    writes = []
    for line in lines:
        event = EVENT.match(line)
        if not event or not event["comm"].startswith("berth-store-che"):
            continue
        if event["call"] == "fdatasync":
            yield writes
            writes = []
        elif event["call"] == "pwrite64":
            writes.append((int(event["pos"], 16), int(event["count"], 16)))
    if writes:
        yield writes


def main():
    total = distinct = 0
    largest = 0
    for writes in checkpoints(sys.stdin):
        total += len(writes)
        distinct += len({offset for offset, _ in writes})
        largest = max(largest, sum(size for _, size in writes))
    print(f"checkpoint page writes: {total}")
    print(f"distinct pages, counted per sync: {distinct}")
    print(f"writes per page: {total / max(distinct, 1):.2f}")
    print(f"most bytes written before one sync: {largest / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
