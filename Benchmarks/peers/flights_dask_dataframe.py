"""dask.dataframe peer of `flights`: `dd.read_csv(...).groupby("Origin").DepDelay.mean()` on the
threaded scheduler, reading only the two columns (usecols), as the other peers do."""
import os

import dask
import dask.dataframe as dd

from common import measure, scheduler
from flights_common import flights_dir, parse_args, result_text

args = parse_args()
path = os.path.join(flights_dir(args), "*.csv")


def run():
    df = dd.read_csv(path, usecols=["Origin", "DepDelay"], dtype={"DepDelay": "float64"})
    means = df.groupby("Origin").DepDelay.mean().compute(**scheduler(args))
    return result_text(means)


measure(run, args.runs)
