"""Makes the group-by fixtures: an input table and pandas' answers for every aggregation.

Run with the peers' venv: /work/main/.build/peers/bin/python make_fixtures.py
Writes input.csv (k1: text with missing, k2: int, x: float with missing, n: int with missing,
s: text with missing) and expected_*.csv, one per grouping. Floats are written with repr
(shortest round-trip), missing values empty.
"""
import os

import numpy as np
import pandas as pd

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)
N = 240
k1 = rng.choice(["ant", "bee", "cat", "dog", "ému"], N).astype(object)
k1[rng.random(N) < 0.08] = None
k2 = rng.integers(0, 4, N)
x = np.round(rng.normal(10, 5, N), 2)
x[rng.random(N) < 0.15] = np.nan
n = rng.integers(-50, 50, N).astype(float)
n[rng.random(N) < 0.15] = np.nan
s = rng.choice(["alpha", "beta", "gamma", "delta", "Zeta", "ω"], N).astype(object)
s[rng.random(N) < 0.2] = None
# A group whose values are all missing: k1 == "fox" appears twice with x, n, s missing.
k1[:2] = "fox"
x[:2] = np.nan
n[:2] = np.nan
s[:2] = None
df = pd.DataFrame({"k1": k1, "k2": k2, "x": x, "n": pd.array(n, dtype="Int64"), "s": s})


def fmt(v):
    if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
        return ""
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def write(frame, name):
    with open(os.path.join(here, name), "w", encoding="utf-8") as f:
        f.write(",".join(frame.columns) + "\n")
        for row in frame.itertuples(index=False):
            f.write(",".join(fmt(v) for v in row) + "\n")


write(df, "input.csv")

numeric = ["sum", "mean", "count", "size", "min", "max", "std", "var", "first", "last", "nunique", "median"]
text = ["count", "size", "min", "max", "first", "last", "nunique"]
spec = {}
for c in ["x", "n"]:
    for f in numeric:
        spec[f"{c}_{f}"] = (c, f)
for f in text:
    spec[f"s_{f}"] = ("s", f)
# std and var with ddof 0 too.
spec["x_std0"] = ("x", lambda v: v.std(ddof=0))
spec["x_var0"] = ("x", lambda v: v.var(ddof=0))

for keys, dropna, name in [
    (["k1"], True, "expected_k1.csv"),
    (["k1"], False, "expected_k1_keepna.csv"),
    (["k1", "k2"], True, "expected_k1_k2.csv"),
    (["k2", "k1"], False, "expected_k2_k1_keepna.csv"),
    (["k2"], True, "expected_k2.csv"),
]:
    out = df.groupby(keys, dropna=dropna, sort=True).agg(**spec).reset_index()
    write(out, name)
print("wrote fixtures to", here)
