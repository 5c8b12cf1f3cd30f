"""dask.array peer of `matmul`: a, b = random((6000, 6000)) in 1500x1500 chunks; (a @ b).sum().

The result is the sum divided by its expectation n**3/4, to two decimals, so it doesn't depend on
the random generator (see LinalgWorkloads.swift)."""
import dask
import dask.array as da

from common import measure, parse

args = parse()
N = 6000


def run():
    a = da.random.random((N, N), chunks=(1500, 1500))
    b = da.random.random((N, N), chunks=(1500, 1500))
    total = (a @ b).sum().compute(scheduler="threads", num_workers=args.workers)
    return f"{total / (N ** 3 / 4):.2f}"


measure(run, args.runs)
