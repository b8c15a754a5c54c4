#!/usr/bin/env python3
"""Identical boto3 workload against Berth and its peers' servers, in one run.

Each of N threads (in each of P client processes) repeats one round: RegisterTaskDefinition,
RegisterContainerInstance, RunTask (count 1), DescribeTasks, ListTasks,
StopTask, DescribeContainerInstances; CreateCluster runs once per server
first.  Prints ops/s per server, p50/p99 per operation and Berth's ratio
to each peer as Markdown tables, with the CPU each server and its clients
spent per call: the clients share the machine's cores with the server, so
their own CPU per call bounds the throughput any server can reach here.

Usage:
  scripts/bench_api_vs_moto.py [--berth BIN] [--processes 1] [--threads 8]
      [--rounds 50] [--peers moto,fakecloud] [--fakecloud BIN]
      [--berth-endpoint URL] [--moto-endpoint URL] [--fakecloud-endpoint URL]

The peers are moto (`python3 -m moto.server`, the default) and fakecloud
(a binary, `--fakecloud` or $BERTH_BENCH_FAKECLOUD, run with its in-memory
storage, its default).

Threads of one process share its GIL, so one client process can keep at
most one core busy however many threads it runs; `--processes` spreads the
same workload over client processes, so that the servers, not the client's
interpreter lock, set the pace.

By default it starts `berth server` (target/release/berth, or $BERTH_BIN)
and each peer on free ports, one after another, and stops each at the end
of its run.
"""

import argparse
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import boto3
import botocore.config

OPERATIONS = [
    "RegisterTaskDefinition",
    "RegisterContainerInstance",
    "RunTask",
    "DescribeTasks",
    "ListTasks",
    "StopTask",
    "DescribeContainerInstances",
]
# Writes of one object, held to the p99 <= 10 ms aim.
SINGLE_OBJECT_WRITES = {"RegisterTaskDefinition", "RegisterContainerInstance", "RunTask", "StopTask"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answering(endpoint, deadline=60.0):
    client = ecs_client(endpoint)
    start = time.monotonic()
    while True:
        try:
            client.list_clusters()
            return time.monotonic() - start
        except Exception:
            if time.monotonic() - start > deadline:
                raise
            time.sleep(0.05)


def ecs_client(endpoint):
    return boto3.client(
        "ecs",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIDBENCH",
        aws_secret_access_key="bench-secret",
        config=botocore.config.Config(retries={"max_attempts": 1}, max_pool_connections=64),
    )


def identity_document(instance_id):
    return json.dumps({
        "instanceId": instance_id,
        "region": "us-east-1",
        "availabilityZone": "us-east-1a",
        "instanceType": "m5.large",
        "accountId": "123456789012",
        "imageId": "ami-12345678",
        "privateIp": "10.0.0.1",
    })


def worker(client, cluster, thread_idx, rounds, latencies, errors, ec2_ids):
    def timed(operation, call):
        start = time.perf_counter()
        try:
            result = call()
        except Exception as error:  # a failed call is counted, not timed
            errors.append((operation, repr(error)[:200]))
            return None
        latencies[operation].append(time.perf_counter() - start)
        return result

    family = f"bench-{thread_idx}"
    for round_idx in range(rounds):
        timed("RegisterTaskDefinition", lambda: client.register_task_definition(
            family=family,
            requiresCompatibilities=["EC2"],
            containerDefinitions=[{
                "name": "web", "image": "nginx:1.27", "cpu": 64, "memory": 128,
                "essential": True,
                "environment": [{"name": "ROUND", "value": str(round_idx)}],
            }],
        ))
        ec2_id = ec2_ids[(thread_idx * rounds + round_idx) % len(ec2_ids)]
        registered = timed("RegisterContainerInstance", lambda: client.register_container_instance(
            cluster=cluster,
            instanceIdentityDocument=identity_document(ec2_id),
            totalResources=[
                {"name": "CPU", "type": "INTEGER", "integerValue": 4096},
                {"name": "MEMORY", "type": "INTEGER", "integerValue": 16384},
            ],
        ))
        ran = timed("RunTask", lambda: client.run_task(cluster=cluster, taskDefinition=family, count=1))
        task_arns = [t["taskArn"] for t in (ran or {}).get("tasks", [])]
        if ran is not None and not task_arns:
            errors.append(("RunTask", f"no task placed: {ran.get('failures')}"))
        if task_arns:
            timed("DescribeTasks", lambda: client.describe_tasks(cluster=cluster, tasks=task_arns))
        timed("ListTasks", lambda: client.list_tasks(cluster=cluster, maxResults=100))
        if task_arns:
            timed("StopTask", lambda: client.stop_task(cluster=cluster, task=task_arns[0], reason="bench"))
        if registered:
            arn = registered["containerInstance"]["containerInstanceArn"]
            timed("DescribeContainerInstances", lambda: client.describe_container_instances(
                cluster=cluster, containerInstances=[arn]))


def ec2_instances(endpoint, count, fake):
    """Instance ids for RegisterContainerInstance. moto wants real (mocked)
    EC2 instances; Berth takes the id from the identity document."""
    if fake:
        return [f"i-{n:017x}" for n in range(1, count + 1)]
    ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="AKIDBENCH", aws_secret_access_key="bench-secret")
    ids = []
    while len(ids) < count:
        batch = min(100, count - len(ids))
        answer = ec2.run_instances(ImageId="ami-12345678", MinCount=batch, MaxCount=batch,
                                   InstanceType="m5.large")
        ids.extend(i["InstanceId"] for i in answer["Instances"])
    return ids


