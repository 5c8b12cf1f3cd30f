"""dask.delayed peer of the `delayed` workload: 100,000 inc tasks and a pairwise add tree."""
import dask
from dask import delayed

from common import measure, parse, scheduler

args = parse()


def inc(x):
    return x + 1


def add(a, b):
    return a + b


def run():
    level = [delayed(inc)(i) for i in range(100_000)]
    while len(level) > 1:
        nxt = [delayed(add)(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].compute(**scheduler(args))


measure(run, args.runs)
