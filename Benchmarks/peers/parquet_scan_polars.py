"""polars peer of `parquet-scan`: read_parquet of every column, count rows."""
import os

from common import measure
from parquet_common import parquet_dir, parse_args

args = parse_args()
os.environ["POLARS_MAX_THREADS"] = str(args.workers)
import polars as pl  # noqa: E402

path = os.path.join(parquet_dir(args), "*.parquet")
measure(lambda: pl.read_parquet(path).height, args.runs)
