"""Writes the Parquet fixtures of TesseraParquetTests and the answers the tests compare with.

Run from this folder with the peers' venv (pyarrow, polars, duckdb):
    python make_fixtures.py
Every fixture is small (a few hundred rows). The answer for FILE.parquet is FILE.json (one
pa_expected.json for all pyarrow-written files, checked equal here), written from what pyarrow
reads (DuckDB for its V2 file, which pyarrow can't read), so the tests compare Tessera's reader
with an independent one, value by value. JSON layout: {"rows": N, "columns": [{"name", "type",
"values": [string or null]}]} where type is Tessera's (int64, float64, bool, string, timestamp),
timestamps are microseconds since the epoch, floats Python's repr ("inf", "nan" never: a NaN
is a missing value in Tessera, as in pandas), decimals converted to float.
"""
import datetime as dt
import decimal
import json
import math
import os

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
N = 300
rng = np.random.default_rng(17)


def maybe_null(values, every):
    return [None if i % every == 0 else v for i, v in enumerate(values)]


def base_table():
    i64 = [int(x) for x in rng.integers(-10**12, 10**12, N)]
    i64[1], i64[2] = 2**63 - 1, -2**63
    f64 = [float(x) for x in rng.normal(0, 1e3, N)]
    f64[1], f64[2], f64[3] = math.inf, -math.inf, 1e-310
    f32 = [float(np.float32(x)) for x in rng.normal(0, 10, N)]
    words = ["JFK", "LGA", "EWR", "caf\u00e9", "cafe\u0301", "", "02134", "z" * 40]
    cat = [words[int(k)] for k in rng.integers(0, len(words), N)]
    uniq = [f"id-{k:05d}-{'x' * (k % 7)}" for k in range(N)]
    flags = [bool(x) for x in rng.integers(0, 2, N)]
    base = dt.datetime(2013, 1, 1, tzinfo=dt.timezone.utc)
    ts = [base + dt.timedelta(seconds=int(s), microseconds=int(u)) for s, u in zip(rng.integers(-10**9, 10**9, N), rng.integers(0, 10**6, N))]
    days = [dt.date(1970, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(-30000, 30000, N)]
    dec = [decimal.Decimal(int(x)).scaleb(-2) for x in rng.integers(-10**9, 10**9, N)]
    t = pa.table({
        "i64": pa.array(maybe_null(i64, 7), pa.int64()),
        "i32": pa.array(maybe_null([int(x) for x in rng.integers(-2**31, 2**31, N)], 5), pa.int32()),
        "i16": pa.array([int(x) for x in rng.integers(-2**15, 2**15, N)], pa.int16()),
        "u8": pa.array(maybe_null([int(x) for x in rng.integers(0, 256, N)], 11), pa.uint8()),
        "u32": pa.array([int(x) for x in rng.integers(0, 2**32, N)], pa.uint32()),
        "f64": pa.array(maybe_null(f64, 9), pa.float64()),
        "f32": pa.array(maybe_null(f32, 4), pa.float32()),
        "flag": pa.array(maybe_null(flags, 3), pa.bool_()),
        "cat": pa.array(maybe_null(cat, 6), pa.string()),
        "uniq": pa.array(maybe_null(uniq, 13), pa.string()),
        "ts_us": pa.array(maybe_null(ts, 8), pa.timestamp("us", tz="UTC")),
        "ts_ms": pa.array([t.replace(microsecond=t.microsecond // 1000 * 1000) for t in ts], pa.timestamp("ms")),
        "ts_ns": pa.array(maybe_null(ts, 10), pa.timestamp("ns", tz="UTC")),
        "day": pa.array(maybe_null(days, 12), pa.date32()),
        "dec": pa.array(maybe_null(dec, 5), pa.decimal128(12, 2)),
        "empty": pa.array([None] * N, pa.float64()),
        "req": pa.array(list(range(N)), pa.int64()),
    })
    # A REQUIRED column (no definition levels at all).
    i = t.schema.get_field_index("req")
    return t.cast(t.schema.set(i, pa.field("req", pa.int64(), nullable=False)))


def tessera_values(column, arrow_type):
    """The values as Tessera shows them, as strings, from what pyarrow read."""
    if pa.types.is_timestamp(arrow_type):
        per_second = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[arrow_type.unit]
        raw = column.cast(pa.int64()).to_pylist()
        return [None if v is None else str(v * 10**6 // per_second) for v in raw]
    if pa.types.is_date(arrow_type):
        raw = column.cast(pa.int32()).to_pylist()
        return [None if v is None else str(v * 86400 * 10**6) for v in raw]
    out = []
    for v in column.to_pylist():
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif pa.types.is_decimal(arrow_type) or pa.types.is_floating(arrow_type):
            out.append(repr(float(v)))
        elif pa.types.is_boolean(arrow_type):
            out.append("true" if v else "false")
        elif pa.types.is_integer(arrow_type):
            out.append(str(int(v)))
        else:
            out.append(str(v))
    return out


def tessera_type(t):
    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_integer(t):
        return "int64"
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        return "float64"
    if pa.types.is_timestamp(t) or pa.types.is_date(t):
        return "timestamp"
    return "string"


def write_answer(name, read=pq.read_table):
    path = os.path.join(HERE, name + ".parquet")
    table = read(path)
    cols = []
    for field in table.schema:
        cols.append({"name": field.name, "type": tessera_type(field.type),
                     "values": tessera_values(table.column(field.name), field.type)})
    text = json.dumps({"rows": table.num_rows, "columns": cols}, ensure_ascii=True, indent=0)
    # The pyarrow variants hold the same table: one answer serves them all (checked here).
    shared = os.path.join(HERE, "pa_expected.json")
    if name.startswith("pa_"):
        if name == "pa_default":
            with open(shared, "w") as f:
                f.write(text)
        else:
            with open(shared) as f:
                assert f.read() == text, f"{name} reads differently from pa_default"
        return
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        f.write(text)


def main():
    t = base_table()
    small_pages = dict(data_page_size=600, write_batch_size=64)
    variants = {
        "pa_default": dict(),
        "pa_pages": dict(**small_pages, row_group_size=128),
        "pa_plain": dict(use_dictionary=False, compression="none", **small_pages),
        "pa_fallback": dict(dictionary_pagesize_limit=200, **small_pages),
        "pa_v2": dict(data_page_version="2.0", compression="zstd", **small_pages),
        "pa_zstd": dict(compression="zstd"),
        "pa_gzip": dict(compression="gzip"),
        "pa_lz4": dict(compression="lz4"),
        "pa_brotli": dict(compression="brotli"),
        "pa_int96": dict(use_deprecated_int96_timestamps=True),
        "pa_crc": dict(write_page_checksum=True, **small_pages),
    }
    for name, kw in variants.items():
        pq.write_table(t, os.path.join(HERE, name + ".parquet"), **kw)
        write_answer(name)
    # Version-2 encodings chosen per column (pyarrow writes them only without dictionaries).
    enc = {"i64": "DELTA_BINARY_PACKED", "i32": "DELTA_BINARY_PACKED", "req": "DELTA_BINARY_PACKED",
           "cat": "DELTA_LENGTH_BYTE_ARRAY", "uniq": "DELTA_BYTE_ARRAY",
           "f64": "BYTE_STREAM_SPLIT", "f32": "BYTE_STREAM_SPLIT", "flag": "RLE"}
    pq.write_table(t, os.path.join(HERE, "pa_delta.parquet"), use_dictionary=False, column_encoding=enc,
                   data_page_version="2.0", **small_pages)
    write_answer("pa_delta")
    # Row groups ordered by "req" for statistics pruning: 6 groups of 50 rows.
    pq.write_table(t, os.path.join(HERE, "pa_groups.parquet"), row_group_size=50)
    write_answer("pa_groups")
    # A nested column next to flat ones: projection must leave it out, else a clear error.
    nested = pa.table({"a": pa.array([1, 2, 3], pa.int64()), "l": pa.array([[1], [], None], pa.list_(pa.int64())),
                       "s": pa.array([{"x": 1}, {"x": 2}, None], pa.struct([("x", pa.int64())]))})
    pq.write_table(nested, os.path.join(HERE, "pa_nested.parquet"))
    try:
        import polars as pl
        pl.from_arrow(t.drop(["dec"])).write_parquet(os.path.join(HERE, "polars_default.parquet"))
        write_answer("polars_default")
    except ImportError:
        print("polars missing: skipped its fixture")
    try:
        import duckdb
        con = duckdb.connect()
        con.register("t", t.drop(["ts_ns"]))
        con.execute(f"COPY t TO '{os.path.join(HERE, 'duckdb_default.parquet')}' (FORMAT PARQUET)")
        write_answer("duckdb_default")
        con.execute(f"COPY t TO '{os.path.join(HERE, 'duckdb_v2.parquet')}' (FORMAT PARQUET, PARQUET_VERSION V2)")
        # pyarrow fails on DuckDB's version-2 files ("InitBlock EOF"), so DuckDB reads its own.
        write_answer("duckdb_v2", lambda p: con.execute(f"SELECT * FROM '{p}'").to_arrow_table())
    except ImportError:
        print("duckdb missing: skipped its fixtures")


if __name__ == "__main__":
    main()
