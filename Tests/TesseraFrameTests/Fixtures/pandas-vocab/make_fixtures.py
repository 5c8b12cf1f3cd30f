"""Makes the pandas-vocabulary fixture: a small flights CSV directory and pandas/NumPy's answers.

Run from this folder: python3 make_fixtures.py   (pandas 3.1.1, NumPy 2.4.6 made the committed files)
The tests read flights/*.csv with Tessera and compare with expected.json; they never run Python.
"""
import json, math
import numpy as np
import pandas as pd

rng = np.random.default_rng(14)
sizes = [25, 20, 15]
origins = ["JFK", "LGA", "EWR", "BOS"]
carriers = ["UA", "AA", "DL", "B6"]
frames = []
for f, n in enumerate(sizes):
    dep = np.round(rng.normal(20, 40, n), 1)
    arr = np.round(dep * 0.8 + rng.normal(0, 15, n), 1)
    dist = rng.integers(100, 3000, n)
    air = np.round(dist / 8.0 + rng.normal(0, 5, n), 2)
    org = rng.choice(origins, n).astype(object)
    car = rng.choice(carriers, n).astype(object)
    dep[rng.random(n) < 0.15] = np.nan
    arr[rng.random(n) < 0.15] = np.nan
    org[rng.random(n) < 0.08] = None
    if f == 2:
        arr[:] = np.nan          # a partition where one column has no value at all
    frames.append(pd.DataFrame({"origin": org, "carrier": car, "dep_delay": dep,
                                "arr_delay": arr, "distance": dist, "air time": air}))
# A tie at the top, so nlargest's keep='first' order is tested, and an exact duplicate delay.
frames[1].loc[3, "dep_delay"] = 150.0
frames[2].loc[5, "dep_delay"] = 150.0
frames[0].loc[7, "dep_delay"] = 151.5

for f, t in enumerate(frames):
    t.to_csv(f"flights/part-{f}.csv", index=False)

df = pd.concat([pd.read_csv(f"flights/part-{f}.csv") for f in range(len(sizes))], ignore_index=True)
numeric = ["dep_delay", "arr_delay", "distance", "air time"]


def col(s):
    return [None if (isinstance(v, float) and math.isnan(v)) or v is None or v is pd.NA else
            (int(v) if isinstance(v, (np.integer,)) else (float(v) if isinstance(v, (np.floating, float)) else v))
            for v in s.tolist()]


def table(t):
    t = t.reset_index(drop=True)
    return {"names": list(t.columns), "columns": [col(t[c]) for c in t.columns]}


def scalar(v):
    v = float(v)
    return None if math.isnan(v) else v


out = {}
out["mean"] = scalar(df["dep_delay"].mean())
out["groupby_mean"] = table(df.groupby("origin")["dep_delay"].mean().reset_index())
out["agg_mean"] = table(df.groupby("origin").agg(dep_delay_mean=("dep_delay", "mean")).reset_index())
out["nlargest"] = table(df.nlargest(5, "dep_delay"))
corr = df[numeric].corr()
out["corr"] = {"columns": numeric, "matrix": [col(corr[c]) for c in numeric]}
cov = df[numeric].cov()
out["frame_cov"] = {"columns": numeric, "matrix": [col(cov[c]) for c in numeric]}
x = df[["dep_delay", "arr_delay"]].to_numpy()
out["array_cov"] = [[scalar(v) for v in r] for r in np.cov(x, rowvar=False)]
xc = df[["dep_delay", "arr_delay", "distance"]].dropna().to_numpy()
out["array_cov_complete"] = [[scalar(v) for v in r] for r in np.cov(xc, rowvar=False)]
out["array_cov_rows"] = [[scalar(v) for v in r] for r in np.cov(xc.T[:, :30])]
out["array_corrcoef_complete"] = [[scalar(v) for v in r] for r in np.corrcoef(xc, rowvar=False)]
out["shape"] = list(df.shape)
out["query"] = table(df.query("dep_delay > 60 and origin in ['JFK', 'LGA']"))
queries = [
    "dep_delay > 60 and origin in ['JFK', 'LGA']",
    "dep_delay > 10 or not (arr_delay < 0)",
    "origin not in ['JFK'] and carrier == 'UA'",
    "`air time` * 8 - distance > 10",
    "dep_delay - arr_delay >= -5.5 and distance / 100 < 20",
    "-dep_delay > 0 | (carrier != \"DL\") & ~(distance <= 1000)",
    "origin == ['EWR', 'BOS'] and dep_delay == dep_delay",
    "(dep_delay + 1) * 2 > arr_delay",
]
out["queries"] = [{"query": q, "result": table(df.query(q))} for q in queries]
out["isin"] = table(df[df["origin"].isin(["JFK", "LGA"])])
out["between"] = table(df[df["dep_delay"].between(0, 30)])
out["sort_head"] = table(df.sort_values(by=["dep_delay", "arr_delay"], ascending=False).head(5))
s = df["dep_delay"]
out["reductions"] = {
    "mean": scalar(s.mean()), "sum": scalar(s.sum()), "min": scalar(s.min()), "max": scalar(s.max()),
    "std": scalar(s.std()), "var": scalar(s.var()), "count": int(s.count()), "nunique": int(s.nunique()),
    "median": scalar(s.median()), "q10": scalar(s.quantile(0.1)), "q75": scalar(s.quantile(0.75)),
    "argmax": int(s.to_numpy().tolist().index(s.max())), "argmin": int(s.to_numpy().tolist().index(s.min())),
    "distance_sum": int(df["distance"].sum()), "origin_nunique": int(df["origin"].nunique()),
}
out["unique_origin"] = col(df["origin"].dropna().unique())
vc = df["carrier"].value_counts()
out["value_counts_carrier"] = {"values": list(vc.index), "counts": [int(c) for c in vc]}
out["frame_mean"] = {"columns": numeric, "values": col(df[numeric].mean())}
out["frame_sum"] = {"columns": numeric, "values": col(df[numeric].sum())}
out["frame_std"] = {"columns": numeric, "values": col(df[numeric].std())}
out["frame_min"] = {"columns": numeric, "values": col(df[numeric].min())}
out["frame_max"] = {"columns": numeric, "values": col(df[numeric].max())}
out["frame_var"] = {"columns": numeric, "values": col(df[numeric].var())}
out["frame_count"] = {"columns": numeric, "values": col(df[numeric].count())}
out["frame_median"] = {"columns": numeric, "values": col(df[numeric].median())}
out["agg_multi"] = table(df.groupby("origin").agg(dep_delay_mean=("dep_delay", "mean"), dep_delay_max=("dep_delay", "max")).reset_index())
out["groupby_two_cols_sum"] = table(df.groupby("carrier")[["dep_delay", "distance"]].sum().reset_index())
out["groupby_size"] = table(df.groupby("carrier")["dep_delay"].size().reset_index(name="size"))
out["groupby_std"] = table(df.groupby("carrier")["arr_delay"].std().reset_index())
out["nsmallest"] = table(df.nsmallest(4, "arr_delay"))
with open("expected.json", "w") as f:
    json.dump(out, f, indent=1, allow_nan=False)
