"""polars peer of `csv-parse`: read every flights file (all columns, types inferred) and count rows."""
import glob
import os

from common import parse

args = parse({"--rows": {"type": int, "default": 1_400_000}})
os.environ["POLARS_MAX_THREADS"] = str(args.workers)  # must precede the import

import polars as pl  # noqa: E402

from common import measure  # noqa: E402

files = sorted(glob.glob(os.path.join(args.data_directory, f"flights-10x{args.rows}", "*.csv")))


def run():
    # polars' default schema inference (the first 100 rows) suffices for these files;
    # infer_schema_length=None (every value, as Tessera) made polars several times slower.
    return sum(pl.read_csv(f).height for f in files)


measure(run, args.runs)
