"""pandas peer of `flights`: the Dask tutorial's sequential loop — read each file, sum and count
DepDelay per Origin, combine. Reads only the two columns the question needs."""
import glob
import os

import pandas as pd

from common import measure
from flights_common import flights_dir, parse_args, result_text

args = parse_args()
files = sorted(glob.glob(os.path.join(flights_dir(args), "*.csv")))


def run():
    sums, counts = None, None
    for f in files:
        df = pd.read_csv(f, usecols=["Origin", "DepDelay"])
        g = df.groupby("Origin").DepDelay
        s, c = g.sum(), g.count()
        sums = s if sums is None else sums.add(s, fill_value=0)
        counts = c if counts is None else counts.add(c, fill_value=0)
    return result_text(sums / counts)


measure(run, args.runs)
