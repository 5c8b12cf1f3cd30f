"""Seeds for fuzz-hdf5: small HDF5 files, one dataset `/x` each (`/g/x` in a group), in every
layout and filter the reader handles, made with h5py. Run from the repository root with the
peers' (or the fixture) venv:

    .build/peers/bin/python Fuzz/corpus/make_hdf5_seeds.py
"""
import os

import h5py
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hdf5")
os.makedirs(OUT, exist_ok=True)
rng = np.random.default_rng(18)


def seed(name, make):
    path = os.path.join(OUT, name)
    if os.path.exists(path):
        os.remove(path)
    # track_times=False: the same script makes the same bytes.
    with h5py.File(path, "w", libver="earliest") as h:
        make(h)


floats = rng.normal(size=(6, 5))
floats.reshape(-1)[::7] = np.nan
seed("contiguous_f8", lambda h: h.create_dataset("x", data=floats, track_times=False))
seed("contiguous_be_i2", lambda h: h.create_dataset("x", data=rng.integers(-999, 999, size=(9,)).astype(">i2"), track_times=False))


def compact(h):
    # Compact layout (the data inside the object header) has no h5py keyword: the low-level API.
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    dcpl.set_obj_track_times(False)
    data = np.arange(12, dtype=np.uint8).reshape(3, 4)
    d = h5py.h5d.create(h.id, b"x", h5py.h5t.NATIVE_UINT8, h5py.h5s.create_simple(data.shape), dcpl=dcpl)
    d.write(h5py.h5s.ALL, h5py.h5s.ALL, data)


seed("compact_u1", compact)
seed("chunked_plain_i4", lambda h: h.create_dataset("x", data=rng.integers(-2**31, 2**31, size=(7, 3), dtype=np.int32),
                                                    chunks=(3, 2), track_times=False))
seed("chunked_gzip_shuffle_f8", lambda h: h.create_dataset("x", data=floats, chunks=(4, 3), compression="gzip",
                                                           compression_opts=1, shuffle=True, track_times=False))
seed("chunked_fletcher_f4", lambda h: h.create_dataset("x", data=floats.astype(np.float32), chunks=(2, 5),
                                                       fletcher32=True, compression="gzip", track_times=False))
seed("chunked_gzip_be_u8", lambda h: h.create_dataset("x", data=rng.integers(0, 2**63, size=(10,)).astype(">u8"),
                                                      chunks=(4,), compression="gzip", track_times=False))


def partial(h):
    d = h.create_dataset("x", shape=(6, 6), chunks=(3, 3), dtype="f8", fillvalue=-7.25, compression="gzip", track_times=False)
    d[0:3, 0:3] = floats[0:3, 0:3]


seed("chunked_fill_f8", partial)
seed("scalar_f8", lambda h: h.create_dataset("x", data=np.float64(2.5), track_times=False))
seed("group_chunked_bool", lambda h: h.create_group("g").create_dataset(
    "x", data=rng.integers(0, 2, size=(5, 4)).astype(bool), chunks=(2, 2), track_times=False))
seed("lzf_f4", lambda h: h.create_dataset("x", data=floats.astype(np.float32), chunks=(3, 5), compression="lzf", track_times=False))
