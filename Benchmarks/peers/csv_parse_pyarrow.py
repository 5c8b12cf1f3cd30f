"""pyarrow peer of `csv-parse`: read every flights file (all columns, types inferred) and count rows."""
import glob
import os

import pyarrow as pa
import pyarrow.csv as csv

from common import measure, parse

args = parse({"--rows": {"type": int, "default": 1_400_000}})
pa.set_cpu_count(args.workers)
pa.set_io_thread_count(args.workers)
files = sorted(glob.glob(os.path.join(args.data_directory, f"flights-10x{args.rows}", "*.csv")))


def run():
    # Each file is parsed into a table, counted and dropped (Tessera does the same per partition).
    return sum(csv.read_csv(f).num_rows for f in files)


measure(run, args.runs)
