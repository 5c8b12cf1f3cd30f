"""Writes the flights CSV files as Parquet with pyarrow's defaults (snappy, dictionary pages,
1 Mi-row row groups), one file per CSV, for the `parquet-flights` and `parquet-scan` workloads.
    python make_flights_parquet.py CSV_DIR PARQUET_DIR
"""
import glob
import os
import sys

import pyarrow.csv as csv
import pyarrow.parquet as pq

src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
for f in sorted(glob.glob(os.path.join(src, "*.csv"))):
    out = os.path.join(dst, os.path.basename(f)[:-4] + ".parquet")
    pq.write_table(csv.read_csv(f), out + ".tmp")
    os.replace(out + ".tmp", out)
