"""polars peer of `flights-filter`: a lazy scan of the CSV files, filter (Distance > 1000, Month
6–8), group-by and mean; polars' optimiser projects and pushes the predicate into the scan.
Threads: POLARS_MAX_THREADS set from --workers before import."""
import os

from common import measure
from flights_common import flights_dir, parse_args

args = parse_args()
os.environ["POLARS_MAX_THREADS"] = str(args.workers)
import polars as pl  # noqa: E402  (after the thread count is set)

path = os.path.join(flights_dir(args), "*.csv")


def run():
    out = (pl.scan_csv(path)
           .filter((pl.col("Distance") > 1000) & pl.col("Month").is_between(6, 8))
           .group_by("Origin").agg(pl.col("DepDelay").mean()).sort("Origin").collect())
    return ";".join(f"{k}={float(v)!r}" for k, v in out.iter_rows())


measure(run, args.runs)
