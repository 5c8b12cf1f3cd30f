"""pandas peer of `csv-parse`: read every flights file (all columns, types inferred) and count rows."""
import glob
import os

import pandas as pd

from common import measure, parse

args = parse({"--rows": {"type": int, "default": 1_400_000}})
files = sorted(glob.glob(os.path.join(args.data_directory, f"flights-10x{args.rows}", "*.csv")))


def run():
    # Each file is parsed into a frame, counted and dropped (Tessera does the same per partition).
    return sum(len(pd.read_csv(f)) for f in files)


measure(run, args.runs)
