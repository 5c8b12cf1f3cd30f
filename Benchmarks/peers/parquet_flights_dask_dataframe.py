"""dask.dataframe peer of `parquet-flights`: read_parquet(columns=…), groupby mean, threads."""
import dask
import dask.dataframe as dd

from common import measure
from parquet_common import parquet_dir, parse_args

args = parse_args()
dask.config.set(scheduler="threads", num_workers=args.workers)


def run():
    out = dd.read_parquet(parquet_dir(args), columns=["Origin", "DepDelay"]).groupby("Origin").DepDelay.mean().compute()
    return ";".join(f"{k}={float(v)!r}" for k, v in sorted(out.items()))


measure(run, args.runs)
