"""Writes the Hive-partitioned fixture of ParquetHiveTests and its answer.

Run from this folder with the peers' venv (pyarrow):
    python make_hive.py
hive_pa/ is what pyarrow's write_to_dataset makes with partition_cols=["year", "city"]:
`year=2013/city=New%20York/part-0.parquet` (values percent-encoded, a missing key as
`__HIVE_DEFAULT_PARTITION__`). hive_pa.json is what pyarrow's dataset reader reads back from
it, rows sorted by "id", in the answer layout of make_fixtures.py (year is int64 because every
value is an integer; city is string).
"""
import json
import os
import shutil

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "hive_pa")

n = 40
years = [2013 if i % 3 else 2014 for i in range(n)]
years[7] = None
cities = ["New York" if i % 4 == 0 else ("caf\u00e9" if i % 4 == 1 else ("Paris" if i % 4 == 2 else "x/y=z")) for i in range(n)]
table = pa.table({
    "id": pa.array(range(n), pa.int64()),
    "value": pa.array([None if i % 5 == 0 else i * 1.5 for i in range(n)], pa.float64()),
    "year": pa.array(years, pa.int64()),
    "city": pa.array(cities, pa.string()),
})
shutil.rmtree(OUT, ignore_errors=True)
pq.write_to_dataset(table, OUT, partition_cols=["year", "city"], basename_template="part-{i}.parquet")

back = ds.dataset(OUT, format="parquet", partitioning="hive").to_table().sort_by("id")
assert back.num_rows == n


def text(v):
    if v is None:
        return None
    if isinstance(v, float):
        return repr(v)
    return str(v)


answer = {"rows": back.num_rows, "columns": []}
for name, kind in [("id", "int64"), ("value", "float64"), ("year", "int64"), ("city", "string")]:
    answer["columns"].append({"name": name, "type": kind, "values": [text(v) for v in back.column(name).to_pylist()]})
with open(os.path.join(HERE, "hive_pa.json"), "w") as f:
    json.dump(answer, f, indent=0, ensure_ascii=False)
