"""Peers of `h2o-join-qN` (db-benchmark join questions) over `generate-h2o` data: polars (lazy
scan_csv, the whole join collected), duckdb (the join materialised as a table), dask.dataframe;
each with --workers threads, reading the CSV files afresh per run. Result:
`rows=N;sums=v1,v2`, the row count and the sums of v1 and v2 of the joined table."""
import glob
import os

from common import measure, parse

args = parse({"--engine": {"required": True}, "--question": {"required": True}})
rows = int(float(os.environ.get("H2O_ROWS", "1e7")))
k = int(os.environ.get("H2O_K", "100"))
na = float(os.environ.get("H2O_NA", "0"))
base = os.path.join(args.data_directory, f"h2o-{rows}-{k}-{na!r}", "join")


def files(t):
    return sorted(glob.glob(os.path.join(base, t, "*.csv")))


# question: right table, key, how
QUESTIONS = {"q1": ("small", "id1", "inner"), "q2": ("medium", "id2", "inner"), "q3": ("medium", "id2", "left"),
             "q4": ("medium", "id5", "inner"), "q5": ("big", "id3", "inner")}
right, key, how = QUESTIONS[args.question]
TYPES = {"id1": "int", "id2": "int", "id3": "int", "id4": "str", "id5": "str", "id6": "str", "v1": "float", "v2": "float"}


def result(n, v1, v2):
    return f"rows={n};sums={float(v1)!r},{float(v2)!r}"


if args.engine == "polars":
    os.environ["POLARS_MAX_THREADS"] = str(args.workers)
    import polars as pl
    pt = {"int": pl.Int64, "str": pl.Utf8, "float": pl.Float64}

    def scan(t):
        return pl.scan_csv(files(t), schema_overrides={c: pt[v] for c, v in TYPES.items()})

    def run():
        out = scan("x").join(scan(right), on=key, how=how).collect()
        return result(out.height, out["v1"].sum(), out["v2"].sum())

elif args.engine == "duckdb":
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads TO {args.workers}")
    dt = {"int": "BIGINT", "str": "VARCHAR", "float": "DOUBLE"}

    def src(t):
        with open(files(t)[0]) as f:
            header = f.readline().strip().split(",")
        cols = ",".join(f"'{c}': '{dt[TYPES[c]]}'" for c in header)
        return "read_csv([" + ",".join(f"'{f}'" for f in files(t)) + "], header=true, columns={" + cols + "})"

    join = "JOIN" if how == "inner" else "LEFT JOIN"
    sql = f"CREATE OR REPLACE TEMP TABLE ans AS SELECT x.*, r.v2 FROM {src('x')} x {join} {src(right)} r USING ({key})"

    def run():
        con.execute(sql)
        n, v1, v2 = con.execute("SELECT count(*), sum(v1), sum(v2) FROM ans").fetchone()
        return result(n, v1 or 0, v2 or 0)

else:
    import dask
    import dask.dataframe as dd
    dask.config.set(scheduler="threads", num_workers=args.workers)
    pt = {"int": "Int64", "str": "str", "float": "float64"}

    def read(t):
        with open(files(t)[0]) as f:
            header = f.readline().strip().split(",")
        return dd.read_csv(files(t), dtype={c: pt[TYPES[c]] for c in header})

    def run():
        out = read("x").merge(read(right), on=key, how=how).persist()
        n, v1, v2 = dask.compute(out.shape[0], out["v1"].sum(), out["v2"].sum())
        return result(n, v1, v2)

measure(run, args.runs)
