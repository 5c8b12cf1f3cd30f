"""dask.array peer of `array-tutorial`: x = random((20000, 20000)), chunks 2000x2000;
(x + x.T)[::2, 5000:].mean(axis=1), then summed."""
import dask.array as da

from common import measure, parse, scheduler

args = parse()


def run():
    x = da.random.random((20_000, 20_000), chunks=(2_000, 2_000))
    y = (x + x.T)[::2, 5000:].mean(axis=1)
    return float(y.sum().compute(**scheduler(args)))


measure(run, args.runs)
