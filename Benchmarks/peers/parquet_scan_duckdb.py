"""DuckDB peer of `parquet-scan`: every column into an Arrow table, count rows."""
import os

import duckdb

from common import measure
from parquet_common import parquet_dir, parse_args

args = parse_args()
con = duckdb.connect()
con.execute(f"SET threads TO {args.workers}")
path = os.path.join(parquet_dir(args), "*.parquet")
measure(lambda: con.execute(f"SELECT * FROM read_parquet('{path}')").to_arrow_table().num_rows, args.runs)
