"""dask.array over h5py, the peer of `hdf5-sum`: da.from_array(f["x"], chunks=1e6).sum()."""
import dask.array as da
import h5py

from common import measure, parse
from storage_common import hdf5_input

args = parse()


def run():
    with h5py.File(hdf5_input(args.data_directory), "r") as f:
        d = f["x"]
        x = da.from_array(d, chunks=d.chunks)
        return float(x.sum().compute(scheduler="threads", num_workers=args.workers))


measure(run, args.runs)
