"""dask.delayed peer of `flights`: the tutorial's delayed version — per-file read, sums and
counts as delayed tasks, combined, computed on the threaded scheduler."""
import glob
import os

import dask
import pandas as pd
from dask import delayed

from common import measure
from flights_common import flights_dir, parse_args, result_text

args = parse_args()
files = sorted(glob.glob(os.path.join(flights_dir(args), "*.csv")))


@delayed
def read(f):
    return pd.read_csv(f, usecols=["Origin", "DepDelay"])


@delayed
def sums_counts(df):
    g = df.groupby("Origin").DepDelay
    return g.sum(), g.count()


@delayed
def combine(parts):
    total_s, total_c = parts[0]
    for s, c in parts[1:]:
        total_s = total_s.add(s, fill_value=0)
        total_c = total_c.add(c, fill_value=0)
    return total_s / total_c


def run():
    parts = [sums_counts(read(f)) for f in files]
    means = combine(parts).compute(scheduler="threads", num_workers=args.workers)
    return result_text(means)


measure(run, args.runs)
