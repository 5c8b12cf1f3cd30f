"""Fixtures for DifferentialFrameTests (issue 22): random CSV chunks and pandas' answers.

Writes chunk_00.csv … chunk_49.csv (one partition each when read as 50 files; the Swift test
also joins them into 3 files and into 1) and expected.json, pandas' answers on the whole data
read as one file. Each chunk draws its own kind of values per column, so partitions disagree on
types: zip codes with leading zeros, numbers in scientific notation, text, all-missing chunks,
header-only chunks; text in both Unicode forms of a letter; zeros that make 0/0 a NaN.

    pip install pandas && python3 make_fixtures.py
"""
import io
import json
import os
import random

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
NFC, NFD = "\u00e9", "e\u0301"
CHUNKS = 50


def chunk_rows(rng, i):
    if i == 0 or rng.random() < 0.08:
        return 0 if i != 1 else 3  # header-only chunks, the first among them
    return rng.randint(1, 8)


def main():
    rng = random.Random(22)
    texts = []
    for i in range(CHUNKS):
        n = chunk_rows(rng, i)
        zkind = "text" if i == 7 else rng.choice(["zip", "zip", "sci", "text", "empty"])
        nkind = rng.choice(["int", "float", "empty"])
        skind = rng.choice(["words", "words", "empty"])
        lines = ["k,z,n,s,x,y"]
        for _ in range(n):
            k = str(rng.randint(0, 4))
            z = {"zip": lambda: "%05d" % rng.randint(0, 3000),
                 "sci": lambda: rng.choice(["1e5", "2.50", "-0.0", "3E2"]),
                 "text": lambda: rng.choice(["K1A 0B1", "SW1A", "02134-1", "x"]),
                 "empty": lambda: ""}[zkind]()
            if zkind != "empty" and rng.random() < 0.15:
                z = ""
            nv = {"int": lambda: str(rng.randint(-5, 5)), "float": lambda: "%.2f" % rng.uniform(-5, 5),
                  "empty": lambda: ""}[nkind]()
            s = "" if skind == "empty" or rng.random() < 0.1 else rng.choice(
                [NFC, NFD, "x", "Zo" + NFC, "Zo" + NFD, "02134", "b", "a"])
            x, y = (("0", "0") if rng.random() < 0.2 else (str(rng.randint(0, 3)), str(rng.randint(1, 2))))
            lines.append(",".join([k, z, nv, s, x, y]))
        texts.append("\n".join(lines) + "\n")
    for i, t in enumerate(texts):
        with open(os.path.join(HERE, "chunk_%02d.csv" % i), "w", encoding="utf-8", newline="") as f:
            f.write(t)

    whole = "k,z,n,s,x,y\n" + "".join(t.split("\n", 1)[1] for t in texts)
    df = pd.read_csv(io.StringIO(whole), dtype={"z": object, "s": object}, low_memory=False)
    # (z and s hold text somewhere; pandas then keeps every value's text, as requested above.)

    def texts_of(series):
        return [None if pd.isna(v) else str(v) for v in series]

    def floats_of(series):
        return [None if pd.isna(v) else float(v) for v in series]

    q = df["x"] / df["y"]
    d = df.assign(q=q)
    vc = df["s"].value_counts()
    vk = df["k"].value_counts()
    other = pd.DataFrame({"s": [NFC, NFD, "02134", None], "w": [1, 2, 3, 4]})
    out = {
        "rows": len(df),
        "z": texts_of(df["z"]),
        "n": floats_of(df["n"].astype("float64")),
        "s": texts_of(df["s"]),
        "s_nunique": int(df["s"].nunique()),
        "s_nunique_keepna": int(df["s"].nunique(dropna=False)),
        "s_value_counts": {"values": texts_of(vc.index), "counts": [int(c) for c in vc]},
        "k_value_counts": {"values": [int(v) for v in vk.index], "counts": [int(c) for c in vk]},
        "s_eq_nfc_rows": int((df["s"] == NFC).sum()),
        "s_eq_nfd_rows": int((df["s"] == NFD).sum()),
        "s_sorted": texts_of(df.sort_values("s", kind="stable", na_position="last")["s"]),
        "s_unique": texts_of(pd.Series(df["s"].dropna().unique())),
        "s_plus": texts_of(df["s"] + "!"),
        "q_isna": int(q.isna().sum()),
        "q_dropna_rows": int(len(d.dropna(subset=["q"]))),
        "q_fillna_sum": float(q.fillna(-1).sum()),
        "q_nunique": int(q.nunique()),
        "q_nunique_keepna": int(q.nunique(dropna=False)),
        "q_mean_by_k": {"k": [int(v) for v in d.groupby("k")["q"].mean().index],
                        "mean": floats_of(d.groupby("k")["q"].mean())},
        "merge_s_rows": int(len(df.merge(other, on="s"))),
        "merge_q_rows": int(len(d.merge(d[["q"]].rename(columns={}), on="q"))),
        "z_fillna": texts_of(df["z"].fillna("zz")),
        "z_filter_text_rows": int((df["z"] == "K1A 0B1").sum()),
        "head_minus_3": texts_of(df["z"].head(-3)),
        "tail_minus_3": texts_of(df["z"].tail(-3)),
    }
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=True, indent=1)


if __name__ == "__main__":
    main()
