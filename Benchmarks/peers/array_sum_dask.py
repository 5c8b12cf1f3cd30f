"""dask.array peer of `array-sum`: x = random(200M) in chunks of 10M; (x * 2 + 1).sum()."""
import dask.array as da

from common import measure, parse, scheduler

args = parse()


def run():
    x = da.random.random(200_000_000, chunks=10_000_000)
    return float((x * 2 + 1).sum().compute(**scheduler(args)))


measure(run, args.runs)
