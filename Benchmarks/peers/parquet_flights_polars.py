"""polars peer of `parquet-flights`: scan_parquet, group-by, mean (projection by the optimiser)."""
import os

from common import measure
from parquet_common import parquet_dir, parse_args

args = parse_args()
os.environ["POLARS_MAX_THREADS"] = str(args.workers)
import polars as pl  # noqa: E402

path = os.path.join(parquet_dir(args), "*.parquet")


def run():
    out = pl.scan_parquet(path).group_by("Origin").agg(pl.col("DepDelay").mean()).sort("Origin").collect()
    return ";".join(f"{k}={float(v)!r}" for k, v in out.iter_rows())


measure(run, args.runs)
