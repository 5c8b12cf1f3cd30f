"""dask.delayed peer of the `delayed` workload: `--incs` inc tasks (default 100,000) and a pairwise
add tree down to one value (2 * incs - 1 tasks in all). Prints the task count with the time, so a
smaller run (dask.distributed at 200k tasks takes far too long) can be compared per task."""
import dask
from dask import delayed

from common import measure, parse, scheduler

args = parse({"--incs": {"type": int, "default": 100_000}})


def inc(x):
    return x + 1


def add(a, b):
    return a + b


def run():
    level = [delayed(inc)(i) for i in range(args.incs)]
    while len(level) > 1:
        nxt = [delayed(add)(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].compute(**scheduler(args))


measure(run, args.runs, tasks=2 * args.incs - 1)
