"""Copies the zarr-sum store into an HDF5 file for hdf5-sum: dataset /x, chunks of 1e6, gzip
level 1 with byte shuffle (h5py's usual choice for float data). Usage: SRC.zarr DST.h5"""
import sys

import h5py
import zarr

src, dst = sys.argv[1], sys.argv[2]
a = zarr.open_array(src, mode="r")
tmp = dst + ".tmp"
with h5py.File(tmp, "w") as f:
    d = f.create_dataset("x", shape=a.shape, dtype=a.dtype, chunks=(1_000_000,), compression="gzip",
                         compression_opts=1, shuffle=True)
    step = 10_000_000
    for i in range(0, a.shape[0], step):
        d[i:i + step] = a[i:i + step]
import os
os.replace(tmp, dst)
