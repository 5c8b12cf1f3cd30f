"""dask.array peer of `zarr-write`: da.from_zarr(store).to_zarr(new store, zstd level 3)."""
import os

import dask
import dask.array as da
import zarr
from zarr.codecs import ZstdCodec

from common import measure, parse
from storage_common import zarr_input

args = parse()
out = os.path.join(args.data_directory, "zarr-write-dask.zarr")


def run():
    x = da.from_zarr(zarr_input(args.data_directory))
    target = zarr.create_array(store=out, shape=x.shape, dtype=x.dtype, chunks=x.chunksize,
                               compressors=[ZstdCodec(level=3)], overwrite=True)
    with dask.config.set(scheduler="threads", num_workers=args.workers):
        da.to_zarr(x, target)
    back = da.from_zarr(out, chunks=10_000_000)
    return float(back.sum().compute(scheduler="threads", num_workers=args.workers))


measure(run, args.runs)
