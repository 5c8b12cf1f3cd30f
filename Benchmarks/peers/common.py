"""Shared helpers for the peers: argument parsing and the one-line JSON report."""
import argparse
import json
import statistics
import time


def parse(extra=None):
    p = argparse.ArgumentParser()
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--data-directory", default=".build/bench-data")
    p.add_argument("--distributed", action="store_true",
                   help="run on dask.distributed: LocalCluster(n_workers=--workers, threads_per_worker=1, "
                        "processes=True), started before (and not counted in) the timed runs")
    for name, kw in (extra or {}).items():
        p.add_argument(name, **kw)
    args = p.parse_args()
    args.client = start_cluster(args.workers) if args.distributed else None
    return args


def start_cluster(workers):
    """A local dask.distributed cluster of `workers` single-threaded worker processes; the client
    becomes the default scheduler of every later compute."""
    import dask
    from distributed import Client, LocalCluster
    # fork, not spawn: the peers are plain scripts, which a spawned worker would re-run on import.
    dask.config.set({"distributed.worker.multiprocessing-method": "fork"})
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    return Client(cluster)


def scheduler(args):
    """The compute keywords: the threaded scheduler, or none (the default client) when distributed."""
    return {} if args.client is not None else {"scheduler": "threads", "num_workers": args.workers}


def peak_rss_bytes():
    """VmHWM of this process. Not getrusage: after posix_spawn (vfork + exec) the kernel seeds a
    child's ru_maxrss with the parent's high-water mark, which says nothing about the child."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return None


def measure(fn, runs, tasks=None):
    """One warm-up, then `runs` timed calls; prints the JSON line the harness reads (with the
    graph's task count when given, for a comparison per task)."""
    result = fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    line = {"seconds": statistics.median(times), "result": str(result), "peak_rss_bytes": peak_rss_bytes()}
    if tasks is not None:
        line["tasks"] = tasks
    print(json.dumps(line))
