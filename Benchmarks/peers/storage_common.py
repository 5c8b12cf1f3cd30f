"""The storage workloads' input paths, as tessera-bench names them (StorageWorkloads.swift)."""
import os

N = int(os.environ.get("TESSERA_BENCH_STORAGE_N", "200000000"))


def zarr_input(data_directory):
    return os.path.join(data_directory, f"storage-{N}.zarr")


def hdf5_input(data_directory):
    return os.path.join(data_directory, f"storage-{N}.h5")
