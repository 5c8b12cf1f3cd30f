"""NumPy peer of `array-tutorial`: x = random((20000, 20000)); (x + x.T)[::2, 5000:].mean(axis=1).sum()."""
import numpy as np

from common import measure, parse

args = parse()


def run():
    x = np.random.random((20_000, 20_000))
    return float((x + x.T)[::2, 5000:].mean(axis=1).sum())


measure(run, args.runs)
