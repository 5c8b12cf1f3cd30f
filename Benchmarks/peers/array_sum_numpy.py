"""NumPy peer of `array-sum`: x = random(200M); (x * 2 + 1).sum() (single-threaded)."""
import numpy as np

from common import measure, parse

args = parse()


def run():
    x = np.random.random(200_000_000)
    return float((x * 2 + 1).sum())


measure(run, args.runs)
