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
    for name, kw in (extra or {}).items():
        p.add_argument(name, **kw)
    return p.parse_args()


def measure(fn, runs):
    """One warm-up, then `runs` timed calls; prints the JSON line the harness reads."""
    result = fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    print(json.dumps({"seconds": statistics.median(times), "result": str(result)}))
