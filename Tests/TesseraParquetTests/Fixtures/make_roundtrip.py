"""Reads tessera_written.parquet (Tessera's file of pa_default's data, written by the test
pyarrowPolarsAndDuckDBReadTesserasFile with TESSERA_WRITE_FIXTURES=1) with pyarrow, Polars and
DuckDB, and writes what each read as tessera_written.READER.json (make_fixtures.py's layout).
The test checks those answers equal pa_expected.json, and that Tessera still writes the same bytes.
    python make_roundtrip.py
"""
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq

from make_fixtures import HERE, tessera_type, tessera_values

PATH = os.path.join(HERE, "tessera_written.parquet")


def dump(name, table):
    cols = [{"name": f.name, "type": tessera_type(f.type), "values": tessera_values(table.column(f.name), f.type)}
            for f in table.schema]
    with open(os.path.join(HERE, f"tessera_written.{name}.json"), "w") as f:
        json.dump({"rows": table.num_rows, "columns": cols}, f, ensure_ascii=True, indent=0)


def main():
    dump("pyarrow", pq.read_table(PATH))
    import polars as pl
    dump("polars", pl.read_parquet(PATH).to_arrow())
    import duckdb
    dump("duckdb", duckdb.sql(f"SELECT * FROM '{PATH}'").to_arrow_table())


if __name__ == "__main__":
    main()
