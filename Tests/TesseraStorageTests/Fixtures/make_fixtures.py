"""Makes the Zarr and HDF5 fixtures of TesseraStorageTests with the reference implementations.

Run from this folder with zarr-python 3, numcodecs, h5py and NumPy installed:

    python make_fixtures.py

Each store NAME.zarr (or file NAME.h5) comes with NAME.npy: the array as zarr-python (h5py) reads
it back, as float64 (NAME.i8.npy as int64, for integer stores; bool stores as bool), so the Swift
tests compare against what the reference reader returns, missing chunks and fill values included.
"""
import os
import shutil

import numpy as np
import zarr
from zarr.codecs import (BloscCodec, BytesCodec, Crc32cCodec, GzipCodec, ShardingCodec,
                         ShardingCodecIndexLocation, TransposeCodec, ZstdCodec)
import numcodecs

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(18)


def fresh(name):
    path = os.path.join(HERE, name)
    shutil.rmtree(path, ignore_errors=True)
    return path


def save_expected(name, arr):
    arr = np.asarray(arr).copy(order="C")
    if arr.dtype == np.bool_:
        np.save(os.path.join(HERE, name + ".npy"), arr)
        return
    np.save(os.path.join(HERE, name + ".npy"), arr.astype(np.float64))
    if arr.dtype.kind in "iu":
        np.save(os.path.join(HERE, name + ".i8.npy"), arr.astype(np.int64))


def nasty_floats(shape, dtype=np.float64):
    a = rng.normal(size=shape).astype(dtype) * 1000
    flat = a.reshape(-1)
    flat[::7] = np.nan
    flat[3::11] = np.inf
    flat[5::13] = -np.inf
    flat[1] = -0.0
    flat[2] = np.finfo(dtype).max
    return a


def store(name, data, zarr_format, region=None, **kw):
    """An array holding `data`; with `region`, only that part is written (the rest missing)."""
    path = fresh(name + ".zarr")
    a = zarr.create_array(store=path, shape=data.shape, dtype=kw.pop("dtype", data.dtype), zarr_format=zarr_format, **kw)
    if region is None:
        a[...] = data
    else:
        a[region] = data[region]
    save_expected(name, zarr.open_array(path, mode="r")[...])


def v3(name, data, region=None, **kw):
    store(name, data, 3, region, **kw)


def v2(name, data, region=None, **kw):
    store(name, data, 2, region, **kw)


# --- v3 -----------------------------------------------------------------------------------
f = nasty_floats((7, 5))
v3("v3_f8_zstd_missing", f, region=(slice(0, 3), slice(0, 4)), chunks=(3, 2),
   compressors=[ZstdCodec(level=3)], fill_value=np.nan)
v3("v3_f8_fill_inf", f, region=(slice(3, 7), slice(0, 2)), chunks=(2, 2),
   compressors=[GzipCodec(level=5)], fill_value=np.inf)
v3("v3_f8_fill_neginf_v2keys", f, region=(slice(0, 2), slice(0, 5)), chunks=(2, 3),
   compressors=None, fill_value=-np.inf, chunk_key_encoding={"name": "v2", "separator": "."})
v3("v3_i4_big_gzip", rng.integers(-2**31, 2**31, size=(6, 7), dtype=np.int32), chunks=(4, 3),
   serializer=BytesCodec(endian="big"), compressors=[GzipCodec(level=1)], fill_value=7)
v3("v3_u2_blosc_bitshuffle", rng.integers(0, 2**16, size=(9, 4), dtype=np.uint16), chunks=(4, 4),
   compressors=[BloscCodec(cname="lz4", clevel=5, shuffle="bitshuffle", typesize=2)])
v3("v3_i8_blosc_zstd_shuffle", rng.integers(-2**62, 2**62, size=(11,), dtype=np.int64), chunks=(4,),
   compressors=[BloscCodec(cname="zstd", clevel=3, shuffle="shuffle", typesize=8)])
v3("v3_f8_blosc_blosclz", nasty_floats((5, 6)), chunks=(2, 5),
   compressors=[BloscCodec(cname="blosclz", clevel=9, shuffle="noshuffle", typesize=8)])
v3("v3_i2_blosc_zlib", rng.integers(-2**15, 2**15, size=(8, 3), dtype=np.int16), chunks=(3, 3),
   compressors=[BloscCodec(cname="zlib", clevel=4, shuffle="shuffle", typesize=2)])
v3("v3_f4_transpose_crc", nasty_floats((4, 5, 6), np.float32), chunks=(3, 2, 4),
   filters=[TransposeCodec(order=(2, 0, 1))], compressors=[Crc32cCodec()])
v3("v3_u8_huge", np.array([0, 1, 2**63, 2**64 - 1, 12345678901234567890, 5], dtype=np.uint64), chunks=(4,),
   compressors=[ZstdCodec(level=1)])
v3("v3_i1_bigchunks", rng.integers(-128, 128, size=(3, 4), dtype=np.int8), chunks=(5, 6))
v3("v3_bool", rng.integers(0, 2, size=(5, 5)).astype(bool), chunks=(2, 3), fill_value=True,
   region=(slice(0, 2), slice(0, 5)))
v3("v3_u1_zstd_crc", rng.integers(0, 256, size=(10,), dtype=np.uint8), chunks=(3,),
   compressors=[ZstdCodec(level=5), Crc32cCodec()])
v3("v3_f8_sharded_end", nasty_floats((10, 9)), region=(slice(0, 7), slice(0, 9)), chunks=(2, 3), shards=(4, 6),
   compressors=[ZstdCodec(level=2)], fill_value=-1.5)
