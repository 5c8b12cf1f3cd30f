"""Peers of `h2o-groupby-qN` (db-benchmark group-by questions) over `generate-h2o` data:
polars (lazy scan_csv), duckdb (read_csv over the files), dask.dataframe; each with --workers
threads, reading the CSV files afresh per run. Groups with a missing key are kept (polars' and
duckdb's behaviour; dask with dropna=False). Result: `rows=N;sums=a,b,...`, the sums of the
answer's value columns, as tessera-bench prints them. Data location: as H2OWorkloads.swift.
q8 and q9 are written as db-benchmark's own solutions write them: polars top_k + explode and
pl.corr, duckdb row_number() over a window and corr(), dask groupby-apply with nlargest / corr."""
import glob
import os

from common import measure, parse

args = parse({"--engine": {"required": True}, "--question": {"required": True}})
rows = int(float(os.environ.get("H2O_ROWS", "1e7")))
k = int(os.environ.get("H2O_K", "100"))
na = float(os.environ.get("H2O_NA", "0"))
# Swift prints the fraction as a Double ("0.0", "0.05").
directory = os.path.join(args.data_directory, f"h2o-{rows}-{k}-{na!r}", "groupby")
files = sorted(glob.glob(os.path.join(directory, "*.csv")))

# question: keys, [(column, function)], post-processing of the value columns
QUESTIONS = {
    "q1": (["id1"], [("v1", "sum")]),
    "q2": (["id1", "id2"], [("v1", "sum")]),
    "q3": (["id3"], [("v1", "sum"), ("v3", "mean")]),
    "q4": (["id4"], [("v1", "mean"), ("v2", "mean"), ("v3", "mean")]),
    "q5": (["id6"], [("v1", "sum"), ("v2", "sum"), ("v3", "sum")]),
    "q6": (["id4", "id5"], [("v3", "median"), ("v3", "std")]),
    "q7": (["id3"], [("v1", "max"), ("v2", "min")]),
    "q8": (["id6"], [("v3", "largest2")]),
    "q9": (["id2", "id4"], [("v1", "r2")]),
    "q10": (["id1", "id2", "id3", "id4", "id5", "id6"], [("v3", "sum"), ("v1", "size")]),
}
keys, aggs = QUESTIONS[args.question]
DTYPES = {"id1": "str", "id2": "str", "id3": "str", "id4": "Int64", "id5": "Int64", "id6": "Int64",
          "v1": "Int64", "v2": "Int64", "v3": "float64"}


def result(n, columns):
    """columns: lists of values (None for missing)."""
    if args.question == "q7":
        columns = [[None if a is None or b is None else a - b for a, b in zip(columns[0], columns[1])]]
    sums = [float(sum(x for x in c if x is not None and x == x)) for c in columns]
    return f"rows={n};sums=" + ",".join(repr(s) for s in sums)


if args.engine == "polars":
    os.environ["POLARS_MAX_THREADS"] = str(args.workers)
    import polars as pl

    def expr(col, fn):
        c = pl.col(col)
        return {"sum": c.sum(), "mean": c.mean(), "median": c.median(), "std": c.std(), "max": c.max(),
                "min": c.min(), "size": pl.len()}[fn].alias(f"{col}_{fn}")

    def run():
        lf = pl.scan_csv(files, schema_overrides={c: (pl.Utf8 if t == "str" else pl.Int64 if t == "Int64" else pl.Float64)
                                                   for c, t in DTYPES.items()})
        if args.question == "q8":
            out = lf.drop_nulls("v3").group_by("id6").agg(pl.col("v3").top_k(2).alias("v3_largest2")).explode("v3_largest2").collect()
        elif args.question == "q9":
            out = lf.group_by(keys).agg((pl.corr("v1", "v2") ** 2).alias("v1_r2")).collect()
        else:
            out = lf.group_by(keys).agg([expr(c, f) for c, f in aggs]).collect()
        return result(out.height, [out[f"{c}_{f}"].to_list() for c, f in aggs])

elif args.engine == "duckdb":
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads TO {args.workers}")
    fns = {"sum": "sum({})", "mean": "avg({})", "median": "median({})", "std": "stddev_samp({})",
           "max": "max({})", "min": "min({})", "size": "count(*)"}
    src = "read_csv([" + ",".join(f"'{f}'" for f in files) + "], header=true, columns={" + \
        ",".join(f"'{c}': '{'VARCHAR' if t == 'str' else 'BIGINT' if t == 'Int64' else 'DOUBLE'}'" for c, t in DTYPES.items()) + "})"
    if args.question == "q8":
        sql = f"SELECT id6, v3 FROM (SELECT id6, v3, row_number() OVER (PARTITION BY id6 ORDER BY v3 DESC) AS r " \
              f"FROM {src} WHERE v3 IS NOT NULL) WHERE r <= 2"
    elif args.question == "q9":
        sql = f"SELECT id2, id4, pow(corr(v1, v2), 2) FROM {src} GROUP BY id2, id4"
    else:
        sql = f"SELECT {', '.join(keys)}, " + ", ".join(fns[f].format(c) for c, f in aggs) + \
            f" FROM {src} GROUP BY {', '.join(keys)}"

    def run():
        out = con.execute(sql).fetchall()
        return result(len(out), [[r[len(keys) + j] for r in out] for j in range(len(aggs))])

else:
    import dask
    import dask.dataframe as dd
    import pandas as pd
    if args.client is None:
        dask.config.set(scheduler="threads", num_workers=args.workers)
    else:
        # dask.distributed's own shuffle (peer-to-peer between the worker processes).
        dask.config.set({"dataframe.shuffle.method": "p2p"})
    usecols = sorted(set(keys + [c for c, _ in aggs] + (["v2"] if args.question == "q9" else [])))

    def run():
        df = dd.read_csv(files, usecols=usecols, dtype={c: DTYPES[c] for c in usecols})
        g = df.groupby(keys, dropna=False)
        if args.question == "q8":
            out = df[df.v3.notnull()].groupby("id6", dropna=False)[["v3"]].apply(
                lambda x: x.nlargest(2, columns="v3"), meta={"v3": "float64"}).compute()
            return result(len(out), [[float(v) for v in out["v3"].tolist()]])
        if args.question == "q9":
            out = g[["v1", "v2"]].apply(lambda x: pd.Series({"r2": x["v1"].corr(x["v2"]) ** 2}), meta={"r2": "float64"}).compute()
            return result(len(out), [[None if pd.isna(v) else float(v) for v in out["r2"].tolist()]])
        split = 8 if args.question == "q10" else 1
        parts = []
        for c, f in aggs:
            if f == "size":
                parts.append(g.size(split_out=split))
            elif f == "median":
                parts.append(g[c].median(split_out=split))
            else:
                parts.append(getattr(g[c], f)(split_out=split))
        cols = dd.concat(parts, axis=1).compute() if len(parts) > 1 else parts[0].compute().to_frame()
        return result(len(cols), [[None if pd.isna(v) else float(v) for v in cols.iloc[:, j].tolist()] for j in range(len(aggs))])

measure(run, args.runs)
