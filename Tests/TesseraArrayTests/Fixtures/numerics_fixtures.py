"""Makes numerics.json: NumPy's answers for the cases of issue 21 that NumericsTests checks.

    python3 numerics_fixtures.py [DIR]    # writes DIR/numerics.json (default: next to this script)

Every case holds its inputs and NumPy's result. Numbers are written as strings (repr of a
float, or the decimal of an int64) so that inf, nan and integers above 2**53 survive JSON
exactly. Made with NumPy 2.4.6.
"""
import json
import os
import sys
import warnings

import numpy as np

warnings.simplefilter("ignore")  # NumPy warns on inf - inf and on overflow; the values are what we want.


def enc(a):
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        vals = [str(int(x)) for x in a.ravel()]
    else:
        vals = [repr(float(x)) for x in a.ravel()]
    return {"shape": list(a.shape), "dtype": a.dtype.str, "values": vals}


def main(directory):
    inf, nan = np.inf, np.nan
    i64max = np.iinfo(np.int64).max
    cases = {}

    # Sums with infinities: the compensation must not turn inf into nan.
    for name, data in {
        "one_inf": [1.0, inf, 2.0],
        "minus_inf": [1.0, -inf, 2.0, 3.0],
        "both_infs": [1.0, inf, -inf, 2.0],
        "overflow": [1e308, 1e308, 1e308],
        "inf_and_nan": [1.0, inf, nan, 2.0],
        "huge_and_tiny": [1e300, 1e-300, -1e300, 5e-324, 1.0],
    }.items():
        x = np.array(data)
        cases["sum_" + name] = {"x": enc(x), "sum": enc(x.sum()), "mean": enc(x.mean()),
                                "nansum": enc(np.nansum(x)), "nanmean": enc(np.nanmean(x))}
    m = np.array([[1.0, inf], [3.0, -inf], [nan, 2.0], [5.0, 6.0]])
    cases["axis_sums"] = {"x": enc(m), "sum0": enc(m.sum(axis=0)), "sum1": enc(m.sum(axis=1)),
                          "nansum0": enc(np.nansum(m, axis=0)), "nansum1": enc(np.nansum(m, axis=1)),
                          "mean1": enc(m.mean(axis=1))}
    big = np.full(4, 1e200)
    cases["norm_big"] = {"x": enc(big), "norm": enc(np.linalg.norm(big))}

    # Int64 sums wrap (NumPy); means, variances and std accumulate in float64.
    for name, data in {
        "two_max": [i64max, i64max],
        "near_4e18": [4 * 10**18 + 1, 4 * 10**18 + 1, 4 * 10**18 + 1],
        "spread": [i64max, -i64max, i64max, 12345, -(2**62), 2**62 + 7],
        "min_max": [np.iinfo(np.int64).min, i64max, -1, 1],
    }.items():
        x = np.array(data, dtype=np.int64)
        cases["int_" + name] = {"x": enc(x), "sum": enc(x.sum()), "mean": enc(x.mean()),
                                "var": enc(x.var()), "std": enc(x.std()), "var1": enc(x.var(ddof=1))}

    # Exact integer matmul: products above 2**53, and overflow that wraps.
    rng = np.random.default_rng(21)
    a = rng.integers(-(2**31), 2**31, size=(5, 7), dtype=np.int64) * 3001
    b = rng.integers(-(2**31), 2**31, size=(7, 4), dtype=np.int64)
    cases["int_matmul_exact"] = {"a": enc(a), "b": enc(b), "ab": enc(a @ b)}
    a = rng.integers(-(2**62), 2**62, size=(4, 6), dtype=np.int64)
    b = rng.integers(-(2**40), 2**40, size=(6, 3), dtype=np.int64)
    cases["int_matmul_wrap"] = {"a": enc(a), "b": enc(b), "ab": enc(a @ b)}
    a = rng.integers(-(2**31), 2**31, size=(3, 5), dtype=np.int32)
    b = rng.integers(-(2**31), 2**31, size=(5, 2), dtype=np.int32)
    cases["int32_matmul_wrap"] = {"a": enc(a), "b": enc(b), "ab": enc(a @ b)}

    # Percentiles with infinities: NumPy's lerp.
    x = np.array([-inf, 1.0, 2.0, inf])
    q = np.array([0.0, 10.0, 25.0, 50.0, 75.0, 90.0, 100.0])
    cases["percentile_infs"] = {"x": enc(x), "q": enc(q), "p": enc(np.percentile(x, q))}
    x = np.array([3.0, -1.5, 7.25, 0.0, 2.0, 11.0, -4.0])
    q = np.array([0.0, 12.5, 33.3, 50.0, 66.6, 99.0, 100.0])
    cases["percentile_plain"] = {"x": enc(x), "q": enc(q), "p": enc(np.percentile(x, q))}

    # Wrong rejections NumPy accepts.
    a = np.arange(24.0).reshape(2, 3, 4) - 5
    b = (np.arange(20.0).reshape(1, 4, 5) * 0.5) - 2
    cases["matmul_broadcast"] = {"a": enc(a), "b": enc(b), "ab": enc(a @ b)}
    a = np.arange(24.0).reshape(2, 1, 3, 4) * 0.25
    b = np.arange(60.0).reshape(3, 4, 5) - 30
    cases["matmul_broadcast_4d"] = {"a": enc(a), "b": enc(b), "ab": enc(a @ b)}
    a = np.array([[1.0, 2, 3, 4, 5], [2, -1, 0, 3, 1], [0.5, 4, -2, 1, 1]])
    b = np.array([3.0, -1, 2])
    x, res, rank, s = np.linalg.lstsq(a, b, rcond=None)
    cases["lstsq_wide"] = {"a": enc(a), "b": enc(b), "x": enc(x), "residuals": enc(res), "rank": enc(rank), "s": enc(s)}
    b2 = np.array([[3.0, 1], [-1, 0], [2, 5]])
    x2, res2, rank2, s2 = np.linalg.lstsq(a, b2, rcond=None)
    cases["lstsq_wide_2d"] = {"a": enc(a), "b": enc(b2), "x": enc(x2), "residuals": enc(res2), "rank": enc(rank2)}
    ar = np.array([[1.0, 2, 3, 4], [2, 4, 6, 8]])  # rank 1
    br = np.array([1.0, 2.0])
    xr, _, rr, sr = np.linalg.lstsq(ar, br, rcond=None)
    cases["lstsq_wide_rank1"] = {"a": enc(ar), "b": enc(br), "x": enc(xr), "rank": enc(rr)}
    t = np.arange(24.0).reshape(2, 3, 4) - 11.5
    cases["norm_3d"] = {"x": enc(t), "norm": enc(np.linalg.norm(t))}
    cases["norm_empty"] = {"vector_inf": enc(np.linalg.norm(np.zeros(0), np.inf)),
                           "matrix_inf": enc(np.linalg.norm(np.zeros((0, 3)), np.inf)),
                           "matrix_one": enc(np.linalg.norm(np.zeros((3, 0)), 1)),
                           "vector_two": enc(np.linalg.norm(np.zeros(0)))}
    cases["cumsum_0d"] = {"x": enc(np.array(5.0)), "cumsum": enc(np.cumsum(np.array(5.0), axis=0)),
                          "xi": enc(np.array(7, dtype=np.int64)), "cumsum_i": enc(np.cumsum(np.array(7, dtype=np.int64), axis=-1))}

    # Errors NumPy raises, recorded as its message.
    def message(f):
        try:
            f()
        except Exception as e:  # noqa: BLE001
            return type(e).__name__ + ": " + str(e)
        return None
    cases["errors"] = {"arange_tiny_step": message(lambda: np.arange(0, 1, 1e-300)),
                       "int_negative_power": message(lambda: np.power(np.array([2]), np.array([-1])))}

    with open(os.path.join(directory, "numerics.json"), "w") as f:
        json.dump({"numpy": np.__version__, "cases": cases}, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
