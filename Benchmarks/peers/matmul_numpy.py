"""numpy peer of `matmul`: a, b = random((6000, 6000)); (a @ b).sum(), with OpenBLAS using
--workers threads (set before numpy is imported). Result normalised as in LinalgWorkloads.swift."""
import os
import sys

_workers = sys.argv[sys.argv.index("--workers") + 1] if "--workers" in sys.argv else "2"
os.environ["OPENBLAS_NUM_THREADS"] = _workers
os.environ["OMP_NUM_THREADS"] = _workers

import numpy as np  # noqa: E402

from common import measure, parse  # noqa: E402

args = parse()
N = 6000
rng = np.random.default_rng(1)


def run():
    a = rng.random((N, N))
    b = rng.random((N, N))
    total = (a @ b).sum()
    return f"{total / (N ** 3 / 4):.2f}"


measure(run, args.runs)
