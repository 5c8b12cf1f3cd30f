"""dask.array peer of `zarr-sum`: da.from_zarr(store).sum()."""
import dask.array as da

from common import measure, parse
from storage_common import zarr_input

args = parse()


def run():
    x = da.from_zarr(zarr_input(args.data_directory))
    return float(x.sum().compute(scheduler="threads", num_workers=args.workers))


measure(run, args.runs)