path = fresh("v3_i4_sharded_start.zarr")
data = rng.integers(-1000, 1000, size=(9, 8), dtype=np.int32)
a = zarr.create_array(store=path, shape=data.shape, dtype=data.dtype, zarr_format=3,
                      serializer=ShardingCodec(chunk_shape=(3, 2), codecs=[BytesCodec(), GzipCodec(level=3)],
                                               index_location=ShardingCodecIndexLocation.start),
                      chunks=(6, 4), compressors=None, fill_value=3)
a[0:6, :] = data[0:6, :]
save_expected("v3_i4_sharded_start", zarr.open_array(path, mode="r")[...])
v3("v3_f8_scalar", np.array(2.5), chunks=())

# A group: arrays opened by their path inside it.
path = fresh("v3_group.zarr")
root = zarr.open_group(path, mode="w", zarr_format=3)
sub = root.create_group("surface")
t = sub.create_array("temperature", shape=(6, 4), chunks=(3, 3), dtype="float64", compressors=[ZstdCodec(level=1)])
tvals = nasty_floats((6, 4))
t[...] = tvals
save_expected("v3_group_surface_temperature", zarr.open_array(path, path="surface/temperature", mode="r")[...])

# --- v2 -----------------------------------------------------------------------------------
v2("v2_f8_blosc_lz4_nan", nasty_floats((7, 6)), region=(slice(0, 4), slice(0, 6)), chunks=(3, 4),
   compressors=numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE), fill_value=np.nan)
v2("v2_i8_big_zlib", rng.integers(-2**62, 2**62, size=(5, 5)).astype(">i8"), chunks=(2, 2),
   compressors=numcodecs.Zlib(level=3), fill_value=-3)
v2("v2_f4_order_f_gzip", nasty_floats((5, 7), np.float32), chunks=(3, 4), order="F",
   compressors=numcodecs.GZip(level=6))
v2("v2_u1_zstd_slash", rng.integers(0, 256, size=(6, 5), dtype=np.uint8), chunks=(4, 2),
   compressors=numcodecs.Zstd(level=3), chunk_key_encoding={"name": "v2", "separator": "/"})
v2("v2_i2_none", rng.integers(-2**15, 2**15, size=(4, 9), dtype=np.int16), chunks=(4, 4), compressors=None)
v2("v2_u4_big_blosc_bitshuffle", rng.integers(0, 2**32, size=(13,)).astype(">u4"), chunks=(5,),
   compressors=numcodecs.Blosc(cname="zstd", clevel=3, shuffle=numcodecs.Blosc.BITSHUFFLE))
v2("v2_bool", rng.integers(0, 2, size=(3, 7)).astype(bool), chunks=(2, 2), compressors=numcodecs.Zstd(level=1))

path = fresh("v2_group.zarr")
root = zarr.open_group(path, mode="w", zarr_format=2)
sub = root.create_group("g")
s = sub.create_array("values", shape=(5,), chunks=(2,), dtype="int32", compressors=numcodecs.Zlib(level=1), fill_value=0)
s[...] = np.arange(5, dtype=np.int32) * 11
save_expected("v2_group_g_values", zarr.open_array(path, path="g/values", mode="r")[...])

# --- HDF5 ---------------------------------------------------------------------------------
try:
    import h5py
except ImportError:
    h5py = None
if h5py is not None:
    path = os.path.join(HERE, "arrays.h5")
    if os.path.exists(path):
        os.remove(path)
    with h5py.File(path, "w") as h:
        c = nasty_floats((9, 7))
        h.create_dataset("contiguous_f8", data=c)
        g = h.create_group("group")
        g.create_dataset("chunked_gzip_shuffle_f8", data=c, chunks=(4, 3), compression="gzip", compression_opts=4, shuffle=True)
        g.create_dataset("chunked_plain_i4", data=rng.integers(-2**31, 2**31, size=(10, 3), dtype=np.int32), chunks=(3, 3))
        h.create_dataset("chunked_gzip_big_i2", data=rng.integers(-2**15, 2**15, size=(11,)).astype(">i2"), chunks=(4,), compression="gzip")
        h.create_dataset("contiguous_u1", data=rng.integers(0, 256, size=(3, 4, 5), dtype=np.uint8))
        h.create_dataset("chunked_lzf_f4", data=nasty_floats((6,), np.float32), chunks=(4,), compression="lzf")
        partial = h.create_dataset("chunked_fill_f8", shape=(8, 8), chunks=(4, 4), dtype="f8", fillvalue=-7.25)
        partial[0:4, 0:4] = nasty_floats((4, 4))
        h.create_dataset("compound", data=np.zeros(3, dtype=[("a", "i4"), ("b", "f8")]))
        h.create_dataset("strings", data=np.array([b"ab", b"cd"]), dtype=h5py.string_dtype())
        ragged = h.create_dataset("ragged", shape=(2,), dtype=h5py.vlen_dtype(np.int32))
        ragged[0], ragged[1] = np.arange(3, dtype=np.int32), np.arange(5, dtype=np.int32)
        # Last, so the random data above stays as it was: fletcher32 after shuffle and gzip.
        g.create_dataset("chunked_fletcher_gzip_shuffle_f4", data=nasty_floats((7, 5), np.float32), chunks=(3, 2),
                         fletcher32=True, compression="gzip", shuffle=True)
    with h5py.File(path, "r") as h:
        for name in ["contiguous_f8", "group/chunked_gzip_shuffle_f8", "group/chunked_plain_i4", "chunked_gzip_big_i2",
                     "contiguous_u1", "chunked_lzf_f4", "chunked_fill_f8", "group/chunked_fletcher_gzip_shuffle_f4"]:
            save_expected("h5_" + name.replace("/", "_"), h[name][...])
