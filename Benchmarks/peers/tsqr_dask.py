"""dask.array peer of `tsqr`: a = random((2_000_000, 50)) in (100_000, 50) chunks; q, r = qr(a);
abs(r).sum(). The result is divided by its expectation sqrt(m) * sum|chol(S)|, S = 1/4 + 1/12 I
(see LinalgWorkloads.swift), to two decimals."""
import dask.array as da
import numpy as np

from common import measure, parse, scheduler

args = parse()
M, N = 2_000_000, 50
EXPECTED = np.sqrt(M) * np.abs(np.linalg.cholesky(np.full((N, N), 0.25) + np.eye(N) / 12)).sum()


def run():
    a = da.random.random((M, N), chunks=(100_000, N))
    q, r = da.linalg.qr(a)
    total = abs(r).sum().compute(**scheduler(args))
    return f"{total / EXPECTED:.2f}"


measure(run, args.runs)
