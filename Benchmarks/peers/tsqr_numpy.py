"""numpy peer of `tsqr`: a = random((2_000_000, 50)); r = qr(a, mode="r"); abs(r).sum(), OpenBLAS
on --workers threads. Result normalised as in LinalgWorkloads.swift."""
import os
import sys

_workers = sys.argv[sys.argv.index("--workers") + 1] if "--workers" in sys.argv else "2"
os.environ["OPENBLAS_NUM_THREADS"] = _workers
os.environ["OMP_NUM_THREADS"] = _workers

import numpy as np  # noqa: E402

from common import measure, parse  # noqa: E402

args = parse()
M, N = 2_000_000, 50
EXPECTED = np.sqrt(M) * np.abs(np.linalg.cholesky(np.full((N, N), 0.25) + np.eye(N) / 12)).sum()
rng = np.random.default_rng(1)


def run():
    a = rng.random((M, N))
    r = np.linalg.qr(a, mode="r")
    return f"{abs(r).sum() / EXPECTED:.2f}"


measure(run, args.runs)
