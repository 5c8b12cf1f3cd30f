"""dask.dataframe peer of `flights-filter`: read_csv, filter (Distance > 1000, Month 6–8),
groupby("Origin").DepDelay.mean() on the threaded scheduler. No usecols: dask-expr's optimiser
projects the columns itself (DepDelay's dtype is given, as in the `flights` peer, because the
first block's sample may hold only integers)."""
import os

import dask.dataframe as dd

from common import measure
from flights_common import flights_dir, parse_args, result_text

args = parse_args()
path = os.path.join(flights_dir(args), "*.csv")


def run():
    df = dd.read_csv(path, dtype={"DepDelay": "float64"})
    df = df[(df.Distance > 1000) & (df.Month >= 6) & (df.Month <= 8)]
    means = df.groupby("Origin").DepDelay.mean().compute(scheduler="threads", num_workers=args.workers)
    return result_text(means)


measure(run, args.runs)
