"""Writes pa_page_index.parquet: a file with a page index (ColumnIndex + OffsetIndex), for the
page-skipping tests of ParquetPageIndexTests.

Run from this folder with the peers' venv: python make_page_index.py
2,000 rows in two row groups of 1,000, pages of about 100 rows (data_page_size 512 bytes,
write_batch_size 100) so every column chunk has about ten pages. `k` is sorted (0..1999, every
37th missing), so a range predicate on it excludes most pages by their min/max; `v` (floats with
nulls) and `s` (dictionary-encoded text) have pages at the same row boundaries only by chance of
their sizes, so the reader has to line up different page boundaries. The answer
pa_page_index.json holds the rows where 500 <= k < 620, as pyarrow filters them.
"""
import json
import os

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
N = 2000
rng = np.random.default_rng(29)
k = [None if i % 37 == 0 else i for i in range(N)]
v = [None if i % 11 == 0 else float(x) for i, x in enumerate(rng.normal(0, 100, N))]
words = ["JFK", "LGA", "EWR", "caf\u00e9", "02134", ""]
s = [words[int(x)] for x in rng.integers(0, len(words), N)]
table = pa.table({"k": pa.array(k, pa.int64()), "v": pa.array(v, pa.float64()), "s": pa.array(s, pa.string())})
path = os.path.join(HERE, "pa_page_index.parquet")
pq.write_table(table, path, row_group_size=1000, data_page_size=512, write_batch_size=100, write_page_index=True,
               compression="snappy")

meta = pq.ParquetFile(path).metadata
assert meta.row_group(0).column(0).has_offset_index and meta.row_group(0).column(0).has_column_index

picked = table.filter(pc.and_(pc.greater_equal(table["k"], 500), pc.less(table["k"], 620)))
cols = [{"name": "k", "type": "int64", "values": [None if x is None else str(x) for x in picked["k"].to_pylist()]},
        {"name": "v", "type": "float64", "values": [None if x is None else repr(x) for x in picked["v"].to_pylist()]},
        {"name": "s", "type": "string", "values": picked["s"].to_pylist()}]
with open(os.path.join(HERE, "pa_page_index.json"), "w") as f:
    json.dump({"rows": picked.num_rows, "columns": cols}, f, ensure_ascii=True, indent=0)
