"""DuckDB peer of `parquet-flights`: read_parquet + GROUP BY (projection by the optimiser)."""
import os

import duckdb

from common import measure
from parquet_common import parquet_dir, parse_args

args = parse_args()
con = duckdb.connect()
con.execute(f"SET threads TO {args.workers}")
path = os.path.join(parquet_dir(args), "*.parquet")


def run():
    rows = con.execute(f"SELECT Origin, avg(DepDelay) FROM read_parquet('{path}') GROUP BY Origin ORDER BY Origin").fetchall()
    return ";".join(f"{k}={float(v)!r}" for k, v in rows)


measure(run, args.runs)