def cpu_seconds(pid):
    """User plus system CPU time the process has used, or None."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def client_process(endpoint, cluster, first_thread, threads, rounds, ec2_ids, ready, results):
    """Runs `threads` workers once every process is ready; puts what they
    measured, when they started and finished, and the CPU the process spent
    meanwhile, on `results`."""
    clients = [ecs_client(endpoint) for _ in range(threads)]
    latencies = {op: [] for op in OPERATIONS}
    errors = []
    pool = [threading.Thread(target=worker, args=(client, cluster, first_thread + i, rounds,
                                                  latencies, errors, ec2_ids))
            for i, client in enumerate(clients)]
    ready.wait()
    start = time.monotonic()
    cpu_start = time.process_time()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    results.put({"start": start, "end": time.monotonic(), "cpu": time.process_time() - cpu_start,
                 "latencies": latencies, "errors": errors})


def run(name, endpoint, processes, threads, rounds, fake_ec2, pid):
    client = ecs_client(endpoint)
    cluster = "bench"
    client.create_cluster(clusterName=cluster)
    ids = ec2_instances(endpoint, processes * threads * rounds, fake_ec2)
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(processes + 1)
    results = context.Queue()
    pool = [context.Process(target=client_process,
                            args=(endpoint, cluster, p * threads, threads, rounds, ids, ready, results))
            for p in range(processes)]
    for p in pool:
        p.start()
    # Each process made its clients before the barrier, so neither
    # interpreter start-up nor client creation is timed.
    ready.wait()
    cpu_before = cpu_seconds(pid)
    measured = [results.get() for _ in pool]
    cpu_after = cpu_seconds(pid)
    for p in pool:
        p.join()
    elapsed = max(m["end"] for m in measured) - min(m["start"] for m in measured)
    client_cpu = sum(m["cpu"] for m in measured)
    latencies = {op: [] for op in OPERATIONS}
    errors = []
    for m in measured:
        for op, values in m["latencies"].items():
            latencies[op].extend(values)
        errors.extend(m["errors"])
    ops = sum(len(v) for v in latencies.values())
    cpu_ms_per_op = None
    if cpu_before is not None and cpu_after is not None and ops:
        cpu_ms_per_op = (cpu_after - cpu_before) * 1e3 / ops
    return {"name": name, "elapsed": elapsed, "ops": ops, "ops_per_s": ops / elapsed,
            "latencies": latencies, "errors": errors, "cpu_ms_per_op": cpu_ms_per_op,
            "client_cpu_ms_per_op": client_cpu * 1e3 / ops if ops else None}


def pct(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, -(-len(ordered) * p // 100) - 1))
    return ordered[rank] * 1e3


def start_berth(binary, scratch):
    port = free_port()
    child = subprocess.Popen(
        [binary, "server", "--listen", f"127.0.0.1:{port}", "--data-dir", scratch,
         "--agent-disconnect-after", "86400"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "RUST_LOG": "warn"})
    return child, f"http://127.0.0.1:{port}"


def start_moto(_binary, _scratch):
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return child, f"http://127.0.0.1:{port}"


def start_fakecloud(binary, scratch):
    if not binary:
        sys.exit("fakecloud needs its binary: --fakecloud BIN or $BERTH_BENCH_FAKECLOUD")
    port = free_port()
    child = subprocess.Popen(
        [binary, "--addr", f"127.0.0.1:{port}", "--log-level", "warn"],
        cwd=scratch, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return child, f"http://127.0.0.1:{port}"


# How each server starts, and whether RegisterContainerInstance may name
# EC2 instances nobody created (moto wants them created through its EC2).
SERVERS = {
    "berth": (start_berth, True),
    "moto": (start_moto, False),
    "fakecloud": (start_fakecloud, True),
}


def measure(name, binary, endpoint, args):
    """Starts `name` unless it has an endpoint, runs the workload on it,
    and stops what it started, removing its data."""
    start, fake_ec2 = SERVERS[name]
    child = None
    with tempfile.TemporaryDirectory(prefix=f"{name}-bench-") as scratch:
        try:
            if not endpoint:
                child, endpoint = start(binary, scratch)
            wait_until_answering(endpoint)
            return run(name, endpoint, args.processes, args.threads, args.rounds, fake_ec2,
                       child.pid if child else None)
        finally:
            if child:
                child.terminate()
                child.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--berth", default=os.environ.get("BERTH_BIN", "target/release/berth"))
    parser.add_argument("--processes", type=int, default=1, help="client processes")
    parser.add_argument("--threads", type=int, default=8, help="client threads per process")
    parser.add_argument("--rounds", type=int, default=50, help="rounds per thread")
    parser.add_argument("--peers", default="moto", help="comma-separated: moto, fakecloud")
    parser.add_argument("--fakecloud", default=os.environ.get("BERTH_BENCH_FAKECLOUD"))
    parser.add_argument("--berth-endpoint")
    parser.add_argument("--moto-endpoint")
    parser.add_argument("--fakecloud-endpoint")
    args = parser.parse_args()
    peers = [peer for peer in args.peers.split(",") if peer]
    for peer in peers:
        if peer not in SERVERS or peer == "berth":
            sys.exit(f"unknown peer {peer!r}: the peers are moto and fakecloud")

    binaries = {"berth": args.berth, "moto": None, "fakecloud": args.fakecloud}
    endpoints = {"berth": args.berth_endpoint, "moto": args.moto_endpoint,
                 "fakecloud": args.fakecloud_endpoint}
    results = [measure(name, binaries[name], endpoints[name], args) for name in ["berth", *peers]]

    berth = results[0]
    print(f"\n{args.processes} processes x {args.threads} threads x {args.rounds} rounds, {len(OPERATIONS)} operations per round\n")
    print("| server | ops | seconds | ops/s | server CPU ms per op | clients' CPU ms per op | errors |\n"
          "|---|---|---|---|---|---|---|")
    for r in results:
        cpu = "-" if r["cpu_ms_per_op"] is None else f"{r['cpu_ms_per_op']:.3f}"
        client_cpu = "-" if r["client_cpu_ms_per_op"] is None else f"{r['client_cpu_ms_per_op']:.3f}"
        print(f"| {r['name']} | {r['ops']} | {r['elapsed']:.2f} | {r['ops_per_s']:.0f} | {cpu} | {client_cpu} "
              f"| {len(r['errors'])} |")
    print()
    # The clients share the machine's cores with the server they measure,
    # so their own CPU per call bounds what any server can be asked here.
    cores = os.cpu_count() or 1
    if berth["client_cpu_ms_per_op"]:
        ceiling = cores * 1e3 / berth["client_cpu_ms_per_op"]
        line = (f"The clients spent {berth['client_cpu_ms_per_op']:.3f} ms of CPU per call to Berth: on {cores} cores "
                f"they can ask at most {ceiling:.0f} calls/s of a server that costs nothing")
        line += "".join(f", {ceiling / peer['ops_per_s']:.1f}x {peer['name']}'s throughput in this run"
                        for peer in results[1:])
        print(line + ".")
    for peer in results[1:]:
        print(f"Berth / {peer['name']} throughput: {berth['ops_per_s'] / peer['ops_per_s']:.1f}x")
        if berth["cpu_ms_per_op"] and peer["cpu_ms_per_op"]:
            print(f"{peer['name']} / Berth server CPU per op: "
                  f"{peer['cpu_ms_per_op'] / berth['cpu_ms_per_op']:.1f}x "
                  "(the server's capacity ratio, free of the Python client's own limit)")
    print()
    header = "| operation |" + "".join(f" {r['name']} p50 ms | {r['name']} p99 ms |" for r in results)
    header += "".join(f" p50 ratio ({r['name']}/berth) |" for r in results[1:])
    print(header)
    print("|---|" + "---|" * (2 * len(results) + len(results) - 1))
    for op in OPERATIONS:
        mark = " (single-object write)" if op in SINGLE_OBJECT_WRITES else ""
        row = f"| {op}{mark} |"
        for r in results:
            values = r["latencies"][op]
            row += f" {pct(values, 50):.2f} | {pct(values, 99):.2f} |"
        for r in results[1:]:
            b, p = berth["latencies"][op], r["latencies"][op]
            ratio = pct(p, 50) / pct(b, 50) if b and p else float("nan")
            row += f" {ratio:.1f}x |"
        print(row)
    for r in results:
        if r["errors"]:
            print(f"\n{r['name']} errors ({len(r['errors'])}), first: {r['errors'][:3]}")


if __name__ == "__main__":
    main()
